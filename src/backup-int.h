/*
 * Backups' private parts, shared by src/backup-*.c: the stored form of a
 * snapshot's content (the body) and the store helpers.
 *
 * A body is one line per setting, sorted by key: "KEY=VALUE\n", or for a
 * secret "KEY!ID\n" with ID the backup_secrets row holding it sealed
 * (nonce and ciphertext; the vault's additional data binds KEY and
 * "backup"). Values are sanitised text (no control character), so a line
 * never breaks inside one; keys are catalog keys ([a-z0-9_.]). Sealed
 * secrets live outside the body so that a vault change re-seals them in
 * place without changing any content's address.
 */
#ifndef QUIRE_BACKUP_INT_H
#define QUIRE_BACKUP_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "backup.h"
#include "store.h"

#define BACKUP_HASH_LEN		32	/* SHA-256 */
/* The vault's additional data for a backed-up secret: (key, this). */
#define BACKUP_VAULT_KIND	"backup"

/*
 * Parse a body into *OUT (sorted as stored). A secret's VALUE holds its
 * backup_secrets id, not the secret. -1 with *CAUSE on a damaged body.
 */
int backup_body_parse(const char *body, size_t len,
    struct backup_value **out, size_t *n, char **cause);
/* The body of N values (sorted, secrets already sealed). Caller frees. */
char *backup_body_make(const struct backup_value *v, size_t n, size_t *len);
/* SHA-256 of LEN bytes at P. */
void backup_body_hash(const void *p, size_t len,
    unsigned char out[BACKUP_HASH_LEN]);

/* Seal PLAIN for KEY with V in a new backup_secrets row: its id as text
 * into *REF (caller frees). */
int backup_secret_seal(struct store *, const struct vault *v,
    const char *key, const char *plain, char **ref, char **cause);
/* Open secret REF of KEY with V; caller frees with vault_wipe_str. */
int backup_secret_open(struct store *, const struct vault *v,
    const char *key, const char *ref, char **plain, char **cause);
/* Delete secret REF when no content refers to it any more. */
int backup_secret_drop(struct store *, const char *ref, char **cause);

/* The body of snapshot ID (caller frees), or -1 with "no backup ID". */
int backup_body_load(struct store *, int64_t id, char **body, size_t *len,
    char **cause);

/* Whether NAME is an item of the comma list LIST (NULL: none). */
bool backup_category_listed(const char *list, const char *name);

/* Begin unless in a transaction already (*OWN says which); end likewise. */
int backup_begin(struct store *, bool *own, char **cause);
int backup_end(struct store *, bool own, int rc, char **cause);

#endif
