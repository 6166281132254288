#include "config.h"

#include "vault.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "log.h"
#include "vault-int.h"
#include "xmalloc.h"

/* What the verifier seals, and the "kind" it is sealed as. */
#define VAULT_VERIFIER_TEXT	"quire vault verifier"
#define VAULT_VERIFIER_KIND	"vault.verifier"
/* No secret quire keeps comes close; bounds EVP's int lengths. */
#define VAULT_MAX_PLAIN		(1024 * 1024)

void
vault_wipe_free(void *p, size_t len)
{
	if (p == NULL)
		return;
	OPENSSL_cleanse(p, len);
	free(p);
}

void
vault_wipe_str(char *s)
{
	if (s != NULL)
		vault_wipe_free(s, strlen(s));
}

void
vault_free(struct vault **vp)
{
	struct vault *v = *vp;

	if (v == NULL)
		return;
	OPENSSL_cleanse(v->key, sizeof v->key);
	free(v->kdf);
	free(v);
	*vp = NULL;
}

enum vault_mode
vault_get_mode(const struct vault *v)
{
	return v->mode;
}

/* "quire-vault" NUL version NUL name NUL kind: binds a blob to its row. */
static unsigned char *
vault_aad(const char *name, const char *kind, size_t *len)
{
	static const char tag[] = "quire-vault";
	size_t nlen = strlen(name), klen = strlen(kind), off = 0;
	unsigned char *aad;

	*len = sizeof tag + 2 + nlen + 1 + klen;
	aad = xmalloc(*len);
	memcpy(aad, tag, sizeof tag);
	off = sizeof tag;
	aad[off++] = VAULT_VERSION;
	aad[off++] = '\0';
	memcpy(aad + off, name, nlen);
	off += nlen;
	aad[off++] = '\0';
	memcpy(aad + off, kind, klen);
	return aad;
}

/* AES-256-GCM over PT into OUT (LEN bytes) and TAG. */
static int
vault_gcm_encrypt(const unsigned char *key, const unsigned char *nonce,
    const unsigned char *aad, size_t aadlen, const unsigned char *pt,
    size_t len, unsigned char *out, unsigned char *tag)
{
	EVP_CIPHER_CTX *ctx;
	int n, ok;

	if ((ctx = EVP_CIPHER_CTX_new()) == NULL)
		return -1;
	ok = EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, NULL, NULL) &&
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, VAULT_NONCE_LEN,
	    NULL) && EVP_EncryptInit_ex(ctx, NULL, NULL, key, nonce) &&
	    EVP_EncryptUpdate(ctx, NULL, &n, aad, (int)aadlen) &&
	    (len == 0 || EVP_EncryptUpdate(ctx, out, &n, pt, (int)len)) &&
	    EVP_EncryptFinal_ex(ctx, out + len, &n) &&
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, VAULT_TAG_LEN, tag);
	EVP_CIPHER_CTX_free(ctx);
	return ok ? 0 : -1;
}

/* The reverse; -1 when the tag does not match (wrong key, altered data). */
static int
vault_gcm_decrypt(const unsigned char *key, const unsigned char *nonce,
    const unsigned char *aad, size_t aadlen, const unsigned char *ct,
    size_t len, const unsigned char *tag, unsigned char *out)
{
	EVP_CIPHER_CTX *ctx;
	unsigned char tagcopy[VAULT_TAG_LEN];
	int n, ok;

	if ((ctx = EVP_CIPHER_CTX_new()) == NULL)
		return -1;
	memcpy(tagcopy, tag, sizeof tagcopy);
	ok = EVP_DecryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, NULL, NULL) &&
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, VAULT_NONCE_LEN,
	    NULL) && EVP_DecryptInit_ex(ctx, NULL, NULL, key, nonce) &&
	    EVP_DecryptUpdate(ctx, NULL, &n, aad, (int)aadlen) &&
	    (len == 0 || EVP_DecryptUpdate(ctx, out, &n, ct, (int)len)) &&
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, VAULT_TAG_LEN,
	    tagcopy) && EVP_DecryptFinal_ex(ctx, out + len, &n) > 0;
	EVP_CIPHER_CTX_free(ctx);
	return ok ? 0 : -1;
}

int
vault_seal(const struct vault *v, const char *name, const char *kind,
    const void *pt, size_t len, unsigned char nonce[VAULT_NONCE_LEN],
    unsigned char **ct, size_t *ctlen, char **cause)
{
	unsigned char *aad, *blob;
	size_t aadlen;
	int rc;

	if (len > VAULT_MAX_PLAIN) {
		*cause = xasprintf("secret of %s is too long (%zu bytes)", name,
		    len);
		return -1;
	}
	if (RAND_bytes(nonce, VAULT_NONCE_LEN) != 1) {
		*cause = xstrdup("no random bytes for a nonce");
		return -1;
	}
	aad = vault_aad(name, kind, &aadlen);
	blob = xmalloc(1 + len + VAULT_TAG_LEN);
	blob[0] = VAULT_VERSION;
	rc = vault_gcm_encrypt(v->key, nonce, aad, aadlen, pt, len, blob + 1,
	    blob + 1 + len);
	free(aad);
	if (rc != 0) {
		free(blob);
		*cause = xasprintf("cannot seal the secret of %s", name);
		return -1;
	}
	*ct = blob;
	*ctlen = 1 + len + VAULT_TAG_LEN;
	return 0;
}

