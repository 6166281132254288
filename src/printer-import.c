#include "config.h"

#include "printer-import.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "printer.h"
#include "xmalloc.h"

struct import_row {
	char		*name;
	char		*address;
	char		*group;
	unsigned	 line;
};

struct import {
	const char		*path;
	struct import_row	*rows;
	size_t			 n;
	char			*errors;	/* accumulated, one a line */
	size_t			 nerrors;
};

static void __attribute__((format(printf, 3, 4)))
import_error(struct import *im, unsigned line, const char *fmt, ...)
{
	va_list ap;
	char *msg, *all;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	all = xasprintf("%s%s%s:%u: %s", im->errors ? im->errors : "",
	    im->errors ? "\n" : "", im->path, line, msg);
	free(im->errors);
	free(msg);
	im->errors = all;
	im->nerrors++;
}

static void
import_add(struct import *im, const char *name, const char *address,
    const char *group, unsigned line)
{
	struct import_row *r;

	im->rows = xreallocarray(im->rows, im->n + 1, sizeof *im->rows);
	r = &im->rows[im->n++];
	r->name = name ? xstrdup(name) : NULL;
	r->address = address ? xstrdup(address) : NULL;
	r->group = group && *group ? xstrdup(group) : NULL;
	r->line = line;
}

/* Split one CSV line into at most MAX fields, honouring "quotes". */
static size_t
import_csv_split(char *line, char **fields, size_t max)
{
	char *r = line, *w = line;
	size_t n = 0;
	int quoted = 0;

	fields[n++] = w;
	for (; *r != '\0' && *r != '\n' && *r != '\r'; r++) {
		if (*r == '"' && quoted && r[1] == '"')
			*w++ = *r++;
		else if (*r == '"')
			quoted = !quoted;
		else if (*r == ',' && !quoted) {
			*w++ = '\0';
			if (n == max)
				return max + 1;
			fields[n++] = w;
		} else
			*w++ = *r;
	}
	*w = '\0';
	return n;
}

static void
import_parse_csv(struct import *im, FILE *fp)
{
	char *line = NULL, *f[3];
	size_t cap = 0, nf, i;
	unsigned lineno = 0;

	while (getline(&line, &cap, fp) != -1) {
		lineno++;
		if (line[strspn(line, " \t\r\n")] == '\0' || line[0] == '#')
			continue;
		nf = import_csv_split(line, f, 3);
		for (i = 0; i < nf && i < 3; i++)
			f[i] += strspn(f[i], " \t");
		if (lineno == 1 && strcmp(f[0], "name") == 0)
			continue;
		if (nf < 2 || nf > 3) {
			import_error(im, lineno, "expected name,address[,group]"
			    " but found %zu field(s)", nf > 3 ? nf - 1 : nf);
			continue;
		}
		import_add(im, f[0], f[1], nf == 3 ? f[2] : NULL, lineno);
	}
	free(line);
}

static const char *
import_yaml_scalar(yaml_document_t *doc, yaml_node_t *map, const char *key)
{
	yaml_node_pair_t *pair;
	yaml_node_t *k, *v;

	for (pair = map->data.mapping.pairs.start;
	    pair < map->data.mapping.pairs.top; pair++) {
		k = yaml_document_get_node(doc, pair->key);
		v = yaml_document_get_node(doc, pair->value);
		if (k->type == YAML_SCALAR_NODE && v->type == YAML_SCALAR_NODE &&
		    strcmp((char *)k->data.scalar.value, key) == 0)
			return (const char *)v->data.scalar.value;
	}
	return NULL;
}

static void
import_yaml_items(struct import *im, yaml_document_t *doc, yaml_node_t *seq)
{
	yaml_node_item_t *item;
	yaml_node_t *node;
	unsigned line;

	for (item = seq->data.sequence.items.start;
	    item < seq->data.sequence.items.top; item++) {
		node = yaml_document_get_node(doc, *item);
		line = (unsigned)node->start_mark.line + 1;
		if (node->type != YAML_MAPPING_NODE) {
			import_error(im, line, "expected a map with name, "
			    "address and group");
			continue;
		}
		import_add(im, import_yaml_scalar(doc, node, "name"),
		    import_yaml_scalar(doc, node, "address"),
		    import_yaml_scalar(doc, node, "group"), line);
	}
}

