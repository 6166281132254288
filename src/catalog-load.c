#include "config.h"

#include "catalog-int.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "xmalloc.h"

/* Vendor OIDs of category N live under CATALOG_LOAD_VENDOR "1.N.". */
#define CATALOG_LOAD_VENDOR	"1.3.6.1.4.1.32473."
#define CATALOG_LOAD_KEYMAX	128
#define CATALOG_LOAD_NAMEMAX	32
#define CATALOG_LOAD_ENUMMAX	64
#define CATALOG_LOAD_LENMAX	65535
#define CATALOG_LOAD_ITEMSMAX	1024

enum catalog_load_field {
	CATALOG_F_KEY,
	CATALOG_F_TITLE,
	CATALOG_F_TYPE,
	CATALOG_F_DEFAULT,
	CATALOG_F_RESTART,
	CATALOG_F_SECRET,
	CATALOG_F_OID,
	CATALOG_F_SHELL,
	CATALOG_F_MIN,
	CATALOG_F_MAX,
	CATALOG_F_MINLEN,
	CATALOG_F_MAXLEN,
	CATALOG_F_VALUES,
	CATALOG_F_ITEMS,
	CATALOG_F_MAX_ITEMS,
	CATALOG_F_FAMILY,
	CATALOG_F_PREFIX,
	CATALOG_F_COUNT
};

_Static_assert(CATALOG_F_COUNT <= CATALOG_FIELDS_MAX, "catalog_fields");

#define CATALOG_T(t)	(1U << (t))
#define CATALOG_T_ALL	0xffU

static const char *const catalog_load_names[CATALOG_F_COUNT] = {
	"key", "title", "type", "default", "restart", "secret", "oid", "shell",
	"min", "max", "minlen", "maxlen", "values", "items", "max_items",
	"family", "prefix"
};

/* The types each field applies to; a list's items decide for a list. */
static const unsigned catalog_load_types[CATALOG_F_COUNT] = {
	CATALOG_T_ALL, CATALOG_T_ALL, CATALOG_T_ALL, CATALOG_T_ALL,
	CATALOG_T_ALL, CATALOG_T_ALL, CATALOG_T_ALL, CATALOG_T_ALL,
	CATALOG_T(CATALOG_INT), CATALOG_T(CATALOG_INT),
	CATALOG_T(CATALOG_STRING) | CATALOG_T(CATALOG_SECRET),
	CATALOG_T(CATALOG_STRING) | CATALOG_T(CATALOG_SECRET),
	CATALOG_T(CATALOG_ENUM),
	CATALOG_T(CATALOG_LIST), CATALOG_T(CATALOG_LIST),
	CATALOG_T(CATALOG_IP), CATALOG_T(CATALOG_IP)
};

enum catalog_load_top {
	CATALOG_TOP_NAME,
	CATALOG_TOP_TITLE,
	CATALOG_TOP_NUMBER,
	CATALOG_TOP_SETTINGS,
	CATALOG_TOP_COUNT
};

static const char *const catalog_load_top_names[CATALOG_TOP_COUNT] = {
	"name", "title", "number", "settings"
};

static int
catalog_load_key(struct catalog_fields *f, struct catalog_setting *s,
    char **cause)
{
	const struct catalog_node *n = f->v[CATALOG_F_KEY];
	const char *cat = s->category->name;
	size_t len = strlen(cat);

	if (catalog_field_scalar(f->path, n, "key", "a string", cause) != 0)
		return -1;
	if (!catalog_field_dotted(n->value, CATALOG_LOAD_KEYMAX, 2)) {
		*cause = catalog_error(f->path, &n->mark, "malformed key '%s'",
		    n->value);
		return -1;
	}
	if (strncmp(n->value, cat, len) != 0 || n->value[len] != '.') {
		*cause = catalog_error(f->path, &n->mark,
		    "key '%s' does not start with '%s.'", n->value, cat);
		return -1;
	}
	s->key = xstrdup(n->value);
	s->key_mark = n->mark;
	return 0;
}