int
vault_unseal(const struct vault *v, const char *name, const char *kind,
    const unsigned char *nonce, size_t noncelen, const unsigned char *ct,
    size_t ctlen, unsigned char **pt, size_t *ptlen, char **cause)
{
	unsigned char *aad, *out;
	size_t aadlen, len;
	int rc;

	if (noncelen != VAULT_NONCE_LEN || ctlen < 1 + VAULT_TAG_LEN) {
		*cause = xasprintf("the secret of %s is damaged", name);
		return -1;
	}
	if (ct[0] != VAULT_VERSION) {
		*cause = xasprintf("the secret of %s is sealed in vault format "
		    "%u, which this quire does not know", name, ct[0]);
		return -1;
	}
	len = ctlen - 1 - VAULT_TAG_LEN;
	aad = vault_aad(name, kind, &aadlen);
	out = xmalloc(len + 1);
	rc = vault_gcm_decrypt(v->key, nonce, aad, aadlen, ct + 1, len,
	    ct + 1 + len, out);
	free(aad);
	if (rc != 0) {
		vault_wipe_free(out, len + 1);
		*cause = xasprintf("cannot open the secret of %s: wrong vault "
		    "key or altered data", name);
		return -1;
	}
	out[len] = '\0';
	*pt = out;
	*ptlen = len;
	return 0;
}

char *
vault_hex(const unsigned char *p, size_t len)
{
	static const char digits[] = "0123456789abcdef";
	char *s = xmalloc(2 * len + 1);
	size_t i;

	for (i = 0; i < len; i++) {
		s[2 * i] = digits[p[i] >> 4];
		s[2 * i + 1] = digits[p[i] & 15];
	}
	s[2 * len] = '\0';
	return s;
}

unsigned char *
vault_unhex(const char *hex, size_t *len)
{
	size_t n = strlen(hex), i;
	unsigned char *p;
	unsigned int byte;

	if (n % 2 != 0 || strspn(hex, "0123456789abcdef") != n)
		return NULL;
	p = xmalloc(n / 2 + 1);
	for (i = 0; i < n / 2; i++) {
		sscanf(hex + 2 * i, "%2x", &byte);
		p[i] = (unsigned char)byte;
	}
	*len = n / 2;
	return p;
}

char *
vault_verifier_make(const struct vault *v, char **cause)
{
	unsigned char nonce[VAULT_NONCE_LEN], *ct, *all;
	size_t ctlen;
	char *hex;

	if (vault_seal(v, "", VAULT_VERIFIER_KIND, VAULT_VERIFIER_TEXT,
	    strlen(VAULT_VERIFIER_TEXT), nonce, &ct, &ctlen, cause) != 0)
		return NULL;
	all = xmalloc(sizeof nonce + ctlen);
	memcpy(all, nonce, sizeof nonce);
	memcpy(all + sizeof nonce, ct, ctlen);
	hex = vault_hex(all, sizeof nonce + ctlen);
	free(all);
	free(ct);
	return hex;
}

bool
vault_verifier_opens(const struct vault *v, const char *hex)
{
	unsigned char *all, *pt;
	size_t len, ptlen;
	char *cause = NULL;
	bool ok = false;

	if ((all = vault_unhex(hex, &len)) == NULL)
		return false;
	if (len > VAULT_NONCE_LEN && vault_unseal(v, "", VAULT_VERIFIER_KIND,
	    all, VAULT_NONCE_LEN, all + VAULT_NONCE_LEN, len - VAULT_NONCE_LEN,
	    &pt, &ptlen, &cause) == 0) {
		ok = ptlen == strlen(VAULT_VERIFIER_TEXT) &&
		    memcmp(pt, VAULT_VERIFIER_TEXT, ptlen) == 0;
		vault_wipe_free(pt, ptlen);
	}
	free(cause);
	free(all);
	return ok;
}

int
vault_count(struct store *st, long long *n, char **cause)
{
	/* Everything sealed with the key: credentials, the secrets of
	 * registered setting data and of backups. */
	static const char sql[] = "SELECT (SELECT count(*) FROM credentials)"
	    " + (SELECT count(*) FROM setting_data_entries"
	    " WHERE ciphertext IS NOT NULL)"
	    " + (SELECT count(*) FROM backup_secrets)";
	sqlite3_stmt *stmt;
	int rc;

	if (store_prepare(st, sql, &stmt, cause) != 0)
		return -1;
	if ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		*n = sqlite3_column_int64(stmt, 0);
	sqlite3_reset(stmt);
	if (rc != SQLITE_ROW) {
		*cause = store_cause(st, "count credentials");
		return -1;
	}
	return 0;
}

