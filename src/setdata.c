/*
 * Setting data in memory: a named, ordered set of key = value, secrets
 * marked, plus reading a file for setdata-yaml.c's parser.
 */
#include "config.h"

#include "setdata.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "setdata-int.h"
#include "text.h"
#include "vault.h"
#include "xmalloc.h"

struct setdata *
setdata_new(const char *name, const char *model)
{
	struct setdata *sd = xcalloc(1, sizeof *sd);

	sd->name = name != NULL ? xstrdup(name) : NULL;
	sd->model = xstrdup(model != NULL ? model : "any");
	return sd;
}

static void
setdata_entry_clear(struct setdata_entry *e)
{
	free(e->key);
	if (e->secret)
		vault_wipe_str(e->value);
	else
		free(e->value);
	e->key = e->value = NULL;
}

void
setdata_free(struct setdata **sdp)
{
	struct setdata *sd = *sdp;
	size_t i;

	if (sd == NULL)
		return;
	for (i = 0; i < sd->n; i++)
		setdata_entry_clear(&sd->v[i]);
	free(sd->v);
	free(sd->name);
	free(sd->model);
	free(sd);
	*sdp = NULL;
}

long
setdata_find(const struct setdata *sd, const char *key)
{
	size_t i;

	for (i = 0; i < sd->n; i++) {
		if (strcmp(sd->v[i].key, key) == 0)
			return (long)i;
	}
	return -1;
}

void
setdata_add(struct setdata *sd, const char *key, const char *value,
    bool secret)
{
	struct setdata_entry *e;
	long at = setdata_find(sd, key);
	/* Copied first: KEY or VALUE may be the entry's own, about to go. */
	char *k = xstrdup(key), *v = value != NULL ? xstrdup(value) : NULL;

	if (at >= 0) {
		e = &sd->v[at];
		setdata_entry_clear(e);
	} else {
		if (sd->n == sd->cap) {
			sd->cap = sd->cap != 0 ? sd->cap * 2 : 32;
			sd->v = xreallocarray(sd->v, sd->cap, sizeof *sd->v);
		}
		e = &sd->v[sd->n++];
	}
	e->key = k;
	e->value = v;
	e->secret = secret;
}

void
setdata_set_name(struct setdata *sd, const char *name)
{
	free(sd->name);
	sd->name = name != NULL ? xstrdup(name) : NULL;
}

void
setdata_set_model(struct setdata *sd, const char *model)
{
	free(sd->model);
	sd->model = xstrdup(model != NULL ? model : "any");
}

const char *
setdata_name(const struct setdata *sd)
{
	return sd->name;
}

const char *
setdata_model(const struct setdata *sd)
{
	return sd->model;
}

size_t
setdata_count(const struct setdata *sd)
{
	return sd->n;
}

const char *
setdata_key_at(const struct setdata *sd, size_t i)
{
	return i < sd->n ? sd->v[i].key : NULL;
}

const char *
setdata_value_at(const struct setdata *sd, size_t i)
{
	return i < sd->n ? sd->v[i].value : NULL;
}

bool
setdata_secret_at(const struct setdata *sd, size_t i)
{
	return i < sd->n && sd->v[i].secret;
}

size_t
setdata_nsecrets(const struct setdata *sd)
{
	size_t i, n = 0;

	for (i = 0; i < sd->n; i++)
		n += sd->v[i].secret && sd->v[i].value != NULL;
	return n;
}

void
setdata_errors_clear(struct setdata_errors *errs)
{
	size_t i;

	for (i = 0; i < errs->n; i++)
		free(errs->msgs[i]);
	free(errs->msgs);
	errs->msgs = NULL;
	errs->n = 0;
}

void
setdata_errors_add(struct setdata_errors *errs, const char *name,
    size_t line, size_t column, const char *fmt, ...)
{
	va_list ap;
	char *reason;

	if (errs->n > SETDATA_MAX_ERRORS)
		return;
	if (errs->n == SETDATA_MAX_ERRORS)
		reason = xstrdup("too many errors; the rest are not shown");
	else {
		va_start(ap, fmt);
		reason = xvasprintf(fmt, ap);
		va_end(ap);
	}
	errs->msgs = xreallocarray(errs->msgs, errs->n + 1,
	    sizeof *errs->msgs);
	errs->msgs[errs->n++] = xasprintf("%s:%zu:%zu: %s", name, line,
	    column, reason);
	free(reason);
}

char *
setdata_shown(const char *s)
{
	size_t len = strlen(s);
	char *clean, *out;

	if (len <= 64)
		return text_sanitize(s, len);
	len = 61;
	while (len > 0 && ((unsigned char)s[len] & 0xc0) == 0x80)
		len--;
	clean = text_sanitize(s, len);
	out = xasprintf("%s...", clean);
	free(clean);
	return out;
}

/* All of PATH, at most SETDATA_MAX_FILE bytes. */
static int
setdata_slurp(const char *path, char **buf, size_t *len, char **cause)
{
	struct stat sb;
	size_t got = 0;
	ssize_t n = 0;
	int fd;

	do
		fd = open(path, O_RDONLY | O_CLOEXEC);
	while (fd == -1 && errno == EINTR);
	if (fd == -1 || fstat(fd, &sb) == -1) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		if (fd != -1)
			close(fd);
		return -1;
	}
	if (!S_ISREG(sb.st_mode) || sb.st_size > SETDATA_MAX_FILE) {
		*cause = xasprintf("%s: %s", path, S_ISREG(sb.st_mode) ?
		    "file too large" : "not a regular file");
		close(fd);
		return -1;
	}
	*buf = xmalloc((size_t)sb.st_size + 1);
	while (got < (size_t)sb.st_size) {
		n = read(fd, *buf + got, (size_t)sb.st_size - got);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	if (n == -1 || got < (size_t)sb.st_size) {
		*cause = xasprintf("%s: %s", path, n == -1 ? strerror(errno) :
		    "changed while read");
		free(*buf);
		close(fd);
		return -1;
	}
	close(fd);
	(*buf)[got] = '\0';
	*len = got;
	return 0;
}

int
setdata_parse_file(const struct catalog *cat, const char *path,
    const char *passphrase, struct setdata **out,
    struct setdata_errors *errs)
{
	char *buf, *cause = NULL;
	size_t len;
	int rc;

	*out = NULL;
	if (setdata_slurp(path, &buf, &len, &cause) != 0) {
		errs->msgs = xreallocarray(errs->msgs, errs->n + 1,
		    sizeof *errs->msgs);
		errs->msgs[errs->n++] = cause;
		return -1;
	}
	rc = setdata_parse(cat, path, buf, len, passphrase, out, errs);
	free(buf);
	return rc;
}
