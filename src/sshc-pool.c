#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include "sshc-int.h"
#include "xmalloc.h"

#define SSH_POOL_WINDOW_DEFAULT	64

/* Sessions of one thread: a FIFO of queued ones and a set of running ones
 * whose sockets are polled together. */
struct sshc_pool {
	unsigned		  window;
	struct sshc_session	**queue;
	size_t			  qhead;
	size_t			  qlen;		/* end of the queue */
	size_t			  qcap;
	struct sshc_session	**run;
	size_t			  nrun;
	size_t			  runcap;
	struct pollfd		 *pfd;
};

struct sshc_pool *
sshc_pool_new(unsigned window)
{
	struct sshc_pool *pool = xcalloc(1, sizeof *pool);

	sshc_transport_init();
	pool->window = window != 0 ? window : SSH_POOL_WINDOW_DEFAULT;
	return pool;
}

void
sshc_pool_free(struct sshc_pool **pp)
{
	struct sshc_pool *pool = *pp;
	size_t i;

	if (pool == NULL)
		return;
	for (i = 0; i < pool->nrun; i++) {
		sshc_session_abort(pool->run[i]);
		sshc_session_free(&pool->run[i]);
	}
	for (i = pool->qhead; i < pool->qlen; i++)
		sshc_session_free(&pool->queue[i]);
	free(pool->queue);
	free(pool->run);
	free(pool->pfd);
	free(pool);
	*pp = NULL;
}

int
sshc_pool_submit(struct sshc_pool *pool, const struct sshc_request *req,
    sshc_done_cb done, void *arg, char **cause)
{
	struct sshc_session *s;

	if ((s = sshc_session_new(req, done, arg, cause)) == NULL)
		return -1;
	if (pool->qhead > 0 && pool->qhead == pool->qlen)
		pool->qhead = pool->qlen = 0;
	if (pool->qlen == pool->qcap) {
		if (pool->qhead > pool->qcap / 2) {
			memmove(pool->queue, pool->queue + pool->qhead,
			    (pool->qlen - pool->qhead) * sizeof *pool->queue);
			pool->qlen -= pool->qhead;
			pool->qhead = 0;
		} else {
			pool->qcap = pool->qcap == 0 ? 16 : pool->qcap * 2;
			pool->queue = xreallocarray(pool->queue, pool->qcap,
			    sizeof *pool->queue);
		}
	}
	pool->queue[pool->qlen++] = s;
	return 0;
}

size_t
sshc_pool_pending(const struct sshc_pool *pool)
{
	return pool->qlen - pool->qhead + pool->nrun;
}

/* Hand a finished session's result to its owner, then free it. */
static void
sshc_pool_complete(struct sshc_session *s)
{
	if (s->done != NULL)
		s->done(s->done_arg, &s->res);
	sshc_session_free(&s);
}

static void
sshc_pool_add_running(struct sshc_pool *pool, struct sshc_session *s)
{
	if (pool->nrun == pool->runcap) {
		pool->runcap = pool->runcap == 0 ? 16 : pool->runcap * 2;
		pool->run = xreallocarray(pool->run, pool->runcap,
		    sizeof *pool->run);
		pool->pfd = xreallocarray(pool->pfd, pool->runcap,
		    sizeof *pool->pfd);
	}
	pool->run[pool->nrun++] = s;
}

/* Start queued sessions while the window has room. */
static void
sshc_pool_start(struct sshc_pool *pool)
{
	struct sshc_session *s;

	while (pool->nrun < pool->window && pool->qhead < pool->qlen) {
		s = pool->queue[pool->qhead++];
		sshc_session_start(s);
		if (s->state == SSH_ST_DONE)
			sshc_pool_complete(s);
		else
			sshc_pool_add_running(pool, s);
	}
}

/* Fill the poll set; the wait until the nearest deadline, within WAIT_MS. */
static int
sshc_pool_prepare(struct sshc_pool *pool, int wait_ms, int64_t now)
{
	int64_t wait = wait_ms, left;
	size_t i;

	for (i = 0; i < pool->nrun; i++) {
		pool->pfd[i].fd = pool->run[i]->fd;
		pool->pfd[i].events = pool->run[i]->events;
		pool->pfd[i].revents = 0;
		left = pool->run[i]->deadline - now;
		if (left < 0)
			left = 0;
		if (wait < 0 || left < wait)
			wait = left;
	}
	return (int)wait;
}

/* Advance what is ready, expire what is late, complete what ended. */
static void
sshc_pool_dispatch(struct sshc_pool *pool)
{
	struct sshc_session *s;
	int64_t now = sshc_now_ms();
	size_t i;

	/* Backwards, so removing (swap with the last) keeps pfd[i] aligned. */
	for (i = pool->nrun; i-- > 0;) {
		s = pool->run[i];
		if (pool->pfd[i].revents != 0)
			sshc_session_advance(s);
		sshc_session_expire(s, now);
		if (s->state != SSH_ST_DONE)
			continue;
		pool->run[i] = pool->run[--pool->nrun];
		pool->pfd[i] = pool->pfd[pool->nrun];
		sshc_pool_complete(s);
	}
}

int
sshc_pool_step(struct sshc_pool *pool, int wait_ms, char **cause)
{
	int wait, rc;

	sshc_pool_start(pool);
	if (pool->nrun == 0)
		return 0;
	wait = sshc_pool_prepare(pool, wait_ms, sshc_now_ms());
	rc = poll(pool->pfd, pool->nrun, wait);
	if (rc == -1 && errno != EINTR) {
		*cause = xasprintf("poll: %s", strerror(errno));
		return -1;
	}
	if (rc == -1)
		return 0;
	sshc_pool_dispatch(pool);
	sshc_pool_start(pool);
	return 0;
}

int
sshc_pool_run(struct sshc_pool *pool, char **cause)
{
	while (sshc_pool_pending(pool) > 0) {
		if (sshc_pool_step(pool, -1, cause) != 0)
			return -1;
	}
	return 0;
}
