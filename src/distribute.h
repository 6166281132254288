/*
 * Distributing setting data to printers (job kind "distribute"). A job is
 * either a preview (dry run: read, compare, write nothing) or a write: back
 * up the categories it touches, write (SNMP SET with as many varbinds per
 * request as the printer takes; the shell's `settings import` for the
 * rest), read back to verify, and record per printer and per setting what
 * happened. A rollback is a write job whose values come, per printer, from
 * the backups an earlier write job took first.
 *
 * This header is the contract between the job (src/job-distribute*.c), the
 * command line (ui/cmd-distribute.c) and the console's distribution jobs
 * pane. Strings returned are owned by the caller.
 */
#ifndef QUIRE_DISTRIBUTE_H
#define QUIRE_DISTRIBUTE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store.h"

#define JOB_KIND_DISTRIBUTE "distribute"

enum distribute_outcome {
	DISTRIBUTE_WOULD_CHANGE,	/* preview: old -> new */
	DISTRIBUTE_UNCHANGED,		/* already holds the value */
	DISTRIBUTE_APPLIED,		/* written and read back */
	DISTRIBUTE_REJECTED,		/* the printer refused (reason) */
	DISTRIBUTE_UNSUPPORTED,		/* the printer lacks the setting */
	DISTRIBUTE_FAILED,		/* not written: timeout, lost... */
	DISTRIBUTE_NOUTCOMES
};

struct distribute_options {
	bool	 dry_run;	/* a preview: nothing is written */
	bool	 reboot;	/* reboot printers at the end when a written
				   setting needs a restart */
	int64_t	 rollback_of;	/* a write job: put its printers back */
};

/*
 * Queue a job distributing the registered setting data DATA (a name as
 * `quire data list` shows; ignored for a rollback) to the printers IDS;
 * audited under WHO. An unknown DATA is refused before anything is queued.
 */
int distribute_queue(struct store *, const char *data, const int64_t *ids,
    size_t n, const struct distribute_options *, const char *who,
    int64_t *job, char **cause);

/* One setting on one printer. */
struct distribute_result {
	int64_t			 printer_id;	/* 0 once removed */
	char			*printer_name;
	char			*key;
	enum distribute_outcome	 outcome;
	char			*old_value;	/* NULL: unknown, or secret */
	char			*new_value;	/* NULL for a secret */
	char			*reason;	/* NULL unless rejected/failed */
	bool			 restart;	/* the setting needs a restart */
	bool			 secret;
};

/*
 * The results of JOB_ID, by printer name then key; PRINTER (a name) or NULL
 * for every printer.
 */
int distribute_results(struct store *, int64_t job_id, const char *printer,
    struct distribute_result **out, size_t *n, char **cause);
void distribute_results_free(struct distribute_result **, size_t n);

/* Per-outcome counts of JOB_ID's results (COUNTS has DISTRIBUTE_NOUTCOMES). */
int distribute_counts(struct store *, int64_t job_id, size_t *counts,
    char **cause);

/*
 * Queue a new job like JOB_ID over its targets that failed (or whose
 * settings failed or were rejected); *JOB is 0 when there are none.
 */
int distribute_retry(struct store *, int64_t job_id, const char *who,
    int64_t *job, char **cause);

const char *distribute_outcome_name(enum distribute_outcome);

/*
 * Additions beyond the first contract.
 */

/* The outcome named NAME (as distribute_outcome_name gives); -1 if none. */
int distribute_outcome_parse(const char *name, enum distribute_outcome *);

/* distribute_queue() with the SNMP TIMEOUT_MS (0: 1000) and RETRIES. */
int distribute_submit(struct store *, const char *data, const int64_t *ids,
    size_t n, const struct distribute_options *, unsigned timeout_ms,
    unsigned retries, const char *who, int64_t *job, char **cause);

/* What a distribute job was asked (its parameters); strings owned. */
struct distribute_job {
	char			*data;		/* NULL for a rollback */
	struct distribute_options opts;
	unsigned		 timeout_ms;
	unsigned		 retries;
};
/* The parameters of JOB_ID; -1 with a cause when it is no distribute job. */
int distribute_job_get(struct store *, int64_t job_id,
    struct distribute_job *out, char **cause);
void distribute_job_clear(struct distribute_job *);
/* Parse the parameters text PARAMS (as the job holds them). */
void distribute_params_parse(const char *params, struct distribute_job *out);

/*
 * Record R (printer, key: replaced when there) for JOB_ID; a secret's
 * values are dropped. For the job.
 */
int distribute_record(struct store *, int64_t job_id,
    const struct distribute_result *r, char **cause);

/*
 * Bounds (config keys distribute.concurrency: printers in flight per job,
 * and distribute.rate: printers started per second, 0 for no limit).
 */
#define DISTRIBUTE_CONCURRENCY_DEFAULT	32
#define DISTRIBUTE_CONCURRENCY_MAX	4096
#define DISTRIBUTE_RATE_MAX		100000
int distribute_limits_get(struct store *, unsigned *concurrency,
    unsigned *rate, char **cause);
/* Set either (NULL: unchanged), audited under WHO. */
int distribute_limits_set(struct store *, const unsigned *concurrency,
    const unsigned *rate, const char *who, char **cause);

#endif