static int
catalog_load_type_name(const char *path, const struct catalog_node *n,
    const char *field, enum catalog_type *out, char **cause)
{
	int t;

	if (catalog_field_scalar(path, n, field, "a type name", cause) != 0)
		return -1;
	for (t = CATALOG_BOOL; t <= CATALOG_SECRET; t++) {
		if (strcmp(n->value, catalog_type_name(t)) == 0) {
			*out = t;
			return 0;
		}
	}
	*cause = catalog_error(path, &n->mark, "unknown %s '%s'", field,
	    n->value);
	return -1;
}

/* Key, title and type: what every setting has. */
static int
catalog_load_head(struct catalog_fields *f, struct catalog_setting *s,
    char **cause)
{
	const struct catalog_node *items;
	unsigned ok = CATALOG_T(CATALOG_STRING) | CATALOG_T(CATALOG_IP) |
	    CATALOG_T(CATALOG_HOST);
	int i;

	for (i = CATALOG_F_KEY; i <= CATALOG_F_TYPE; i++) {
		if (catalog_field_require(f, catalog_load_names, i, cause) != 0)
			return -1;
	}
	if (catalog_load_key(f, s, cause) != 0 ||
	    catalog_field_text(f->path, f->v[CATALOG_F_TITLE], "title",
	    &s->title, cause) != 0 ||
	    catalog_load_type_name(f->path, f->v[CATALOG_F_TYPE], "type",
	    &s->type, cause) != 0)
		return -1;
	if (s->type != CATALOG_LIST)
		return 0;
	if (catalog_field_require(f, catalog_load_names, CATALOG_F_ITEMS,
	    cause) != 0)
		return -1;
	items = f->v[CATALOG_F_ITEMS];
	if (catalog_load_type_name(f->path, items, "items", &s->item,
	    cause) != 0)
		return -1;
	if ((CATALOG_T(s->item) & ok) == 0) {
		*cause = catalog_error(f->path, &items->mark,
		    "items: expected string, ip or host");
		return -1;
	}
	return 0;
}

/* Refuse fields that mean nothing for the setting's type. */
static int
catalog_load_applies(struct catalog_fields *f,
    const struct catalog_setting *s, char **cause)
{
	enum catalog_type t;
	int i;

	for (i = 0; i < CATALOG_F_COUNT; i++) {
		if (f->v[i] == NULL)
			continue;
		t = s->type;
		if (t == CATALOG_LIST && i >= CATALOG_F_MINLEN &&
		    i != CATALOG_F_ITEMS && i != CATALOG_F_MAX_ITEMS &&
		    i != CATALOG_F_VALUES)
			t = s->item;
		if (catalog_load_types[i] & CATALOG_T(t))
			continue;
		*cause = catalog_error(f->path, &f->k[i]->mark,
		    "field '%s' does not apply to %s%s", catalog_load_names[i],
		    t != s->type ? "a list of " : "type ",
		    catalog_type_name(t));
		return -1;
	}
	return 0;
}

static int
catalog_load_range(struct catalog_fields *f, struct catalog_setting *s,
    char **cause)
{
	if (catalog_field_require(f, catalog_load_names, CATALOG_F_MIN,
	    cause) != 0 ||
	    catalog_field_require(f, catalog_load_names, CATALOG_F_MAX,
	    cause) != 0 ||
	    catalog_field_integer(f->path, f->v[CATALOG_F_MIN], "min", INT_MIN,
	    INT_MAX, &s->min, cause) != 0 ||
	    catalog_field_integer(f->path, f->v[CATALOG_F_MAX], "max", INT_MIN,
	    INT_MAX, &s->max, cause) != 0)
		return -1;
	if (s->min <= s->max)
		return 0;
	*cause = catalog_error(f->path, &f->v[CATALOG_F_MIN]->mark,
	    "min %lld is greater than max %lld", s->min, s->max);
	return -1;
}

