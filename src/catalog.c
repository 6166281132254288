#include "config.h"

#include "catalog.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "catalog-int.h"
#include "xmalloc.h"

/* One occurrence of a name that must be unique, for the duplicate check. */
struct catalog_dup {
	const char	*value;
	const char	*owner;		/* the setting's key */
	const char	*file;
	struct catalog_mark mark;
	size_t		 seq;		/* load order */
};

static const char *const catalog_type_names[] = {
	"bool", "int", "enum", "string", "ip", "host", "list", "secret"
};

const char *
catalog_type_name(enum catalog_type t)
{
	if ((size_t)t >= sizeof catalog_type_names / sizeof *catalog_type_names)
		return "?";
	return catalog_type_names[t];
}

void
catalog_free(struct catalog **cp)
{
	struct catalog *c = *cp;
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->ncategories; i++)
		catalog_category_free(&c->categories[i]);
	free(c->categories);
	free(c->by_key);
	free(c->by_oid);
	free(c);
	*cp = NULL;
}

/* Category names and numbers; there are few categories. */
static int
catalog_unique_categories(const struct catalog *c, char **cause)
{
	const struct catalog_category *a, *b;
	size_t i, j;

	for (i = 1; i < c->ncategories; i++) {
		b = c->categories[i];
		for (j = 0; j < i; j++) {
			a = c->categories[j];
			if (strcmp(a->name, b->name) == 0) {
				*cause = catalog_error(b->file, &b->name_mark,
				    "duplicate category name '%s' (first in "
				    "%s:%lu:%lu)", b->name, a->file,
				    a->name_mark.line, a->name_mark.column);
				return -1;
			}
			if (a->number == b->number) {
				*cause = catalog_error(b->file, &b->number_mark,
				    "duplicate category number %u (first used "
				    "by %s)", b->number, a->name);
				return -1;
			}
		}
	}
	return 0;
}

