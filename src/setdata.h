/*
 * Setting data: the one YAML format (DESIGN.md, "Setting data files") for
 * backups exported from quire, data prepared for distribution, standards,
 * and what a printer's shell prints for `settings export`:
 *
 *	quire: setting-data/1
 *	name: office-standard
 *	model: any
 *	settings:
 *	  device.location: "Floor 3, east"
 *
 * Values are kept as the strings catalog_check_value() takes (a list joined
 * with ","). A secret is never written in clear: it is left out, or written
 * encrypted with an export passphrase.
 */
#ifndef QUIRE_SETDATA_H
#define QUIRE_SETDATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "catalog.h"

#define SETDATA_FORMAT "setting-data/1"

struct setdata;

/* Every problem found in one go, each "NAME:LINE:COLUMN: reason". */
struct setdata_errors {
	char	**msgs;
	size_t	  n;
};
void setdata_errors_clear(struct setdata_errors *);

/* An empty set named NAME for MODEL ("any" when NULL). */
struct setdata *setdata_new(const char *name, const char *model);
void setdata_free(struct setdata **);

/* Add or replace KEY = VALUE; SECRET: never written in clear. */
void setdata_add(struct setdata *, const char *key, const char *value,
    bool secret);

const char *setdata_name(const struct setdata *);
const char *setdata_model(const struct setdata *);
/* Entries in the order added or read. */
size_t setdata_count(const struct setdata *);
const char *setdata_key_at(const struct setdata *, size_t);
const char *setdata_value_at(const struct setdata *, size_t);
bool setdata_secret_at(const struct setdata *, size_t);

/*
 * Parse BUF (LEN bytes; NAME is used in messages) and check every entry
 * against CAT: unknown key, wrong type, out of range. Encrypted secrets are
 * opened with PASSPHRASE (NULL: an encrypted secret is an error); a secret
 * in clear is accepted. Returns 0, or -1 with every problem appended to
 * *ERRS; either way *OUT holds the entries that were good (NULL when the
 * text is not setting data at all: broken YAML, not a mapping, no or a
 * wrong "quire:" tag).
 */
int setdata_parse(const struct catalog *cat, const char *name,
    const char *buf, size_t len, const char *passphrase,
    struct setdata **out, struct setdata_errors *errs);
/* The same for the file PATH. */
int setdata_parse_file(const struct catalog *cat, const char *path,
    const char *passphrase, struct setdata **out,
    struct setdata_errors *errs);

/*
 * Write SD as YAML to PATH (0600, replaced atomically), one comment line per
 * setting giving its title, type and range from CAT. Secrets are left out
 * (a comment says which) when PASSPHRASE is NULL, else encrypted with it.
 */
int setdata_write_file(const struct setdata *sd, const struct catalog *cat,
    const char *path, const char *passphrase, char **cause);

/*
 * Additions beyond the first contract.
 */

/* Change the name (NULL: none) or the model (NULL: "any"). */
void setdata_set_name(struct setdata *, const char *name);
void setdata_set_model(struct setdata *, const char *model);
/* How many secrets hold a value. */
size_t setdata_nsecrets(const struct setdata *);

/* setdata_write_file() to the stream F (stdout, a memory stream). */
int setdata_write(const struct setdata *sd, const struct catalog *cat,
    FILE *f, const char *passphrase, char **cause);

/*
 * Setting data registered in the store (setdata-store.c). Secrets are
 * sealed through the vault as the credentials are; every string of a
 * setdata_info is owned by it.
 */
struct store;
struct vault;

struct setdata_info {
	int64_t		 id;
	char		*name;
	char		*model;
	char		*source;	/* a file path, "backup N", or NULL */
	char		*created_by;
	int64_t		 created_at;	/* ms since the epoch */
	size_t		 nsettings;
	size_t		 nsecrets;
};

/*
 * Register SD as NAME (text_check_name rules) from SOURCE, audited under
 * WHO. V seals its secrets (NULL is fine when SD has none); secrets without
 * a value are not stored. An existing NAME is refused unless REPLACE, and
 * then replaced in the same transaction. Nothing is kept on failure.
 */
int setdata_store_add(struct store *, const struct vault *v,
    const struct setdata *sd, const char *name, const char *source,
    const char *who, bool replace, char **cause);
/* Every registered set, by name. */
int setdata_store_list(struct store *, struct setdata_info **out, size_t *n,
    char **cause);
/* One by name; -1 with "no setting data NAME" when there is none. */
int setdata_store_find(struct store *, const char *name,
    struct setdata_info *out, char **cause);
/*
 * The entries of NAME in their order. With V its secrets are opened; with V
 * NULL they come back as secrets without a value.
 */
int setdata_store_get(struct store *, const struct vault *v,
    const char *name, struct setdata **out, char **cause);
/* Remove NAME, audited under WHO. */
int setdata_store_remove(struct store *, const char *name, const char *who,
    char **cause);
void setdata_info_clear(struct setdata_info *);
void setdata_infos_free(struct setdata_info **, size_t n);

#endif
