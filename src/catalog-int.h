/*
 * Inside the catalog: its structures, the YAML tree a file is read into and
 * the steps of loading. Only src/catalog*.c include this.
 */
#ifndef QUIRE_CATALOG_INT_H
#define QUIRE_CATALOG_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "catalog.h"

/* A place in a file, 1-based. */
struct catalog_mark {
	unsigned long	 line;
	unsigned long	 column;
};

struct catalog_setting {
	const struct catalog_category *category;
	char		*key;
	char		*title;
	enum catalog_type type;
	long long	 min;		/* int */
	long long	 max;
	size_t		 minlen;	/* string, secret, list of string */
	size_t		 maxlen;
	char		**values;	/* enum */
	int		*codes;
	size_t		 nvalues;
	enum catalog_type item;		/* list */
	size_t		 max_items;
	enum catalog_family family;	/* ip, list of ip */
	bool		 prefix;
	char		*def;		/* NULL for a secret */
	bool		 restart;
	bool		 secret;
	char		*oid;		/* NULL when none */
	char		*shell;		/* NULL when none */

	/* Where it came from, to name the duplicates. */
	struct catalog_mark key_mark;
	struct catalog_mark oid_mark;
	struct catalog_mark shell_mark;
};

struct catalog_category {
	char		*file;
	char		*name;
	char		*title;
	unsigned	 number;
	struct catalog_setting *settings;
	size_t		 nsettings;
	struct catalog_mark name_mark;
	struct catalog_mark number_mark;
};

struct catalog {
	struct catalog_category **categories;
	size_t		 ncategories;
	const struct catalog_setting **by_key;	/* sorted by key */
	size_t		 nsettings;	/* all settings, also while loading */
	const struct catalog_setting **by_oid;	/* sorted by OID */
	size_t		 noids;
};

enum catalog_node_kind {
	CATALOG_NODE_SCALAR,
	CATALOG_NODE_SEQUENCE,
	CATALOG_NODE_MAPPING,
};

/* A YAML node; a mapping's items are key, value, key, value... */
struct catalog_node {
	enum catalog_node_kind kind;
	char		*value;		/* scalar, NUL-free */
	struct catalog_node **items;
	size_t		 nitems;
	size_t		 cap;
	struct catalog_mark mark;
};

/*
 * Read PATH into a tree (no aliases, bounded depth, one document). Returns 0
 * with an owned *ROOT, or -1 with *CAUSE as "PATH:LINE:COLUMN: reason".
 */
int catalog_yaml_read(const char *path, struct catalog_node **root,
    char **cause);
void catalog_yaml_free(struct catalog_node **);

/* "PATH:LINE:COLUMN: " + the formatted reason; caller frees. */
char *catalog_error(const char *path, const struct catalog_mark *,
    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* The fields of one mapping: value nodes, and the key nodes naming them. */
#define CATALOG_FIELDS_MAX 24
struct catalog_fields {
	const char		 *path;
	const struct catalog_node *map;
	const struct catalog_node *v[CATALOG_FIELDS_MAX];
	const struct catalog_node *k[CATALOG_FIELDS_MAX];
};

/* Sort the fields of F->map by NAMES; refuse unknown or repeated ones. */
int catalog_field_collect(struct catalog_fields *, const char *const *names,
    size_t nnames, char **cause);
/* Refuse a mapping without field I (of NAMES). */
int catalog_field_require(const struct catalog_fields *,
    const char *const *names, size_t i, char **cause);
/* Refuse a node that is not a scalar: "FIELD: expected WHAT". */
int catalog_field_scalar(const char *path, const struct catalog_node *,
    const char *field, const char *what, char **cause);
/* A non-empty clean string, copied to *OUT. */
int catalog_field_text(const char *path, const struct catalog_node *,
    const char *field, char **out, char **cause);
int catalog_field_bool(const char *path, const struct catalog_node *,
    const char *field, bool *out, char **cause);
/* A canonical integer from LO to HI. */
int catalog_field_integer(const char *path, const struct catalog_node *,
    const char *field, long long lo, long long hi, long long *out,
    char **cause);
/* Words of [a-z0-9_] joined by dots: at least NMIN, at most MAXLEN bytes. */
bool catalog_field_dotted(const char *s, size_t maxlen, size_t nmin);

/* Turn the tree of PATH into a category; -1 with *CAUSE on the first error. */
int catalog_load_category(const char *path, const struct catalog_node *root,
    struct catalog_category **out, char **cause);
void catalog_category_free(struct catalog_category **);
/* Refuse a catalog whose names, numbers, keys, OIDs or shell keys repeat. */
int catalog_load_unique(const struct catalog *, char **cause);

/* Check a value against an ip or host constraint (also for list items). */
int catalog_value_ip(enum catalog_family, bool prefix, const char *value,
    char **cause);
int catalog_value_host(const char *value, char **cause);
/* Parse a canonical decimal integer; -1 if S is not one or out of range. */
int catalog_value_integer(const char *s, long long *out);
/* A well-formed numeric OID: 2 to 128 arcs of 32 bits, no leading zeros. */
bool catalog_value_oid(const char *s);

#endif
