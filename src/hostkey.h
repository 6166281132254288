/*
 * quire's own known-hosts store (the known_hosts table): SSH host keys by
 * (host, port), trusted on first use. A changed key is refused until the
 * operator accepts it; the next connection then records the new key.
 */
#ifndef QUIRE_HOSTKEY_H
#define QUIRE_HOSTKEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sshc.h"
#include "store.h"

enum hostkey_outcome {
	HOSTKEY_KNOWN,		/* the key on record */
	HOSTKEY_LEARNT,		/* first use: recorded now */
	HOSTKEY_REPLACED,	/* changed, accepted by the operator: recorded */
};

/*
 * Check KEY offered by HOST:PORT: record it if the address has none (trust
 * on first use), take it if the operator accepted a change, refuse a
 * changed key (-1, *cause naming both fingerprints). Learning and
 * replacing are audited. Must not run inside a transaction of ST.
 */
int hostkey_check(struct store *st, const char *host, unsigned port,
    const struct sshc_hostkey *key, enum hostkey_outcome *out, char **cause);

/*
 * An sshc_hostkey_cb over hostkey_check. ARG is a struct store owned by the
 * thread running the pool.
 */
int hostkey_verify(void *arg, const char *host, unsigned port,
    const struct sshc_hostkey *key, char **cause);

/* A known host, with the printers that use its address. */
struct hostkey_entry {
	char		*host;
	unsigned	 port;
	char		*key_type;
	char		*fingerprint;
	int64_t		 first_seen;	/* ms since the epoch */
	bool		 accept_pending;	/* the next key will be taken */
	char		*printers;	/* "a,b" sorted; NULL when none */
};

struct hostkey_set {
	struct hostkey_entry	*v;
	size_t			 n;
};

/* All known hosts by host and port; caller frees with hostkey_set_free. */
int hostkey_list(struct store *st, struct hostkey_set **out, char **cause);
void hostkey_set_free(struct hostkey_set **);

/* Where a printer's management shell is: its address, ssh_port or 22. */
struct hostkey_target {
	char		*name;
	char		*host;
	unsigned	 port;
};

/* The SSH addresses of the printers IDS, in that order; free with the next. */
int hostkey_targets(struct store *st, const int64_t *ids, size_t n,
    struct hostkey_target **out, size_t *nout, char **cause);
void hostkey_targets_free(struct hostkey_target **, size_t n);

/*
 * Let the next connection to HOST:PORT replace its recorded key (a pending
 * accept; it lapses if that connection shows the recorded key). *found
 * says whether a key was on record (if not, nothing changes: the next key
 * is trusted on first use anyway). Runs in the caller's transaction.
 */
int hostkey_accept(struct store *st, const char *host, unsigned port,
    bool *found, char **cause);
/* Forget the key of HOST:PORT and any pending accept. *found as above. */
int hostkey_forget(struct store *st, const char *host, unsigned port,
    bool *found, char **cause);

#endif
