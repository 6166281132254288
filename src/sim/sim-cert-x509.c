/*
 * The OpenSSL side of a printer's certificates: EC P-256 keys, the
 * self-signed certificate made on first start, CSRs, and the checks of
 * what is imported (PEM in, PEM out).
 */
#include "config.h"

#include "sim-cert.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

/* Ten years: a printer's factory certificate outlives its tests. */
#define SIM_CERT_DAYS 3650

/* OpenSSL's last error as a cause, prefixed by WHAT; owned. */
static char *
sim_cert_ssl_cause(const char *what)
{
	unsigned long e = ERR_get_error();
	char buf[256];

	ERR_clear_error();
	if (e == 0)
		return xstrdup(what);
	ERR_error_string_n(e, buf, sizeof buf);
	return xasprintf("%s: %s", what, buf);
}

/* What a memory BIO holds, as a string; frees the BIO. */
static char *
sim_cert_bio_string(BIO *bio)
{
	char *data, *s;
	long len = BIO_get_mem_data(bio, &data);

	s = xstrndup(data, len > 0 ? (size_t)len : 0);
	BIO_free(bio);
	return s;
}

char *
sim_cert_key_pem(EVP_PKEY *key)
{
	BIO *bio = BIO_new(BIO_s_mem());

	if (bio == NULL || !PEM_write_bio_PrivateKey(bio, key, NULL, NULL, 0,
	    NULL, NULL)) {
		BIO_free(bio);
		return NULL;
	}
	return sim_cert_bio_string(bio);
}

EVP_PKEY *
sim_cert_new_key(char **cause)
{
	EVP_PKEY *key = EVP_EC_gen("P-256");

	if (key == NULL)
		*cause = sim_cert_ssl_cause("cannot make a key");
	return key;
}

EVP_PKEY *
sim_cert_read_key(const char *pem, char **cause)
{
	BIO *bio = BIO_new_mem_buf(pem, -1);
	EVP_PKEY *key = NULL;

	if (bio != NULL)
		key = PEM_read_bio_PrivateKey(bio, NULL, NULL, (void *)"");
	BIO_free(bio);
	if (key == NULL)
		*cause = sim_cert_ssl_cause("cannot read the private key");
	return key;
}

X509 *
sim_cert_read_cert(const char *pem, STACK_OF(X509) **chain, char **cause)
{
	BIO *bio = BIO_new_mem_buf(pem, -1);
	X509 *cert = NULL, *extra;

	if (chain != NULL)
		*chain = sk_X509_new_null();
	if (bio != NULL)
		cert = PEM_read_bio_X509(bio, NULL, NULL, NULL);
	if (cert == NULL) {
		*cause = sim_cert_ssl_cause("cannot read the certificate");
		BIO_free(bio);
		if (chain != NULL)
			sk_X509_free(*chain);
		return NULL;
	}
	while ((extra = PEM_read_bio_X509(bio, NULL, NULL, NULL)) != NULL) {
		if (chain == NULL || !sk_X509_push(*chain, extra))
			X509_free(extra);
	}
	ERR_clear_error();	/* the end of the chain */
	BIO_free(bio);
	return cert;
}

int
sim_cert_check_pair(const char *cert_pem, const char *key_pem,
    char **cause)
{
	EVP_PKEY *key;
	X509 *cert;
	int rc = -1;

	if ((cert = sim_cert_read_cert(cert_pem, NULL, cause)) == NULL)
		return -1;
	if ((key = sim_cert_read_key(key_pem, cause)) != NULL) {
		if (X509_check_private_key(cert, key) == 1)
			rc = 0;
		else {
			ERR_clear_error();
			*cause = xstrdup("the certificate does not match the "
			    "key");
		}
		EVP_PKEY_free(key);
	}
	X509_free(cert);
	return rc;
}

static int
sim_cert_add_ext(X509 *cert, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509_EXTENSION *ext;
	int ok;

	X509V3_set_ctx(&ctx, cert, cert, NULL, NULL, 0);
	if ((ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value)) == NULL)
		return 0;
	ok = X509_add_ext(cert, ext, -1);
	X509_EXTENSION_free(ext);
	return ok;
}

