#include "config.h"

#include "credential.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "xmalloc.h"

#define CREDENTIAL_OPENSSH_BEGIN "-----BEGIN OPENSSH PRIVATE KEY-----"
#define CREDENTIAL_OPENSSH_END	"-----END OPENSSH PRIVATE KEY-----"
#define CREDENTIAL_OPENSSH_MAGIC "openssh-key-v1"

/* An SSH wire-format buffer: what a public key blob is made of. */
struct credential_buf {
	unsigned char	*p;
	size_t		 len;
};

static void
credential_buf_put(struct credential_buf *b, const void *p, size_t n)
{
	unsigned char len[4] = { n >> 24, n >> 16, n >> 8, n };

	b->p = xreallocarray(b->p, b->len + 4 + n + 1, 1);
	memcpy(b->p + b->len, len, 4);
	if (n > 0)
		memcpy(b->p + b->len + 4, p, n);
	b->len += 4 + n;
}

/* Read one SSH string at *OFF of P (LEN bytes); -1 if it runs over. */
static int
credential_buf_get(const unsigned char *p, size_t len, size_t *off,
    const unsigned char **s, size_t *n)
{
	if (len - *off < 4)
		return -1;
	*n = (size_t)p[*off] << 24 | (size_t)p[*off + 1] << 16 |
	    (size_t)p[*off + 2] << 8 | p[*off + 3];
	*off += 4;
	if (*n > len - *off)
		return -1;
	*s = p + *off;
	*off += *n;
	return 0;
}

/* "SHA256:" and the unpadded base64 of the blob's SHA-256. */
static char *
credential_fingerprint(const unsigned char *blob, size_t len)
{
	unsigned char md[32];
	unsigned int mdlen = 0;
	char b64[64], *eq;

	EVP_Digest(blob, len, md, &mdlen, EVP_sha256(), NULL);
	EVP_EncodeBlock((unsigned char *)b64, md, (int)mdlen);
	if ((eq = strchr(b64, '=')) != NULL)
		*eq = '\0';
	return xasprintf("SHA256:%s", b64);
}

