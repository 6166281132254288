#include "config.h"

#include "sim-shell-yaml.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

#include "text.h"
#include "xmalloc.h"

#define SIM_SHELL_YAML_MAX_ENTRIES	4096
#define SIM_SHELL_YAML_MAX_DEPTH	32
#define SIM_SHELL_YAML_FORMAT		"setting-data/1"

/* Plain scalars YAML 1.1 or 1.2 would read as something else. */
static const char *const sim_shell_yaml_words[] = {
	"~", "null", "true", "false", "yes", "no", "on", "off", "y", "n",
	".inf", "-.inf", "+.inf", ".nan", NULL
};

/* Only digits and number punctuation: YAML may read an int or a float. */
static bool
sim_shell_yaml_numeric(const char *s)
{
	if (strchr("0123456789+-.", *s) == NULL)
		return false;
	return s[strspn(s, "0123456789abcdefABCDEFxXoO._+-:")] == '\0';
}

static bool
sim_shell_yaml_clean(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t cp;
	size_t len;

	while (*p != '\0') {
		if ((len = text_utf8_decode(p, SIZE_MAX, &cp)) == 0 || cp < 0x20 ||
		    (cp >= 0x7f && cp <= 0x9f))
			return false;
		p += len;
	}
	return true;
}

bool
sim_shell_yaml_needs_quotes(const char *s)
{
	size_t i, len = strlen(s);

	if (len == 0 || strchr("-?:,[]{}#&*!|>'\"%@` <=", s[0]) != NULL ||
	    s[len - 1] == ' ' || s[len - 1] == ':')
		return true;
	for (i = 0; sim_shell_yaml_words[i] != NULL; i++) {
		if (strcasecmp(s, sim_shell_yaml_words[i]) == 0)
			return true;
	}
	return sim_shell_yaml_numeric(s) || strstr(s, ": ") != NULL ||
	    strstr(s, " #") != NULL || strpbrk(s, ",[]{}") != NULL ||
	    !sim_shell_yaml_clean(s);
}

static void
sim_shell_yaml_escape(FILE *f, const unsigned char *p, size_t len, uint32_t cp)
{
	switch (cp) {
	case '"':
		fputs("\\\"", f);
		return;
	case '\\':
		fputs("\\\\", f);
		return;
	case '\n':
		fputs("\\n", f);
		return;
	case '\t':
		fputs("\\t", f);
		return;
	case '\r':
		fputs("\\r", f);
		return;
	}
	if (len == 0)
		fprintf(f, "\\x%02x", p[0]);
	else if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))
		fprintf(f, "\\u%04x", (unsigned)cp);
	else
		fwrite(p, 1, len, f);
}

void
sim_shell_yaml_scalar(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t cp = 0;
	size_t len;

	if (!sim_shell_yaml_needs_quotes(s)) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	while (*p != '\0') {
		len = text_utf8_decode(p, SIZE_MAX, &cp);
		sim_shell_yaml_escape(f, p, len, len == 0 ? 0xffffffff : cp);
		p += len == 0 ? 1 : len;
	}
	fputc('"', f);
}

/* Reading. */

struct sim_shell_yaml_reader {
	yaml_parser_t		 parser;
	yaml_event_t		 ev;
	bool			 have;	/* ev holds an event */
	char			*cause;
	struct sim_shell_yaml_setdata	*sd;
	bool			 format;	/* saw quire: setting-data/1 */
};

static int
sim_shell_yaml_fail(struct sim_shell_yaml_reader *r, const yaml_mark_t *m,
    const char *why)
{
	if (r->cause == NULL) {
		r->cause = xasprintf("%zu:%zu: %s", m->line + 1, m->column + 1,
		    why);
	}
	return -1;
}

/* The next event; aliases, anchors and tags are refused. */
static int
sim_shell_yaml_next(struct sim_shell_yaml_reader *r)
{
	yaml_parser_t *p = &r->parser;
	char *why;
	int rc;

	if (r->have)
		yaml_event_delete(&r->ev);
	r->have = false;
	if (!yaml_parser_parse(p, &r->ev)) {
		if (p->context != NULL)
			why = xasprintf("%s %s", p->problem, p->context);
		else
			why = xstrdup(p->problem != NULL ? p->problem : "error");
		rc = sim_shell_yaml_fail(r, &p->problem_mark, why);
		free(why);
		return rc;
	}
	r->have = true;
	switch (r->ev.type) {
	case YAML_ALIAS_EVENT:
		return sim_shell_yaml_fail(r, &r->ev.start_mark, "aliases not allowed");
	case YAML_SCALAR_EVENT:
		if (r->ev.data.scalar.anchor != NULL ||
		    r->ev.data.scalar.tag != NULL)
			break;
		return 0;
	case YAML_SEQUENCE_START_EVENT:
		if (r->ev.data.sequence_start.anchor != NULL ||
		    r->ev.data.sequence_start.tag != NULL)
			break;
		return 0;
	case YAML_MAPPING_START_EVENT:
		if (r->ev.data.mapping_start.anchor != NULL ||
		    r->ev.data.mapping_start.tag != NULL)
			break;
		return 0;
	default:
		return 0;
	}
	return sim_shell_yaml_fail(r, &r->ev.start_mark, "anchors and tags not allowed");
}