static int
catalog_dup_cmp(const void *a, const void *b)
{
	const struct catalog_dup *x = a, *y = b;
	int d = strcmp(x->value, y->value);

	if (d != 0)
		return d;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Sort V and return the repeat that comes first in load order, or NULL. */
static const struct catalog_dup *
catalog_dup_find(struct catalog_dup *v, size_t n,
    const struct catalog_dup **first)
{
	const struct catalog_dup *found = NULL;
	size_t i, group = 0;

	qsort(v, n, sizeof *v, catalog_dup_cmp);
	for (i = 1; i < n; i++) {
		if (strcmp(v[i].value, v[group].value) != 0) {
			group = i;
			continue;
		}
		if (found == NULL || v[i].seq < found->seq) {
			found = &v[i];
			*first = &v[group];
		}
	}
	return found;
}

/* Gather the keys (WHAT 0), OIDs (1) or shell keys (2) of every setting. */
static size_t
catalog_dup_gather(const struct catalog *c, int what, struct catalog_dup *v)
{
	const struct catalog_category *cat;
	const struct catalog_setting *s;
	size_t i, j, n = 0, seq = 0;

	for (i = 0; i < c->ncategories; i++) {
		cat = c->categories[i];
		for (j = 0; j < cat->nsettings; j++, seq++) {
			s = &cat->settings[j];
			v[n].value = what == 0 ? s->key : what == 1 ? s->oid :
			    s->shell;
			if (v[n].value == NULL)
				continue;
			v[n].owner = s->key;
			v[n].file = cat->file;
			v[n].mark = what == 0 ? s->key_mark : what == 1 ?
			    s->oid_mark : s->shell_mark;
			v[n++].seq = seq;
		}
	}
	return n;
}

int
catalog_load_unique(const struct catalog *c, char **cause)
{
	static const char *const what[] = { "setting key", "OID", "shell key" };
	const struct catalog_dup *d, *first = NULL;
	struct catalog_dup *v;
	int i;

	if (catalog_unique_categories(c, cause) != 0)
		return -1;
	v = xcalloc(c->nsettings, sizeof *v);
	for (i = 0; i < 3; i++) {
		d = catalog_dup_find(v, catalog_dup_gather(c, i, v), &first);
		if (d == NULL)
			continue;
		if (i == 0)
			*cause = catalog_error(d->file, &d->mark, "duplicate "
			    "setting key '%s' (first at %s:%lu:%lu)", d->value,
			    first->file, first->mark.line, first->mark.column);
		else
			*cause = catalog_error(d->file, &d->mark, "duplicate "
			    "%s %s (first used by %s at %s:%lu:%lu)", what[i],
			    d->value, first->owner, first->file,
			    first->mark.line, first->mark.column);
		free(v);
		return -1;
	}
	free(v);
	return 0;
}

static int
catalog_key_cmp(const void *a, const void *b)
{
	const struct catalog_setting *const *x = a, *const *y = b;

	return strcmp((*x)->key, (*y)->key);
}

static int
catalog_oid_cmp(const void *a, const void *b)
{
	const struct catalog_setting *const *x = a, *const *y = b;

	return strcmp((*x)->oid, (*y)->oid);
}

/* The sorted indexes behind the lookups. */
static void
catalog_index(struct catalog *c)
{
	const struct catalog_category *cat;
	size_t i, j;

	c->by_key = xcalloc(c->nsettings, sizeof *c->by_key);
	c->by_oid = xcalloc(c->nsettings, sizeof *c->by_oid);
	c->nsettings = 0;
	for (i = 0; i < c->ncategories; i++) {
		cat = c->categories[i];
		for (j = 0; j < cat->nsettings; j++) {
			c->by_key[c->nsettings++] = &cat->settings[j];
			if (cat->settings[j].oid != NULL)
				c->by_oid[c->noids++] = &cat->settings[j];
		}
	}
	qsort(c->by_key, c->nsettings, sizeof *c->by_key, catalog_key_cmp);
	qsort(c->by_oid, c->noids, sizeof *c->by_oid, catalog_oid_cmp);
}

int
catalog_load_files(const char *const *paths, size_t n, struct catalog **out,
    char **cause)
{
	struct catalog *c;
	struct catalog_node *root;
	size_t i;
	int rc;

	*out = NULL;
	if (n == 0) {
		*cause = xstrdup("no catalog files");
		return -1;
	}
	c = xcalloc(1, sizeof *c);
	c->categories = xcalloc(n, sizeof *c->categories);
	for (i = 0; i < n; i++) {
		if (catalog_yaml_read(paths[i], &root, cause) != 0)
			goto fail;
		rc = catalog_load_category(paths[i], root, &c->categories[i],
		    cause);
		catalog_yaml_free(&root);
		if (rc != 0)
			goto fail;
		c->ncategories++;
		c->nsettings += c->categories[i]->nsettings;
	}
	if (catalog_load_unique(c, cause) != 0)
		goto fail;
	catalog_index(c);
	*out = c;
	return 0;

fail:
	catalog_free(&c);
	return -1;
}

static int
catalog_name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The *.yaml files of DIR (not hidden ones), sorted by name. */
static int
catalog_list_dir(const char *dir, char ***names, size_t *n, char **cause)
{
	struct dirent *de;
	size_t len;
	DIR *d;

	*names = NULL;
	*n = 0;
	if ((d = opendir(dir)) == NULL) {
		*cause = xasprintf("%s: %s", dir, strerror(errno));
		return -1;
	}
	while (errno = 0, (de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (de->d_name[0] == '.' || len < 6 ||
		    strcmp(de->d_name + len - 5, ".yaml") != 0)
			continue;
		*names = xreallocarray(*names, *n + 1, sizeof **names);
		(*names)[(*n)++] = xasprintf("%s/%s", dir, de->d_name);
	}
	if (errno != 0)
		*cause = xasprintf("%s: %s", dir, strerror(errno));
	else if (*n == 0)
		*cause = xasprintf("%s: no *.yaml files", dir);
	closedir(d);
	if (*cause != NULL)
		return -1;
	qsort(*names, *n, sizeof **names, catalog_name_cmp);
	return 0;
}

int
catalog_load_dir(const char *dir, struct catalog **out, char **cause)
{
	char **paths;
	size_t i, n;
	int rc = -1;

	*out = NULL;
	*cause = NULL;
	if (catalog_list_dir(dir, &paths, &n, cause) == 0)
		rc = catalog_load_files((const char *const *)paths, n, out, cause);
	for (i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
	return rc;
}

size_t
catalog_ncategories(const struct catalog *c)
{
	return c->ncategories;
}

const struct catalog_category *
catalog_category_at(const struct catalog *c, size_t i)
{
	return i < c->ncategories ? c->categories[i] : NULL;
}

const struct catalog_category *
catalog_category_find(const struct catalog *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->ncategories; i++) {
		if (strcmp(c->categories[i]->name, name) == 0)
			return c->categories[i];
	}
	return NULL;
}

const struct catalog_setting *
catalog_setting_find(const struct catalog *c, const char *key)
{
	struct catalog_setting want = { .key = (char *)key };
	const struct catalog_setting *wp = &want, *const *found;

	found = bsearch(&wp, c->by_key, c->nsettings, sizeof *c->by_key,
	    catalog_key_cmp);
	return found != NULL ? *found : NULL;
}

const struct catalog_setting *
catalog_setting_find_oid(const struct catalog *c, const char *oid)
{
	struct catalog_setting want = { .oid = (char *)oid };
	const struct catalog_setting *wp = &want, *const *found;

	found = bsearch(&wp, c->by_oid, c->noids, sizeof *c->by_oid,
	    catalog_oid_cmp);
	return found != NULL ? *found : NULL;
}

const char *
catalog_category_name(const struct catalog_category *cat)
{
	return cat->name;
}

const char *
catalog_category_title(const struct catalog_category *cat)
{
	return cat->title;
}

unsigned
catalog_category_number(const struct catalog_category *cat)
{
	return cat->number;
}

size_t
catalog_category_nsettings(const struct catalog_category *cat)
{
	return cat->nsettings;
}

const struct catalog_setting *
catalog_category_setting_at(const struct catalog_category *cat, size_t i)
{
	return i < cat->nsettings ? &cat->settings[i] : NULL;
}

const char *
catalog_setting_key(const struct catalog_setting *s)
{
	return s->key;
}

const char *
catalog_setting_title(const struct catalog_setting *s)
{
	return s->title;
}

enum catalog_type
catalog_setting_type(const struct catalog_setting *s)
{
	return s->type;
}

const struct catalog_category *
catalog_setting_category(const struct catalog_setting *s)
{
	return s->category;
}

long long
catalog_setting_min(const struct catalog_setting *s)
{
	return s->min;
}

long long
catalog_setting_max(const struct catalog_setting *s)
{
	return s->max;
}

size_t
catalog_setting_minlen(const struct catalog_setting *s)
{
	return s->minlen;
}

size_t
catalog_setting_maxlen(const struct catalog_setting *s)
{
	return s->maxlen;
}

size_t
catalog_setting_nvalues(const struct catalog_setting *s)
{
	return s->nvalues;
}

const char *
catalog_setting_value_at(const struct catalog_setting *s, size_t i)
{
	return i < s->nvalues ? s->values[i] : NULL;
}

int
catalog_setting_code_at(const struct catalog_setting *s, size_t i)
{
	return i < s->nvalues ? s->codes[i] : 0;
}

enum catalog_type
catalog_setting_item_type(const struct catalog_setting *s)
{
	return s->item;
}

size_t
catalog_setting_max_items(const struct catalog_setting *s)
{
	return s->max_items;
}

enum catalog_family
catalog_setting_family(const struct catalog_setting *s)
{
	return s->family;
}

bool
catalog_setting_prefix(const struct catalog_setting *s)
{
	return s->prefix;
}

const char *
catalog_setting_default(const struct catalog_setting *s)
{
	return s->def;
}

bool
catalog_setting_restart(const struct catalog_setting *s)
{
	return s->restart;
}

bool
catalog_setting_secret(const struct catalog_setting *s)
{
	return s->secret;
}

const char *
catalog_setting_oid(const struct catalog_setting *s)
{
	return s->oid;
}

const char *
catalog_setting_shell(const struct catalog_setting *s)
{
	return s->shell;
}
