/*
 * cert list|show|import|csr|use|delete. Import reads PEM from stdin (the
 * certificate, any chain, and its private key unencrypted, or no key when
 * the certificate answers a CSR made on the printer), or with --p12 a
 * PKCS#12 file whose password is the first line of stdin. csr writes the
 * CSR's PEM as it is, not YAML, so that it can go straight to a CA.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>

#include "sim-shell-int.h"
#include "xmalloc.h"

#define SIM_SHELL_CERT_NAMEMAX	64

/* Never ask for a passphrase: an encrypted PEM key is refused. */
static int
sim_shell_cert_nopass(char *buf, int size, int rwflag, void *u)
{
	return 0;
}

static bool
sim_shell_cert_name_ok(struct sim_shell *sh, const char *name)
{
	size_t len = strlen(name);

	if (len > 0 && len <= SIM_SHELL_CERT_NAMEMAX && strspn(name,
	    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	    "._-") == len)
		return true;
	sim_shell_error(sh, "a certificate name is 1 to %d of A-Z a-z 0-9 . _ -",
	    SIM_SHELL_CERT_NAMEMAX);
	return false;
}

/* The first certificate of PEM, or NULL. */
static X509 *
sim_shell_cert_x509(const char *pem)
{
	BIO *bio = BIO_new_mem_buf(pem, -1);
	X509 *x;

	if (bio == NULL)
		abort();
	x = PEM_read_bio_X509(bio, NULL, sim_shell_cert_nopass, NULL);
	BIO_free(bio);
	ERR_clear_error();
	return x;
}

static char *
sim_shell_cert_dn(const X509_NAME *name)
{
	BIO *bio = BIO_new(BIO_s_mem());
	char *data, *out;
	long len;

	if (bio == NULL)
		abort();
	X509_NAME_print_ex(bio, name, 0, XN_FLAG_RFC2253);
	len = BIO_get_mem_data(bio, &data);
	out = xstrndup(data, len > 0 ? (size_t)len : 0);
	BIO_free(bio);
	return out;
}

static void
sim_shell_cert_time(FILE *f, const char *key, const ASN1_TIME *t)
{
	struct tm tm;
	char buf[64];

	memset(&tm, 0, sizeof tm);
	if (ASN1_TIME_to_tm(t, &tm) != 1 ||
	    strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(buf, sizeof buf, "unknown");
	fprintf(f, "%s: \"%s\"\n", key, buf);
}

static void
sim_shell_cert_fingerprint(FILE *f, const char *indent, X509 *x)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0, i;

	if (X509_digest(x, EVP_sha256(), md, &n) != 1)
		n = 0;
	fprintf(f, "%ssha256: \"", indent);
	for (i = 0; i < n; i++)
		fprintf(f, "%s%02X", i > 0 ? ":" : "", md[i]);
	fputs("\"\n", f);
}

static void
sim_shell_cert_key(FILE *f, const char *indent, X509 *x)
{
	EVP_PKEY *key = X509_get0_pubkey(x);
	const char *type = "other";

	if (key == NULL)
		return;
	switch (EVP_PKEY_get_base_id(key)) {
	case EVP_PKEY_RSA:
		type = "rsa";
		break;
	case EVP_PKEY_EC:
		type = "ec";
		break;
	case EVP_PKEY_ED25519:
		type = "ed25519";
		break;
	case EVP_PKEY_ED448:
		type = "ed448";
		break;
	}
	fprintf(f, "%skey_type: %s\n%skey_bits: %d\n", indent, type, indent,
	    EVP_PKEY_get_bits(key));
}

static void
sim_shell_cert_dns(FILE *f, const char *indent, X509 *x)
{
	char *dn = sim_shell_cert_dn(X509_get_subject_name(x));

	fprintf(f, "%ssubject: ", indent);
	sim_shell_yaml_scalar(f, dn);
	free(dn);
	dn = sim_shell_cert_dn(X509_get_issuer_name(x));
	fprintf(f, "\n%sissuer: ", indent);
	sim_shell_yaml_scalar(f, dn);
	fputc('\n', f);
	free(dn);
}

/* How many certificates PEM holds beyond the first. */
static size_t
sim_shell_cert_chain(const char *pem)
{
	const char *p = pem;
	size_t n = 0;

	while ((p = strstr(p, "-----BEGIN CERTIFICATE-----")) != NULL) {
		n++;
		p++;
	}
	return n > 0 ? n - 1 : 0;
}

