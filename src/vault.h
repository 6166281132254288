/*
 * The credential vault: secrets sealed with AES-256-GCM under one key, a
 * random 32-byte key file (0600, under the config directory) or a key
 * derived from the operator's passphrase with scrypt.
 *
 * A sealed blob is a version byte, the GCM ciphertext and the 16-byte tag;
 * the 12-byte nonce is stored beside it. The version byte, the credential's
 * name and its kind are bound as additional data, so a blob moved to another
 * row does not open. The store's config table holds vault.mode ("keyfile"
 * or "passphrase"), vault.kdf (scrypt parameters and salt) and
 * vault.verifier (a known value sealed under the key), so a wrong key or
 * passphrase is reported as such.
 *
 * A struct vault is immutable once open: threads may share one.
 */
#ifndef QUIRE_VAULT_H
#define QUIRE_VAULT_H

#include <stdbool.h>
#include <stddef.h>

#include "store.h"

#define VAULT_KEY_LEN		32
#define VAULT_NONCE_LEN		12
#define VAULT_TAG_LEN		16
#define VAULT_VERSION		1
/* The shortest passphrase vault_change accepts. */
#define VAULT_PASSPHRASE_MIN	8

enum vault_mode { VAULT_KEYFILE, VAULT_PASSPHRASE };

struct vault;

/*
 * Supplies the vault passphrase (a prompt): fills *pass (caller wipes and
 * frees with vault_wipe_str) or returns -1 with *cause.
 */
typedef int (*vault_ask_fn)(void *arg, char **pass, char **cause);

struct vault_source {
	const char	*key_path;	/* NULL: paths_config_dir()/vault.key */
	vault_ask_fn	 ask;		/* NULL: QUIRE_PASSPHRASE_FILE only */
	void		*ask_arg;
};

/* The mode recorded in the store (VAULT_KEYFILE when none is). */
int vault_mode(struct store *, enum vault_mode *, char **cause);

/*
 * Open the vault of the store. Key-file mode reads the key file, creating
 * it (0600, directory 0700) only while the store holds no credential; a
 * group/other-accessible key file is refused. Passphrase mode takes the
 * passphrase from $QUIRE_PASSPHRASE_FILE (its first line), else SRC->ask,
 * and fails with "wrong vault passphrase" on a mismatch. Does not write to
 * the store. Caller frees with vault_free.
 */
int vault_open(struct store *, const struct vault_source *,
    struct vault **out, char **cause);
/* Wipe the key and free; NULLs the pointer. */
void vault_free(struct vault **);
enum vault_mode vault_get_mode(const struct vault *);

/*
 * Make the store's vault.verifier (and mode) match V, writing it when the
 * store has none or has no credential yet. Call inside the transaction that
 * adds a credential; fails if credentials sealed under another key exist.
 */
int vault_bind(struct store *, const struct vault *, char **cause);

/*
 * Seal LEN bytes of PT for the credential NAME of KIND: a fresh random
 * nonce into NONCE and the blob into *CT (caller frees), *CTLEN its size.
 */
int vault_seal(const struct vault *, const char *name, const char *kind,
    const void *pt, size_t len, unsigned char nonce[VAULT_NONCE_LEN],
    unsigned char **ct, size_t *ctlen, char **cause);
/*
 * Open a blob sealed for NAME of KIND. *PT (caller wipes and frees with
 * vault_wipe_free) is NUL-terminated beyond *PTLEN. Fails, saying so, on a
 * wrong key or any change to nonce, blob, name or kind.
 */
int vault_unseal(const struct vault *, const char *name, const char *kind,
    const unsigned char *nonce, size_t noncelen, const unsigned char *ct,
    size_t ctlen, unsigned char **pt, size_t *ptlen, char **cause);

/*
 * Re-key: protect the vault with PASSPHRASE (at least VAULT_PASSPHRASE_MIN
 * characters; NULL goes back to the key file at SRC's path, created if
 * missing), re-sealing every credential and the config in one transaction
 * (nothing changes if any step fails). On success *V is the new vault.
 */
int vault_change(struct store *, struct vault **v, const char *passphrase,
    const struct vault_source *src, char **cause);

/*
 * A vault bound to no store, keyed by PASS through scrypt: with KDF NULL a
 * fresh salt and the default parameters, else the parameters and salt of
 * KDF as vault_kdf() gave it. For files that carry their own passphrase
 * (setting data exports). Caller frees with vault_free.
 */
int vault_from_passphrase(const char *pass, const char *kdf,
    struct vault **out, char **cause);
/* "scrypt:N=..,r=..,p=..:SALTHEX" of a passphrase vault, else NULL. */
const char *vault_kdf(const struct vault *);

/* The key file's path for SRC (caller frees). */
char *vault_key_path(const struct vault_source *);

/*
 * Read all of PATH (at most MAX bytes) into *OUT (NUL-terminated, caller
 * wipes with vault_wipe_free(*OUT, *LEN + 1)), refusing a file group or
 * others may read, saying why.
 */
int vault_read_private_file(const char *path, size_t max, char **out,
    size_t *len, char **cause);
/* The first line of such a file (the passphrase file); vault_wipe_str. */
int vault_read_secret_file(const char *path, char **out, char **cause);

/* OPENSSL_cleanse LEN bytes of P and free it; NULL is fine. */
void vault_wipe_free(void *p, size_t len);
/* The same for a NUL-terminated string. */
void vault_wipe_str(char *s);

#endif
