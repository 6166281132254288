/*
 * Inside the request pool (snmp-pool.c, snmp-chan.c, snmp-task.c). A pool
 * belongs to one thread; only net-snmp calls take snmp_lib_lock.
 *
 * task:    one submitted request; at most one PDU of it in flight.
 * chan:    one net-snmp session (one socket) to a peer with one key, shared
 *          by the tasks that go there at once; closed when it has none.
 * pending: one PDU in flight, the magic net-snmp hands back to the callback.
 */
#ifndef QUIRE_SNMP_POOL_INT_H
#define QUIRE_SNMP_POOL_INT_H

#include <stdint.h>

#include "snmp-int.h"

#define SNMP_POOL_WINDOW	256
#define SNMP_GET_CHUNK		32	/* varbinds in a first GET */
#define SNMP_BULK_REPS		32
#define SNMP_WALK_ROWS		1000

struct snmp_name {
	oid	o[MAX_OID_LEN];
	size_t	len;
};

/* How a PDU ended, filled by the net-snmp callback under the lock. */
enum snmp_pend_state {
	SNMP_PEND_WAIT,
	SNMP_PEND_RESPONSE,
	SNMP_PEND_REPORT,
	SNMP_PEND_TIMEOUT,
	SNMP_PEND_ERROR,
};

struct snmp_pending {
	/* net-snmp 5.9 may store an int through the magic: keep it first. */
	int			 scratch;
	struct snmp_task	*task;		/* NULL for a v3 probe */
	struct snmp_chan	*chan;
	enum snmp_pend_state	 state;
	int			 report;	/* SNMPERR_* of a report */
	unsigned		 time_reports;	/* notInTimeWindow seen */
	long			 errstat;
	long			 errindex;
	struct snmp_varbind	*vbs;
	size_t			 nvbs;
	char			*error;		/* SNMP_PEND_ERROR */
	int64_t			 deadline;	/* hang guard, ms */
	struct snmp_pending	*prev, *next;	/* pool->pendings */
	struct snmp_pending	*done_next;	/* pool->completed */
};

enum snmp_chan_state {
	SNMP_CHAN_PROBING,	/* v3: waiting for the engine ID */
	SNMP_CHAN_PARKED,	/* v3: same user, other key in use: wait */
	SNMP_CHAN_READY,
};

struct snmp_chan {
	struct snmp_pool	*pool;
	void			*sessp;
	int			 fd;
	char			*host;		/* as the tasks gave it */
	unsigned		 port;
	char			 peer[128];	/* udp:A:P or udp6:[A]:P */
	struct snmp_key		*key;
	unsigned		 timeout_ms;
	unsigned		 retries;
	enum snmp_chan_state	 state;
	int			 usm_held;
	int			 answered;	/* a response came back */
	int			 discovered;	/* v3 engine ID found */
	unsigned		 ntasks;
	struct snmp_task	*waiting;	/* for the engine ID */
	int64_t			 parked_until;
	struct snmp_chan	*prev, *next;
};

struct snmp_task {
	struct snmp_pool	*pool;
	struct snmp_task	*next;		/* queue, waiting, finished */
	char			*host;
	unsigned		 port;
	struct snmp_key		*key;
	unsigned		 timeout_ms;
	unsigned		 retries;
	enum snmp_op		 op;
	struct snmp_name	*names;
	size_t			 nnames;
	struct snmp_setvar	*vars;		/* copies, wiped when freed */
	size_t			 nvars;
	unsigned		 max_rows;
	snmp_done_cb		 done;
	void			*arg;
	struct snmp_chan	*chan;
	struct snmp_pending	*pending;
	/* GET/GETNEXT: one slot per name; SET/WALK: appended. */
	struct snmp_varbind	*vbs;
	size_t			 nvbs;
	size_t			 vbs_size;
	unsigned char		*filled;
	size_t			 first;		/* first slot not filled */
	size_t			 chunk;
	size_t			*sent;		/* slots in the PDU in flight */
	size_t			 nsent;
	struct snmp_name	 cur;		/* WALK position */
	unsigned		 reps;
	enum snmp_fail		 fail;
	char			*cause;
	long			 errstat;
	long			 errindex;
};

struct snmp_pool {
	unsigned		 window;
	unsigned		 in_flight;
	struct snmp_task	*queue_head, *queue_tail;
	struct snmp_task	*cont_head, *cont_tail;	/* from callbacks */
	struct snmp_task	*finished, *finished_tail;
	struct snmp_chan	*chans;
	struct snmp_pending	*pendings;
	struct snmp_pending	*completed;
	int			 in_callback;
	netsnmp_large_fd_set	 fdset;
	struct snmp_pool_stats	 stats;
};

/* snmp-pool.c */
int64_t snmp_pool_now(void);
/* snmp_pool_run, returning early once *BUSY is 0. */
int snmp_pool_run_while(struct snmp_pool *, int timeout_ms,
    const size_t *busy);
/* Close the chans no task uses any more. */
void snmp_pool_close_idle(struct snmp_pool *);
/* TASK is over (task->fail/cause set, or success): queue its callback. */
void snmp_pool_finish(struct snmp_task *task);

/* snmp-chan.c */
/* The open chan for TASK, or a new one; NULL with task failed. */
struct snmp_chan *snmp_chan_get(struct snmp_pool *, struct snmp_task *task);
void snmp_chan_close(struct snmp_chan *chan);
/* Send PDU for TASK on its chan (PDU consumed). Under snmp_lib_lock. */
int snmp_chan_send(struct snmp_task *task, netsnmp_pdu *pdu, char **error);
/* Start TASK on its chan now or once the chan is ready. */
void snmp_chan_start(struct snmp_task *task);
/* Handle a finished probe PENDING. Not under the lock. */
void snmp_chan_probe_done(struct snmp_pending *p);
/* Retry a parked chan's user. */
void snmp_chan_unpark(struct snmp_chan *chan);
/* The cause of a timeout on CHAN, for the WHAT request. Caller frees. */
char *snmp_chan_timeout_cause(const struct snmp_chan *, const char *what);
/* The cause of the v3 report REPORT on CHAN; *FAIL set. Caller frees. */
char *snmp_chan_report_cause(const struct snmp_chan *, int report,
    enum snmp_fail *fail);
void snmp_pending_free(struct snmp_pending *p);

/* snmp-task.c */
/* Build and send TASK's first or next PDU; fails TASK on error. */
void snmp_task_send(struct snmp_task *task);
/* Handle TASK's finished PENDING. Not under the lock. */
void snmp_task_answer(struct snmp_task *task, struct snmp_pending *p);
/* Fail TASK with FAIL and CAUSE (taken). */
void snmp_task_fail(struct snmp_task *task, enum snmp_fail fail, char *cause);
void snmp_task_free(struct snmp_task *task);

#endif