static int
sim_shell_yaml_expect(struct sim_shell_yaml_reader *r, yaml_event_type_t type,
    const char *what)
{
	if (sim_shell_yaml_next(r) != 0)
		return -1;
	if (r->ev.type != type)
		return sim_shell_yaml_fail(r, &r->ev.start_mark, what);
	return 0;
}

/* Skip the value whose first event is current (an unknown top-level key). */
static int
sim_shell_yaml_skip(struct sim_shell_yaml_reader *r)
{
	size_t depth = 0;

	for (;;) {
		switch (r->ev.type) {
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			if (++depth > SIM_SHELL_YAML_MAX_DEPTH)
				return sim_shell_yaml_fail(r, &r->ev.start_mark,
				    "nested too deeply");
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
		if (sim_shell_yaml_next(r) != 0)
			return -1;
	}
}

static const char *
sim_shell_yaml_text(const struct sim_shell_yaml_reader *r)
{
	return (const char *)r->ev.data.scalar.value;
}

static bool
sim_shell_yaml_is_null(const struct sim_shell_yaml_reader *r)
{
	const char *s = sim_shell_yaml_text(r);

	return r->ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
	    (*s == '\0' || strcmp(s, "~") == 0 || strcmp(s, "null") == 0 ||
	    strcmp(s, "Null") == 0 || strcmp(s, "NULL") == 0);
}

/* A sequence of scalars, joined with ','. */
static int
sim_shell_yaml_read_seq(struct sim_shell_yaml_reader *r, struct sim_shell_yaml_entry *e)
{
	size_t n = 0, len = 0, add;
	char *text = xstrdup("");

	e->seq = true;
	for (;;) {
		if (sim_shell_yaml_next(r) != 0) {
			free(text);
			return -1;
		}
		if (r->ev.type == YAML_SEQUENCE_END_EVENT)
			break;
		if (r->ev.type != YAML_SCALAR_EVENT) {
			free(text);
			return sim_shell_yaml_fail(r, &r->ev.start_mark,
			    "expected a list of values");
		}
		n++;
		if (strchr(sim_shell_yaml_text(r), ',') != NULL && e->error == NULL)
			e->error = xasprintf("item %zu contains ','", n);
		add = r->ev.data.scalar.length;
		text = xreallocarray(text, 1, len + add + 2);
		if (n > 1)
			text[len++] = ',';
		memcpy(text + len, sim_shell_yaml_text(r), add);
		text[len += add] = '\0';
	}
	e->value = text;
	return 0;
}

static struct sim_shell_yaml_entry *
sim_shell_yaml_add(struct sim_shell_yaml_reader *r)
{
	struct sim_shell_yaml_setdata *sd = r->sd;
	struct sim_shell_yaml_entry *e;
	size_t i;

	sd->entries = xreallocarray(sd->entries, sd->n + 1, sizeof *e);
	e = &sd->entries[sd->n++];
	memset(e, 0, sizeof *e);
	e->key = xstrdup(sim_shell_yaml_text(r));
	e->line = r->ev.start_mark.line + 1;
	e->column = r->ev.start_mark.column + 1;
	for (i = 0; i + 1 < sd->n; i++) {
		if (strcmp(sd->entries[i].key, e->key) == 0) {
			e->error = xstrdup("duplicate key");
			break;
		}
	}
	return e;
}

/* One key of settings: and its value. */
static int
sim_shell_yaml_read_entry(struct sim_shell_yaml_reader *r)
{
	struct sim_shell_yaml_entry *e;

	if (r->ev.type != YAML_SCALAR_EVENT)
		return sim_shell_yaml_fail(r, &r->ev.start_mark,
		    "expected a setting key");
	if (r->sd->n >= SIM_SHELL_YAML_MAX_ENTRIES)
		return sim_shell_yaml_fail(r, &r->ev.start_mark, "too many settings");
	e = sim_shell_yaml_add(r);
	if (sim_shell_yaml_next(r) != 0)
		return -1;
	switch (r->ev.type) {
	case YAML_SCALAR_EVENT:
		e->value = xstrdup(sim_shell_yaml_text(r));
		e->plain = r->ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
		e->null = sim_shell_yaml_is_null(r);
		return 0;
	case YAML_SEQUENCE_START_EVENT:
		return sim_shell_yaml_read_seq(r, e);
	default:
		return sim_shell_yaml_fail(r, &r->ev.start_mark,
		    "expected a value or a list of values");
	}
}

static int
sim_shell_yaml_read_settings(struct sim_shell_yaml_reader *r)
{
	if (sim_shell_yaml_next(r) != 0)
		return -1;
	if (r->ev.type == YAML_SCALAR_EVENT && sim_shell_yaml_is_null(r))
		return 0;
	if (r->ev.type != YAML_MAPPING_START_EVENT)
		return sim_shell_yaml_fail(r, &r->ev.start_mark,
		    "settings: expected a mapping of key: value");
	for (;;) {
		if (sim_shell_yaml_next(r) != 0)
			return -1;
		if (r->ev.type == YAML_MAPPING_END_EVENT)
			return 0;
		if (sim_shell_yaml_read_entry(r) != 0)
			return -1;
	}
}

/* A scalar value of a top-level key, into *TO. */
static int
sim_shell_yaml_read_string(struct sim_shell_yaml_reader *r, const char *key, char **to)
{
	char *why;
	int rc;

	if (sim_shell_yaml_next(r) != 0)
		return -1;
	if (r->ev.type != YAML_SCALAR_EVENT) {
		why = xasprintf("%s: expected a value", key);
		rc = sim_shell_yaml_fail(r, &r->ev.start_mark, why);
		free(why);
		return rc;
	}
	free(*to);
	*to = xstrdup(sim_shell_yaml_text(r));
	return 0;
}

static int
sim_shell_yaml_read_top(struct sim_shell_yaml_reader *r)
{
	char *key, *format = NULL;
	yaml_mark_t mark;
	int rc;

	if (r->ev.type != YAML_SCALAR_EVENT)
		return sim_shell_yaml_fail(r, &r->ev.start_mark, "expected a key");
	key = xstrdup(sim_shell_yaml_text(r));
	mark = r->ev.start_mark;
	if (strcmp(key, "quire") == 0) {
		rc = sim_shell_yaml_read_string(r, key, &format);
		if (rc == 0 && strcmp(format, SIM_SHELL_YAML_FORMAT) != 0)
			rc = sim_shell_yaml_fail(r, &mark, "not " SIM_SHELL_YAML_FORMAT);
		r->format = rc == 0;
		free(format);
	} else if (strcmp(key, "name") == 0)
		rc = sim_shell_yaml_read_string(r, key, &r->sd->name);
	else if (strcmp(key, "model") == 0)
		rc = sim_shell_yaml_read_string(r, key, &r->sd->model);
	else if (strcmp(key, "settings") == 0)
		rc = sim_shell_yaml_read_settings(r);
	else if ((rc = sim_shell_yaml_next(r)) == 0)
		rc = sim_shell_yaml_skip(r);
	free(key);
	return rc;
}

static int
sim_shell_yaml_read_doc(struct sim_shell_yaml_reader *r)
{
	yaml_mark_t start;

	if (sim_shell_yaml_expect(r, YAML_STREAM_START_EVENT, "no document") != 0)
		return -1;
	if (sim_shell_yaml_next(r) != 0)
		return -1;
	start = r->ev.start_mark;
	if (r->ev.type != YAML_DOCUMENT_START_EVENT)
		return sim_shell_yaml_fail(r, &start, "empty payload");
	if (sim_shell_yaml_expect(r, YAML_MAPPING_START_EVENT,
	    "expected setting data (quire: " SIM_SHELL_YAML_FORMAT ")") != 0)
		return -1;
	for (;;) {
		if (sim_shell_yaml_next(r) != 0)
			return -1;
		if (r->ev.type == YAML_MAPPING_END_EVENT)
			break;
		if (sim_shell_yaml_read_top(r) != 0)
			return -1;
	}
	if (!r->format)
		return sim_shell_yaml_fail(r, &start,
		    "not setting data: no 'quire: " SIM_SHELL_YAML_FORMAT "'");
	if (sim_shell_yaml_expect(r, YAML_DOCUMENT_END_EVENT, "expected the end") != 0)
		return -1;
	return sim_shell_yaml_expect(r, YAML_STREAM_END_EVENT,
	    "more than one document");
}

int
sim_shell_yaml_read_setdata(const char *buf, size_t len,
    struct sim_shell_yaml_setdata **out, char **cause)
{
	struct sim_shell_yaml_reader r;
	int rc;

	memset(&r, 0, sizeof r);
	if (!yaml_parser_initialize(&r.parser)) {
		*cause = xstrdup("out of memory");
		return -1;
	}
	yaml_parser_set_input_string(&r.parser, (const unsigned char *)buf,
	    len);
	yaml_parser_set_encoding(&r.parser, YAML_UTF8_ENCODING);
	r.sd = xcalloc(1, sizeof *r.sd);
	rc = sim_shell_yaml_read_doc(&r);
	if (r.have)
		yaml_event_delete(&r.ev);
	yaml_parser_delete(&r.parser);
	if (rc != 0) {
		sim_shell_yaml_setdata_free(&r.sd);
		*cause = r.cause;
		return -1;
	}
	*out = r.sd;
	return 0;
}

void
sim_shell_yaml_setdata_free(struct sim_shell_yaml_setdata **sdp)
{
	struct sim_shell_yaml_setdata *sd = *sdp;
	size_t i;

	if (sd == NULL)
		return;
	for (i = 0; i < sd->n; i++) {
		free(sd->entries[i].key);
		free(sd->entries[i].value);
		free(sd->entries[i].error);
	}
	free(sd->entries);
	free(sd->name);
	free(sd->model);
	free(sd);
	*sdp = NULL;
}
