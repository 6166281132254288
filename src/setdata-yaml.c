/*
 * Reading setting data with libyaml's event parser. Every problem is
 * collected with its line and column and the parse goes on; only broken
 * YAML, a document that is not a mapping, or a missing or wrong "quire:"
 * tag stop it (the text is not setting data then).
 */
#include "config.h"

#include "setdata.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "setdata-int.h"
#include "vault.h"
#include "xmalloc.h"

/* A key of the settings mapping already seen, to name duplicates. */
struct setdata_seen {
	char	*key;
	size_t	 line;
};

struct setdata_reader {
	const struct catalog	*cat;
	const char		*name;
	const char		*pass;
	yaml_parser_t		 parser;
	yaml_event_t		 ev;
	bool			 have;
	bool			 fatal;	/* not setting data (or broken YAML) */
	bool			 format;	/* saw the right quire: tag */
	struct setdata		*sd;
	struct setdata_errors	*errs;
	struct setdata_seen	*seen;
	size_t			 nseen;
	unsigned		 top;	/* top-level keys seen, a bit each */
	struct setdata_crypt	*crypt;
};

static void
setdata_yaml_error(struct setdata_reader *r, const yaml_mark_t *m,
    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void
setdata_yaml_error(struct setdata_reader *r, const yaml_mark_t *m,
    const char *fmt, ...)
{
	va_list ap;
	char *reason;

	va_start(ap, fmt);
	reason = xvasprintf(fmt, ap);
	va_end(ap);
	setdata_errors_add(r->errs, r->name, m->line + 1, m->column + 1, "%s",
	    reason);
	free(reason);
}

/* The next event; -1 (fatal) on broken YAML. */
static int
setdata_yaml_next(struct setdata_reader *r)
{
	yaml_parser_t *p = &r->parser;

	if (r->have)
		yaml_event_delete(&r->ev);
	r->have = false;
	if (!yaml_parser_parse(p, &r->ev)) {
		setdata_yaml_error(r, &p->problem_mark, "not valid YAML: %s%s%s",
		    p->problem != NULL ? p->problem : "error",
		    p->context != NULL ? " " : "",
		    p->context != NULL ? p->context : "");
		r->fatal = true;
		return -1;
	}
	r->have = true;
	return 0;
}

static const char *
setdata_yaml_text(const struct setdata_reader *r)
{
	return (const char *)r->ev.data.scalar.value;
}

/* Skip the node whose first event is current. */
static int
setdata_yaml_skip(struct setdata_reader *r)
{
	size_t depth = 0;

	for (;;) {
		switch (r->ev.type) {
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			depth++;
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			depth--;
			break;
		default:
			break;
		}
		if (depth == 0)
			return 0;
		if (setdata_yaml_next(r) != 0)
			return -1;
	}
}

/* An anchor, alias or unexpected tag on the current event, reported. */
static bool
setdata_yaml_odd(struct setdata_reader *r, bool tag_ok)
{
	const yaml_char_t *anchor = NULL, *tag = NULL;

	switch (r->ev.type) {
	case YAML_ALIAS_EVENT:
		setdata_yaml_error(r, &r->ev.start_mark, "aliases are not "
		    "allowed in setting data");
		return true;
	case YAML_SCALAR_EVENT:
		anchor = r->ev.data.scalar.anchor;
		tag = r->ev.data.scalar.tag;
		break;
	case YAML_SEQUENCE_START_EVENT:
		anchor = r->ev.data.sequence_start.anchor;
		tag = r->ev.data.sequence_start.tag;
		break;
	case YAML_MAPPING_START_EVENT:
		anchor = r->ev.data.mapping_start.anchor;
		tag = r->ev.data.mapping_start.tag;
		break;
	default:
		return false;
	}
	if (anchor != NULL)
		setdata_yaml_error(r, &r->ev.start_mark, "anchors are not "
		    "allowed in setting data");
	else if (tag != NULL && !(tag_ok && r->ev.type == YAML_SCALAR_EVENT &&
	    strcmp((const char *)tag, SETDATA_TAG_ENCRYPTED) == 0))
		setdata_yaml_error(r, &r->ev.start_mark, "unexpected tag "
		    "(only " SETDATA_TAG_ENCRYPTED " is known)");
	else
		return false;
	return true;
}

/* A plain empty, "~" or "null" scalar. */
static bool
setdata_yaml_is_null(const struct setdata_reader *r)
{
	const char *s = setdata_yaml_text(r);

	return r->ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
	    r->ev.data.scalar.tag == NULL && (*s == '\0' ||
	    strcmp(s, "~") == 0 || strcmp(s, "null") == 0 ||
	    strcmp(s, "Null") == 0 || strcmp(s, "NULL") == 0);
}

/* The current scalar's text, or NULL (reported) when it holds a NUL. */
static char *
setdata_yaml_string(struct setdata_reader *r)
{
	const char *s = setdata_yaml_text(r);

	if (strlen(s) != r->ev.data.scalar.length) {
		setdata_yaml_error(r, &r->ev.start_mark, "a NUL character is "
		    "not allowed in a value");
		return NULL;
	}
	return xstrdup(s);
}

/*
 * Reading a value: 0 with the text, 1 when it was wrong (reported, the node
 * consumed), -1 when the YAML broke.
 */

/* Report the current node as not a single value (unless odd) and skip it. */
static int
setdata_yaml_not_scalar(struct setdata_reader *r, const char *key,
    const char *what)
{
	if (!setdata_yaml_odd(r, false))
		setdata_yaml_error(r, &r->ev.start_mark, "%s: %s", key, what);
	return setdata_yaml_skip(r) == 0 ? 1 : -1;
}

/* Item N of the list setting KEY. */
static int
setdata_yaml_item(struct setdata_reader *r, const char *key, size_t n,
    char **item)
{
	char *what;
	int rc;

	if (r->ev.type != YAML_SCALAR_EVENT) {
		what = xasprintf("item %zu is not a single value", n);
		rc = setdata_yaml_not_scalar(r, key, what);
		free(what);
		return rc;
	}
	if (setdata_yaml_odd(r, false) ||
	    (*item = setdata_yaml_string(r)) == NULL)
		return 1;
	if (strchr(*item, ',') != NULL) {
		setdata_yaml_error(r, &r->ev.start_mark, "%s: item %zu "
		    "contains ','", key, n);
		free(*item);
		return 1;
	}
	return 0;
}

/* A sequence of scalars for the list setting KEY, joined with ','. */
static int
setdata_yaml_list(struct setdata_reader *r, const char *key, char **out)
{
	size_t n = 0, len = 0, add;
	char *text = xstrdup(""), *item;
	bool bad = false;
	int rc;

	while (setdata_yaml_next(r) == 0) {
		if (r->ev.type == YAML_SEQUENCE_END_EVENT) {
			if (!bad) {
				*out = text;
				return 0;
			}
			free(text);
			return 1;
		}
		if ((rc = setdata_yaml_item(r, key, ++n, &item)) == -1)
			break;
		if (rc == 1) {
			bad = true;
			continue;
		}
		add = strlen(item);
		text = xreallocarray(text, 1, len + add + 2);
		if (n > 1)
			text[len++] = ',';
		memcpy(text + len, item, add);
		text[len += add] = '\0';
		free(item);
	}
	free(text);
	return -1;
}

/* Open the encrypted secret of KEY in the current scalar. */
static int
setdata_yaml_decrypt(struct setdata_reader *r, const char *key,
    const struct catalog_setting *s, char **out)
{
	char *cause = NULL;

	if (s == NULL)
		return 1;	/* reported as unknown already */
	if (!catalog_setting_secret(s)) {
		setdata_yaml_error(r, &r->ev.start_mark, "%s: encrypted, but "
		    "the setting is not a secret", key);
		return 1;
	}
	if (r->pass == NULL) {
		setdata_yaml_error(r, &r->ev.start_mark, "%s: an encrypted "
		    "secret, and no passphrase was given to open it", key);
		return 1;
	}
	if (r->crypt == NULL &&
	    setdata_crypt_new(r->pass, &r->crypt, &cause) != 0) {
		setdata_yaml_error(r, &r->ev.start_mark, "%s: %s", key, cause);
		free(cause);
		return 1;
	}
	if (setdata_crypt_open(r->crypt, key, setdata_yaml_text(r), out,
	    &cause) != 0) {
		setdata_yaml_error(r, &r->ev.start_mark, "%s: %s", key, cause);
		free(cause);
		return 1;
	}
	return 0;
}

/* A scalar value for KEY (setting S, NULL when unknown). */
static int
setdata_yaml_scalar(struct setdata_reader *r, const char *key,
    const struct catalog_setting *s, char **out, bool *encrypted)
{
	enum catalog_type t = s != NULL ? catalog_setting_type(s) :
	    CATALOG_STRING;

	if (setdata_yaml_odd(r, true))
		return 1;
	if (r->ev.data.scalar.tag != NULL) {
		*encrypted = true;
		return setdata_yaml_decrypt(r, key, s, out);
	}
	if (setdata_yaml_is_null(r)) {
		if (t == CATALOG_BOOL || t == CATALOG_INT || t == CATALOG_ENUM) {
			setdata_yaml_error(r, &r->ev.start_mark, "%s: no value",
			    key);
			return 1;
		}
		*out = xstrdup("");
		return 0;
	}
	if (t == CATALOG_LIST && r->ev.data.scalar.length > 0) {
		setdata_yaml_error(r, &r->ev.start_mark, "%s: wrong type: "
		    "expected a list (a YAML sequence, [] when empty)", key);
		return 1;
	}
	return (*out = setdata_yaml_string(r)) != NULL ? 0 : 1;
}

/* The value of KEY, whose first event is current. */
static int
setdata_yaml_value(struct setdata_reader *r, const char *key,
    const struct catalog_setting *s, char **out, bool *encrypted)
{
	switch (r->ev.type) {
	case YAML_SCALAR_EVENT:
		return setdata_yaml_scalar(r, key, s, out, encrypted);
	case YAML_SEQUENCE_START_EVENT:
		if (setdata_yaml_odd(r, false))
			return setdata_yaml_skip(r) == 0 ? 1 : -1;
		if (s == NULL || catalog_setting_type(s) == CATALOG_LIST)
			return setdata_yaml_list(r, key, out);
		return setdata_yaml_not_scalar(r, key, "wrong type: expected "
		    "a single value, not a list");
	case YAML_MAPPING_START_EVENT:
		return setdata_yaml_not_scalar(r, key, "wrong type: expected a "
		    "value, not a mapping");
	default:
		return setdata_yaml_not_scalar(r, key, "expected a value");
	}
}

/* KEY first seen on an earlier line: report the duplicate. */
static bool
setdata_yaml_duplicate(struct setdata_reader *r, const char *key,
    const char *shown)
{
	size_t i;

	for (i = 0; i < r->nseen; i++) {
		if (strcmp(r->seen[i].key, key) == 0) {
			setdata_yaml_error(r, &r->ev.start_mark, "duplicate "
			    "key %s (first on line %zu)", shown,
			    r->seen[i].line);
			return true;
		}
	}
	r->seen = xreallocarray(r->seen, r->nseen + 1, sizeof *r->seen);
	r->seen[r->nseen].key = xstrdup(key);
	r->seen[r->nseen++].line = r->ev.start_mark.line + 1;
	return false;
}

/* Check VALUE of S (at MARK) and keep it when good. */
static void
setdata_yaml_keep(struct setdata_reader *r, const yaml_mark_t *mark,
    const char *key, const char *shown, const struct catalog_setting *s,
    const char *value)
{
	char *cause = NULL;

	if (catalog_check_value(s, value, &cause) != 0) {
		setdata_yaml_error(r, mark, "%s: %s", shown, cause);
		free(cause);
		return;
	}
	setdata_add(r->sd, key, value, catalog_setting_secret(s));
}

/* One "key: value" of settings:, the key's event current. */
static int
setdata_yaml_entry(struct setdata_reader *r)
{
	const struct catalog_setting *s;
	yaml_mark_t keymark = r->ev.start_mark, mark;
	char *key, *shown, *value = NULL;
	bool bad = false, encrypted = false;
	int rc;

	if (r->ev.type != YAML_SCALAR_EVENT || setdata_yaml_odd(r, false)) {
		if (r->ev.type != YAML_SCALAR_EVENT &&
		    r->ev.type != YAML_ALIAS_EVENT)
			setdata_yaml_error(r, &keymark, "expected a setting key");
		if (setdata_yaml_skip(r) != 0 || setdata_yaml_next(r) != 0)
			return -1;
		return setdata_yaml_skip(r);
	}
	if ((key = setdata_yaml_string(r)) == NULL)
		key = xstrdup(setdata_yaml_text(r)), bad = true;
	shown = setdata_shown(key);
	if ((s = catalog_setting_find(r->cat, key)) == NULL && !bad) {
		setdata_yaml_error(r, &keymark, "unknown setting %s", shown);
		bad = true;
	}
	bad |= setdata_yaml_duplicate(r, key, shown);
	if (r->nseen > SETDATA_MAX_ENTRIES) {
		setdata_yaml_error(r, &keymark, "more than %d settings",
		    SETDATA_MAX_ENTRIES);
		r->fatal = true;
		rc = -1;
	} else if ((rc = setdata_yaml_next(r)) == 0) {
		mark = r->ev.start_mark;
		rc = setdata_yaml_value(r, shown, s, &value, &encrypted);
		if (rc == 0 && !bad && s != NULL)
			setdata_yaml_keep(r, &mark, key, shown, s, value);
		rc = rc == -1 ? -1 : 0;
	}
	if (encrypted || (s != NULL && catalog_setting_secret(s)))
		vault_wipe_str(value);
	else
		free(value);
	free(shown);
	free(key);
	return rc;
}

static int
setdata_yaml_settings(struct setdata_reader *r)
{
	if (setdata_yaml_next(r) != 0)
		return -1;
	if (r->ev.type == YAML_SCALAR_EVENT && setdata_yaml_is_null(r))
		return 0;
	if (r->ev.type != YAML_MAPPING_START_EVENT ||
	    setdata_yaml_odd(r, false)) {
		if (r->ev.type != YAML_MAPPING_START_EVENT)
			setdata_yaml_error(r, &r->ev.start_mark, "settings: not "
			    "a mapping of key: value");
		return setdata_yaml_skip(r);
	}
	for (;;) {
		if (setdata_yaml_next(r) != 0)
			return -1;
		if (r->ev.type == YAML_MAPPING_END_EVENT)
			return 0;
		if (setdata_yaml_entry(r) != 0)
			return -1;
	}
}

/* The top-level keys, a bit each to find duplicates. */
static const char *const setdata_yaml_top[] = {
	"quire", "name", "model", "settings", NULL
};

/* A scalar for the top-level KEY into *TO (NULL for a null). */
static int
setdata_yaml_top_string(struct setdata_reader *r, const char *key, char **to)
{
	if (setdata_yaml_next(r) != 0)
		return -1;
	if (r->ev.type != YAML_SCALAR_EVENT)
		return setdata_yaml_not_scalar(r, key, "expected a single "
		    "value") == -1 ? -1 : 0;
	if (setdata_yaml_odd(r, false))
		return 0;
	free(*to);
	*to = setdata_yaml_is_null(r) ? NULL : setdata_yaml_string(r);
	return 0;
}

static int
setdata_yaml_quire(struct setdata_reader *r)
{
	char *format = NULL, *shown;
	int rc;

	if ((rc = setdata_yaml_top_string(r, "quire", &format)) != 0)
		return rc;
	if (format != NULL && strcmp(format, SETDATA_FORMAT) == 0)
		r->format = true;
	else if (r->ev.type == YAML_SCALAR_EVENT) {
		shown = setdata_shown(format != NULL ? format : "");
		setdata_yaml_error(r, &r->ev.start_mark, "wrong format tag "
		    "'quire: %s' (this quire reads " SETDATA_FORMAT ")", shown);
		free(shown);
		r->fatal = true;
	}
	free(format);
	return 0;
}

static int
setdata_yaml_name_model(struct setdata_reader *r, bool model)
{
	char *s = NULL;
	int rc;

	rc = setdata_yaml_top_string(r, model ? "model" : "name", &s);
	if (s != NULL && model)
		setdata_set_model(r->sd, s);
	else if (s != NULL)
		setdata_set_name(r->sd, s);
	free(s);
	return rc;
}

/* One top-level key and its value, the key's event current. */
static int
setdata_yaml_top_entry(struct setdata_reader *r)
{
	char *shown;
	size_t i;

	if (r->ev.type != YAML_SCALAR_EVENT || setdata_yaml_odd(r, false)) {
		if (r->ev.type != YAML_SCALAR_EVENT &&
		    r->ev.type != YAML_ALIAS_EVENT)
			setdata_yaml_error(r, &r->ev.start_mark, "expected a "
			    "key");
		goto skip;
	}
	for (i = 0; setdata_yaml_top[i] != NULL; i++) {
		if (strcmp(setdata_yaml_text(r), setdata_yaml_top[i]) == 0)
			break;
	}
	shown = setdata_shown(setdata_yaml_text(r));
	if (setdata_yaml_top[i] == NULL)
		setdata_yaml_error(r, &r->ev.start_mark, "unknown key %s "
		    "(setting data has quire, name, model and settings)",
		    shown);
	else if (r->top & (1U << i))
		setdata_yaml_error(r, &r->ev.start_mark, "duplicate key %s",
		    shown);
	free(shown);
	if (setdata_yaml_top[i] == NULL || (r->top & (1U << i)))
		goto skip;
	r->top |= 1U << i;
	switch (i) {
	case 0:
		return setdata_yaml_quire(r);
	case 1:
	case 2:
		return setdata_yaml_name_model(r, i == 2);
	default:
		return setdata_yaml_settings(r);
	}
skip:
	if (setdata_yaml_skip(r) != 0 || setdata_yaml_next(r) != 0)
		return -1;
	return setdata_yaml_skip(r);
}

static int
setdata_yaml_expect(struct setdata_reader *r, yaml_event_type_t type,
    const char *what)
{
	if (setdata_yaml_next(r) != 0)
		return -1;
	if (r->ev.type == type)
		return 0;
	setdata_yaml_error(r, &r->ev.start_mark, "%s", what);
	r->fatal = true;
	return -1;
}

static int
setdata_yaml_document(struct setdata_reader *r)
{
	yaml_mark_t start;

	if (setdata_yaml_expect(r, YAML_STREAM_START_EVENT, "no document") ||
	    setdata_yaml_expect(r, YAML_DOCUMENT_START_EVENT, "empty: not "
	    "setting data (quire: " SETDATA_FORMAT ")") ||
	    setdata_yaml_expect(r, YAML_MAPPING_START_EVENT, "not a mapping: "
	    "not setting data (quire: " SETDATA_FORMAT ")"))
		return -1;
	start = r->ev.start_mark;
	if (setdata_yaml_odd(r, false))
		r->fatal = true;
	for (;;) {
		if (setdata_yaml_next(r) != 0)
			return -1;
		if (r->ev.type == YAML_MAPPING_END_EVENT)
			break;
		if (setdata_yaml_top_entry(r) != 0)
			return -1;
	}
	if (!r->format && !r->fatal) {
		setdata_yaml_error(r, &start, "not setting data: no 'quire: "
		    SETDATA_FORMAT "'");
		r->fatal = true;
	}
	if (setdata_yaml_expect(r, YAML_DOCUMENT_END_EVENT, "expected the "
	    "end of the document"))
		return -1;
	return setdata_yaml_expect(r, YAML_STREAM_END_EVENT, "more than one "
	    "document");
}

int
setdata_parse(const struct catalog *cat, const char *name, const char *buf,
    size_t len, const char *passphrase, struct setdata **out,
    struct setdata_errors *errs)
{
	struct setdata_reader r;
	size_t before = errs->n, i;

	*out = NULL;
	memset(&r, 0, sizeof r);
	r.cat = cat;
	r.name = name;
	r.pass = passphrase;
	r.errs = errs;
	if (!yaml_parser_initialize(&r.parser))
		abort();	/* out of memory, as xmalloc does */
	yaml_parser_set_input_string(&r.parser, (const unsigned char *)buf,
	    len);
	yaml_parser_set_encoding(&r.parser, YAML_UTF8_ENCODING);
	r.sd = setdata_new(NULL, NULL);
	if (setdata_yaml_document(&r) != 0)
		r.fatal = true;
	if (r.have)
		yaml_event_delete(&r.ev);
	yaml_parser_delete(&r.parser);
	for (i = 0; i < r.nseen; i++)
		free(r.seen[i].key);
	free(r.seen);
	setdata_crypt_free(&r.crypt);
	if (r.fatal)
		setdata_free(&r.sd);
	*out = r.sd;
	return errs->n == before ? 0 : -1;
}
