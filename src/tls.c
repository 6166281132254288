#include "config.h"

#include "tls.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "text.h"
#include "xmalloc.h"

static int64_t
tls_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Wait until FD is ready for EVENTS or DEADLINE passes; 0, or -1 on timeout. */
static int
tls_wait(int fd, short events, int64_t deadline)
{
	struct pollfd pfd = { .fd = fd, .events = events };
	int64_t left;
	int rc;

	for (;;) {
		left = deadline - tls_now_ms();
		if (left <= 0)
			return -1;
		rc = poll(&pfd, 1, (int)left);
		if (rc > 0)
			return 0;
		if (rc == 0)
			return -1;
		if (errno != EINTR)
			return -1;
	}
}

/* A non-blocking connect to one address; the socket or -1 with *cause. */
static int
tls_connect_one(const struct addrinfo *ai, int64_t deadline, unsigned timeout_ms,
    char **cause)
{
	socklen_t len = sizeof(int);
	int fd, err = 0;

	fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, ai->ai_protocol);
	if (fd == -1) {
		*cause = xasprintf("socket: %s", strerror(errno));
		return -1;
	}
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) == -1 &&
	    errno != EINPROGRESS) {
		*cause = xasprintf("connect: %s", strerror(errno));
		close(fd);
		return -1;
	}
	if (tls_wait(fd, POLLOUT, deadline) != 0) {
		*cause = xasprintf("no answer: timeout after %u ms while "
		    "connecting", timeout_ms);
		close(fd);
		return -1;
	}
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == -1 || err != 0) {
		*cause = xasprintf("connect: %s", strerror(err ? err : errno));
		close(fd);
		return -1;
	}
	return fd;
}

static int
tls_connect(const char *host, unsigned port, int64_t deadline,
    unsigned timeout_ms, char **cause)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *res, *ai;
	char service[8], *safe;
	int fd = -1, gai;

	snprintf(service, sizeof service, "%u", port);
	if ((gai = getaddrinfo(host, service, &hints, &res)) != 0) {
		safe = text_sanitize(host, strlen(host));
		*cause = xasprintf("cannot resolve host '%s': %s", safe,
		    gai_strerror(gai));
		free(safe);
		return -1;
	}
	for (ai = res; ai != NULL && fd == -1; ai = ai->ai_next) {
		if (*cause != NULL)
			xfree(cause);
		fd = tls_connect_one(ai, deadline, timeout_ms, cause);
	}
	freeaddrinfo(res);
	return fd;
}

/* Drive SSL_connect on a non-blocking socket until done or the deadline. */
static int
tls_handshake(SSL *ssl, int fd, int64_t deadline, unsigned timeout_ms,
    char **cause)
{
	unsigned long e;
	int rc, err;

	for (;;) {
		ERR_clear_error();
		if ((rc = SSL_connect(ssl)) == 1)
			return 0;
		err = SSL_get_error(ssl, rc);
		if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) {
			if (tls_wait(fd, err == SSL_ERROR_WANT_READ ? POLLIN :
			    POLLOUT, deadline) != 0) {
				*cause = xasprintf("no answer: timeout after %u "
				    "ms during the TLS handshake", timeout_ms);
				return -1;
			}
			continue;
		}
		e = ERR_peek_last_error();
		*cause = xasprintf("TLS handshake failed: %s", e != 0 ?
		    ERR_reason_error_string(e) : err == SSL_ERROR_SYSCALL ?
		    "the connection was closed (not TLS?)" : "protocol error");
		return -1;
	}
}

/* A BIO's contents as a sanitised C string. */
static char *
tls_bio_text(BIO *bio)
{
	char *data;
	long len = BIO_get_mem_data(bio, &data);

	return text_sanitize(data, len > 0 ? (size_t)len : 0);
}

static char *
tls_name(const X509_NAME *name)
{
	BIO *bio = BIO_new(BIO_s_mem());
	char *s;

	X509_NAME_print_ex(bio, name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
	s = tls_bio_text(bio);
	BIO_free(bio);
	return s;
}

static int64_t
tls_time(const ASN1_TIME *t)
{
	struct tm tm;

	if (t == NULL || ASN1_TIME_to_tm(t, &tm) != 1)
		return 0;
	return (int64_t)timegm(&tm);
}

static char *
tls_fingerprint(X509 *x)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0, i;
	char *s;

	if (X509_digest(x, EVP_sha256(), md, &len) != 1)
		return xstrdup("");
	s = xmalloc(len * 3 + 1);
	for (i = 0; i < len; i++)
		snprintf(s + i * 3, 4, "%02X%s", md[i], i + 1 < len ? ":" : "");
	return s;
}