static void
import_parse_yaml(struct import *im, FILE *fp)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	yaml_node_t *root, *seq = NULL;
	yaml_node_pair_t *pair;

	yaml_parser_initialize(&parser);
	yaml_parser_set_input_file(&parser, fp);
	if (!yaml_parser_load(&parser, &doc)) {
		import_error(im, (unsigned)parser.problem_mark.line + 1,
		    "%s", parser.problem ? parser.problem : "bad YAML");
		yaml_parser_delete(&parser);
		return;
	}
	root = yaml_document_get_root_node(&doc);
	if (root != NULL && root->type == YAML_SEQUENCE_NODE)
		seq = root;
	else if (root != NULL && root->type == YAML_MAPPING_NODE) {
		for (pair = root->data.mapping.pairs.start;
		    pair < root->data.mapping.pairs.top; pair++) {
			if (strcmp((char *)yaml_document_get_node(&doc,
			    pair->key)->data.scalar.value, "printers") == 0)
				seq = yaml_document_get_node(&doc, pair->value);
		}
	}
	if (seq == NULL || seq->type != YAML_SEQUENCE_NODE)
		import_error(im, 1, "expected a list of printers "
		    "(or a map with 'printers:')");
	else
		import_yaml_items(im, &doc, seq);
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
}

static int
import_is_yaml(const char *path, FILE *fp)
{
	const char *dot = strrchr(path, '.');
	int c;

	if (dot != NULL && (strcmp(dot, ".yaml") == 0 ||
	    strcmp(dot, ".yml") == 0))
		return 1;
	if (dot != NULL && strcmp(dot, ".csv") == 0)
		return 0;
	c = fgetc(fp);
	ungetc(c, fp);
	return c == '-' || c == '%';
}

/* Check every row; duplicates within the file are errors too. */
static void
import_validate(struct import *im)
{
	struct import_row *r;
	char *cause = NULL, *host;
	unsigned port;
	size_t i, j;

	for (i = 0; i < im->n; i++) {
		r = &im->rows[i];
		if (r->name == NULL || r->address == NULL) {
			import_error(im, r->line, "a printer needs a name and "
			    "an address");
			continue;
		}
		if (printer_check_name(r->name, &cause) != 0 ||
		    printer_parse_address(r->address, &host, &port,
		    &cause) != 0) {
			import_error(im, r->line, "%s", cause);
			xfree(&cause);
			continue;
		}
		free(host);
		for (j = 0; j < i; j++) {
			if (im->rows[j].name != NULL &&
			    strcmp(im->rows[j].name, r->name) == 0)
				import_error(im, r->line, "printer '%s' is "
				    "already on line %u", r->name,
				    im->rows[j].line);
		}
	}
}

static int
import_apply(struct store *st, struct import *im,
    struct printer_import_result *res, char **cause)
{
	enum printer_upsert outcome;
	char *host;
	unsigned port;
	int64_t id;
	size_t i;

	res->changed = xreallocarray(NULL, im->n ? im->n : 1,
	    sizeof *res->changed);
	for (i = 0; i < im->n; i++) {
		if (printer_parse_address(im->rows[i].address, &host, &port,
		    cause) != 0)
			return -1;
		if (printer_upsert(st, im->rows[i].name, host, port,
		    im->rows[i].group, &outcome, &id, cause) != 0) {
			free(host);
			return -1;
		}
		free(host);
		if (outcome == PRINTER_ADDED)
			res->added++;
		else if (outcome == PRINTER_UPDATED)
			res->updated++;
		else
			res->unchanged++;
		if (outcome != PRINTER_UNCHANGED)
			res->changed[res->nchanged++] = id;
	}
	return 0;
}

void
printer_import_result_clear(struct printer_import_result *res)
{
	free(res->changed);
	memset(res, 0, sizeof *res);
}

static void
import_clear(struct import *im)
{
	size_t i;

	for (i = 0; i < im->n; i++) {
		free(im->rows[i].name);
		free(im->rows[i].address);
		free(im->rows[i].group);
	}
	free(im->rows);
	free(im->errors);
}

int
printer_import_file(struct store *st, const char *path, bool dry_run,
    struct printer_import_result *res, char **cause)
{
	struct import im = { .path = path };
	FILE *fp;
	int rc = -1;

	memset(res, 0, sizeof *res);
	if ((fp = fopen(path, "r")) == NULL) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		return -1;
	}
	if (import_is_yaml(path, fp))
		import_parse_yaml(&im, fp);
	else
		import_parse_csv(&im, fp);
	fclose(fp);
	if (im.nerrors == 0)
		import_validate(&im);
	if (im.nerrors > 0) {
		*cause = im.errors;
		im.errors = NULL;
	} else if (im.n == 0)
		*cause = xasprintf("%s: no printers in the file", path);
	else if (store_begin(st, cause) == 0) {
		if (import_apply(st, &im, res, cause) != 0)
			store_rollback(st);
		else if (dry_run) {
			store_rollback(st);
			rc = 0;
		} else
			rc = store_commit(st, cause);
	}
	import_clear(&im);
	if (rc != 0 || dry_run) {
		/* Nothing was written: no id stands for a printer. */
		free(res->changed);
		res->changed = NULL;
		res->nchanged = 0;
	}
	return rc;
}
