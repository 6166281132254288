/*
 * The request pool: a queue, a window of requests in flight, and a loop
 * that poll()s the sockets of the open sessions (no select(), so no
 * FD_SETSIZE ceiling), hands readable ones to snmp_sess_read2 and lets
 * snmp_sess_timeout retry or give up, then runs the callbacks.
 */
#include "config.h"

#include <sys/resource.h>

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "snmp-pool-int.h"
#include "log.h"
#include "text.h"
#include "xmalloc.h"

static const char *snmp_pool_op_name(enum snmp_op);

/* The longest a loop iteration sleeps with nothing to wake it. */
#define SNMP_POOL_TICK_MS	1000
/* Datagrams read from one socket before the others get their turn. */
#define SNMP_POOL_READS		64

int64_t
snmp_pool_now(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0) {
		log_error("clock_gettime: %s", strerror(errno));
		abort();
	}
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* One socket per session: let the process have as many as it may. */
static void
snmp_pool_raise_nofile(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0) {
		log_warn("getrlimit: %s", strerror(errno));
		return;
	}
	if (rl.rlim_cur >= rl.rlim_max)
		return;
	rl.rlim_cur = rl.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
		log_warn("setrlimit: %s", strerror(errno));
}

struct snmp_pool *
snmp_pool_new(unsigned window)
{
	struct snmp_pool *pool = xcalloc(1, sizeof *pool);

	snmp_transport_init();
	snmp_pool_raise_nofile();
	pool->window = window != 0 ? window : SNMP_POOL_WINDOW;
	pool->stats.window = pool->window;
	netsnmp_large_fd_set_init(&pool->fdset, FD_SETSIZE);
	return pool;
}

static struct snmp_task *
snmp_pool_pop(struct snmp_task **head, struct snmp_task **tail)
{
	struct snmp_task *t = *head;

	if (t != NULL) {
		if ((*head = t->next) == NULL)
			*tail = NULL;
		t->next = NULL;
	}
	return t;
}

static void
snmp_pool_push(struct snmp_task **head, struct snmp_task **tail,
    struct snmp_task *t)
{
	t->next = NULL;
	if (*tail != NULL)
		(*tail)->next = t;
	else
		*head = t;
	*tail = t;
}

void
snmp_pool_finish(struct snmp_task *t)
{
	struct snmp_pool *pool = t->pool;

	if (t->chan != NULL) {
		t->chan->ntasks--;
		pool->in_flight--;
	}
	/* Finished tasks keep their order: callbacks run first come first. */
	snmp_pool_push(&pool->finished, &pool->finished_tail, t);
}

/* Copy the names (GET, GETNEXT, WALK) or values (SET) of R into T. */
static int
snmp_pool_copy_op(struct snmp_task *t, const struct snmp_request *r,
    char **cause)
{
	size_t i;

	if (r->op == SNMP_OP_SET) {
		t->vars = xcalloc(r->nvars, sizeof *t->vars);
		t->nvars = r->nvars;
		for (i = 0; i < r->nvars; i++) {
			t->vars[i] = r->vars[i];
			t->vars[i].oid = xstrdup(r->vars[i].oid != NULL ?
			    r->vars[i].oid : "");
			if (r->vars[i].string == NULL)
				continue;
			t->vars[i].len = r->vars[i].len != 0 ? r->vars[i].len :
			    strlen(r->vars[i].string);
			t->vars[i].string = xmalloc(t->vars[i].len + 1);
			memcpy((char *)t->vars[i].string, r->vars[i].string,
			    t->vars[i].len);
			((char *)t->vars[i].string)[t->vars[i].len] = '\0';
		}
		return 0;
	}
	t->names = xcalloc(r->noids, sizeof *t->names);
	t->nnames = r->noids;
	for (i = 0; i < r->noids; i++) {
		if (snmp_oid_parse(r->oids[i], t->names[i].o,
		    &t->names[i].len) != 0) {
			*cause = r->oids[i] == NULL ? xstrdup("no OID given") :
			    text_sanitize(r->oids[i], strlen(r->oids[i]));
			return -1;
		}
	}
	return 0;
}

static int
snmp_pool_check(const struct snmp_request *r, char **cause)
{
	if (r->host == NULL || *r->host == '\0')
		*cause = xstrdup("no host given");
	else if (r->port > 65535)
		*cause = xasprintf("invalid port %u", r->port);
	else if (r->key == NULL)
		*cause = xstrdup("no SNMP credential given");
	else if (r->done == NULL)
		*cause = xstrdup("no callback given");
	else if (r->op > SNMP_OP_SET)
		*cause = xstrdup("unknown SNMP operation");
	else if (r->op == SNMP_OP_SET ? r->nvars == 0 : r->noids == 0)
		*cause = xstrdup("no OID given");
	else if (r->op == SNMP_OP_WALK && r->noids != 1)
		*cause = xstrdup("a walk has one root OID");
	else
		return 0;
	return -1;
}