static int
catalog_load_lengths(struct catalog_fields *f, struct catalog_setting *s,
    char **cause)
{
	long long lo = 0, hi;

	if (catalog_field_require(f, catalog_load_names, CATALOG_F_MAXLEN,
	    cause) != 0 ||
	    catalog_field_integer(f->path, f->v[CATALOG_F_MAXLEN], "maxlen", 1,
	    CATALOG_LOAD_LENMAX, &hi, cause) != 0)
		return -1;
	if (f->v[CATALOG_F_MINLEN] != NULL &&
	    catalog_field_integer(f->path, f->v[CATALOG_F_MINLEN], "minlen", 0,
	    CATALOG_LOAD_LENMAX, &lo, cause) != 0)
		return -1;
	if (lo > hi) {
		*cause = catalog_error(f->path, &f->v[CATALOG_F_MINLEN]->mark,
		    "minlen %lld is greater than maxlen %lld", lo, hi);
		return -1;
	}
	s->minlen = (size_t)lo;
	s->maxlen = (size_t)hi;
	return 0;
}

static int
catalog_load_family(struct catalog_fields *f, struct catalog_setting *s,
    char **cause)
{
	const struct catalog_node *n = f->v[CATALOG_F_FAMILY];

	if (f->v[CATALOG_F_PREFIX] != NULL &&
	    catalog_field_bool(f->path, f->v[CATALOG_F_PREFIX], "prefix",
	    &s->prefix, cause) != 0)
		return -1;
	if (n == NULL)
		return 0;
	if (n->kind == CATALOG_NODE_SCALAR && strcmp(n->value, "ipv4") == 0)
		s->family = CATALOG_FAMILY_IPV4;
	else if (n->kind == CATALOG_NODE_SCALAR && strcmp(n->value, "ipv6") == 0)
		s->family = CATALOG_FAMILY_IPV6;
	else {
		*cause = catalog_error(f->path, &n->mark,
		    "family: expected ipv4 or ipv6");
		return -1;
	}
	return 0;
}

/* An enum value: 1 to 64 of [A-Za-z0-9._+/-]. */
static int
catalog_load_enum_value(const char *path, const struct catalog_node *n,
    struct catalog_setting *s, char **cause)
{
	size_t i, len;

	if (catalog_field_scalar(path, n, "values", "a value", cause) != 0)
		return -1;
	len = strlen(n->value);
	if (len == 0 || len > CATALOG_LOAD_ENUMMAX || strspn(n->value,
	    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789._+/-") != len) {
		*cause = catalog_error(path, &n->mark,
		    "malformed enum value '%s'", n->value);
		return -1;
	}
	for (i = 0; i < s->nvalues; i++) {
		if (strcmp(s->values[i], n->value) == 0) {
			*cause = catalog_error(path, &n->mark,
			    "duplicate enum value '%s'", n->value);
			return -1;
		}
	}
	s->values[s->nvalues] = xstrdup(n->value);
	return 0;
}

static int
catalog_load_enum_code(const char *path, const struct catalog_node *n,
    struct catalog_setting *s, char **cause)
{
	long long code;
	size_t i;

