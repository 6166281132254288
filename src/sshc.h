/*
 * The management-shell transport through libssh2: connect, check the host
 * key (through a callback: src/hostkey.c keeps quire's own known hosts),
 * log in as printers know it, run one command per channel with a stdin
 * payload and collect stdout, stderr and the exit status.
 *
 * Sessions are non-blocking and driven by a pool with poll() (no select(),
 * no FD_SETSIZE ceiling), so one slow printer never stalls the others. A
 * pool belongs to one thread. Knows nothing of jobs or the store.
 */
#ifndef QUIRE_SSHC_H
#define QUIRE_SSHC_H

#include <stdbool.h>
#include <stddef.h>

#define SSH_PORT_DEFAULT		22
#define SSH_CONNECT_TIMEOUT_MS		5000
#define SSH_KEX_TIMEOUT_MS		5000
#define SSH_AUTH_TIMEOUT_MS		10000
#define SSH_COMMAND_TIMEOUT_MS		60000
/* Per stream (stdout, stderr); more is an error, not a truncation. */
#define SSH_OUTPUT_MAX			(16u * 1024 * 1024)
/* The fixed user name of Password Authentication (printers ignore it). */
#define SSH_PASSWORD_USER		"admin"

/* The logins of DESIGN.md section 1, plus an SSH key. */
enum sshc_login_kind {
	SSH_LOGIN_USER,		/* user + password: method "password" */
	SSH_LOGIN_DOMAIN,	/* "DOMAIN\user" + password */
	SSH_LOGIN_SYSMGR,	/* keyboard-interactive: System Manager ID, PIN */
	SSH_LOGIN_PASSWORD,	/* SSH_PASSWORD_USER + the device password */
	SSH_LOGIN_KEY,		/* user + private key (PEM or OpenSSH) */
};

/*
 * A login. The secrets are borrowed from the caller (the vault) as C
 * strings; the transport copies them, wipes its copies when done and never
 * logs them or puts them in a cause.
 */
struct sshc_login {
	enum sshc_login_kind	 kind;
	const char		*user;		/* USER, DOMAIN, KEY */
	const char		*domain;	/* DOMAIN */
	const char		*id;		/* SYSMGR: the System Manager ID */
	const char		*secret;	/* password, PIN or private key */
	const char		*passphrase;	/* KEY: NULL if not encrypted */
};

/* The server's host key as negotiated in the key exchange. */
struct sshc_hostkey {
	const char		*type;		/* "ssh-ed25519", "ecdsa-..." */
	const char		*fingerprint;	/* "SHA256:" + base64, no '=' */
	const unsigned char	*blob;		/* the key, SSH wire format */
	size_t			 len;
};

/* What a host-key callback decided (or -1 with *cause: refuse). */
#define SSH_HOSTKEY_KNOWN	0	/* the key on record */
#define SSH_HOSTKEY_LEARNT	1	/* recorded now (first use, accepted) */

/*
 * Judge KEY for HOST:PORT: return SSH_HOSTKEY_KNOWN, SSH_HOSTKEY_LEARNT, or
 * -1 with *cause (caller frees) to refuse the connection.
 */
typedef int (*sshc_hostkey_cb)(void *arg, const char *host, unsigned port,
    const struct sshc_hostkey *key, char **cause);

/* One command to run on one printer. Everything is copied on submit. */
struct sshc_request {
	const char		*host;		/* IP literal or host name */
	unsigned		 port;		/* 0: SSH_PORT_DEFAULT */
	const struct sshc_login	*login;
	sshc_hostkey_cb		 hostkey_cb;	/* required */
	void			*hostkey_arg;
	const char		*command;	/* "settings export" */
	const void		*input;		/* stdin payload, then EOF */
	size_t			 input_len;
	unsigned		 connect_timeout_ms;	/* 0: the defaults above */
	unsigned		 kex_timeout_ms;
	unsigned		 auth_timeout_ms;
	unsigned		 command_timeout_ms;	/* channel open to exit */
	size_t			 output_max;		/* 0: SSH_OUTPUT_MAX */
};

