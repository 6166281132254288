/*
 * The engine: worker threads that claim job targets from the store with a
 * lease, run them through the job's kind, and record the outcome. Several
 * engines (processes) may share one database: a target is never run by two
 * of them, and a dead engine's targets are taken over when its lease ends.
 */
#ifndef QUIRE_ENGINE_H
#define QUIRE_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct engine;
struct engine_run;

/* One target handed to a kind. Borrowed for the duration of the run. */
struct engine_target {
	int64_t		 target_id;
	int64_t		 job_id;
	int64_t		 printer_id;	/* 0 if the printer was removed */
	const char	*printer_name;
	const char	*address;
	unsigned	 port;
	const char	*params;	/* the job's parameters */
	int		 attempt;	/* 1 on the first claim */
};

/*
 * A kind of job. run() receives a batch of claimed targets and must call
 * engine_run_finish() once for every one of them before returning; it may
 * finish them in any order (many may be in flight at once). It runs on a
 * worker thread and may open its own store with engine_run_store().
 */
struct engine_kind {
	const char	*name;
	void		(*run)(struct engine_run *, const struct engine_target *,
			    size_t n, void *arg);
	void		*arg;
};

struct engine_config {
	const char	*db_path;
	unsigned	 workers;	/* threads; default 4 */
	unsigned	 batch;		/* most targets per claim; default 32 */
	unsigned	 lease_ms;	/* default 30000 */
	unsigned	 poll_ms;	/* idle poll for new work; default 500 */
	unsigned	 max_attempts;	/* claims before giving up; default 3 */
	const char	*owner;		/* lease owner tag; default host:pid:rand */
};

/* Start the workers. KINDS is an array of N borrowed pointers. */
int engine_start(const struct engine_config *, const struct engine_kind *const *kinds,
    size_t n, struct engine **out, char **cause);
/* Stop claiming, let running batches finish, join the threads. */
void engine_stop(struct engine **);

/* Readable when a target finished; drain it with engine_drain_wake(). */
int engine_wake_fd(struct engine *);
void engine_drain_wake(struct engine *);
/* Look for work now rather than at the next poll (after a submit). */
void engine_kick(struct engine *);
const char *engine_owner(struct engine *);

/*
 * Record the outcome of TARGET: ok (done) or failed, with a result and/or
 * reason (either may be NULL). Thread-safe; may be called from the run.
 */
void engine_run_finish(struct engine_run *, const struct engine_target *,
    bool ok, const char *result, const char *reason);
/* True once the target's job was cancelled: stop starting new work. */
bool engine_run_cancelled(struct engine_run *, const struct engine_target *);
/* The worker's own store connection, for kinds that record more. */
struct store *engine_run_store(struct engine_run *);

#endif
