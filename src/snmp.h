/*
 * The SNMP transport, through net-snmp's single-session API: credentials
 * (v1, v2c, v3 USM), an asynchronous request pool per worker thread, and
 * printer identification on top of it. Knows OIDs and PDUs, nothing of jobs
 * or the store. OIDs are dotted numeric strings ("1.3.6.1.2.1.1.5.0").
 */
#ifndef QUIRE_SNMP_H
#define QUIRE_SNMP_H

#include <stddef.h>
#include <stdint.h>

/*
 * Initialise net-snmp once per process (no MIB files, no config or
 * persistent files, its log lines go to log_debug). Idempotent and safe
 * from any thread; every other function calls it too.
 */
void snmp_transport_init(void);
/*
 * Release net-snmp's process-wide state at process end (tests, leak
 * checks). No other snmp_* function may be called afterwards.
 */
void snmp_transport_shutdown(void);

/* ---- Credentials ---- */

enum snmp_version { SNMP_V1 = 1, SNMP_V2C, SNMP_V3 };
enum snmp_auth {
	SNMP_AUTH_NONE, SNMP_AUTH_MD5, SNMP_AUTH_SHA, SNMP_AUTH_SHA256
};
enum snmp_priv { SNMP_PRIV_NONE, SNMP_PRIV_DES, SNMP_PRIV_AES };

/* How to speak to a printer, as the caller holds it; secrets are borrowed. */
struct snmp_cred {
	enum snmp_version	 version;
	const char		*community;	/* v1/v2c: secret */
	const char		*user;		/* v3: USM security name */
	enum snmp_auth		 auth;
	const char		*auth_pass;	/* v3: secret, >= 8 chars */
	enum snmp_priv		 priv;		/* needs auth */
	const char		*priv_pass;	/* v3: secret, >= 8 chars */
};

/* A credential made ready for use (copied secrets, derived v3 keys). */
struct snmp_key;

/*
 * Check CRED and make a key of it: the community or passphrases are copied
 * and v3 passphrases turned into keys (Ku) here, once. Returns 0 with *KEY
 * (one reference, caller frees with snmp_key_free), or -1 with *cause
 * (never holding a secret). The caller may wipe CRED's secrets afterwards.
 */
int snmp_key_new(const struct snmp_cred *cred, struct snmp_key **key,
    char **cause);
/* Take one more reference to KEY (any thread); returns KEY. */
struct snmp_key *snmp_key_ref(struct snmp_key *key);
/* Drop a reference and NULL *KEY; the last one wipes every secret. */
void snmp_key_free(struct snmp_key **key);
/* The key's version. */
enum snmp_version snmp_key_version(const struct snmp_key *key);
/*
 * What KEY is, for an operator, without its secrets: "SNMPv2c community",
 * "SNMPv3 user 'ops' (authPriv, SHA-256/AES)". Caller frees.
 */
char *snmp_key_describe(const struct snmp_key *key);

/* ---- Values ---- */

enum snmp_type {
	SNMP_TYPE_NULL,
	SNMP_TYPE_INTEGER,
	SNMP_TYPE_OCTETS,
	SNMP_TYPE_OID,
	SNMP_TYPE_IPADDR,
	SNMP_TYPE_COUNTER32,
	SNMP_TYPE_GAUGE32,		/* also Unsigned32 */
	SNMP_TYPE_TIMETICKS,
	SNMP_TYPE_OPAQUE,
	SNMP_TYPE_COUNTER64,
	SNMP_TYPE_NO_SUCH_OBJECT,	/* the exceptions: no value */
	SNMP_TYPE_NO_SUCH_INSTANCE,
	SNMP_TYPE_END_OF_MIB,
};

/*
 * One variable of an answer. TEXT renders every value: numbers in decimal,
 * OIDs dotted, IpAddress as a dotted quad, OCTET STRINGs as sanitised text
 * when they are text and as hex ("00 1B 2C", HEX set) otherwise (see
 * docs/design.md); TEXT is NULL for NULL and the exceptions.
 */
