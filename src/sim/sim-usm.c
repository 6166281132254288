#include "config.h"

/* Single DES only exists as the deprecated low-level API in OpenSSL 3. */
#define OPENSSL_SUPPRESS_DEPRECATED 1

#include "sim-usm.h"

#include <string.h>

#include <openssl/des.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "xmalloc.h"

/* RFC 3414 A.2: the password is repeated over one mebibyte. */
#define SIM_USM_EXPAND		1048576

static const EVP_MD *
sim_usm_md(enum sim_auth auth)
{
	switch (auth) {
	case SIM_AUTH_MD5:
		return EVP_md5();
	case SIM_AUTH_SHA:
		return EVP_sha1();
	case SIM_AUTH_SHA256:
		return EVP_sha256();
	case SIM_AUTH_NONE:
		break;
	}
	return NULL;
}

size_t
sim_usm_key_len(enum sim_auth auth)
{
	switch (auth) {
	case SIM_AUTH_MD5:
		return 16;
	case SIM_AUTH_SHA:
		return 20;
	case SIM_AUTH_SHA256:
		return 32;
	case SIM_AUTH_NONE:
		break;
	}
	return 0;
}

size_t
sim_usm_mac_len(enum sim_auth auth)
{
	switch (auth) {
	case SIM_AUTH_MD5:
	case SIM_AUTH_SHA:
		return 12;
	case SIM_AUTH_SHA256:
		return 24;
	case SIM_AUTH_NONE:
		break;
	}
	return 0;
}

/* The digest of the N buffers P[i] of LEN[i] bytes into OUT. */
static int
sim_usm_digest(const EVP_MD *md, const void *const *p, const size_t *len,
    size_t n, unsigned char *out)
{
	EVP_MD_CTX	*ctx;
	size_t		 i;
	int		 ok;

	if ((ctx = EVP_MD_CTX_new()) == NULL)
		return -1;
	ok = EVP_DigestInit_ex(ctx, md, NULL);
	for (i = 0; ok && i < n; i++)
		ok = EVP_DigestUpdate(ctx, p[i], len[i]);
	if (ok)
		ok = EVP_DigestFinal_ex(ctx, out, NULL);
	EVP_MD_CTX_free(ctx);
	return ok ? 0 : -1;
}

int
sim_usm_password_key(enum sim_auth auth, const char *password,
    unsigned char *ku)
{
	const EVP_MD	*md = sim_usm_md(auth);
	size_t		 plen = strlen(password), have;
	unsigned char	*buf;
	const void	*p[1];
	size_t		 len[1] = { SIM_USM_EXPAND };
	int		 rc;

	if (md == NULL || plen == 0)
		return -1;
	buf = xmalloc(SIM_USM_EXPAND);
	have = plen < SIM_USM_EXPAND ? plen : SIM_USM_EXPAND;
	memcpy(buf, password, have);
	/* Double the repeated password until the mebibyte is full. */
	while (have < SIM_USM_EXPAND) {
		size_t	 n = have < SIM_USM_EXPAND - have ? have :
		    SIM_USM_EXPAND - have;

		memcpy(buf + have, buf, n);
		have += n;
	}
	p[0] = buf;
	rc = sim_usm_digest(md, p, len, 1, ku);
	free(buf);
	return rc;
}

int
sim_usm_localize(enum sim_auth auth, const unsigned char *ku,
    const unsigned char *engine_id, size_t engine_len, unsigned char *kul)
{
	const EVP_MD	*md = sim_usm_md(auth);
	size_t		 klen = sim_usm_key_len(auth);
	const void	*p[3] = { ku, engine_id, ku };
	size_t		 len[3] = { klen, engine_len, klen };

	if (md == NULL)
		return -1;
	return sim_usm_digest(md, p, len, 3, kul);
}

int
sim_usm_mac(enum sim_auth auth, const unsigned char *key, const void *msg,
    size_t len, unsigned char *mac)
{
	const EVP_MD	*md = sim_usm_md(auth);
	unsigned char	 full[EVP_MAX_MD_SIZE];
	unsigned int	 flen = 0;

	if (md == NULL)
		return -1;
	if (HMAC(md, key, (int)sim_usm_key_len(auth), msg, len, full,
	    &flen) == NULL)
		return -1;
	memcpy(mac, full, sim_usm_mac_len(auth));
	return 0;
}

/* DES-CBC: key = first 8 bytes, IV = pre-IV (next 8) XOR salt. */
static int
sim_usm_des(int enc, const unsigned char *key, const unsigned char *salt,
    const unsigned char *in, size_t len, unsigned char *out)
{
	DES_cblock		 k, iv;
	DES_key_schedule	 ks;
	size_t			 i;

	memcpy(k, key, 8);
	for (i = 0; i < 8; i++)
		iv[i] = key[8 + i] ^ salt[i];
	DES_set_key_unchecked(&k, &ks);
	DES_ncbc_encrypt(in, out, (long)len, &ks, &iv, enc);
	return 0;
}

/* AES-128-CFB: IV = boots | time | salt (RFC 3826 3.1.2.1). */
static int
sim_usm_aes(int enc, const unsigned char *key, uint32_t boots,
    uint32_t time, const unsigned char *salt, const unsigned char *in,
    size_t len, unsigned char *out)
{
	EVP_CIPHER_CTX	*ctx;
	unsigned char	 iv[16];
	int		 n = 0, ok, i;

	for (i = 0; i < 4; i++) {
		iv[i] = (unsigned char)(boots >> (24 - 8 * i));
		iv[4 + i] = (unsigned char)(time >> (24 - 8 * i));
	}
	memcpy(iv + 8, salt, 8);
	if ((ctx = EVP_CIPHER_CTX_new()) == NULL)
		return -1;
	ok = EVP_CipherInit_ex(ctx, EVP_aes_128_cfb128(), NULL, key, iv, enc);
	if (ok)
		ok = EVP_CipherUpdate(ctx, out, &n, in, (int)len);
	EVP_CIPHER_CTX_free(ctx);
	return ok && (size_t)n == len ? 0 : -1;
}

int
sim_usm_encrypt(enum sim_priv priv, const unsigned char *key, uint32_t boots,
    uint32_t time, const unsigned char *salt, const void *in, size_t len,
    unsigned char *out, size_t *outlen)
{
	size_t	 padded;

	switch (priv) {
	case SIM_PRIV_DES:
		/* Pad to whole blocks; the receiver ignores what follows. */
		padded = (len + 7) / 8 * 8;
		if (padded == 0)
			padded = 8;
		memcpy(out, in, len);
		memset(out + len, 0, padded - len);
		*outlen = padded;
		return sim_usm_des(DES_ENCRYPT, key, salt, out, padded, out);
	case SIM_PRIV_AES:
		*outlen = len;
		return sim_usm_aes(1, key, boots, time, salt, in, len, out);
	case SIM_PRIV_NONE:
		break;
	}
	return -1;
}

int
sim_usm_decrypt(enum sim_priv priv, const unsigned char *key, uint32_t boots,
    uint32_t time, const unsigned char *salt, const void *in, size_t len,
    unsigned char *out, size_t *outlen)
{
	switch (priv) {
	case SIM_PRIV_DES:
		if (len == 0 || len % 8 != 0)
			return -1;
		*outlen = len;
		return sim_usm_des(DES_DECRYPT, key, salt, in, len, out);
	case SIM_PRIV_AES:
		*outlen = len;
		return sim_usm_aes(0, key, boots, time, salt, in, len, out);
	case SIM_PRIV_NONE:
		break;
	}
	return -1;
}