/* Subject CN=NAME, O=quire-sim; serial random; SAN IP:HOST. */
static int
sim_cert_fill(X509 *cert, EVP_PKEY *key, const char *name, const char *host)
{
	X509_NAME *subj = X509_get_subject_name(cert);
	unsigned char serial[8];
	BIGNUM *bn;
	char *san;
	int ok;

	if (RAND_bytes(serial, sizeof serial) != 1)
		return 0;
	serial[0] &= 0x7f;
	if ((bn = BN_bin2bn(serial, sizeof serial, NULL)) == NULL)
		return 0;
	ok = BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert)) != NULL;
	BN_free(bn);
	san = xasprintf("IP:%s", host);
	ok = ok && X509_set_version(cert, 2) &&
	    X509_gmtime_adj(X509_getm_notBefore(cert), -86400) != NULL &&
	    X509_time_adj_ex(X509_getm_notAfter(cert), SIM_CERT_DAYS, 0,
	    NULL) != NULL && X509_set_pubkey(cert, key) &&
	    X509_NAME_add_entry_by_txt(subj, "CN", MBSTRING_UTF8,
	    (const unsigned char *)name, -1, -1, 0) &&
	    X509_NAME_add_entry_by_txt(subj, "O", MBSTRING_UTF8,
	    (const unsigned char *)"quire-sim", -1, -1, 0) &&
	    X509_set_issuer_name(cert, subj) &&
	    sim_cert_add_ext(cert, NID_subject_alt_name, san) &&
	    sim_cert_add_ext(cert, NID_basic_constraints, "critical,CA:FALSE");
	free(san);
	return ok && X509_sign(cert, key, EVP_sha256()) > 0;
}

int
sim_cert_self_signed(const char *name, const char *host, char **cert_pem,
    char **key_pem, char **cause)
{
	EVP_PKEY *key;
	X509 *cert;
	BIO *bio;
	int rc = -1;

	if ((key = sim_cert_new_key(cause)) == NULL)
		return -1;
	if ((cert = X509_new()) == NULL || !sim_cert_fill(cert, key, name,
	    host) || (bio = BIO_new(BIO_s_mem())) == NULL) {
		*cause = sim_cert_ssl_cause("cannot make a certificate");
		goto out;
	}
	if (!PEM_write_bio_X509(bio, cert)) {
		*cause = sim_cert_ssl_cause("cannot write a certificate");
		BIO_free(bio);
		goto out;
	}
	*cert_pem = sim_cert_bio_string(bio);
	if ((*key_pem = sim_cert_key_pem(key)) == NULL) {
		*cause = sim_cert_ssl_cause("cannot write a key");
		xfree(cert_pem);
		goto out;
	}
	rc = 0;
out:
	X509_free(cert);
	EVP_PKEY_free(key);
	return rc;
}

/* "/CN=a/O=b" into NAME; refuses anything else. */
static int
sim_cert_subject(X509_NAME *name, const char *subject, char **cause)
{
	char *copy, *field, *eq, *save = NULL;
	int ok = 1;

	if (subject == NULL || subject[0] != '/' || subject[1] == '\0') {
		*cause = xstrdup("a subject is /FIELD=VALUE[/...], e.g. "
		    "/CN=printer.example");
		return -1;
	}
	copy = xstrdup(subject + 1);
	for (field = strtok_r(copy, "/", &save); field != NULL && ok;
	    field = strtok_r(NULL, "/", &save)) {
		if ((eq = strchr(field, '=')) == NULL || eq[1] == '\0') {
			ok = 0;
			break;
		}
		*eq = '\0';
		ok = X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8,
		    (const unsigned char *)eq + 1, -1, -1, 0);
	}
	free(copy);
	if (ok)
		return 0;
	ERR_clear_error();
	*cause = xasprintf("bad subject %s", subject);
	return -1;
}

int
sim_cert_make_csr(const char *subject, char **csr_pem, char **key_pem,
    char **cause)
{
	X509_REQ *req = X509_REQ_new();
	EVP_PKEY *key = NULL;
	BIO *bio = NULL;
	int rc = -1;

	if (req == NULL || sim_cert_subject(X509_REQ_get_subject_name(req),
	    subject, cause) != 0 || (key = sim_cert_new_key(cause)) == NULL)
		goto out;
	if (!X509_REQ_set_version(req, 0) || !X509_REQ_set_pubkey(req, key) ||
	    X509_REQ_sign(req, key, EVP_sha256()) <= 0 ||
	    (bio = BIO_new(BIO_s_mem())) == NULL ||
	    !PEM_write_bio_X509_REQ(bio, req)) {
		*cause = sim_cert_ssl_cause("cannot make a CSR");
		BIO_free(bio);
		goto out;
	}
	*csr_pem = sim_cert_bio_string(bio);
	if ((*key_pem = sim_cert_key_pem(key)) == NULL) {
		*cause = sim_cert_ssl_cause("cannot write a key");
		xfree(csr_pem);
		goto out;
	}
	rc = 0;
out:
	EVP_PKEY_free(key);
	X509_REQ_free(req);
	return rc;
}
