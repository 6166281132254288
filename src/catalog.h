/*
 * The settings catalog: which settings a printer has, their types and
 * constraints, and how each is reached (an SNMP OID and/or a key of the
 * management shell). Loaded from the YAML files of data/catalog/ and
 * immutable afterwards, so threads may share it: every pointer it hands out
 * is borrowed and lives as long as the catalog.
 */
#ifndef QUIRE_CATALOG_H
#define QUIRE_CATALOG_H

#include <stdbool.h>
#include <stddef.h>

enum catalog_type {
	CATALOG_BOOL,
	CATALOG_INT,
	CATALOG_ENUM,
	CATALOG_STRING,
	CATALOG_IP,
	CATALOG_HOST,
	CATALOG_LIST,
	CATALOG_SECRET,
};

/* The addresses an ip setting (or a list of ip) takes. */
enum catalog_family {
	CATALOG_FAMILY_ANY,
	CATALOG_FAMILY_IPV4,
	CATALOG_FAMILY_IPV6,
};

struct catalog;
struct catalog_category;
struct catalog_setting;

/*
 * Load every *.yaml file of DIR, in file-name order. Returns 0 with an owned
 * catalog in *OUT, or -1 with nothing loaded and *CAUSE (caller frees) as
 * "FILE:LINE:COLUMN: reason" (1-based) or "PATH: reason".
 */
int catalog_load_dir(const char *dir, struct catalog **out, char **cause);
/* The same for N files, in the order given. */
int catalog_load_files(const char *const *paths, size_t n,
    struct catalog **out, char **cause);
/* Free a catalog; accepts NULL and NULLs the pointer. */
void catalog_free(struct catalog **);

/* Categories in load order. */
size_t catalog_ncategories(const struct catalog *);
const struct catalog_category *catalog_category_at(const struct catalog *,
    size_t);
/* Lookups by name, key and numeric OID; NULL when there is none. */
const struct catalog_category *catalog_category_find(const struct catalog *,
    const char *name);
const struct catalog_setting *catalog_setting_find(const struct catalog *,
    const char *key);
const struct catalog_setting *catalog_setting_find_oid(
    const struct catalog *, const char *oid);

const char *catalog_category_name(const struct catalog_category *);
const char *catalog_category_title(const struct catalog_category *);
/* The category's arc in the vendor subtree 1.3.6.1.4.1.32473.1. */
unsigned catalog_category_number(const struct catalog_category *);
/* Settings in file order. */
size_t catalog_category_nsettings(const struct catalog_category *);
const struct catalog_setting *catalog_category_setting_at(
    const struct catalog_category *, size_t);

const char *catalog_setting_key(const struct catalog_setting *);
const char *catalog_setting_title(const struct catalog_setting *);
enum catalog_type catalog_setting_type(const struct catalog_setting *);
const struct catalog_category *catalog_setting_category(
    const struct catalog_setting *);
/* int: the allowed range (32-bit). */
long long catalog_setting_min(const struct catalog_setting *);
long long catalog_setting_max(const struct catalog_setting *);
/* string, secret and the items of a list of string: length in bytes. */
size_t catalog_setting_minlen(const struct catalog_setting *);
size_t catalog_setting_maxlen(const struct catalog_setting *);
/* enum: the values, and the INTEGER each one is over SNMP. */
size_t catalog_setting_nvalues(const struct catalog_setting *);
const char *catalog_setting_value_at(const struct catalog_setting *, size_t);
int catalog_setting_code_at(const struct catalog_setting *, size_t);
/* list: the type of its items (string, ip or host) and their most. */
enum catalog_type catalog_setting_item_type(const struct catalog_setting *);
size_t catalog_setting_max_items(const struct catalog_setting *);
/* ip and lists of ip: the family, and whether "/length" may follow. */
enum catalog_family catalog_setting_family(const struct catalog_setting *);
bool catalog_setting_prefix(const struct catalog_setting *);
/*
 * The default as catalog_check_value() takes it (a list joined with ",");
 * NULL for a secret.
 */
const char *catalog_setting_default(const struct catalog_setting *);
bool catalog_setting_restart(const struct catalog_setting *);
bool catalog_setting_secret(const struct catalog_setting *);
/* Numeric dotted OID and shell key; NULL when the setting has none. */
const char *catalog_setting_oid(const struct catalog_setting *);
const char *catalog_setting_shell(const struct catalog_setting *);

/*
 * Check VALUE against the setting's type and constraints: 0, or -1 with
 * *CAUSE (caller frees), which never quotes the value.
 */
int catalog_check_value(const struct catalog_setting *, const char *value,
    char **cause);
/* The type with its constraints: "int 0..32", "enum static|dhcp". Owned. */
char *catalog_setting_syntax(const struct catalog_setting *);
/* "bool", "int", ...; "?" for a value out of the enum. */
const char *catalog_type_name(enum catalog_type);

#endif
