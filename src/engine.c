#include "config.h"

#include "engine.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "job.h"
#include "log.h"
#include "store.h"
#include "xmalloc.h"

struct engine {
	struct engine_config		  cfg;
	char				 *owner;
	const struct engine_kind	**kinds;
	size_t				  nkinds;
	char				 *find_sql;	/* knows our kinds */

	pthread_t			 *workers;
	size_t				  nworkers;
	pthread_t			  heartbeat;
	bool				  has_heartbeat;

	pthread_mutex_t			  lock;		/* guards the next two */
	pthread_cond_t			  cond;
	bool				  stopping;
	unsigned			  kicks;

	int				  wake[2];
};

/* A claimed batch: owned by one worker thread for one run() call. */
struct engine_run {
	struct engine			*eng;
	struct store			*st;
	pthread_mutex_t			 lock;		/* guards st and done */
	const struct engine_kind	*kind;
	struct engine_target		*targets;
	char				**strings;	/* owned strings of targets */
	size_t				 nstrings;
	bool				*done;
	size_t				 n;
	char				*params;
};

static void
engine_wake(struct engine *eng)
{
	char c = 1;
	ssize_t w;

	do
		w = write(eng->wake[1], &c, 1);
	while (w == -1 && errno == EINTR);
	/* EAGAIN: a wake-up is already pending, which is all we need. */
}

static void
engine_deadline(struct timespec *ts, unsigned ms)
{
	clock_gettime(CLOCK_REALTIME, ts);
	ts->tv_sec += ms / 1000;
	ts->tv_nsec += (long)(ms % 1000) * 1000000;
	if (ts->tv_nsec >= 1000000000) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000;
	}
}

/* Sleep up to MS or until kicked or stopping; false once stopping. */
static bool
engine_idle(struct engine *eng, unsigned ms, unsigned *seen)
{
	struct timespec ts;
	bool running;

	engine_deadline(&ts, ms);
	pthread_mutex_lock(&eng->lock);
	while (!eng->stopping && eng->kicks == *seen) {
		if (pthread_cond_timedwait(&eng->cond, &eng->lock, &ts) ==
		    ETIMEDOUT)
			break;
	}
	*seen = eng->kicks;
	running = !eng->stopping;
	pthread_mutex_unlock(&eng->lock);
	return running;
}

static bool
engine_is_stopping(struct engine *eng)
{
	bool stopping;

	pthread_mutex_lock(&eng->lock);
	stopping = eng->stopping;
	pthread_mutex_unlock(&eng->lock);
	return stopping;
}

void
engine_kick(struct engine *eng)
{
	pthread_mutex_lock(&eng->lock);
	eng->kicks++;
	pthread_cond_broadcast(&eng->cond);
	pthread_mutex_unlock(&eng->lock);
}

int
engine_wake_fd(struct engine *eng)
{
	return eng->wake[0];
}

void
engine_drain_wake(struct engine *eng)
{
	char buf[256];

	while (read(eng->wake[0], buf, sizeof buf) > 0)
		;
}

const char *
engine_owner(struct engine *eng)
{
	return eng->owner;
}

/*
 * Targets whose lease ran out and that may not be claimed again (too many
 * attempts, or the job was cancelled) end here with a reason.
 */
static int
engine_sweep(struct engine *eng, struct store *st, char **cause)
{
	static const char sql[] = "UPDATE job_targets SET "
	    "state = CASE WHEN (SELECT state FROM jobs WHERE id = job_id) = "
	    "  'cancelled' THEN 'cancelled' ELSE 'failed' END, "
	    "reason = 'abandoned: the engine running it (' || owner || ') "
	    "stopped; ' || attempts || ' attempt(s)', "
	    "finished_at = ?1, lease_until = NULL "
	    "WHERE state = 'running' AND lease_until < ?1 AND (attempts >= ?2 "
	    "  OR (SELECT state FROM jobs WHERE id = job_id) = 'cancelled') "
	    "RETURNING job_id";
	sqlite3_stmt *stmt;
	int64_t *jobs = NULL;
	size_t n = 0, i;
	int rc;

	if (store_prepare(st, sql, &stmt, cause) != 0)
		return -1;
	sqlite3_bind_int64(stmt, 1, store_now_ms());
	sqlite3_bind_int(stmt, 2, (int)eng->cfg.max_attempts);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		jobs = xreallocarray(jobs, n + 1, sizeof *jobs);
		jobs[n++] = sqlite3_column_int64(stmt, 0);
	}
	sqlite3_reset(stmt);
	for (i = 0; rc == SQLITE_DONE && i < n; i++) {
		if (job_settle(st, jobs[i], cause) != 0)
			rc = SQLITE_ERROR;
	}
	if (n > 0)
		log_warn("%zu abandoned target(s) given up", n);
	free(jobs);
	if (rc != SQLITE_DONE && rc != SQLITE_ERROR)
		*cause = store_cause(st, "sweep");
	return rc == SQLITE_DONE ? 0 : -1;
}