struct snmp_varbind {
	char		*oid;
	enum snmp_type	 type;
	int64_t		 integer;	/* numeric types; Counter64 saturates */
	char		*text;
	int		 hex;
	unsigned char	*octets;	/* OCTET STRING/Opaque raw bytes, */
	size_t		 len;		/* NUL-terminated; LEN without it */
};

/* A value to SET. */
struct snmp_setvar {
	const char	*oid;
	enum snmp_type	 type;		/* INTEGER, OCTETS, OID, IPADDR, */
	int64_t		 integer;	/* COUNTER32, GAUGE32, TIMETICKS */
	const char	*string;	/* OCTETS bytes, OID, IPADDR quad */
	size_t		 len;		/* OCTETS length (0: strlen(string)) */
};

/* True when OCTETS of LEN bytes count as text (the rule of design.md). */
int snmp_octets_are_text(const unsigned char *octets, size_t len);

/* ---- The request pool ---- */

enum snmp_op { SNMP_OP_GET, SNMP_OP_GETNEXT, SNMP_OP_WALK, SNMP_OP_SET };

/* Why a request failed. */
enum snmp_fail {
	SNMP_FAIL_NONE,
	SNMP_FAIL_TIMEOUT,	/* no answer (v1/v2c: or a wrong community) */
	SNMP_FAIL_AUTH,		/* a v3 report: digest, user, decryption... */
	SNMP_FAIL_REFUSED,	/* an error-status; see error_status/index */
	SNMP_FAIL_PROTOCOL,	/* an answer that makes no sense */
	SNMP_FAIL_LOCAL,	/* address, socket, PDU too big to send */
	SNMP_FAIL_CANCELLED,
};

/* What a request's callback receives; everything is borrowed. */
struct snmp_result {
	enum snmp_fail			 fail;
	const char			*cause;		/* NULL on success */
	long				 error_status;	/* REFUSED */
	long				 error_index;	/* REFUSED, from 1 */
	const struct snmp_varbind	*vbs;
	size_t				 nvbs;
};

typedef void (*snmp_done_cb)(const struct snmp_result *, void *arg);

/*
 * One request. GET and GETNEXT answer one varbind per OID, in order (a GET
 * is split over several PDUs when the printer says tooBig); WALK answers
 * the varbinds under OIDS[0] (GETBULK, GETNEXT for v1), at most MAX_ROWS;
 * SET sends VARS in one PDU, all or nothing.
 */
struct snmp_request {
	const char			*host;	/* address (or name: blocks) */
	unsigned			 port;	/* 0: 161 */
	struct snmp_key			*key;	/* the pool takes a reference */
	unsigned			 timeout_ms;	/* 0: 1000 */
	unsigned			 retries;
	enum snmp_op			 op;
	const char * const		*oids;
	size_t				 noids;
	const struct snmp_setvar	*vars;
	size_t				 nvars;
	unsigned			 max_rows;	/* WALK; 0: 1000 */
	snmp_done_cb			 done;
	void				*arg;
};

struct snmp_pool;

/* Counters of a pool, for tests and benchmarks. */
struct snmp_pool_stats {
	unsigned	window;
	unsigned	in_flight;
	unsigned	max_in_flight;
	unsigned	open_sessions;
	unsigned	max_open_sessions;
	uint64_t	requests_done;
	uint64_t	pdus_sent;
};

/*
 * A pool for one thread: at most WINDOW requests in flight (0: 256), each
 * on a session (one socket) opened when its first request starts and
 * closed when its last one ends. Raises RLIMIT_NOFILE to the hard limit
 * when needed. Caller frees with snmp_pool_free.
 */
struct snmp_pool *snmp_pool_new(unsigned window);
/* Cancel what is left (callbacks run), close everything, NULL *POOL. */
void snmp_pool_free(struct snmp_pool **pool);
/*
 * Queue REQ (copied; its strings may go after the call). Returns 0, and
 * REQ->done will run exactly once from snmp_pool_run; or -1 with *cause
 * for a request that cannot be made (bad OID, no host...), done not run.
 * Requests queued from a callback start before older queued ones.
 */
