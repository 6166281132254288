/*
 * Jobs in the store: one row per job and one per target. The database is the
 * queue; the engine (engine.h) claims targets from it.
 */
#ifndef QUIRE_JOB_H
#define QUIRE_JOB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store.h"

enum job_state { JOB_QUEUED, JOB_RUNNING, JOB_DONE, JOB_FAILED, JOB_CANCELLED };

enum target_state {
	TARGET_PENDING, TARGET_RUNNING, TARGET_DONE, TARGET_FAILED,
	TARGET_CANCELLED, TARGET_NSTATES
};

struct job_info {
	int64_t		 id;
	char		*kind;
	char		*params;	/* kind-specific, may be NULL */
	enum job_state	 state;
	char		*created_by;
	int64_t		 created_at;
	int64_t		 finished_at;	/* 0 while unfinished */
	size_t		 count[TARGET_NSTATES];
	size_t		 total;
};

struct job_target_info {
	int64_t		 id;
	int64_t		 printer_id;	/* 0 once the printer is removed */
	char		*printer_name;
	enum target_state state;
	char		*owner;		/* engine that ran or runs it */
	int		 attempts;
	char		*result;
	char		*reason;
	int64_t		 started_at;
	int64_t		 finished_at;
};

/* Queue a job of KIND over the printers IDS; audited under WHO. */
int job_submit(struct store *, const char *kind, const char *params,
    const int64_t *ids, size_t n, const char *who, int64_t *job_id,
    char **cause);

/*
 * Forget the jobs that finished before BEFORE (ms): their targets and
 * results go with them; backups they took stay (without their job). *N is
 * how many jobs (would) go; DRY_RUN deletes nothing. Audited under WHO.
 */
int job_prune(struct store *, int64_t before, bool dry_run, const char *who,
    size_t *n, char **cause);

/* Cancel: pending targets end cancelled; running ones finish as they are. */
int job_cancel(struct store *, int64_t job_id, const char *who, char **cause);

/* Load one job with its per-state counts; caller frees with job_info_clear. */
int job_get(struct store *, int64_t job_id, struct job_info *, char **cause);
void job_info_clear(struct job_info *);

/* The newest LIMIT jobs, newest first; *out owned by the caller. */
int job_list(struct store *, size_t limit, struct job_info **out, size_t *n,
    char **cause);
void job_list_free(struct job_info **, size_t n);

/* A job's targets by printer name; caller frees with job_targets_free. */
int job_targets(struct store *, int64_t job_id, struct job_target_info **out,
    size_t *n, char **cause);
void job_targets_free(struct job_target_info **, size_t n);

/* Mark the job finished (done, failed or cancelled) once no target is
 * pending or running; a no-op before. For the engine. */
int job_settle(struct store *, int64_t job_id, char **cause);

/* True once no target is pending or running. */
int job_is_finished(struct store *, int64_t job_id, int *finished,
    char **cause);

const char *job_state_name(enum job_state);
const char *target_state_name(enum target_state);

#endif
