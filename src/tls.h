/*
 * The TLS transport: connect to a printer's HTTPS port and read the
 * certificate chain it presents. Knows nothing of jobs or the store.
 */
#ifndef QUIRE_TLS_H
#define QUIRE_TLS_H

#include <stddef.h>
#include <stdint.h>

/* One certificate of the chain, leaf first. Text is sanitised. */
struct tls_cert {
	char		*subject;	/* one line, RFC 2253 */
	char		*issuer;
	int64_t		 not_before;	/* seconds since the epoch */
	int64_t		 not_after;
	char		*fingerprint;	/* SHA-256, "AB:CD:..." */
	char		*key_type;	/* "RSA", "EC", "ED25519", ... */
	int		 key_bits;
	char		*pem;		/* the certificate itself */
};

struct tls_chain {
	struct tls_cert	*v;
	size_t		 n;
	char		*protocol;	/* "TLSv1.3" */
	char		*cipher;
};

/*
 * Connect to HOST:PORT (timeout_ms for the whole exchange), complete a
 * handshake without judging the certificate (printers are self-signed;
 * the caller decides) and read the chain. Returns 0 with *out owned by the
 * caller (tls_chain_free), or -1 with *cause ("connection refused",
 * "timeout after 3000 ms during the handshake", "not TLS: ...").
 */
int tls_fetch_chain(const char *host, unsigned port, unsigned timeout_ms,
    struct tls_chain **out, char **cause);
void tls_chain_free(struct tls_chain **);

#endif