/* Everything show says of C, each line after INDENT. */
static void
sim_shell_cert_write(FILE *f, const struct sim_cert *c, const char *indent,
    bool full)
{
	X509 *x = sim_shell_cert_x509(c->cert_pem);
	char *key;

	fprintf(f, "%sname: ", indent);
	sim_shell_yaml_scalar(f, c->name);
	fprintf(f, "\n%sin_use: %s\n%sprivate_key: %s\n", indent,
	    c->in_use ? "true" : "false", indent,
	    c->key_pem != NULL ? "true" : "false");
	if (x == NULL)
		return;
	sim_shell_cert_dns(f, indent, x);
	key = xasprintf("%snot_before", indent);
	if (full)
		sim_shell_cert_time(f, key, X509_get0_notBefore(x));
	free(key);
	key = xasprintf("%snot_after", indent);
	sim_shell_cert_time(f, key, X509_get0_notAfter(x));
	free(key);
	if (full) {
		sim_shell_cert_fingerprint(f, indent, x);
		sim_shell_cert_key(f, indent, x);
		fprintf(f, "%schain: %zu\n", indent,
		    sim_shell_cert_chain(c->cert_pem));
	}
	X509_free(x);
}

static int
sim_shell_cert_list(struct sim_shell *sh, int argc, char **argv)
{
	struct sim_cert *certs;
	size_t i, n;

	if (sim_cert_list(sh->printer, &certs, &n) != 0)
		return sim_shell_error(sh, "cannot list the certificates");
	fputs(n == 0 ? "certificates: []\n" : "certificates:\n", sh->out);
	for (i = 0; i < n; i++) {
		fputs("  -\n", sh->out);
		sim_shell_cert_write(sh->out, &certs[i], "    ", false);
	}
	sim_cert_list_free(&certs, n);
	return 0;
}

const struct sim_shell_cmd sim_shell_cmd_cert_list = {
	"cert list", "", 0, 0, sim_shell_cert_list
};

/* Show certificate NAME; 1 with an error when there is none. */
static int
sim_shell_cert_show_name(struct sim_shell *sh, const char *name)
{
	struct sim_cert *certs;
	size_t i, n;
	int rc = 1;

	if (sim_cert_list(sh->printer, &certs, &n) != 0)
		return sim_shell_error(sh, "cannot list the certificates");
	for (i = 0; i < n; i++) {
		if (strcmp(certs[i].name, name) == 0) {
			sim_shell_cert_write(sh->out, &certs[i], "", true);
			rc = 0;
			break;
		}
	}
	sim_cert_list_free(&certs, n);
	if (rc != 0)
		sim_shell_error(sh, "%s: no such certificate", name);
	return rc;
}

static int
sim_shell_cert_show(struct sim_shell *sh, int argc, char **argv)
{
	if (!sim_shell_cert_name_ok(sh, argv[0]))
		return 1;
	return sim_shell_cert_show_name(sh, argv[0]);
}

const struct sim_shell_cmd sim_shell_cmd_cert_show = {
	"cert show", "NAME", 1, 1, sim_shell_cert_show
};

static char *
sim_shell_cert_bio_text(BIO *bio)
{
	char *data;
	long len = BIO_get_mem_data(bio, &data);

	return xstrndup(data, len > 0 ? (size_t)len : 0);
}

/* CERT then CHAIN (may be NULL) as PEM, and KEY (may be NULL). */
static void
sim_shell_cert_pem(X509 *cert, STACK_OF(X509) *chain, EVP_PKEY *key,
    char **cert_pem, char **key_pem)
{
	BIO *bio = BIO_new(BIO_s_mem());
	int i;

	if (bio == NULL)
		abort();
	PEM_write_bio_X509(bio, cert);
	for (i = 0; chain != NULL && i < sk_X509_num(chain); i++)
		PEM_write_bio_X509(bio, sk_X509_value(chain, i));
	*cert_pem = sim_shell_cert_bio_text(bio);
	BIO_free(bio);
	*key_pem = NULL;
	if (key == NULL)
		return;
	if ((bio = BIO_new(BIO_s_mem())) == NULL)
		abort();
	PEM_write_bio_PrivateKey(bio, key, NULL, NULL, 0, NULL, NULL);
	*key_pem = sim_shell_cert_bio_text(bio);
	BIO_free(bio);
}

/* PEM: certificates in order, and at most one private key. */
static int
sim_shell_cert_from_pem(struct sim_shell *sh, const char *buf, size_t len,
    char **cert_pem, char **key_pem)
{
	STACK_OF(X509) *chain = sk_X509_new_null();
	BIO *bio = BIO_new_mem_buf(buf, (int)len);
	EVP_PKEY *key = NULL;
	X509 *cert = NULL, *x;
	int rc = -1;

	if (bio == NULL || chain == NULL)
		abort();
	while ((x = PEM_read_bio_X509(bio, NULL, sim_shell_cert_nopass,
	    NULL)) != NULL) {
		if (cert == NULL)
			cert = x;
		else if (sk_X509_push(chain, x) == 0)
			abort();
	}
	ERR_clear_error();
	if (BIO_reset(bio) != 1)
		abort();
	if (strstr(buf, "PRIVATE KEY-----") != NULL && (key =
	    PEM_read_bio_PrivateKey(bio, NULL, sim_shell_cert_nopass,
	    NULL)) == NULL)
		sim_shell_error(sh, "stdin: the private key cannot be read "
		    "(an encrypted key must come as PKCS#12)");
	else if (cert == NULL)
		sim_shell_error(sh, "stdin: no PEM certificate");
	else {
		sim_shell_cert_pem(cert, chain, key, cert_pem, key_pem);
		rc = 0;
	}
	ERR_clear_error();
	EVP_PKEY_free(key);
	X509_free(cert);
	sk_X509_pop_free(chain, X509_free);
	BIO_free(bio);
	return rc;
}