/* The oldest unfinished job of our kinds with a claimable target. */
static int
engine_find_job(struct engine *eng, struct store *st, int64_t *job_id,
    char **cause)
{
	sqlite3_stmt *stmt;
	int rc;

	if (store_prepare(st, eng->find_sql, &stmt, cause) != 0)
		return -1;
	sqlite3_bind_int64(stmt, 1, store_now_ms());
	rc = sqlite3_step(stmt);
	*job_id = rc == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : 0;
	sqlite3_reset(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		*cause = store_cause(st, "find work");
		return -1;
	}
	return 0;
}

static const struct engine_kind *
engine_find_kind(struct engine *eng, const char *name)
{
	size_t i;

	for (i = 0; i < eng->nkinds; i++) {
		if (strcmp(eng->kinds[i]->name, name) == 0)
			return eng->kinds[i];
	}
	return NULL;
}

static const char *
engine_run_keep(struct engine_run *run, const unsigned char *s)
{
	if (s == NULL)
		return NULL;
	run->strings = xreallocarray(run->strings, run->nstrings + 1,
	    sizeof *run->strings);
	return run->strings[run->nstrings++] = xstrdup((const char *)s);
}

/* Load the job's kind and parameters into RUN. */
static int
engine_load_job(struct engine_run *run, int64_t job_id, char **cause)
{
	static const char sql[] = "SELECT kind, params FROM jobs WHERE id = ?";
	sqlite3_stmt *stmt;
	const char *kind;
	int rc;

	if (store_prepare(run->st, sql, &stmt, cause) != 0)
		return -1;
	sqlite3_bind_int64(stmt, 1, job_id);
	if ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		kind = (const char *)sqlite3_column_text(stmt, 0);
		run->kind = engine_find_kind(run->eng, kind);
		if (sqlite3_column_text(stmt, 1) != NULL)
			run->params = xstrdup((const char *)
			    sqlite3_column_text(stmt, 1));
	}
	sqlite3_reset(stmt);
	if (rc != SQLITE_ROW || run->kind == NULL) {
		*cause = store_cause(run->st, "load job");
		return -1;
	}
	return 0;
}

static void
engine_add_target(struct engine_run *run, sqlite3_stmt *stmt, int64_t job_id)
{
	struct engine_target *t;

	run->targets = xreallocarray(run->targets, run->n + 1,
	    sizeof *run->targets);
	t = &run->targets[run->n++];
	memset(t, 0, sizeof *t);
	t->job_id = job_id;
	t->target_id = sqlite3_column_int64(stmt, 0);
	t->printer_id = sqlite3_column_int64(stmt, 1);
	t->printer_name = engine_run_keep(run, sqlite3_column_text(stmt, 2));
	t->attempt = sqlite3_column_int(stmt, 3);
	t->address = engine_run_keep(run, sqlite3_column_text(stmt, 4));
	t->port = (unsigned)sqlite3_column_int(stmt, 5);
	t->params = run->params;
}

/*
 * How many targets of JOB_ID to take: a fair share of what is claimable
 * across our workers, at most batch, so a small job is spread over them.
 */
