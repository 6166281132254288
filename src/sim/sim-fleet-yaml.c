/*
 * Reading the fleet file: libyaml's document tree, walked with the place of
 * every node so that each refusal names FILE:LINE:COLUMN.
 */
#include "config.h"

#include "sim-fleet-yaml.h"

#include <errno.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <yaml.h>

#include "sim-int.h"
#include "text.h"
#include "xmalloc.h"

/* Even 10,000 printers listed one by one stay far below this. */
#define SIM_YAML_MAXSIZE	(16 * 1024 * 1024)
#define SIM_YAML_MAXPRINTERS	65536

char *
sim_yaml_error(struct sim_yaml *y, const yaml_node_t *n, const char *fmt, ...)
{
	va_list ap;
	char *reason, *s;

	va_start(ap, fmt);
	reason = xvasprintf(fmt, ap);
	va_end(ap);
	s = xasprintf("%s:%lu:%lu: %s", y->path,
	    (unsigned long)n->start_mark.line + 1,
	    (unsigned long)n->start_mark.column + 1, reason);
	free(reason);
	return s;
}

yaml_node_t *
sim_yaml_node(struct sim_yaml *y, int id)
{
	return yaml_document_get_node(&y->doc, id);
}

const char *
sim_yaml_scalar(const yaml_node_t *n)
{
	if (n == NULL || n->type != YAML_SCALAR_NODE)
		return NULL;
	return (const char *)n->data.scalar.value;
}

int
sim_yaml_fields(struct sim_yaml *y, yaml_node_t *map, const char *what,
    const char *const *names, size_t nnames, yaml_node_t **out, char **cause)
{
	yaml_node_pair_t *p;
	yaml_node_t *k;
	const char *key;
	size_t i;

	memset(out, 0, nnames * sizeof *out);
	if (map->type != YAML_MAPPING_NODE) {
		*cause = sim_yaml_error(y, map, "%s: expected a mapping", what);
		return -1;
	}
	for (p = map->data.mapping.pairs.start;
	    p < map->data.mapping.pairs.top; p++) {
		k = sim_yaml_node(y, p->key);
		if ((key = sim_yaml_scalar(k)) == NULL) {
			*cause = sim_yaml_error(y, k, "expected a field name");
			return -1;
		}
		for (i = 0; i < nnames; i++) {
			if (strcmp(key, names[i]) == 0)
				break;
		}
		if (i == nnames) {
			*cause = sim_yaml_error(y, k, "%s: unknown field %s",
			    what, key);
			return -1;
		}
		if (out[i] != NULL) {
			*cause = sim_yaml_error(y, k, "%s: %s given twice",
			    what, key);
			return -1;
		}
		out[i] = sim_yaml_node(y, p->value);
	}
	return 0;
}

int
sim_yaml_require(struct sim_yaml *y, yaml_node_t *map, yaml_node_t *v,
    const char *what, const char *field, char **cause)
{
	if (v != NULL)
		return 0;
	*cause = sim_yaml_error(y, map, "%s: %s is missing", what, field);
	return -1;
}

/* Any clean, non-empty scalar (descriptions may have spaces). */
int
sim_yaml_string(struct sim_yaml *y, yaml_node_t *n, const char *field,
    char **out, char **cause)
{
	const char *s = sim_yaml_scalar(n);

	if (s == NULL || *s == '\0') {
		*cause = sim_yaml_error(y, n, "%s: expected a non-empty "
		    "string", field);
		return -1;
	}
	if (!text_is_clean(s) || strlen(s) > 255) {
		*cause = sim_yaml_error(y, n, "%s: control characters, "
		    "invalid UTF-8 or longer than 255 bytes", field);
		return -1;
	}
	free(*out);
	*out = xstrdup(s);
	return 0;
}

/* A word: printed as key=value, so no spaces. */
int
sim_yaml_word(struct sim_yaml *y, yaml_node_t *n, const char *field,
    char **out, char **cause)
{
	if (sim_yaml_string(y, n, field, out, cause) != 0)
		return -1;
	if (strpbrk(*out, " \t") != NULL) {
		*cause = sim_yaml_error(y, n, "%s: must not contain spaces",
		    field);
		xfree(out);
		return -1;
	}
	return 0;
}

int
sim_yaml_bool(struct sim_yaml *y, yaml_node_t *n, const char *field,
    bool *out, char **cause)
{
	static const char *const yes[] = { "true", "yes", "on" };
	static const char *const no[] = { "false", "no", "off" };
	const char *s = sim_yaml_scalar(n);
	size_t i;

	for (i = 0; s != NULL && i < 3; i++) {
		if (strcmp(s, yes[i]) == 0 || strcmp(s, no[i]) == 0) {
			*out = strcmp(s, yes[i]) == 0;
			return 0;
		}
	}
	*cause = sim_yaml_error(y, n, "%s: expected true or false", field);
	return -1;
}