/* The task of R, ready to queue. */
static struct snmp_task *
snmp_pool_task(struct snmp_pool *pool, const struct snmp_request *r)
{
	struct snmp_task *t = xcalloc(1, sizeof *t);

	t->pool = pool;
	t->host = xstrdup(r->host);
	t->port = r->port != 0 ? r->port : SNMP_PORT_DEFAULT;
	t->key = snmp_key_ref(r->key);
	t->timeout_ms = r->timeout_ms != 0 ? r->timeout_ms :
	    SNMP_TIMEOUT_DEFAULT_MS;
	t->retries = r->retries > SNMP_RETRIES_MAX ? SNMP_RETRIES_MAX :
	    r->retries;
	t->op = r->op;
	t->max_rows = r->max_rows != 0 ? r->max_rows : SNMP_WALK_ROWS;
	t->reps = SNMP_BULK_REPS;
	t->done = r->done;
	t->arg = r->arg;
	return t;
}

int
snmp_pool_submit(struct snmp_pool *pool, const struct snmp_request *r,
    char **cause)
{
	struct snmp_task *t;
	char *bad = NULL;

	if (snmp_pool_check(r, cause) != 0)
		return -1;
	t = snmp_pool_task(pool, r);
	if (snmp_pool_copy_op(t, r, &bad) != 0) {
		*cause = xasprintf("invalid OID '%s'", bad);
		free(bad);
		snmp_task_free(t);
		return -1;
	}
	if (t->op == SNMP_OP_GET || t->op == SNMP_OP_GETNEXT) {
		t->vbs = xcalloc(t->nnames, sizeof *t->vbs);
		t->nvbs = t->vbs_size = t->nnames;
		t->filled = xcalloc(t->nnames, 1);
		t->sent = xcalloc(t->nnames, sizeof *t->sent);
		t->chunk = SNMP_GET_CHUNK;
	} else if (t->op == SNMP_OP_WALK)
		t->cur = t->names[0];
	if (pool->in_callback)
		snmp_pool_push(&pool->cont_head, &pool->cont_tail, t);
	else
		snmp_pool_push(&pool->queue_head, &pool->queue_tail, t);
	return 0;
}

/* Start queued tasks while the window has room; follow-ups first. */
static void
snmp_pool_dispatch(struct snmp_pool *pool)
{
	struct snmp_task *t;
	struct snmp_chan *c;

	while (pool->in_flight < pool->window) {
		if ((t = snmp_pool_pop(&pool->cont_head,
		    &pool->cont_tail)) == NULL &&
		    (t = snmp_pool_pop(&pool->queue_head,
		    &pool->queue_tail)) == NULL)
			break;
		if ((c = snmp_chan_get(pool, t)) == NULL)
			continue;	/* failed and finished */
		t->chan = c;
		c->ntasks++;
		if (++pool->in_flight > pool->stats.max_in_flight)
			pool->stats.max_in_flight = pool->in_flight;
		snmp_chan_start(t);
	}
}

/* Run the callbacks of finished tasks; returns how many ran. */
static size_t
snmp_pool_callbacks(struct snmp_pool *pool)
{
	struct snmp_task *t;
	struct snmp_result r;
	size_t n = 0;

	while ((t = snmp_pool_pop(&pool->finished,
	    &pool->finished_tail)) != NULL) {
		memset(&r, 0, sizeof r);
		r.fail = t->fail;
		r.cause = t->cause;
		r.error_status = t->errstat;
		r.error_index = t->errindex;
		if (t->fail == SNMP_FAIL_NONE) {
			r.vbs = t->vbs;
			r.nvbs = t->nvbs;
		}
		pool->in_callback = 1;
		t->done(&r, t->arg);
		pool->in_callback = 0;
		pool->stats.requests_done++;
		snmp_task_free(t);
		n++;
	}
	return n;
}

void
snmp_pool_close_idle(struct snmp_pool *pool)
{
	struct snmp_chan *c, *next;

	for (c = pool->chans; c != NULL; c = next) {
		next = c->next;
		if (c->ntasks == 0)
			snmp_chan_close(c);
	}
}