	if (catalog_field_integer(path, n, "values", INT_MIN, INT_MAX, &code,
	    cause) != 0)
		return -1;
	for (i = 0; i < s->nvalues; i++) {
		if (s->codes[i] == code) {
			*cause = catalog_error(path, &n->mark,
			    "duplicate enum code %lld", code);
			return -1;
		}
	}
	s->codes[s->nvalues] = (int)code;
	return 0;
}

/* A list of values (codes 1, 2, ...) or a mapping of value: code. */
static int
catalog_load_values(struct catalog_fields *f, struct catalog_setting *s,
    char **cause)
{
	const struct catalog_node *n = f->v[CATALOG_F_VALUES];
	bool map;
	size_t i, count;

	if (catalog_field_require(f, catalog_load_names, CATALOG_F_VALUES,
	    cause) != 0)
		return -1;
	map = n->kind == CATALOG_NODE_MAPPING;
	if (n->kind == CATALOG_NODE_SCALAR || n->nitems == 0) {
		*cause = catalog_error(f->path, &n->mark, "%s",
		    n->kind == CATALOG_NODE_SCALAR ?
		    "values: expected a list or a mapping" : "enum has no values");
		return -1;
	}
	count = map ? n->nitems / 2 : n->nitems;
	s->values = xcalloc(count, sizeof *s->values);
	s->codes = xcalloc(count, sizeof *s->codes);
	for (i = 0; i < count; i++) {
		if (catalog_load_enum_value(f->path, n->items[map ? 2 * i : i],
		    s, cause) != 0)
			return -1;
		s->codes[s->nvalues] = (int)i + 1;
		if (map && catalog_load_enum_code(f->path, n->items[2 * i + 1],
		    s, cause) != 0) {
			xfree(&s->values[s->nvalues]);
			return -1;
		}
		s->nvalues++;
	}
	return 0;
}

static int
catalog_load_list(struct catalog_fields *f, struct catalog_setting *s,
    char **cause)
{
	long long n;

	if (catalog_field_require(f, catalog_load_names, CATALOG_F_MAX_ITEMS,
	    cause) != 0 ||
	    catalog_field_integer(f->path, f->v[CATALOG_F_MAX_ITEMS],
	    "max_items", 1, CATALOG_LOAD_ITEMSMAX, &n, cause) != 0)
		return -1;
	s->max_items = (size_t)n;
	if (s->item == CATALOG_STRING)
		return catalog_load_lengths(f, s, cause);
	if (s->item == CATALOG_IP)
		return catalog_load_family(f, s, cause);
	return 0;
}

/* What the type asks for beyond the common fields. */
static int
catalog_load_constraints(struct catalog_fields *f,
    struct catalog_setting *s, char **cause)
{
	switch (s->type) {
	case CATALOG_INT:
		return catalog_load_range(f, s, cause);
	case CATALOG_ENUM:
		return catalog_load_values(f, s, cause);
	case CATALOG_STRING:
	case CATALOG_SECRET:
		return catalog_load_lengths(f, s, cause);
	case CATALOG_IP:
		return catalog_load_family(f, s, cause);
	case CATALOG_LIST:
		return catalog_load_list(f, s, cause);
	default:
		return 0;
	}
}

static int
catalog_load_flags(struct catalog_fields *f, struct catalog_setting *s,
    char **cause)
{
	const struct catalog_node *n = f->v[CATALOG_F_SECRET];

	if (catalog_field_require(f, catalog_load_names, CATALOG_F_RESTART,
	    cause) != 0 ||
	    catalog_field_bool(f->path, f->v[CATALOG_F_RESTART], "restart",
	    &s->restart, cause) != 0)
		return -1;
	if (n != NULL && catalog_field_bool(f->path, n, "secret", &s->secret,
	    cause) != 0)
		return -1;
	if (s->type != CATALOG_SECRET)
		return 0;
	if (n != NULL && !s->secret) {
		*cause = catalog_error(f->path, &n->mark,
		    "type secret is always secret");
		return -1;
	}
	s->secret = true;
	return 0;
}

/* A list default written as a YAML sequence, joined with ','. */
static int
catalog_load_join(const char *path, const struct catalog_node *n, char **out,
    char **cause)
{
	const struct catalog_node *item;
	char *s = xstrdup(""), *t;
	size_t i;

	for (i = 0; i < n->nitems; i++) {
		item = n->items[i];
		if (item->kind != CATALOG_NODE_SCALAR ||
		    strchr(item->value, ',') != NULL) {
			*cause = catalog_error(path, &item->mark, "%s",
			    item->kind != CATALOG_NODE_SCALAR ?
			    "default: expected a scalar" :
			    "a list item cannot contain ','");
			free(s);
			return -1;
		}
		t = xasprintf("%s%s%s", s, i > 0 ? "," : "", item->value);
		free(s);
		s = t;
	}
	*out = s;
	return 0;
}

static int
catalog_load_default(struct catalog_fields *f, struct catalog_setting *s,
    char **cause)
{
	const struct catalog_node *n = f->v[CATALOG_F_DEFAULT];
	char *why;

	if (s->type == CATALOG_SECRET) {
		if (n == NULL)
			return 0;
		*cause = catalog_error(f->path, &n->mark,
		    "a secret has no default");
		return -1;
	}
	if (catalog_field_require(f, catalog_load_names, CATALOG_F_DEFAULT,
	    cause) != 0)
		return -1;
	if (s->type == CATALOG_LIST && n->kind == CATALOG_NODE_SEQUENCE) {
		if (catalog_load_join(f->path, n, &s->def, cause) != 0)
			return -1;
	} else if (catalog_field_scalar(f->path, n, "default", "a scalar",
	    cause) != 0)
		return -1;
	else
		s->def = xstrdup(n->value);
	if (catalog_check_value(s, s->def, &why) == 0)
		return 0;
	*cause = catalog_error(f->path, &n->mark, "bad default '%s': %s",
	    s->def, why);
	free(why);
	return -1;
}

static int
catalog_load_oid(struct catalog_fields *f, struct catalog_setting *s,
    char **cause)
{
	const struct catalog_node *n = f->v[CATALOG_F_OID];
	char *arc;
	int inside;

	if (catalog_field_scalar(f->path, n, "oid", "a string", cause) != 0)
		return -1;
	if (!catalog_value_oid(n->value)) {
		*cause = catalog_error(f->path, &n->mark, "malformed OID '%s'",
		    n->value);
		return -1;
	}
	arc = xasprintf(CATALOG_LOAD_VENDOR "1.%u", s->category->number);
	inside = strncmp(n->value, arc, strlen(arc)) == 0 &&
	    n->value[strlen(arc)] == '.';
	if (!inside && strncmp(n->value, CATALOG_LOAD_VENDOR,
	    strlen(CATALOG_LOAD_VENDOR)) == 0) {
		*cause = catalog_error(f->path, &n->mark,
		    "OID %s is outside the category's arc %s", n->value, arc);
		free(arc);
		return -1;
	}
	free(arc);
	s->oid = xstrdup(n->value);
	s->oid_mark = n->mark;
	return 0;
}

static int
catalog_load_access(struct catalog_fields *f, struct catalog_setting *s,
    char **cause)
{
	const struct catalog_node *n = f->v[CATALOG_F_SHELL];
	size_t len;

	if (f->v[CATALOG_F_OID] == NULL && n == NULL) {
		*cause = catalog_error(f->path, &f->map->mark,
		    "setting %s has neither oid nor shell", s->key);
		return -1;
	}
	if (f->v[CATALOG_F_OID] != NULL && catalog_load_oid(f, s, cause) != 0)
		return -1;
	if (n == NULL)
		return 0;
	if (catalog_field_scalar(f->path, n, "shell", "a string", cause) != 0)
		return -1;
	len = strlen(n->value);
	if (len == 0 || len > CATALOG_LOAD_KEYMAX || strspn(n->value,
	    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789._-") != len) {
		*cause = catalog_error(f->path, &n->mark,
		    "malformed shell key '%s'", n->value);
		return -1;
	}
	s->shell = xstrdup(n->value);
	s->shell_mark = n->mark;
	return 0;
}

static int
catalog_load_setting(const char *path, const struct catalog_node *map,
    struct catalog_setting *s, char **cause)
{
	struct catalog_fields f;

	if (map->kind != CATALOG_NODE_MAPPING) {
		*cause = catalog_error(path, &map->mark,
		    "expected a setting (a mapping)");
		return -1;
	}
	memset(&f, 0, sizeof f);
	f.path = path;
	f.map = map;
	if (catalog_field_collect(&f, catalog_load_names, CATALOG_F_COUNT,
	    cause) != 0 ||
	    catalog_load_head(&f, s, cause) != 0 ||
	    catalog_load_applies(&f, s, cause) != 0 ||
	    catalog_load_constraints(&f, s, cause) != 0 ||
	    catalog_load_flags(&f, s, cause) != 0 ||
	    catalog_load_default(&f, s, cause) != 0 ||
	    catalog_load_access(&f, s, cause) != 0)
		return -1;
	return 0;
}

/* Name, title and number of the category in F. */
static int
catalog_load_top(struct catalog_fields *f, struct catalog_category *cat,
    char **cause)
{
	const struct catalog_node *n = f->v[CATALOG_TOP_NAME];
	long long number;

	if (catalog_field_scalar(f->path, n, "name", "a string", cause) != 0)
		return -1;
	if (!catalog_field_dotted(n->value, CATALOG_LOAD_NAMEMAX, 1) ||
	    strchr(n->value, '.') != NULL) {
		*cause = catalog_error(f->path, &n->mark,
		    "malformed category name '%s'", n->value);
		return -1;
	}
	cat->name = xstrdup(n->value);
	cat->name_mark = n->mark;
	if (catalog_field_text(f->path, f->v[CATALOG_TOP_TITLE], "title",
	    &cat->title, cause) != 0 ||
	    catalog_field_integer(f->path, f->v[CATALOG_TOP_NUMBER], "number", 1,
	    255, &number, cause) != 0)
		return -1;
	cat->number = (unsigned)number;
	cat->number_mark = f->v[CATALOG_TOP_NUMBER]->mark;
	return 0;
}

static int
catalog_load_settings(struct catalog_fields *f,
    struct catalog_category *cat, char **cause)
{
	const struct catalog_node *n = f->v[CATALOG_TOP_SETTINGS];
	size_t i;

	if (n->kind != CATALOG_NODE_SEQUENCE || n->nitems == 0) {
		*cause = catalog_error(f->path, &n->mark, "%s",
		    n->kind != CATALOG_NODE_SEQUENCE ?
		    "settings: expected a list" : "settings: empty");
		return -1;
	}
	cat->settings = xcalloc(n->nitems, sizeof *cat->settings);
	cat->nsettings = n->nitems;
	for (i = 0; i < n->nitems; i++) {
		cat->settings[i].category = cat;
		if (catalog_load_setting(f->path, n->items[i],
		    &cat->settings[i], cause) != 0)
			return -1;
	}
	return 0;
}

int
catalog_load_category(const char *path, const struct catalog_node *root,
    struct catalog_category **out, char **cause)
{
	struct catalog_fields f;
	struct catalog_category *cat;
	size_t i;

	*out = NULL;
	if (root->kind != CATALOG_NODE_MAPPING) {
		*cause = catalog_error(path, &root->mark, "expected a mapping "
		    "of name, title, number and settings");
		return -1;
	}
	memset(&f, 0, sizeof f);
	f.path = path;
	f.map = root;
	if (catalog_field_collect(&f, catalog_load_top_names,
	    CATALOG_TOP_COUNT, cause) != 0)
		return -1;
	for (i = 0; i < CATALOG_TOP_COUNT; i++) {
		if (catalog_field_require(&f, catalog_load_top_names, i,
		    cause) != 0)
			return -1;
	}
	cat = xcalloc(1, sizeof *cat);
	cat->file = xstrdup(path);
	if (catalog_load_top(&f, cat, cause) != 0 ||
	    catalog_load_settings(&f, cat, cause) != 0) {
		catalog_category_free(&cat);
		return -1;
	}
	*out = cat;
	return 0;
}

void
catalog_category_free(struct catalog_category **cp)
{
	struct catalog_category *cat = *cp;
	struct catalog_setting *s;
	size_t i, j;

	if (cat == NULL)
		return;
	for (i = 0; i < cat->nsettings; i++) {
		s = &cat->settings[i];
		for (j = 0; j < s->nvalues; j++)
			free(s->values[j]);
		free(s->values);
		free(s->codes);
		free(s->key);
		free(s->title);
		free(s->def);
		free(s->oid);
		free(s->shell);
	}
	free(cat->settings);
	free(cat->name);
	free(cat->title);
	free(cat->file);
	free(cat);
	*cp = NULL;
}