static void
tls_key(X509 *x, struct tls_cert *c)
{
	EVP_PKEY *pk = X509_get0_pubkey(x);
	const char *type;

	if (pk == NULL) {
		c->key_type = xstrdup("unknown");
		return;
	}
	type = EVP_PKEY_get0_type_name(pk);
	c->key_type = xstrdup(type != NULL ? type : "unknown");
	c->key_bits = EVP_PKEY_get_bits(pk);
}

static void
tls_describe(X509 *x, struct tls_cert *c)
{
	BIO *bio = BIO_new(BIO_s_mem());

	c->subject = tls_name(X509_get_subject_name(x));
	c->issuer = tls_name(X509_get_issuer_name(x));
	c->not_before = tls_time(X509_get0_notBefore(x));
	c->not_after = tls_time(X509_get0_notAfter(x));
	c->fingerprint = tls_fingerprint(x);
	tls_key(x, c);
	PEM_write_bio_X509(bio, x);
	c->pem = tls_bio_text(bio);
	BIO_free(bio);
}

static struct tls_chain *
tls_collect(SSL *ssl)
{
	STACK_OF(X509) *sk = SSL_get_peer_cert_chain(ssl);
	struct tls_chain *chain = xcalloc(1, sizeof *chain);
	X509 *leaf = SSL_get0_peer_certificate(ssl);
	int i, n = sk != NULL ? sk_X509_num(sk) : 0;

	/* The client side's chain includes the leaf first (OpenSSL docs). */
	if (n == 0 && leaf != NULL) {
		chain->v = xcalloc(1, sizeof *chain->v);
		tls_describe(leaf, &chain->v[chain->n++]);
	} else if (n > 0) {
		chain->v = xcalloc((size_t)n, sizeof *chain->v);
		for (i = 0; i < n; i++)
			tls_describe(sk_X509_value(sk, i), &chain->v[chain->n++]);
	}
	chain->protocol = xstrdup(SSL_get_version(ssl));
	chain->cipher = xstrdup(SSL_get_cipher_name(ssl));
	return chain;
}

/* A client that accepts any certificate: printers are self-signed. */
static SSL_CTX *
tls_context(char **cause)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());

	if (ctx == NULL) {
		*cause = xstrdup("cannot create a TLS context");
		return NULL;
	}
	SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
	/* Old printers speak old TLS: read what they present anyway. */
	SSL_CTX_set_min_proto_version(ctx, 0);
	SSL_CTX_set_security_level(ctx, 0);
	return ctx;
}

int
tls_fetch_chain(const char *host, unsigned port, unsigned timeout_ms,
    struct tls_chain **out, char **cause)
{
	int64_t deadline = tls_now_ms() + (timeout_ms ? timeout_ms : 3000);
	SSL_CTX *ctx;
	SSL *ssl = NULL;
	int fd, rc = -1;

	*out = NULL;
	*cause = NULL;
	/* Connect first: a closed port costs no TLS context. */
	if ((fd = tls_connect(host, port, deadline, timeout_ms, cause)) == -1)
		return -1;
	if ((ctx = tls_context(cause)) == NULL) {
		close(fd);
		return -1;
	}
	if ((ssl = SSL_new(ctx)) == NULL || SSL_set_fd(ssl, fd) != 1) {
		*cause = xstrdup("cannot create a TLS session");
		goto out;
	}
	if (strspn(host, "0123456789.:") != strlen(host))
		SSL_set_tlsext_host_name(ssl, host);
	if (tls_handshake(ssl, fd, deadline, timeout_ms, cause) != 0)
		goto out;
	*out = tls_collect(ssl);
	if ((*out)->n == 0) {
		tls_chain_free(out);
		*cause = xstrdup("the server presented no certificate");
		goto out;
	}
	SSL_shutdown(ssl);
	rc = 0;
out:
	SSL_free(ssl);
	if (fd != -1)
		close(fd);
	SSL_CTX_free(ctx);
	return rc;
}

void
tls_chain_free(struct tls_chain **chainp)
{
	struct tls_chain *chain = *chainp;
	size_t i;

	if (chain == NULL)
		return;
	for (i = 0; i < chain->n; i++) {
		free(chain->v[i].subject);
		free(chain->v[i].issuer);
		free(chain->v[i].fingerprint);
		free(chain->v[i].key_type);
		free(chain->v[i].pem);
	}
	free(chain->v);
	free(chain->protocol);
	free(chain->cipher);
	free(chain);
	*chainp = NULL;
}