/* PKCS#12: the password line, then the DER file. */
static int
sim_shell_cert_from_p12(struct sim_shell *sh, char *buf, size_t len,
    char **cert_pem, char **key_pem)
{
	const unsigned char *der;
	STACK_OF(X509) *chain = NULL;
	EVP_PKEY *key = NULL;
	X509 *cert = NULL;
	PKCS12 *p12 = NULL;
	char *password;
	int rc = -1;

	if (sim_shell_take_line(sh, &buf, &len, &password) != 0)
		return -1;
	der = (const unsigned char *)buf;
	if ((p12 = d2i_PKCS12(NULL, &der, (long)len)) == NULL)
		sim_shell_error(sh, "stdin: not a PKCS#12 file");
	else if (PKCS12_parse(p12, password, &key, &cert, &chain) != 1)
		sim_shell_error(sh, "stdin: wrong password or unreadable "
		    "PKCS#12");
	else if (cert == NULL)
		sim_shell_error(sh, "stdin: no certificate in the PKCS#12");
	else {
		sim_shell_cert_pem(cert, chain, key, cert_pem, key_pem);
		rc = 0;
	}
	ERR_clear_error();
	free(password);
	EVP_PKEY_free(key);
	X509_free(cert);
	sk_X509_pop_free(chain, X509_free);
	PKCS12_free(p12);
	return rc;
}

static int
sim_shell_cert_import(struct sim_shell *sh, int argc, char **argv)
{
	char *buf, *cert_pem = NULL, *key_pem = NULL, *cause;
	bool p12 = argc == 2;
	size_t len;
	int rc;

	if (p12 && strcmp(argv[1], "--p12") != 0) {
		fputs("usage: cert import NAME [--p12]\n", sh->err);
		return 2;
	}
	if (!sim_shell_cert_name_ok(sh, argv[0]))
		return 1;
	if (sim_shell_payload(sh, &buf, &len) != 0)
		return 1;
	rc = p12 ? sim_shell_cert_from_p12(sh, buf, len, &cert_pem, &key_pem) :
	    sim_shell_cert_from_pem(sh, buf, len, &cert_pem, &key_pem);
	free(buf);
	if (rc == 0 && sim_cert_put(sh->printer, argv[0], cert_pem, key_pem,
	    &cause) != 0) {
		sim_shell_error(sh, "%s: %s", argv[0], cause);
		free(cause);
		rc = -1;
	}
	free(cert_pem);
	free(key_pem);
	if (rc != 0)
		return 1;
	return sim_shell_cert_show_name(sh, argv[0]);
}

const struct sim_shell_cmd sim_shell_cmd_cert_import = {
	"cert import", "NAME [--p12] < PEM | PASSWORD-LINE PKCS12", 1, 2,
	sim_shell_cert_import
};

static int
sim_shell_cert_csr(struct sim_shell *sh, int argc, char **argv)
{
	char *csr, *cause;

	if (!sim_shell_cert_name_ok(sh, argv[0]))
		return 1;
	if (sim_cert_csr(sh->printer, argv[0], argv[1], &csr, &cause) != 0) {
		sim_shell_error(sh, "%s: %s", argv[0], cause);
		free(cause);
		return 1;
	}
	fputs(csr, sh->out);
	free(csr);
	return 0;
}

const struct sim_shell_cmd sim_shell_cmd_cert_csr = {
	"cert csr", "NAME SUBJECT", 2, 2, sim_shell_cert_csr
};

/* use and delete: one call on NAME. */
static int
sim_shell_cert_op(struct sim_shell *sh, const char *name, const char *done,
    int (*op)(struct sim_printer *, const char *, char **))
{
	char *cause;

	if (!sim_shell_cert_name_ok(sh, name))
		return 1;
	if (op(sh->printer, name, &cause) != 0) {
		sim_shell_error(sh, "%s: %s", name, cause);
		free(cause);
		return 1;
	}
	fputs("name: ", sh->out);
	sim_shell_yaml_scalar(sh->out, name);
	fprintf(sh->out, "\n%s: true\n", done);
	return 0;
}

static int
sim_shell_cert_use(struct sim_shell *sh, int argc, char **argv)
{
	return sim_shell_cert_op(sh, argv[0], "in_use", sim_cert_use);
}

const struct sim_shell_cmd sim_shell_cmd_cert_use = {
	"cert use", "NAME", 1, 1, sim_shell_cert_use
};

static int
sim_shell_cert_delete(struct sim_shell *sh, int argc, char **argv)
{
	return sim_shell_cert_op(sh, argv[0], "deleted", sim_cert_delete);
}

const struct sim_shell_cmd sim_shell_cmd_cert_delete = {
	"cert delete", "NAME", 1, 1, sim_shell_cert_delete
};
