/* Inside sim-ssh: the server, its listeners and its sessions. */
#ifndef QUIRE_SIM_SSH_INT_H
#define QUIRE_SIM_SSH_INT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <libssh/libssh.h>
#include <libssh/server.h>

#include "sim.h"

/* Bounds that keep a stuck or hostile client from pinning a thread. */
#define SIM_SSH_IO_TIMEOUT_S	30	/* one blocking libssh call */
#define SIM_SSH_GRACE_S		60	/* key exchange + login, then exec */
#define SIM_SSH_IDLE_S		120	/* nothing moves on the channel */
#define SIM_SSH_EXEC_MAX_S	600	/* one command, start to end */
#define SIM_SSH_AUTH_TRIES	6
#define SIM_SSH_SESSIONS_MAX	512

/* One printer's endpoint. Immutable once started. */
struct sim_ssh_listener {
	struct sim_printer	*printer;
	int			 fd;
	ssh_bind		 bind;		/* holds the host key */
	int			 methods;	/* SSH_AUTH_METHOD_* offered */
};

struct sim_ssh_session {
	struct sim_ssh		*ssh;
	struct sim_ssh_listener	*listener;
	ssh_session		 session;
	int			 fd;		/* owned by session */
	struct sim_ssh_session	*prev;		/* on ssh->sessions */
	struct sim_ssh_session	*next;
};

struct sim_ssh {
	struct sim_fleet	*fleet;
	struct sim_ssh_listener	*listeners;
	size_t			 n;
	int			 wake[2];	/* stops the acceptor */
	pthread_t		 acceptor;
	bool			 accepting;	/* acceptor started */
	atomic_bool		 stopping;

	pthread_mutex_t		 lock;
	/* Guarded by lock: */
	struct sim_ssh_session	*sessions;	/* those whose fd is open */
	size_t			 nsessions;	/* threads not yet done */
	pthread_cond_t		 idle;		/* nsessions fell to 0 */
};

/* A session's thread: key exchange, login, one exec; then it ends. */
void *sim_ssh_session_main(void *);
/* Take S off the list, free it, and count it done. */
void sim_ssh_session_finish(struct sim_ssh_session *);
/* Run COMMAND on CHANNEL (accepted, exec replied) to its exit status. */
void sim_ssh_exec(struct sim_ssh_session *, ssh_channel channel,
    const char *command);
/* Seconds on the monotonic clock. */
time_t sim_ssh_now(void);

#endif
