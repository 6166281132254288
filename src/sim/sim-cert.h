/*
 * OpenSSL helpers of the simulator's certificates (sim-cert-x509.c), for
 * sim-cert.c and sim-https.c. Keys are EC P-256; PEM in, PEM out; every
 * string returned is owned by the caller.
 */
#ifndef QUIRE_SIM_CERT_H
#define QUIRE_SIM_CERT_H

#include <openssl/evp.h>
#include <openssl/x509.h>

/* A new EC P-256 key, or NULL with *cause. */
EVP_PKEY *sim_cert_new_key(char **cause);
/* The unencrypted PKCS#8 PEM of KEY, or NULL. */
char *sim_cert_key_pem(EVP_PKEY *key);
/* Parse PEM (never prompting for a pass phrase); NULL with *cause. */
EVP_PKEY *sim_cert_read_key(const char *pem, char **cause);
/* The first certificate of PEM, and in *CHAIN (if not NULL) the rest. */
X509 *sim_cert_read_cert(const char *pem, STACK_OF(X509) **chain,
    char **cause);
/* 0 if CERT_PEM is a certificate for the private key KEY_PEM. */
int sim_cert_check_pair(const char *cert_pem, const char *key_pem,
    char **cause);
/* A self-signed certificate for CN=NAME with SAN IP:HOST, and its key. */
int sim_cert_self_signed(const char *name, const char *host,
    char **cert_pem, char **key_pem, char **cause);
/* A new key and a CSR for SUBJECT ("/CN=a/O=b"). */
int sim_cert_make_csr(const char *subject, char **csr_pem, char **key_pem,
    char **cause);

#endif
