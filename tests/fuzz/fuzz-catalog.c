/*
 * Fuzz target for the catalog loader: the input is written to a file and
 * loaded as one catalog file. Built with -DQUIRE_LIBFUZZER and
 * -fsanitize=fuzzer it is a libFuzzer target; otherwise main() runs it over
 * the files named on the command line (a crash is the only failure).
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "catalog.h"
#include "xmalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Write DATA to a fresh file; its path is returned, caller unlinks. */
static char *
fuzz_catalog_file(const uint8_t *data, size_t size)
{
	const char *tmp = getenv("TMPDIR");
	char *path;
	ssize_t n;
	size_t off = 0;
	int fd;

	path = xasprintf("%s/quire-fuzz-catalog.XXXXXX",
	    tmp != NULL && *tmp == '/' ? tmp : "/tmp");
	if ((fd = mkstemp(path)) == -1) {
		perror("mkstemp");
		abort();
	}
	while (off < size) {
		n = write(fd, data + off, size - off);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			perror("write");
			abort();
		}
		off += (size_t)n;
	}
	close(fd);
	return path;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *path = fuzz_catalog_file(data, size), *cause = NULL;
	const char *paths[1] = { path };
	struct catalog *c = NULL;

	if (catalog_load_files(paths, 1, &c, &cause) == 0) {
		if (c == NULL || cause != NULL)
			abort();
		catalog_free(&c);
	} else if (c != NULL || cause == NULL ||
	    strncmp(cause, path, strlen(path)) != 0)
		abort();	/* a refusal always names the file */
	free(cause);
	unlink(path);
	free(path);
	return 0;
}

#ifndef QUIRE_LIBFUZZER
/* Read all of PATH; NULL on error. */
static uint8_t *
fuzz_catalog_read(const char *path, size_t *size)
{
	uint8_t *buf = NULL;
	size_t n;
	FILE *fp;

	if ((fp = fopen(path, "rb")) == NULL)
		return NULL;
	*size = 0;
	do {
		buf = xreallocarray(buf, *size + 65536, 1);
		n = fread(buf + *size, 1, 65536, fp);
		*size += n;
	} while (n == 65536);
	if (ferror(fp)) {
		free(buf);
		buf = NULL;
	}
	fclose(fp);
	return buf;
}

int
main(int argc, char **argv)
{
	uint8_t *data;
	size_t size;
	int i;

	for (i = 1; i < argc; i++) {
		if ((data = fuzz_catalog_read(argv[i], &size)) == NULL) {
			fprintf(stderr, "%s: %s\n", argv[i], strerror(errno));
			return 1;
		}
		LLVMFuzzerTestOneInput(data, size);
		free(data);
	}
	return 0;
}
#endif
