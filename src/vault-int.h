/* Shared between vault.c (sealing, config, open) and vault-key.c (keys). */
#ifndef QUIRE_VAULT_INT_H
#define QUIRE_VAULT_INT_H

#include "vault.h"

/* scrypt defaults for a new passphrase: N = 2^15, r = 8, p = 1. */
#define VAULT_SCRYPT_N		32768
#define VAULT_SCRYPT_R		8
#define VAULT_SCRYPT_P		1
#define VAULT_SALT_LEN		16

struct vault {
	enum vault_mode	 mode;
	unsigned char	 key[VAULT_KEY_LEN];
	char		*kdf;	/* passphrase mode: "scrypt:N=..,r=..,p=..:SALT" */
};

/* How many credentials the store holds. */
int vault_count(struct store *, long long *n, char **cause);
/* Record V as the store's vault: mode, kdf and a fresh verifier. */
int vault_bind_write(struct store *, const struct vault *, char **cause);
/* The verifier of V, hex, caller frees. */
char *vault_verifier_make(const struct vault *, char **cause);
/* True when HEX was made by vault_verifier_make under V's key. */
bool vault_verifier_opens(const struct vault *, const char *hex);

/* Hex of LEN bytes; and back (NULL unless HEX is lower-case hex pairs). */
char *vault_hex(const unsigned char *, size_t len);
unsigned char *vault_unhex(const char *hex, size_t *len);
/* Key file: read it; -2 when it does not exist (no *cause then). */
int vault_key_read(const char *path, unsigned char key[VAULT_KEY_LEN],
    char **cause);
/* Key file: create it with a fresh key, or read the one a racer made. */
int vault_key_create(const char *path, unsigned char key[VAULT_KEY_LEN],
    char **cause);
/* Derive V's key from PASS with V->kdf; -1 on a damaged kdf string. */
int vault_derive(struct vault *, const char *pass, char **cause);
/* A new passphrase vault with a fresh salt and the default parameters. */
int vault_new_passphrase(const char *pass, struct vault **out, char **cause);

#endif
