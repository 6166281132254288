/*
 * Fuzz target for the management shell's setting-data reader (what a
 * client sends on stdin) and its scalar writer: a refusal names
 * LINE:COLUMN, and every value read back from what the writer wrote is the
 * same value. Built with -DQUIRE_LIBFUZZER and -fsanitize=fuzzer it is a
 * libFuzzer target; otherwise main() runs it over the files named on the
 * command line (a crash is the only failure).
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim-shell-yaml.h"
#include "text.h"
#include "xmalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Write VALUE as the writer does, read it back: the same text. */
static void
fuzz_sim_shell_roundtrip(const char *value)
{
	struct sim_shell_yaml_setdata *sd;
	char *doc, *cause;
	size_t len;
	FILE *f;

	if (!text_is_clean(value))
		return;		/* control characters are escaped lossily */
	if ((f = open_memstream(&doc, &len)) == NULL)
		abort();
	fputs("quire: setting-data/1\nsettings:\n  k: ", f);
	sim_shell_yaml_scalar(f, value);
	fputc('\n', f);
	if (fclose(f) != 0)
		abort();
	if (sim_shell_yaml_read_setdata(doc, len, &sd, &cause) != 0) {
		fprintf(stderr, "unreadable: %s\n%s", cause, doc);
		abort();
	}
	if (sd->n != 1 || sd->entries[0].seq ||
	    strcmp(sd->entries[0].value, value) != 0) {
		fprintf(stderr, "changed: %s", doc);
		abort();
	}
	sim_shell_yaml_setdata_free(&sd);
	free(doc);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sim_shell_yaml_setdata *sd = NULL;
	char *buf = xmalloc(size + 1), *cause = NULL;
	size_t i, line, col;

	memcpy(buf, data, size);
	buf[size] = '\0';
	if (sim_shell_yaml_read_setdata(buf, size, &sd, &cause) == 0) {
		for (i = 0; i < sd->n; i++) {
			if (sd->entries[i].key == NULL ||
			    sd->entries[i].value == NULL)
				abort();
			if (!sd->entries[i].seq)
				fuzz_sim_shell_roundtrip(sd->entries[i].value);
		}
		sim_shell_yaml_setdata_free(&sd);
	} else if (sd != NULL || cause == NULL ||
	    sscanf(cause, "%zu:%zu: ", &line, &col) != 2 || line == 0 ||
	    col == 0)
		abort();	/* a refusal always says where */
	free(cause);
	free(buf);
	return 0;
}

#ifndef QUIRE_LIBFUZZER
/* Read all of PATH; NULL on error. */
static uint8_t *
fuzz_sim_shell_read(const char *path, size_t *size)
{
	uint8_t *buf = NULL;
	size_t n, len = 0;
	FILE *fp;

	if ((fp = fopen(path, "rb")) == NULL)
		return NULL;
	buf = xmalloc(65536);
	while ((n = fread(buf + len, 1, 65536, fp)) > 0) {
		len += n;
		buf = xreallocarray(buf, 1, len + 65536);
	}
	fclose(fp);
	*size = len;
	return buf;
}

int
main(int argc, char **argv)
{
	uint8_t *buf;
	size_t size;
	int i;

	for (i = 1; i < argc; i++) {
		if ((buf = fuzz_sim_shell_read(argv[i], &size)) == NULL) {
			perror(argv[i]);
			return 1;
		}
		LLVMFuzzerTestOneInput(buf, size);
		free(buf);
	}
	return 0;
}
#endif