int snmp_pool_submit(struct snmp_pool *, const struct snmp_request *req,
    char **cause);
/*
 * Run requests and callbacks until none is left (returns 0) or TIMEOUT_MS
 * passed (-1 for no limit; returns 1 with requests left).
 */
int snmp_pool_run(struct snmp_pool *, int timeout_ms);
/* Fail every queued and running request with SNMP_FAIL_CANCELLED now. */
void snmp_pool_cancel(struct snmp_pool *);
void snmp_pool_get_stats(const struct snmp_pool *, struct snmp_pool_stats *);

/* ---- Identity ---- */

/* What a printer says of itself; absent objects stay NULL. Sanitised text. */
struct snmp_identity {
	char		*sys_descr;		/* 1.3.6.1.2.1.1.1.0 */
	char		*sys_object_id;		/* 1.3.6.1.2.1.1.2.0, dotted */
	char		*sys_name;		/* 1.3.6.1.2.1.1.5.0 */
	char		*hr_device_descr;	/* printer's hrDeviceDescr */
	char		*serial;		/* prtGeneralSerialNumber */
	char		*firmware;		/* an entPhysicalFirmwareRev */
	unsigned long	 sys_uptime;		/* sysUpTime, 1/100 s */
	int		 has_uptime;
	int		 vendor_subtree;	/* 1.3.6.1.4.1.32473 answers */
	size_t		 key_index;		/* the key that worked */
	enum snmp_version version;		/* ... and its version */
};

/* A printer to identify, with the keys to try in order. */
struct snmp_identify_target {
	const char		*host;
	unsigned		 port;		/* 0: 161 */
	struct snmp_key * const	*keys;		/* referenced while needed */
	size_t			 nkeys;
	unsigned		 timeout_ms;	/* per attempt; 0: 1000 */
	unsigned		 retries;
};

/* The outcome for one printer: FAIL is SNMP_FAIL_NONE or CAUSE is set. */
struct snmp_identify_result {
	struct snmp_identity	 id;
	enum snmp_fail		 fail;
	char			*cause;
};

/*
 * Identify the N printers of TARGETS at once through POOL, filling
 * RESULTS[i] (overwritten; clear each with snmp_identify_result_clear).
 * For each printer the keys are tried in order: the first that answers the
 * system group wins; a timeout or an authentication report moves on. The
 * cause of a failure names each key's outcome, never a secret.
 */
void snmp_identify_many(struct snmp_pool *pool,
    const struct snmp_identify_target *targets, size_t n,
    struct snmp_identify_result *results);
/*
 * Start identifying one printer in POOL; RESULT (caller's storage, cleared
 * here) is final when DONE(RESULT, ARG) runs from snmp_pool_run. Returns 0,
 * or -1 with *cause (DONE not run).
 */
int snmp_identify_submit(struct snmp_pool *pool,
    const struct snmp_identify_target *target,
    struct snmp_identify_result *result,
    void (*done)(struct snmp_identify_result *, void *), void *arg,
    char **cause);
/* Free what RESULT holds and empty it; RESULT itself is the caller's. */
void snmp_identify_result_clear(struct snmp_identify_result *result);
/* Free the strings of ID and set them to NULL; ID itself is the caller's. */
void snmp_identity_clear(struct snmp_identity *id);

/* One printer over SNMP v2c, the simple way (a pool of one). */
struct snmp_target {
	const char	*host;		/* IPv4/IPv6 literal or host name */
	unsigned	 port;		/* 0 means 161 */
	const char	*community;	/* v2c community */
	unsigned	 timeout_ms;	/* per attempt; 0 means 1000 */
	unsigned	 retries;
};

/*
 * Ask TARGET for its identity over SNMP v2c, filling *ID (overwritten; free
 * it with snmp_identity_clear). Returns 0, or -1 with *ID empty and *cause
 * ("no answer (wrong community or unreachable): timeout after 3 attempts of
 * 1000 ms"); the cause never holds the community.
 */
int snmp_identify(const struct snmp_target *, struct snmp_identity *id,
    char **cause);

#endif