/* Handle what the net-snmp callbacks left in pool->completed. */
static void
snmp_pool_completed(struct snmp_pool *pool)
{
	struct snmp_pending *p, *list = NULL;

	/* The callbacks pushed in front: reverse to keep arrival order. */
	while ((p = pool->completed) != NULL) {
		pool->completed = p->done_next;
		p->done_next = list;
		list = p;
	}
	while ((p = list) != NULL) {
		list = p->done_next;
		if (p->task == NULL)
			snmp_chan_probe_done(p);
		else
			snmp_task_answer(p->task, p);
	}
}

/*
 * Requests net-snmp kept too long (it drops one after a notInTimeWindow
 * report it gave up resending): time them out ourselves. The pending stays
 * with net-snmp, marked dead, until its chan closes.
 */
static void
snmp_pool_hang_guard(struct snmp_pool *pool, int64_t now)
{
	struct snmp_pending *p, *q;

	for (p = pool->pendings; p != NULL; p = p->next) {
		if (p->state != SNMP_PEND_WAIT || now <= p->deadline)
			continue;
		log_debug("%s: gave up waiting", p->chan->peer);
		p->state = SNMP_PEND_ERROR;
		if (p->task != NULL) {
			p->task->pending = NULL;
			snmp_task_fail(p->task, SNMP_FAIL_TIMEOUT,
			    snmp_chan_timeout_cause(p->chan,
			    snmp_pool_op_name(p->task->op)));
			continue;
		}
		/* A probe: a timeout of its own for the tasks waiting. */
		q = xcalloc(1, sizeof *q);
		q->chan = p->chan;
		q->state = SNMP_PEND_TIMEOUT;
		q->done_next = pool->completed;
		pool->completed = q;
	}
}

/* The poll() timeout: the earliest retry, deadline or parked retry. */
static int
snmp_pool_wait_ms(struct snmp_pool *pool, int64_t now, int64_t limit)
{
	struct snmp_pending *p;
	struct snmp_chan *c;
	struct timeval tv;
	int64_t wake = now + SNMP_POOL_TICK_MS, t;
	int numfds, block;

	if (limit >= 0 && limit < wake)
		wake = limit;
	for (p = pool->pendings; p != NULL; p = p->next) {
		if (p->state == SNMP_PEND_WAIT && p->deadline < wake)
			wake = p->deadline;
	}
	snmp_lib_lock();
	for (c = pool->chans; c != NULL; c = c->next) {
		if (c->state == SNMP_CHAN_PARKED && now + 50 < wake)
			wake = now + 50;
		numfds = 0;
		block = 1;
		timerclear(&tv);
		if (snmp_sess_select_info2_flags(c->sessp, &numfds,
		    &pool->fdset, &tv, &block, NETSNMP_SELECT_NOALARMS) > 0 &&
		    !block) {
			t = now + (int64_t)tv.tv_sec * 1000 +
			    (tv.tv_usec + 999) / 1000;
			if (t < wake)
				wake = t;
		}
	}
	NETSNMP_LARGE_FD_ZERO(&pool->fdset);
	snmp_lib_unlock();
	return wake > now ? (int)(wake - now) : 0;
}

static const char *
snmp_pool_op_name(enum snmp_op op)
{
	static const char *names[] = { "GET", "GETNEXT", "walk", "SET" };

	return names[op];
}

/*
 * Let net-snmp read what C's socket holds: one datagram a call, so go on
 * while poll() says there is more (a bounded number). Under the lock.
 * net-snmp clears the descriptor from the set once it has read it, so it
 * is set again for every read; otherwise every read after the first was
 * a no-op and the remaining datagrams cost one outer poll() each.
 */
static void
snmp_pool_read(struct snmp_pool *pool, struct snmp_chan *c,
    struct pollfd *pfd)
{
	int i;

	for (i = 0; i < SNMP_POOL_READS; i++) {
		netsnmp_large_fd_setfd(c->fd, &pool->fdset);
		snmp_sess_read2(c->sessp, &pool->fdset);
		pfd->revents = 0;
		if (poll(pfd, 1, 0) != 1 || (pfd->revents & POLLIN) == 0)
			break;
	}
	netsnmp_large_fd_clr(c->fd, &pool->fdset);
}

