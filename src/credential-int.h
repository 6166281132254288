/* Shared by credential.c (fields, checks) and credential-store.c. */
#ifndef QUIRE_CREDENTIAL_INT_H
#define QUIRE_CREDENTIAL_INT_H

#include <stdbool.h>

#include "credential.h"

/* The attrs column text of C's public fields (caller frees). */
char *credential_attrs_encode(const struct credential *);
/* Fill C's public fields from an attrs text; unknown keys are ignored. */
void credential_attrs_decode(struct credential *, const char *attrs);
/* The plaintext to seal: C's secrets (caller wipes, vault_wipe_free). */
unsigned char *credential_secrets_encode(const struct credential *,
    size_t *len);
/* The reverse, into C->secret[]; -1 on a malformed plaintext. */
int credential_secrets_decode(struct credential *, const unsigned char *,
    size_t len, char **cause);
/* Begin unless the caller is in a transaction (*OWN: we end it); end. */
int credential_begin(struct store *, bool *own, char **cause);
int credential_end(struct store *, bool own, int rc, char **cause);
/*
 * Collect the rows of STMT (bound by the caller; columns id, name, kind,
 * attrs, created_at and optionally the two usage counts) into a new set;
 * UNIQUE skips an id seen before.
 */
int credential_collect(struct store *, sqlite3_stmt *, bool unique,
    struct credential_set **, char **cause);
/* Free C's public strings (not C itself). */
void credential_clear(struct credential *);

#endif
