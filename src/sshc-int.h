/*
 * Inside the SSH transport: one session's state machine, shared by
 * ssh.c (requests, results), ssh-session.c (connect, key exchange, host
 * key, teardown), ssh-auth.c (logins), ssh-chan.c (exec and I/O) and
 * ssh-pool.c (the poll() loop).
 */
#ifndef QUIRE_SSHC_INT_H
#define QUIRE_SSHC_INT_H

#include <stdbool.h>
#include <stdint.h>

#include <libssh2.h>

#include "sshc.h"

enum sshc_state {
	SSH_ST_QUEUED,
	SSH_ST_CONNECT,		/* non-blocking connect() in progress */
	SSH_ST_HANDSHAKE,	/* banner and key exchange */
	SSH_ST_AUTHLIST,	/* asking which methods the printer offers */
	SSH_ST_AUTH,		/* logging in */
	SSH_ST_OPEN,		/* opening the channel */
	SSH_ST_EXEC,		/* sending the exec request */
	SSH_ST_IO,		/* stdin out, stdout and stderr in */
	SSH_ST_CLOSE,		/* waiting for the channel to close */
	SSH_ST_DONE,
};

/* What a state handler did. */
enum sshc_step {
	SSH_STEP_AGAIN,		/* would block: poll for s->events */
	SSH_STEP_NEXT,		/* moved on: run the next state now */
	SSH_STEP_DONE,		/* finished (s->res says how) */
};

/* One request on its way; owned by the pool. */
struct sshc_session {
	/* The request, copied. Secrets are wiped by sshc_session_free. */
	char			*host;
	unsigned		 port;
	enum sshc_login_kind	 kind;
	char			*user;		/* as sent: "DOMAIN\user" */
	char			*id;
	char			*secret;
	char			*passphrase;
	sshc_hostkey_cb		 hostkey_cb;
	void			*hostkey_arg;
	char			*command;
	unsigned char		*input;
	size_t			 input_len;
	size_t			 input_off;
	unsigned		 connect_ms;
	unsigned		 kex_ms;
	unsigned		 auth_ms;
	unsigned		 command_ms;
	size_t			 output_max;
	sshc_done_cb		 done;
	void			*done_arg;

	enum sshc_state		 state;
	int			 fd;
	LIBSSH2_SESSION		*ssh;
	LIBSSH2_CHANNEL		*chan;
	int64_t			 deadline;	/* of the current phase */
	short			 events;	/* POLLIN/POLLOUT while AGAIN */
	const char		*method;	/* the auth method in use */
	char			*kbd_cause;	/* an unexpected prompt */
	bool			 eof_sent;
	size_t			 out_cap;
	size_t			 err_cap;
	struct sshc_result	 res;
};

/* ssh.c */
int64_t sshc_now_ms(void);
struct sshc_session *sshc_session_new(const struct sshc_request *,
    sshc_done_cb, void *, char **cause);
void sshc_session_free(struct sshc_session **);
void sshc_wipe_free(char **);

/* ssh-session.c */
void sshc_session_start(struct sshc_session *);
void sshc_session_advance(struct sshc_session *);
void sshc_session_abort(struct sshc_session *);
void sshc_session_expire(struct sshc_session *, int64_t now);
enum sshc_step sshc_session_fail(struct sshc_session *, enum sshc_failure,
    const char *fmt, ...) __attribute__((format(printf, 3, 4)));
enum sshc_step sshc_session_lib_fail(struct sshc_session *, enum sshc_failure,
    const char *what, int rc);
enum sshc_step sshc_session_again(struct sshc_session *);
void sshc_session_phase(struct sshc_session *, enum sshc_state, unsigned ms);

/* ssh-auth.c */
enum sshc_step sshc_auth_list(struct sshc_session *);
enum sshc_step sshc_auth_login(struct sshc_session *);
const char *sshc_auth_kind_name(enum sshc_login_kind);

/* ssh-chan.c */
enum sshc_step sshc_chan_open(struct sshc_session *);
enum sshc_step sshc_chan_exec(struct sshc_session *);
enum sshc_step sshc_chan_io(struct sshc_session *);
enum sshc_step sshc_chan_close(struct sshc_session *);

#endif
