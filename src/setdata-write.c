/*
 * Writing setting data: a header, then the settings grouped by category in
 * catalog order, each under a comment with its title, type and default.
 * Strings are always double-quoted with every byte that could end the
 * scalar, the line or the file escaped, so no value can change the file's
 * shape. Secrets are left out (a comment names them) or encrypted.
 */
#include "config.h"

#include "setdata.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "setdata-int.h"
#include "text.h"
#include "xmalloc.h"

struct setdata_writer {
	FILE			*f;
	const struct catalog	*cat;
	struct setdata_crypt	*crypt;		/* NULL: leave secrets out */
	char			*cause;
};

/* Whether YAML must see code point CP escaped inside double quotes. */
static bool
setdata_write_escaped(uint32_t cp)
{
	return cp < 0x20 || cp == '"' || cp == '\\' || cp == 0x7f ||
	    (cp >= 0x80 && cp <= 0x9f) || cp == 0x2028 || cp == 0x2029 ||
	    cp == 0xfeff || cp == 0xfffe || cp == 0xffff;
}

void
setdata_yaml_quote(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t cp = 0;
	size_t len;

	fputc('"', f);
	for (; *p != '\0'; p += len != 0 ? len : 1) {
		/* Not reached for values (left out); names, comments. */
		if ((len = text_utf8_decode(p, SIZE_MAX, &cp)) == 0)
			fprintf(f, "\\x%02x", p[0]);
		else if (!setdata_write_escaped(cp))
			fwrite(p, 1, len, f);
		else if (cp == '"' || cp == '\\')
			fprintf(f, "\\%c", (int)cp);
		else if (cp == '\n')
			fputs("\\n", f);
		else if (cp == '\t')
			fputs("\\t", f);
		else if (cp < 0x100)
			fprintf(f, "\\x%02x", (unsigned)cp);
		else
			fprintf(f, "\\u%04x", (unsigned)cp);
	}
	fputc('"', f);
}

/* Whether S is all valid UTF-8 (what YAML can hold). */
static bool
setdata_write_is_utf8(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t cp;
	size_t len;

	for (; *p != '\0'; p += len) {
		if ((len = text_utf8_decode(p, SIZE_MAX, &cp)) == 0)
			return false;
	}
	return true;
}

/* Text for a comment: one line, no control characters. */
static void
setdata_write_comment_text(FILE *f, const char *s)
{
	char *clean = text_sanitize(s, strlen(s));

	fputs(clean, f);
	free(clean);
}

/* A key: plain when it is a catalog-like dotted name, else quoted. */
static void
setdata_write_key(FILE *f, const char *key)
{
	static const char ok[] = "abcdefghijklmnopqrstuvwxyz0123456789_.-";

	if (*key >= 'a' && *key <= 'z' && key[strspn(key, ok)] == '\0')
		fputs(key, f);
	else
		setdata_yaml_quote(f, key);
}

/* A bool or int that checks: written plain, as YAML types it. */
static bool
setdata_write_typed(const struct catalog_setting *s, const char *value)
{
	enum catalog_type t = catalog_setting_type(s);
	char *cause = NULL;

	if (t != CATALOG_BOOL && t != CATALOG_INT)
		return false;
	if (catalog_check_value(s, value, &cause) == 0)
		return true;
	free(cause);
	return false;
}

/* VALUE on one line: plain, quoted, or a list as [a, b]. */
static void
setdata_write_inline(FILE *f, const struct catalog_setting *s,
    const char *value)
{
	char *copy, *item, *next;

	if (s != NULL && setdata_write_typed(s, value)) {
		fputs(value, f);
		return;
	}
	if (s == NULL || catalog_setting_type(s) != CATALOG_LIST) {
		setdata_yaml_quote(f, value);
		return;
	}
	fputc('[', f);
	copy = xstrdup(value);
	for (item = copy; *value != '\0' && item != NULL; item = next) {
		if ((next = strchr(item, ',')) != NULL)
			*next++ = '\0';
		if (item != copy)
			fputs(", ", f);
		setdata_yaml_quote(f, item);
	}
	free(copy);
	fputc(']', f);
}

