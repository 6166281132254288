/*
 * Secrets in exported setting data, encrypted with the operator's export
 * passphrase. The vault does the work (scrypt, AES-256-GCM, the setting's
 * key bound as additional data, so a value moved to another key does not
 * open); this file gives it the shape of one YAML scalar:
 *
 *	scrypt:N=32768,r=8,p=1:SALTHEX:BASE64(nonce | sealed blob)
 *
 * A writer derives one key per file (one salt); a reader derives once per
 * distinct salt it meets.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "setdata-int.h"
#include "vault.h"
#include "xmalloc.h"

/* What the blobs are sealed as (the vault's "kind"). */
#define SETDATA_CRYPT_KIND	"setting-data"
/* A file may not ask scrypt for more memory than this. */
#define SETDATA_CRYPT_MAXMEM	(256ULL * 1024 * 1024)

struct setdata_crypt {
	char		*pass;
	struct vault	*v;
};

int
setdata_crypt_new(const char *passphrase, struct setdata_crypt **out,
    char **cause)
{
	struct setdata_crypt *c;

	if (passphrase == NULL || *passphrase == '\0') {
		*cause = xstrdup("the passphrase is empty");
		return -1;
	}
	c = xcalloc(1, sizeof *c);
	c->pass = xstrdup(passphrase);
	*out = c;
	return 0;
}

void
setdata_crypt_free(struct setdata_crypt **cp)
{
	struct setdata_crypt *c = *cp;

	if (c == NULL)
		return;
	vault_wipe_str(c->pass);
	vault_free(&c->v);
	free(c);
	*cp = NULL;
}

int
setdata_crypt_seal(struct setdata_crypt *c, const char *key,
    const char *value, char **text, char **cause)
{
	unsigned char nonce[VAULT_NONCE_LEN], *ct, *all;
	size_t ctlen, alllen;
	char *b64;

	if (c->v == NULL &&
	    vault_from_passphrase(c->pass, NULL, &c->v, cause) != 0)
		return -1;
	if (vault_seal(c->v, key, SETDATA_CRYPT_KIND, value, strlen(value),
	    nonce, &ct, &ctlen, cause) != 0)
		return -1;
	alllen = sizeof nonce + ctlen;
	all = xmalloc(alllen);
	memcpy(all, nonce, sizeof nonce);
	memcpy(all + sizeof nonce, ct, ctlen);
	free(ct);
	b64 = xmalloc(4 * ((alllen + 2) / 3) + 1);
	EVP_EncodeBlock((unsigned char *)b64, all, (int)alllen);
	free(all);
	*text = xasprintf("%s:%s", vault_kdf(c->v), b64);
	free(b64);
	return 0;
}

/* Strict base64 of at most 64 KiB; NULL when it is not. */
static unsigned char *
setdata_crypt_unbase64(const char *s, size_t *len)
{
	static const char set[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t n = strlen(s), body = strspn(s, set), pad = n - body;
	unsigned char *out;
	int got;

	if (n == 0 || n % 4 != 0 || n > 65536 || pad > 2 ||
	    strspn(s + body, "=") != pad)
		return NULL;
	out = xmalloc(n / 4 * 3 + 1);
	if ((got = EVP_DecodeBlock(out, (const unsigned char *)s,
	    (int)n)) < 0 || (size_t)got < pad) {
		free(out);
		return NULL;
	}
	*len = (size_t)got - pad;
	return out;
}

/* KDF ("scrypt:N=..,r=..,p=..:SALT") within what a file may ask for. */
static bool
setdata_crypt_kdf_ok(const char *kdf)
{
	unsigned long long n;
	unsigned r, p;
	int end = 0;

	if (sscanf(kdf, "scrypt:N=%llu,r=%u,p=%u:%*[0-9a-f]%n", &n, &r, &p,
	    &end) != 3 || end == 0 || kdf[end] != '\0')
		return false;
	if (n < 2 || (n & (n - 1)) != 0 || r == 0 || r > 32 || p == 0 ||
	    p > 4 || strlen(strrchr(kdf, ':') + 1) < 16)
		return false;
	return 128ULL * r * n <= SETDATA_CRYPT_MAXMEM;
}

/* The vault for KDF: the cached one, or derived now. */
static int
setdata_crypt_key(struct setdata_crypt *c, const char *kdf, char **cause)
{
	char *why = NULL;

	if (c->v != NULL && strcmp(vault_kdf(c->v), kdf) == 0)
		return 0;
	vault_free(&c->v);
	if (!setdata_crypt_kdf_ok(kdf)) {
		*cause = xstrdup("damaged encrypted value (its scrypt "
		    "parameters)");
		return -1;
	}
	if (vault_from_passphrase(c->pass, kdf, &c->v, &why) != 0) {
		*cause = xasprintf("cannot derive the key: %s", why);
		free(why);
		return -1;
	}
	return 0;
}

int
setdata_crypt_open(struct setdata_crypt *c, const char *key,
    const char *text, char **value, char **cause)
{
	const char *colon = strrchr(text, ':');
	unsigned char *all, *pt;
	size_t len, ptlen;
	char *kdf, *why = NULL;
	int rc;

	if (colon == NULL ||
	    (all = setdata_crypt_unbase64(colon + 1, &len)) == NULL) {
		*cause = xstrdup("damaged encrypted value (not "
		    "scrypt:...:BASE64)");
		return -1;
	}
	kdf = xstrndup(text, (size_t)(colon - text));
	rc = setdata_crypt_key(c, kdf, cause);
	free(kdf);
	if (rc == 0 && len <= VAULT_NONCE_LEN) {
		*cause = xstrdup("damaged encrypted value (too short)");
		rc = -1;
	}
	if (rc == 0 && vault_unseal(c->v, key, SETDATA_CRYPT_KIND, all,
	    VAULT_NONCE_LEN, all + VAULT_NONCE_LEN, len - VAULT_NONCE_LEN,
	    &pt, &ptlen, &why) != 0) {
		*cause = xstrdup("cannot decrypt: wrong passphrase, or the "
		    "value was altered or moved from another key");
		free(why);
		rc = -1;
	} else if (rc == 0) {
		if (strlen((char *)pt) != ptlen) {
			*cause = xstrdup("the decrypted value holds a NUL");
			rc = -1;
		} else
			*value = xstrdup((char *)pt);
		vault_wipe_free(pt, ptlen + 1);
	}
	free(all);
	return rc;
}