static int
engine_share(struct engine_run *run, int64_t job_id, unsigned *share,
    char **cause)
{
	/* Counted no further than the share can use: a claim's cost does
	 * not grow with the size of the job. */
	static const char sql[] = "SELECT (SELECT count(*) FROM (SELECT 1 "
	    "FROM job_targets WHERE job_id = ?1 AND state = 'pending' "
	    "LIMIT ?3)) + (SELECT count(*) FROM job_targets WHERE "
	    "state = 'running' AND lease_until < ?2 AND job_id = ?1)";
	struct engine *eng = run->eng;
	sqlite3_stmt *stmt;
	int64_t n = 0;

	if (store_prepare(run->st, sql, &stmt, cause) != 0)
		return -1;
	sqlite3_bind_int64(stmt, 1, job_id);
	sqlite3_bind_int64(stmt, 2, store_now_ms());
	sqlite3_bind_int64(stmt, 3,
	    (int64_t)eng->cfg.batch * eng->cfg.workers);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		n = sqlite3_column_int64(stmt, 0);
	sqlite3_reset(stmt);
	/* cfg.workers, not nworkers: threads claim while others still start. */
	n = (n + eng->cfg.workers - 1) / (int64_t)eng->cfg.workers;
	*share = n < 1 ? 1 : n > eng->cfg.batch ? eng->cfg.batch : (unsigned)n;
	return 0;
}

/* Take our share of the targets of JOB_ID under our lease. */
static int
engine_take(struct engine_run *run, int64_t job_id, char **cause)
{
	static const char sql[] = "UPDATE job_targets SET state = 'running', "
	    "owner = ?1, lease_until = ?2 + ?3, attempts = attempts + 1, "
	    "started_at = ?2 WHERE id IN (SELECT id FROM ("
	    "  SELECT id FROM job_targets WHERE state = 'running' AND "
	    "  lease_until < ?2 AND job_id = ?4 UNION ALL "
	    "  SELECT id FROM job_targets WHERE job_id = ?4 AND "
	    "  state = 'pending') ORDER BY id LIMIT ?5) "
	    "RETURNING id, printer_id, printer_name, attempts, "
	    "(SELECT address FROM printers WHERE id = printer_id), "
	    "(SELECT port FROM printers WHERE id = printer_id)";
	static const char mark[] = "UPDATE jobs SET state = 'running' "
	    "WHERE id = ? AND state = 'queued'";
	struct engine *eng = run->eng;
	sqlite3_stmt *stmt;
	unsigned share;
	int rc;

	if (engine_share(run, job_id, &share, cause) != 0 ||
	    store_prepare(run->st, sql, &stmt, cause) != 0)
		return -1;
	sqlite3_bind_text(stmt, 1, eng->owner, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 2, store_now_ms());
	sqlite3_bind_int64(stmt, 3, eng->cfg.lease_ms);
	sqlite3_bind_int64(stmt, 4, job_id);
	sqlite3_bind_int(stmt, 5, (int)share);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		engine_add_target(run, stmt, job_id);
	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE) {
		*cause = store_cause(run->st, "claim");
		return -1;
	}
	if (store_prepare(run->st, mark, &stmt, cause) != 0)
		return -1;
	sqlite3_bind_int64(stmt, 1, job_id);
	if (sqlite3_step(stmt) != SQLITE_DONE) {
		*cause = store_cause(run->st, "claim");
		return -1;
	}
	return 0;
}

/* One transaction: sweep, find a job, take a batch of its targets. */
static int
engine_claim(struct engine_run *run, char **cause)
{
	int64_t job_id;

	if (store_begin(run->st, cause) != 0)
		return -1;
	if (engine_sweep(run->eng, run->st, cause) != 0 ||
	    engine_find_job(run->eng, run->st, &job_id, cause) != 0)
		goto fail;
	if (job_id != 0 && (engine_load_job(run, job_id, cause) != 0 ||
	    engine_take(run, job_id, cause) != 0))
		goto fail;
	if (store_commit(run->st, cause) != 0)
		goto fail;
	run->done = xcalloc(run->n ? run->n : 1, sizeof *run->done);
	return 0;
fail:
	store_rollback(run->st);
	return -1;
}

