#include "config.h"

#include "catalog-int.h"

#include <string.h>

#include "text.h"
#include "xmalloc.h"

int
catalog_field_collect(struct catalog_fields *f, const char *const *names,
    size_t nnames, char **cause)
{
	const struct catalog_node *key;
	size_t i, j;

	for (i = 0; i + 1 < f->map->nitems; i += 2) {
		key = f->map->items[i];
		for (j = 0; j < nnames; j++) {
			if (key->kind == CATALOG_NODE_SCALAR &&
			    strcmp(key->value, names[j]) == 0)
				break;
		}
		if (key->kind != CATALOG_NODE_SCALAR)
			*cause = catalog_error(f->path, &key->mark,
			    "expected a field name");
		else if (j == nnames)
			*cause = catalog_error(f->path, &key->mark,
			    "unknown field '%s'", key->value);
		else if (f->v[j] != NULL)
			*cause = catalog_error(f->path, &key->mark,
			    "duplicate field '%s'", key->value);
		else {
			f->k[j] = key;
			f->v[j] = f->map->items[i + 1];
			continue;
		}
		return -1;
	}
	return 0;
}

int
catalog_field_require(const struct catalog_fields *f,
    const char *const *names, size_t i, char **cause)
{
	if (f->v[i] != NULL)
		return 0;
	*cause = catalog_error(f->path, &f->map->mark, "missing field '%s'",
	    names[i]);
	return -1;
}

int
catalog_field_scalar(const char *path, const struct catalog_node *n,
    const char *field, const char *what, char **cause)
{
	if (n->kind == CATALOG_NODE_SCALAR)
		return 0;
	*cause = catalog_error(path, &n->mark, "%s: expected %s", field, what);
	return -1;
}

int
catalog_field_text(const char *path, const struct catalog_node *n,
    const char *field, char **out, char **cause)
{
	if (catalog_field_scalar(path, n, field, "a string", cause) != 0)
		return -1;
	if (*n->value == '\0' || !text_is_clean(n->value)) {
		*cause = catalog_error(path, &n->mark, "%s: %s", field,
		    *n->value == '\0' ? "empty" :
		    "control characters or invalid UTF-8");
		return -1;
	}
	*out = xstrdup(n->value);
	return 0;
}

int
catalog_field_bool(const char *path, const struct catalog_node *n,
    const char *field, bool *out, char **cause)
{
	if (n->kind == CATALOG_NODE_SCALAR) {
		if (strcmp(n->value, "true") == 0 ||
		    strcmp(n->value, "false") == 0) {
			*out = strcmp(n->value, "true") == 0;
			return 0;
		}
	}
	*cause = catalog_error(path, &n->mark, "%s: expected true or false",
	    field);
	return -1;
}

int
catalog_field_integer(const char *path, const struct catalog_node *n,
    const char *field, long long lo, long long hi, long long *out,
    char **cause)
{
	if (n->kind != CATALOG_NODE_SCALAR ||
	    catalog_value_integer(n->value, out) != 0 || *out < lo ||
	    *out > hi) {
		*cause = catalog_error(path, &n->mark,
		    "%s: expected an integer from %lld to %lld", field, lo, hi);
		return -1;
	}
	return 0;
}

bool
catalog_field_dotted(const char *s, size_t maxlen, size_t nmin)
{
	size_t n = 1;
	const char *p;

	if (*s == '\0' || strlen(s) > maxlen || *s == '.')
		return false;
	for (p = s; *p != '\0'; p++) {
		if (*p == '.') {
			if (p[1] == '.' || p[1] == '\0')
				return false;
			n++;
		} else if (strchr("abcdefghijklmnopqrstuvwxyz0123456789_", *p) ==
		    NULL)
			return false;
	}
	return n >= nmin;
}