/* Where a session failed; job kinds map these to verdicts. */
enum sshc_failure {
	SSH_FAIL_NONE,		/* the command ran (see exit_status) */
	SSH_FAIL_CONNECT,	/* refused, unreachable, cannot resolve */
	SSH_FAIL_TIMEOUT,	/* a phase ran out of time (see cause) */
	SSH_FAIL_PROTOCOL,	/* not SSH, key exchange failed, dropped */
	SSH_FAIL_HOSTKEY,	/* the host-key callback refused the key */
	SSH_FAIL_AUTH,		/* login refused or method not offered */
	SSH_FAIL_CHANNEL,	/* channel or exec refused, output too big */
	SSH_FAIL_REQUEST,	/* the request was unusable, or aborted */
};

/*
 * The outcome of a request. Output is raw bytes from the printer (NUL
 * added after the end): sanitise before showing it. A failed request may
 * hold what arrived before it failed. Everything is owned by the result;
 * sshc_result_clear frees it.
 */
struct sshc_result {
	enum sshc_failure	 failure;
	char			*cause;		/* NULL when failure is NONE */
	int			 exit_status;	/* -1 if none (killed by a signal) */
	char			*exit_signal;	/* "TERM", or NULL */
	char			*out;
	size_t			 out_len;
	char			*err;
	size_t			 err_len;
	char			*key_type;	/* set once the key exchange is done */
	char			*fingerprint;
	bool			 hostkey_learnt;	/* first use: show it */
};

/* Free what RES holds and zero it; RES itself is the caller's. */
void sshc_result_clear(struct sshc_result *res);

/*
 * Initialise libssh2 once per process (pthread_once); every entry point
 * calls it. sshc_transport_shutdown() releases it at process end (tests).
 */
void sshc_transport_init(void);
void sshc_transport_shutdown(void);

/* The OpenSSH-style SHA-256 fingerprint of a key blob; caller frees. */
char *sshc_fingerprint(const unsigned char *blob, size_t len);
/* The key type named inside a key blob ("ssh-ed25519"); caller frees. */
char *sshc_key_type(const unsigned char *blob, size_t len);

/* A set of sessions driven together by one thread with poll(). */
struct sshc_pool;

/*
 * Called once per request when it ends (ok or not). RES is borrowed for
 * the call; take fields by setting them NULL. It may submit to the pool
 * it is called from, but not step or free it.
 */
typedef void (*sshc_done_cb)(void *arg, struct sshc_result *res);

/* A pool running at most WINDOW sessions at once (0: 64). */
struct sshc_pool *sshc_pool_new(unsigned window);
/* Abort what is still running (no callbacks) and free the pool. */
void sshc_pool_free(struct sshc_pool **);

/*
 * Queue REQ (copied, secrets included; the copies are wiped when the
 * session ends). Returns 0, or -1 with *cause for a request that cannot
 * run (no host-key callback, no command, an incomplete login).
 */
int sshc_pool_submit(struct sshc_pool *, const struct sshc_request *req,
    sshc_done_cb done, void *arg, char **cause);
/* Requests queued or running. */
size_t sshc_pool_pending(const struct sshc_pool *);
/*
 * Drive the sessions: wait up to WAIT_MS (-1: until something happens) for
 * I/O or a deadline, advance what is ready and call the callbacks of what
 * ended. Returns 0, or -1 with *cause if poll() itself fails.
 */
int sshc_pool_step(struct sshc_pool *, int wait_ms, char **cause);
/* sshc_pool_step until nothing is pending. */
int sshc_pool_run(struct sshc_pool *, char **cause);

/*
 * Run one request synchronously (a pool of one). Returns 0 when the command
 * ran (whatever its exit status), -1 otherwise; RES is filled either way
 * (clear it with sshc_result_clear), its cause says why.
 */
int sshc_exec(const struct sshc_request *req, struct sshc_result *res);

#endif