static void
engine_run_reset(struct engine_run *run)
{
	size_t i;

	for (i = 0; i < run->nstrings; i++)
		free(run->strings[i]);
	free(run->strings);
	free(run->targets);
	free(run->done);
	free(run->params);
	run->strings = NULL;
	run->targets = NULL;
	run->done = NULL;
	run->params = NULL;
	run->nstrings = run->n = 0;
	run->kind = NULL;
}

/* Write one outcome; the owner check means a lost lease records nothing. */
static int
engine_record(struct engine_run *run, const struct engine_target *t,
    const char *state, const char *result, const char *reason, char **cause)
{
	static const char sql[] = "UPDATE job_targets SET state = ?, "
	    "result = ?, reason = ?, finished_at = ?, lease_until = NULL "
	    "WHERE id = ? AND owner = ? AND state = 'running'";
	sqlite3_stmt *stmt;

	if (store_begin(run->st, cause) != 0)
		return -1;
	if (store_prepare(run->st, sql, &stmt, cause) != 0)
		goto fail;
	sqlite3_bind_text(stmt, 1, state, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, result, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, reason, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 4, store_now_ms());
	sqlite3_bind_int64(stmt, 5, t->target_id);
	sqlite3_bind_text(stmt, 6, run->eng->owner, -1, SQLITE_STATIC);
	if (sqlite3_step(stmt) != SQLITE_DONE) {
		*cause = store_cause(run->st, "record");
		goto fail;
	}
	if (sqlite3_changes(store_db(run->st)) == 0)
		log_warn("target %lld (%s): lease lost, outcome dropped",
		    (long long)t->target_id, t->printer_name);
	if (job_settle(run->st, t->job_id, cause) != 0)
		goto fail;
	return store_commit(run->st, cause);
fail:
	store_rollback(run->st);
	return -1;
}

void
engine_run_finish(struct engine_run *run, const struct engine_target *t,
    bool ok, const char *result, const char *reason)
{
	size_t i = (size_t)(t - run->targets);
	char *cause = NULL;

	pthread_mutex_lock(&run->lock);
	if (i < run->n && !run->done[i]) {
		run->done[i] = true;
		if (engine_record(run, t, ok ? "done" : "failed", result,
		    reason, &cause) != 0) {
			log_error("%s: %s", t->printer_name, cause);
			free(cause);
		}
	}
	pthread_mutex_unlock(&run->lock);
	/* Inside the kind's own transaction nobody can see the outcome yet;
	 * the wake after its run says when they can. */
	if (!store_in_transaction(run->st))
		engine_wake(run->eng);
}

bool
engine_run_cancelled(struct engine_run *run, const struct engine_target *t)
{
	static const char sql[] = "SELECT state = 'cancelled' FROM jobs "
	    "WHERE id = ?";
	sqlite3_stmt *stmt;
	char *cause = NULL;
	bool cancelled = false;

	if (engine_is_stopping(run->eng))
		return true;
	pthread_mutex_lock(&run->lock);
	if (store_prepare(run->st, sql, &stmt, &cause) == 0) {
		sqlite3_bind_int64(stmt, 1, t->job_id);
		if (sqlite3_step(stmt) == SQLITE_ROW)
			cancelled = sqlite3_column_int(stmt, 0) != 0;
		sqlite3_reset(stmt);
	} else
		free(cause);
	pthread_mutex_unlock(&run->lock);
	return cancelled;
}

struct store *
engine_run_store(struct engine_run *run)
{
	return run->st;
}

/*
 * Targets the kind left unfinished: cancelled if their job was, handed back
 * (pending, attempt not counted) if we are stopping, failed otherwise.
 */
static void
engine_release(struct engine_run *run)
{
	static const char back[] = "UPDATE job_targets SET state = 'pending', "
	    "owner = NULL, lease_until = NULL, attempts = attempts - 1 "
	    "WHERE id = ? AND owner = ? AND state = 'running'";
	sqlite3_stmt *stmt;
	char *cause = NULL;
	size_t i;

	for (i = 0; i < run->n; i++) {
		if (run->done[i])
			continue;
		if (engine_is_stopping(run->eng) &&
		    store_prepare(run->st, back, &stmt, &cause) == 0) {
			sqlite3_bind_int64(stmt, 1, run->targets[i].target_id);
			sqlite3_bind_text(stmt, 2, run->eng->owner, -1,
			    SQLITE_STATIC);
			sqlite3_step(stmt);
			sqlite3_reset(stmt);
			run->done[i] = true;
			continue;
		}
		free(cause);
		cause = NULL;
		engine_record(run, &run->targets[i], engine_run_cancelled(run,
		    &run->targets[i]) ? "cancelled" : "failed", NULL,
		    "not run: the job was cancelled or the engine stopped",
		    &cause);
		free(cause);
		cause = NULL;
	}
}