int
sim_yaml_uint(struct sim_yaml *y, yaml_node_t *n, const char *field,
    unsigned long lo, unsigned long hi, unsigned *out, char **cause)
{
	const char *s = sim_yaml_scalar(n);
	unsigned long v = 0;
	size_t i;

	for (i = 0; s != NULL && s[i] >= '0' && s[i] <= '9' && i < 10; i++)
		v = v * 10 + (unsigned long)(s[i] - '0');
	if (s == NULL || i == 0 || s[i] != '\0' || v < lo || v > hi) {
		*cause = sim_yaml_error(y, n, "%s: expected an integer from "
		    "%lu to %lu", field, lo, hi);
		return -1;
	}
	*out = (unsigned)v;
	return 0;
}

/* Read PATH whole (bounded) and load its one document. */
static int
sim_yaml_load(struct sim_yaml *y, char **cause)
{
	yaml_parser_t parser;
	struct stat sb;
	FILE *fp;
	int rc = 0;

	if ((fp = fopen(y->path, "re")) == NULL) {
		*cause = xasprintf("%s: %s", y->path, strerror(errno));
		return -1;
	}
	if (fstat(fileno(fp), &sb) != 0 || !S_ISREG(sb.st_mode) ||
	    sb.st_size > SIM_YAML_MAXSIZE) {
		*cause = xasprintf("%s: not a regular file of at most %d "
		    "bytes", y->path, SIM_YAML_MAXSIZE);
		fclose(fp);
		return -1;
	}
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_file(&parser, fp);
	if (!yaml_parser_load(&parser, &y->doc)) {
		*cause = xasprintf("%s:%lu:%lu: %s", y->path,
		    (unsigned long)parser.problem_mark.line + 1,
		    (unsigned long)parser.problem_mark.column + 1,
		    parser.problem != NULL ? parser.problem : "bad YAML");
		rc = -1;
	} else
		y->loaded = true;
	yaml_parser_delete(&parser);
	fclose(fp);
	return rc;
}

/* The fields of the top level. */
enum { SIM_TOP_FORMAT, SIM_TOP_ADDRESSING, SIM_TOP_MODELS, SIM_TOP_PRINTERS };

static int
sim_yaml_top(struct sim_yaml *y, yaml_node_t *root,
    struct sim_fleet_addressing *addr, char **cause)
{
	static const char *const names[] = {
		"quire-sim", "addressing", "models", "printers"
	};
	yaml_node_t *v[4];
	const char *fmt;

	if (sim_yaml_fields(y, root, "fleet", names, 4, v, cause) != 0)
		return -1;
	if (v[SIM_TOP_FORMAT] == NULL) {
		*cause = sim_yaml_error(y, root, "not a fleet file (no "
		    "\"quire-sim: fleet/1\")");
		return -1;
	}
	fmt = sim_yaml_scalar(v[SIM_TOP_FORMAT]);
	if (fmt == NULL || strcmp(fmt, "fleet/1") != 0) {
		*cause = sim_yaml_error(y, v[SIM_TOP_FORMAT], "quire-sim: "
		    "expected fleet/1");
		return -1;
	}
	if (sim_yaml_require(y, root, v[SIM_TOP_MODELS], "fleet", "models",
	    cause) != 0 || sim_yaml_require(y, root, v[SIM_TOP_PRINTERS],
	    "fleet", "printers", cause) != 0)
		return -1;
	if (v[SIM_TOP_ADDRESSING] != NULL && sim_yaml_addressing(y,
	    v[SIM_TOP_ADDRESSING], addr, cause) != 0)
		return -1;
	if (sim_yaml_models(y, v[SIM_TOP_MODELS], cause) != 0)
		return -1;
	return sim_yaml_printers(y, v[SIM_TOP_PRINTERS], cause);
}

int
sim_fleet_parse(struct sim_fleet *fleet, const char *path,
    struct sim_fleet_addressing *addr, char **cause)
{
	struct sim_yaml y = { .path = path, .fleet = fleet };
	yaml_node_t *root;
	int rc;

	if (sim_yaml_load(&y, cause) != 0)
		return -1;
	if ((root = yaml_document_get_root_node(&y.doc)) == NULL) {
		*cause = xasprintf("%s: empty file", path);
		yaml_document_delete(&y.doc);
		return -1;
	}
	rc = sim_yaml_top(&y, root, addr, cause);
	if (rc == 0 && fleet->nprinters > SIM_YAML_MAXPRINTERS) {
		*cause = xasprintf("%s: more than %d printers", path,
		    SIM_YAML_MAXPRINTERS);
		rc = -1;
	}
	yaml_document_delete(&y.doc);
	return rc;
}