/* poll() the open sessions, then let net-snmp read and retry. */
static void
snmp_pool_wait(struct snmp_pool *pool, int64_t limit)
{
	struct pollfd *pfd;
	struct snmp_chan *c, **chans;
	size_t n = 0, i;
	int64_t now = snmp_pool_now();
	int ms, rc;

	ms = snmp_pool_wait_ms(pool, now, limit);
	pfd = xcalloc(pool->stats.open_sessions + 1, sizeof *pfd);
	chans = xcalloc(pool->stats.open_sessions + 1, sizeof *chans);
	for (c = pool->chans; c != NULL; c = c->next) {
		pfd[n].fd = c->fd;
		pfd[n].events = POLLIN;
		chans[n++] = c;
	}
	if ((rc = poll(pfd, n, ms)) == -1 && errno != EINTR)
		log_warn("poll: %s", strerror(errno));
	snmp_lib_lock();
	for (i = 0; rc > 0 && i < n; i++) {
		if ((pfd[i].revents & (POLLIN|POLLERR|POLLHUP)) != 0)
			snmp_pool_read(pool, chans[i], &pfd[i]);
	}
	/* Retries and timeouts; cheap for a session with nothing due. */
	for (i = 0; i < n; i++)
		snmp_sess_timeout(chans[i]->sessp);
	snmp_lib_unlock();
	free(pfd);
	free(chans);
	snmp_pool_hang_guard(pool, snmp_pool_now());
}

static void
snmp_pool_unpark(struct snmp_pool *pool)
{
	struct snmp_chan *c;

	for (c = pool->chans; c != NULL; c = c->next) {
		if (c->state == SNMP_CHAN_PARKED)
			snmp_chan_unpark(c);
	}
}

static int
snmp_pool_idle(const struct snmp_pool *pool)
{
	return pool->in_flight == 0 && pool->queue_head == NULL &&
	    pool->cont_head == NULL && pool->finished == NULL &&
	    pool->completed == NULL;
}

/* Dispatch, run callbacks until none is left to run, close idle chans. */
static void
snmp_pool_settle(struct snmp_pool *pool)
{
	do {
		snmp_pool_completed(pool);
		snmp_pool_dispatch(pool);
	} while (pool->completed != NULL || snmp_pool_callbacks(pool) > 0);
	snmp_pool_close_idle(pool);
}

int
snmp_pool_run_while(struct snmp_pool *pool, int timeout_ms,
    const size_t *busy)
{
	int64_t limit = timeout_ms < 0 ? -1 : snmp_pool_now() + timeout_ms;

	for (;;) {
		snmp_pool_settle(pool);
		if (snmp_pool_idle(pool) || (busy != NULL && *busy == 0))
			return 0;
		if (limit >= 0 && snmp_pool_now() >= limit)
			return 1;
		snmp_pool_wait(pool, limit);
		snmp_pool_unpark(pool);
	}
}

int
snmp_pool_run(struct snmp_pool *pool, int timeout_ms)
{
	return snmp_pool_run_while(pool, timeout_ms, NULL);
}

void
snmp_pool_cancel(struct snmp_pool *pool)
{
	struct snmp_pending *p;
	struct snmp_chan *c;
	struct snmp_task *t;

	while ((t = snmp_pool_pop(&pool->cont_head,
	    &pool->cont_tail)) != NULL ||
	    (t = snmp_pool_pop(&pool->queue_head,
	    &pool->queue_tail)) != NULL)
		snmp_task_fail(t, SNMP_FAIL_CANCELLED, xstrdup("cancelled"));
	for (p = pool->pendings; p != NULL; p = p->next) {
		if (p->state == SNMP_PEND_WAIT && p->task != NULL) {
			p->state = SNMP_PEND_ERROR;
			p->task->pending = NULL;
			snmp_task_fail(p->task, SNMP_FAIL_CANCELLED,
			    xstrdup("cancelled"));
		}
	}
	for (c = pool->chans; c != NULL; c = c->next) {
		while ((t = c->waiting) != NULL) {
			c->waiting = t->next;
			snmp_task_fail(t, SNMP_FAIL_CANCELLED,
			    xstrdup("cancelled"));
		}
	}
	if (!pool->in_callback)
		snmp_pool_settle(pool);
}

void
snmp_pool_free(struct snmp_pool **pp)
{
	struct snmp_pool *pool = *pp;
	struct snmp_pending *p;

	if (pool == NULL)
		return;
	*pp = NULL;
	snmp_pool_cancel(pool);
	while ((p = pool->completed) != NULL) {
		pool->completed = p->done_next;
		snmp_pending_free(p);
	}
	while (pool->chans != NULL)
		snmp_chan_close(pool->chans);
	netsnmp_large_fd_set_cleanup(&pool->fdset);
	free(pool);
}

void
snmp_pool_get_stats(const struct snmp_pool *pool, struct snmp_pool_stats *st)
{
	*st = pool->stats;
	st->in_flight = pool->in_flight;
}