static void *
engine_worker(void *arg)
{
	struct engine *eng = arg;
	struct engine_run run = { .eng = eng };
	char *cause = NULL;
	unsigned seen = 0;

	pthread_mutex_init(&run.lock, NULL);
	if (store_open(eng->cfg.db_path, &run.st, &cause) != 0) {
		log_error("worker: %s", cause);
		free(cause);
		pthread_mutex_destroy(&run.lock);
		return NULL;
	}
	while (!engine_is_stopping(eng)) {
		if (engine_claim(&run, &cause) != 0) {
			log_warn("claim: %s", cause);
			xfree(&cause);
		}
		if (run.n == 0) {
			engine_run_reset(&run);
			if (!engine_idle(eng, eng->cfg.poll_ms, &seen))
				break;
			continue;
		}
		log_debug("%s: %zu target(s) of job %lld", run.kind->name,
		    run.n, (long long)run.targets[0].job_id);
		run.kind->run(&run, run.targets, run.n, run.kind->arg);
		engine_release(&run);
		engine_run_reset(&run);
		engine_wake(eng);
	}
	store_free(&run.st);
	pthread_mutex_destroy(&run.lock);
	return NULL;
}

/* Renew the leases of everything we run, every third of a lease. */
static void *
engine_heartbeat(void *arg)
{
	static const char sql[] = "UPDATE job_targets SET lease_until = ? "
	    "WHERE owner = ? AND state = 'running'";
	struct engine *eng = arg;
	struct store *st = NULL;
	sqlite3_stmt *stmt;
	char *cause = NULL;
	unsigned seen = 0;

	if (store_open(eng->cfg.db_path, &st, &cause) != 0) {
		log_error("heartbeat: %s", cause);
		free(cause);
		return NULL;
	}
	while (engine_idle(eng, eng->cfg.lease_ms / 3, &seen)) {
		if (store_prepare(st, sql, &stmt, &cause) != 0) {
			log_warn("heartbeat: %s", cause);
			xfree(&cause);
			continue;
		}
		sqlite3_bind_int64(stmt, 1, store_now_ms() + eng->cfg.lease_ms);
		sqlite3_bind_text(stmt, 2, eng->owner, -1, SQLITE_STATIC);
		if (sqlite3_step(stmt) != SQLITE_DONE)
			log_warn("heartbeat: %s", sqlite3_errmsg(store_db(st)));
		sqlite3_reset(stmt);
	}
	store_free(&st);
	return NULL;
}

static char *
engine_default_owner(void)
{
	char host[64];
	unsigned r;

	if (gethostname(host, sizeof host) != 0)
		strcpy(host, "localhost");
	host[sizeof host - 1] = '\0';
	r = (unsigned)(store_now_ms() ^ ((unsigned)getpid() << 16));
	return xasprintf("%s:%d:%04x", host, (int)getpid(), r & 0xffff);
}

/* The query for work, naming our kinds (fixed identifiers, not input). */
static char *
engine_build_find(struct engine *eng)
{
	char *list = xstrdup(""), *tmp, *sql;
	size_t i;

	for (i = 0; i < eng->nkinds; i++) {
		tmp = xasprintf("%s%s'%s'", list, i ? ", " : "",
		    eng->kinds[i]->name);
		free(list);
		list = tmp;
	}
	/* Open jobs first (a partial index), then one indexed probe each:
	 * never a walk over every target of every job. */
	sql = xasprintf("SELECT j.id FROM jobs j WHERE j.finished_at IS NULL "
	    "AND j.state != 'cancelled' AND j.kind IN (%s) AND ("
	    "EXISTS (SELECT 1 FROM job_targets t WHERE t.job_id = j.id AND "
	    "  t.state = 'pending') OR "
	    "EXISTS (SELECT 1 FROM job_targets t WHERE t.state = 'running' "
	    "  AND t.lease_until < ?1 AND t.job_id = j.id)) "
	    "ORDER BY j.id LIMIT 1", list);
	free(list);
	return sql;
}