/* The allowed SSH key types: ed25519 and ECDSA preferred, RSA accepted. */
static int
credential_ssh_type_ok(const char *type, size_t n, char **cause)
{
	static const char *const ok[] = { "ssh-ed25519", "ecdsa-sha2-nistp256",
	    "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "ssh-rsa" };
	size_t i;

	for (i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		if (strlen(ok[i]) == n && memcmp(ok[i], type, n) == 0)
			return 0;
	}
	*cause = xasprintf("unsupported SSH key type '%.*s' (use ed25519, "
	    "ECDSA or RSA)", (int)(n > 64 ? 64 : n), type);
	return -1;
}

/* Base64 between the OpenSSH markers, decoded; caller wipes and frees. */
static unsigned char *
credential_openssh_decode(const char *key, size_t *len)
{
	const char *b = strstr(key, CREDENTIAL_OPENSSH_BEGIN), *e;
	EVP_ENCODE_CTX *ctx;
	unsigned char *out;
	int n = 0, m = 0, ok;

	b += strlen(CREDENTIAL_OPENSSH_BEGIN);
	if ((e = strstr(b, CREDENTIAL_OPENSSH_END)) == NULL)
		return NULL;
	out = xmalloc((size_t)(e - b) + 4);
	if ((ctx = EVP_ENCODE_CTX_new()) == NULL) {
		free(out);
		return NULL;
	}
	EVP_DecodeInit(ctx);
	ok = EVP_DecodeUpdate(ctx, out, &n, (const unsigned char *)b,
	    (int)(e - b)) >= 0 && EVP_DecodeFinal(ctx, out + n, &m) == 1;
	EVP_ENCODE_CTX_free(ctx);
	if (!ok) {
		vault_wipe_free(out, (size_t)(e - b) + 4);
		return NULL;
	}
	*len = (size_t)(n + m);
	return out;
}

/* The openssh-key-v1 container (PROTOCOL.key in OpenSSH). */
static int
credential_openssh_parse(const unsigned char *p, size_t len, bool *enc,
    char **type, char **fp, char **cause)
{
	const unsigned char *cipher, *kdf, *opts, *pub, *priv, *t;
	size_t off = sizeof CREDENTIAL_OPENSSH_MAGIC, nc, nk, no, np, npriv,
	    nt, toff = 0;

	if (len < off || memcmp(p, CREDENTIAL_OPENSSH_MAGIC, off) != 0 ||
	    credential_buf_get(p, len, &off, &cipher, &nc) != 0 ||
	    credential_buf_get(p, len, &off, &kdf, &nk) != 0 ||
	    credential_buf_get(p, len, &off, &opts, &no) != 0 ||
	    len - off < 4 || memcmp(p + off, "\0\0\0\1", 4) != 0 ||
	    (off += 4, credential_buf_get(p, len, &off, &pub, &np)) != 0 ||
	    credential_buf_get(p, len, &off, &priv, &npriv) != 0 ||
	    credential_buf_get(pub, np, &toff, &t, &nt) != 0) {
		*cause = xstrdup("the OpenSSH private key is malformed (or "
		    "holds more than one key)");
		return -1;
	}
	if (credential_ssh_type_ok((const char *)t, nt, cause) != 0)
		return -1;
	*enc = !(nc == 4 && memcmp(cipher, "none", 4) == 0);
	/* Unencrypted: the two check integers must match. */
	if (!*enc && (npriv < 8 || memcmp(priv, priv + 4, 4) != 0)) {
		*cause = xstrdup("the OpenSSH private key is damaged");
		return -1;
	}
	if (*enc && !(nk == 6 && memcmp(kdf, "bcrypt", 6) == 0)) {
		*cause = xstrdup("the OpenSSH private key uses an unknown kdf");
		return -1;
	}
	*type = xstrndup((const char *)t, nt);
	*fp = credential_fingerprint(pub, np);
	return 0;
}

struct credential_pem_pass {
	const char	*pass;
	bool		 asked;
};

static int
credential_pem_cb(char *buf, int size, int rwflag, void *arg)
{
	struct credential_pem_pass *pp = arg;
	size_t n;

	(void)rwflag;
	pp->asked = true;
	if (pp->pass == NULL || (n = strlen(pp->pass)) > (size_t)size)
		return -1;
	memcpy(buf, pp->pass, n);
	return (int)n;
}

/* SSH wire blob of an ECDSA key: type, curve, point. */
static int
credential_pem_ecdsa(EVP_PKEY *pk, struct credential_buf *b, char **type,
    char **cause)
{
	char group[64], *curve;
	unsigned char point[256];
	size_t n = 0;

	if (!EVP_PKEY_get_utf8_string_param(pk, OSSL_PKEY_PARAM_GROUP_NAME,
	    group, sizeof group, NULL) ||
	    !EVP_PKEY_get_octet_string_param(pk,
	    OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, point, sizeof point, &n)) {
		*cause = xstrdup("cannot read the ECDSA public key");
		return -1;
	}
	if (strcmp(group, "prime256v1") == 0)
		curve = "nistp256";
	else if (strcmp(group, "secp384r1") == 0)
		curve = "nistp384";
	else if (strcmp(group, "secp521r1") == 0)
		curve = "nistp521";
	else {
		*cause = xasprintf("unsupported ECDSA curve %s (use P-256, "
		    "P-384 or P-521)", group);
		return -1;
	}
	*type = xasprintf("ecdsa-sha2-%s", curve);
	credential_buf_put(b, *type, strlen(*type));
	credential_buf_put(b, curve, strlen(curve));
	credential_buf_put(b, point, n);
	return 0;
}

/* An SSH mpint: big-endian, a leading zero when the top bit is set. */
static void
credential_buf_mpint(struct credential_buf *b, const BIGNUM *bn)
{
	size_t n = (size_t)BN_num_bytes(bn);
	unsigned char *p = xcalloc(1, n + 1);

	BN_bn2bin(bn, p + 1);
	if (n > 0 && (p[1] & 0x80) != 0)
		credential_buf_put(b, p, n + 1);
	else
		credential_buf_put(b, p + 1, n);
	free(p);
}

static int
credential_pem_rsa(EVP_PKEY *pk, struct credential_buf *b, char **type,
    char **cause)
{
	BIGNUM *e = NULL, *n = NULL;

	if (EVP_PKEY_get_bits(pk) < 2048) {
		*cause = xasprintf("an RSA key of %d bits is too weak (2048 at "
		    "least; ed25519 or ECDSA preferred)", EVP_PKEY_get_bits(pk));
		return -1;
	}
	if (!EVP_PKEY_get_bn_param(pk, OSSL_PKEY_PARAM_RSA_E, &e) ||
	    !EVP_PKEY_get_bn_param(pk, OSSL_PKEY_PARAM_RSA_N, &n)) {
		BN_free(e);
		*cause = xstrdup("cannot read the RSA public key");
		return -1;
	}
	*type = xstrdup("ssh-rsa");
	credential_buf_put(b, *type, strlen(*type));
	credential_buf_mpint(b, e);
	credential_buf_mpint(b, n);
	BN_free(e);
	BN_free(n);
	return 0;
}

static int
credential_pem_blob(EVP_PKEY *pk, struct credential_buf *b, char **type,
    char **cause)
{
	unsigned char raw[32];
	size_t n = sizeof raw;

	switch (EVP_PKEY_get_base_id(pk)) {
	case EVP_PKEY_ED25519:
		if (!EVP_PKEY_get_raw_public_key(pk, raw, &n)) {
			*cause = xstrdup("cannot read the ed25519 public key");
			return -1;
		}
		*type = xstrdup("ssh-ed25519");
		credential_buf_put(b, *type, strlen(*type));
		credential_buf_put(b, raw, n);
		return 0;
	case EVP_PKEY_EC:
		return credential_pem_ecdsa(pk, b, type, cause);
	case EVP_PKEY_RSA:
		return credential_pem_rsa(pk, b, type, cause);
	default:
		*cause = xstrdup("unsupported private key type (use ed25519, "
		    "ECDSA or RSA)");
		return -1;
	}
}

static int
credential_pem_parse(const char *key, const char *pass, bool *enc,
    char **type, char **fp, char **cause)
{
	struct credential_pem_pass pp = { pass, false };
	struct credential_buf b = { NULL, 0 };
	EVP_PKEY *pk;
	BIO *bio;

	if ((bio = BIO_new_mem_buf(key, -1)) == NULL) {
		*cause = xstrdup("out of memory reading the private key");
		return -1;
	}
	pk = PEM_read_bio_PrivateKey(bio, NULL, credential_pem_cb, &pp);
	BIO_free(bio);
	ERR_clear_error();
	*enc = pp.asked;
	if (pk == NULL && pp.asked && pass == NULL)
		return 0;	/* encrypted; nothing more to learn */
	if (pk == NULL) {
		*cause = xstrdup(pp.asked ? "cannot decrypt the private key: "
		    "wrong passphrase" : "cannot read the private key: not an "
		    "OpenSSH or PEM private key");
		return -1;
	}
	if (credential_pem_blob(pk, &b, type, cause) != 0) {
		EVP_PKEY_free(pk);
		free(b.p);
		return -1;
	}
	*fp = credential_fingerprint(b.p, b.len);
	EVP_PKEY_free(pk);
	free(b.p);
	return 0;
}

int
credential_ssh_key_parse(const char *key, const char *pass, bool *enc,
    char **type, char **fp, char **cause)
{
	unsigned char *raw;
	size_t len = 0;
	int rc;

	*type = *fp = NULL;
	*enc = false;
	if (strstr(key, CREDENTIAL_OPENSSH_BEGIN) == NULL)
		return credential_pem_parse(key, pass, enc, type, fp, cause);
	if ((raw = credential_openssh_decode(key, &len)) == NULL) {
		*cause = xstrdup("the OpenSSH private key is not valid base64");
		return -1;
	}
	rc = credential_openssh_parse(raw, len, enc, type, fp, cause);
	vault_wipe_free(raw, len);
	return rc;
}