/* The value after "key:", a list as a block sequence. */
static void
setdata_write_value(FILE *f, const struct catalog_setting *s,
    const char *value)
{
	char *copy, *item, *next;

	if (s == NULL || catalog_setting_type(s) != CATALOG_LIST ||
	    *value == '\0') {
		fputc(' ', f);
		setdata_write_inline(f, s, value);
		fputc('\n', f);
		return;
	}
	fputc('\n', f);
	copy = xstrdup(value);
	for (item = copy; item != NULL; item = next) {
		if ((next = strchr(item, ',')) != NULL)
			*next++ = '\0';
		fputs("    - ", f);
		setdata_yaml_quote(f, item);
		fputc('\n', f);
	}
	free(copy);
}

/* "# Title; type; default X; needs a restart" above a setting. */
static void
setdata_write_about(FILE *f, const struct catalog_setting *s)
{
	const char *def = catalog_setting_default(s);
	char *syntax = catalog_setting_syntax(s);

	fputs("  # ", f);
	setdata_write_comment_text(f, catalog_setting_title(s));
	fputs("; ", f);
	setdata_write_comment_text(f, syntax);
	if (def != NULL) {
		fputs("; default ", f);
		setdata_write_inline(f, s, def);
	}
	if (catalog_setting_restart(s))
		fputs("; needs a restart", f);
	fputc('\n', f);
	free(syntax);
}

/* A secret: encrypted, or a comment saying why it is not there. */
static int
setdata_write_secret(struct setdata_writer *w, const struct setdata_entry *e)
{
	char *text;

	if (e->value == NULL || w->crypt == NULL) {
		fputs("  # ", w->f);
		setdata_write_key(w->f, e->key);
		fputs(e->value == NULL ? ": \"\"  # a secret: write it here to "
		    "set it; quire stores it encrypted\n" : ": left out (a "
		    "secret; written only encrypted, with an export "
		    "passphrase)\n", w->f);
		return 0;
	}
	if (setdata_crypt_seal(w->crypt, e->key, e->value, &text,
	    &w->cause) != 0)
		return -1;
	fputs("  ", w->f);
	setdata_write_key(w->f, e->key);
	fputs(": " SETDATA_TAG_ENCRYPTED " ", w->f);
	setdata_yaml_quote(w->f, text);
	fputc('\n', w->f);
	free(text);
	return 0;
}

static int
setdata_write_entry(struct setdata_writer *w, const struct setdata_entry *e,
    const struct catalog_setting *s)
{
	if (s != NULL)
		setdata_write_about(w->f, s);
	if (e->secret || (s != NULL && catalog_setting_secret(s)))
		return setdata_write_secret(w, e);
	fputs("  ", w->f);
	if (e->value != NULL && !setdata_write_is_utf8(e->value)) {
		/* YAML cannot hold it; \xNN would read back as another text. */
		fputs("# ", w->f);
		setdata_write_key(w->f, e->key);
		fputs(": left out: not valid UTF-8\n", w->f);
		return 0;
	}
	setdata_write_key(w->f, e->key);
	fputc(':', w->f);
	setdata_write_value(w->f, s, e->value != NULL ? e->value : "");
	return 0;
}

/* The entries of category C, in catalog order, under its title. */
static int
setdata_write_category(struct setdata_writer *w, const struct setdata *sd,
    const struct catalog_category *c)
{
	const struct catalog_setting *s;
	bool titled = false;
	size_t i;
	long at;

	for (i = 0; i < catalog_category_nsettings(c); i++) {
		s = catalog_category_setting_at(c, i);
		if ((at = setdata_find(sd, catalog_setting_key(s))) < 0)
			continue;
		if (!titled) {
			fputs("\n  # -- ", w->f);
			setdata_write_comment_text(w->f,
			    catalog_category_title(c));
			fprintf(w->f, " (%s) --\n", catalog_category_name(c));
			titled = true;
		}
		if (setdata_write_entry(w, &sd->v[at], s) != 0)
			return -1;
	}
	return 0;
}