static void
engine_defaults(struct engine_config *cfg)
{
	if (cfg->workers == 0)
		cfg->workers = 4;
	if (cfg->batch == 0)
		cfg->batch = 32;
	if (cfg->lease_ms == 0)
		cfg->lease_ms = 30000;
	if (cfg->poll_ms == 0)
		cfg->poll_ms = 500;
	if (cfg->max_attempts == 0)
		cfg->max_attempts = 3;
}

static int
engine_check_kinds(const struct engine_kind *const *kinds, size_t n,
    char **cause)
{
	const char *p;
	size_t i;

	for (i = 0; i < n; i++) {
		for (p = kinds[i]->name; *p != '\0'; p++) {
			if (strchr("abcdefghijklmnopqrstuvwxyz0123456789-_",
			    *p) == NULL) {
				*cause = xasprintf("bad job kind name '%s'",
				    kinds[i]->name);
				return -1;
			}
		}
	}
	return 0;
}

int
engine_start(const struct engine_config *cfg,
    const struct engine_kind *const *kinds, size_t n, struct engine **out,
    char **cause)
{
	struct engine *eng;
	size_t i;

	if (engine_check_kinds(kinds, n, cause) != 0)
		return -1;
	eng = xcalloc(1, sizeof *eng);
	eng->cfg = *cfg;
	engine_defaults(&eng->cfg);
	eng->cfg.db_path = xstrdup(cfg->db_path);
	eng->owner = cfg->owner ? xstrdup(cfg->owner) : engine_default_owner();
	eng->cfg.owner = eng->owner;
	eng->kinds = xcalloc(n ? n : 1, sizeof *eng->kinds);
	memcpy(eng->kinds, kinds, n * sizeof *kinds);
	eng->nkinds = n;
	eng->find_sql = engine_build_find(eng);
	pthread_mutex_init(&eng->lock, NULL);
	pthread_cond_init(&eng->cond, NULL);
	if (pipe2(eng->wake, O_NONBLOCK | O_CLOEXEC) != 0) {
		*cause = xasprintf("pipe: %s", strerror(errno));
		eng->wake[0] = eng->wake[1] = -1;
		engine_stop(&eng);
		return -1;
	}
	eng->workers = xcalloc(eng->cfg.workers, sizeof *eng->workers);
	for (i = 0; i < eng->cfg.workers; i++) {
		if (pthread_create(&eng->workers[i], NULL, engine_worker,
		    eng) != 0)
			break;
		eng->nworkers++;
	}
	if (eng->nworkers > 0 && pthread_create(&eng->heartbeat, NULL,
	    engine_heartbeat, eng) == 0)
		eng->has_heartbeat = true;
	if (!eng->has_heartbeat) {
		*cause = xstrdup("cannot start engine threads");
		engine_stop(&eng);
		return -1;
	}
	log_info("engine %s: %zu workers", eng->owner, eng->nworkers);
	*out = eng;
	return 0;
}

void
engine_stop(struct engine **engp)
{
	struct engine *eng = *engp;
	size_t i;

	if (eng == NULL)
		return;
	pthread_mutex_lock(&eng->lock);
	eng->stopping = true;
	pthread_cond_broadcast(&eng->cond);
	pthread_mutex_unlock(&eng->lock);
	for (i = 0; i < eng->nworkers; i++)
		pthread_join(eng->workers[i], NULL);
	if (eng->has_heartbeat)
		pthread_join(eng->heartbeat, NULL);
	if (eng->wake[0] != -1) {
		close(eng->wake[0]);
		close(eng->wake[1]);
	}
	pthread_cond_destroy(&eng->cond);
	pthread_mutex_destroy(&eng->lock);
	free(eng->workers);
	free(eng->kinds);
	free(eng->find_sql);
	free(eng->owner);
	free((char *)eng->cfg.db_path);
	free(eng);
	*engp = NULL;
}