int
vault_mode(struct store *st, enum vault_mode *mode, char **cause)
{
	char *s;

	if (store_config_get(st, "vault.mode", &s, cause) != 0)
		return -1;
	*mode = s != NULL && strcmp(s, "passphrase") == 0 ? VAULT_PASSPHRASE :
	    VAULT_KEYFILE;
	free(s);
	return 0;
}

/* The vault passphrase: $QUIRE_PASSPHRASE_FILE, else the prompt. */
static int
vault_get_passphrase(const struct vault_source *src, char **pass,
    char **cause)
{
	const char *file = getenv("QUIRE_PASSPHRASE_FILE");

	if (file != NULL && *file != '\0')
		return vault_read_secret_file(file, pass, cause);
	if (src != NULL && src->ask != NULL)
		return src->ask(src->ask_arg, pass, cause);
	*cause = xstrdup("the vault is protected by a passphrase: set "
	    "QUIRE_PASSPHRASE_FILE to a file holding it, or run on a terminal");
	return -1;
}

static int
vault_open_passphrase(struct store *st, const struct vault_source *src,
    const char *verifier, struct vault *v, char **cause)
{
	char *pass = NULL;
	int rc;

	if (store_config_get(st, "vault.kdf", &v->kdf, cause) != 0)
		return -1;
	if (v->kdf == NULL || verifier == NULL) {
		*cause = xasprintf("%s: the vault's passphrase settings are "
		    "missing (vault.kdf, vault.verifier)", store_path(st));
		return -1;
	}
	if (vault_get_passphrase(src, &pass, cause) != 0)
		return -1;
	rc = vault_derive(v, pass, cause);
	vault_wipe_str(pass);
	if (rc != 0)
		return -1;
	if (!vault_verifier_opens(v, verifier)) {
		*cause = xstrdup("wrong vault passphrase");
		return -1;
	}
	return 0;
}

static int
vault_open_keyfile(struct store *st, const struct vault_source *src,
    const char *verifier, struct vault *v, char **cause)
{
	char *path = vault_key_path(src);
	long long n = 0;
	int rc;

	if (vault_count(st, &n, cause) != 0) {
		free(path);
		return -1;
	}
	rc = vault_key_read(path, v->key, cause);
	if (rc == -2 && n > 0)
		*cause = xasprintf("vault key %s is missing, and %s holds %lld "
		    "credential(s) sealed with it: restore the file (quire "
		    "never makes a new key while credentials exist)", path,
		    store_path(st), n);
	else if (rc == -2) {
		log_info("creating vault key %s", path);
		rc = vault_key_create(path, v->key, cause);
	}
	if (rc == 0 && n > 0 && verifier != NULL &&
	    !vault_verifier_opens(v, verifier)) {
		*cause = xasprintf("vault key %s does not open the credentials "
		    "in %s (they were sealed with another key)", path,
		    store_path(st));
		rc = -1;
	}
	free(path);
	return rc == 0 ? 0 : -1;
}

int
vault_open(struct store *st, const struct vault_source *src,
    struct vault **out, char **cause)
{
	struct vault *v = xcalloc(1, sizeof *v);
	char *verifier = NULL;
	int rc;

	*out = NULL;
	if (vault_mode(st, &v->mode, cause) != 0 ||
	    store_config_get(st, "vault.verifier", &verifier, cause) != 0) {
		vault_free(&v);
		return -1;
	}
	if (v->mode == VAULT_PASSPHRASE)
		rc = vault_open_passphrase(st, src, verifier, v, cause);
	else
		rc = vault_open_keyfile(st, src, verifier, v, cause);
	free(verifier);
	if (rc != 0) {
		vault_free(&v);
		return -1;
	}
	*out = v;
	return 0;
}

int
vault_bind_write(struct store *st, const struct vault *v, char **cause)
{
	char *verifier;
	int rc;

	if ((verifier = vault_verifier_make(v, cause)) == NULL)
		return -1;
	rc = store_config_set(st, "vault.mode", v->mode == VAULT_PASSPHRASE ?
	    "passphrase" : "keyfile", cause) == 0 &&
	    store_config_set(st, "vault.kdf", v->kdf, cause) == 0 &&
	    store_config_set(st, "vault.verifier", verifier, cause) == 0 ?
	    0 : -1;
	free(verifier);
	return rc;
}

int
vault_bind(struct store *st, const struct vault *v, char **cause)
{
	enum vault_mode mode;
	char *verifier = NULL;
	long long n = 0;
	bool same;

	if (vault_mode(st, &mode, cause) != 0 ||
	    store_config_get(st, "vault.verifier", &verifier, cause) != 0)
		return -1;
	same = mode == v->mode && verifier != NULL &&
	    vault_verifier_opens(v, verifier);
	free(verifier);
	if (same)
		return 0;
	if (vault_count(st, &n, cause) != 0)
		return -1;
	if (n > 0) {
		*cause = xasprintf("%s: its credentials are sealed with another "
		    "vault key (was the passphrase changed meanwhile?)",
		    store_path(st));
		return -1;
	}
	return vault_bind_write(st, v, cause);
}