/* Entries the catalog does not know, in the set's order. */
static int
setdata_write_unknown(struct setdata_writer *w, const struct setdata *sd)
{
	bool titled = false;
	size_t i;

	for (i = 0; i < sd->n; i++) {
		if (catalog_setting_find(w->cat, sd->v[i].key) != NULL)
			continue;
		if (!titled)
			fputs("\n  # -- not in this quire's settings catalog "
			    "--\n", w->f);
		titled = true;
		if (setdata_write_entry(w, &sd->v[i], NULL) != 0)
			return -1;
	}
	return 0;
}

int
setdata_write(const struct setdata *sd, const struct catalog *cat, FILE *f,
    const char *passphrase, char **cause)
{
	struct setdata_writer w = { f, cat, NULL, NULL };
	size_t i;
	int rc = 0;

	if (passphrase != NULL && setdata_nsecrets(sd) > 0 &&
	    setdata_crypt_new(passphrase, &w.crypt, cause) != 0)
		return -1;
	fputs("# quire setting data. Each setting follows a comment with its "
	    "title, type\n# and default. Secrets are never written in "
	    "clear.\nquire: " SETDATA_FORMAT "\n", f);
	if (sd->name != NULL) {
		fputs("name: ", f);
		setdata_yaml_quote(f, sd->name);
		fputc('\n', f);
	}
	fputs("model: ", f);
	setdata_yaml_quote(f, sd->model);
	fputs(sd->n == 0 ? "\nsettings: {}\n" : "\nsettings:\n", f);
	for (i = 0; rc == 0 && i < catalog_ncategories(cat); i++)
		rc = setdata_write_category(&w, sd, catalog_category_at(cat, i));
	if (rc == 0)
		rc = setdata_write_unknown(&w, sd);
	setdata_crypt_free(&w.crypt);
	if (rc != 0)
		*cause = w.cause;
	return rc;
}

/* Write LEN bytes of BUF to FD, retrying short writes and EINTR. */
static int
setdata_write_all(int fd, const char *buf, size_t len)
{
	ssize_t n;

	while (len > 0) {
		if ((n = write(fd, buf, len)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

int
setdata_write_file(const struct setdata *sd, const struct catalog *cat,
    const char *path, const char *passphrase, char **cause)
{
	char *buf = NULL, *tmp;
	size_t len = 0;
	FILE *f;
	int fd, rc;

	if ((f = open_memstream(&buf, &len)) == NULL)
		abort();	/* out of memory, as xmalloc does */
	rc = setdata_write(sd, cat, f, passphrase, cause);
	if (fclose(f) != 0)
		abort();
	if (rc != 0) {
		free(buf);
		return -1;
	}
	tmp = xasprintf("%s.XXXXXX", path);
	if ((fd = mkstemp(tmp)) == -1) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		free(tmp);
		free(buf);
		return -1;
	}
	rc = fchmod(fd, 0600) == 0 && setdata_write_all(fd, buf, len) == 0 &&
	    fsync(fd) == 0 ? 0 : -1;
	if (rc != 0)
		*cause = xasprintf("%s: %s", tmp, strerror(errno));
	if (close(fd) != 0 && rc == 0) {
		*cause = xasprintf("%s: %s", tmp, strerror(errno));
		rc = -1;
	}
	if (rc == 0 && rename(tmp, path) != 0) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		rc = -1;
	}
	if (rc != 0)
		unlink(tmp);
	free(tmp);
	free(buf);
	return rc;
}
