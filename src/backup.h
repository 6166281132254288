/*
 * Backups of device setting values by printer and category, taken by the
 * backup job (job-backup.c). One row stands for one distinct state of a
 * printer's category: a backup that reads the newest state again only
 * notes that it saw it (last_seen_at, last_job, seen, updated in place),
 * so backing up an unchanged printer adds nothing. Values are stored once
 * per distinct content (content-addressed). This header is the read side shared by the
 * command line and the console; every string it returns is owned by the
 * caller and freed with the matching *_free function.
 */
#ifndef QUIRE_BACKUP_H
#define QUIRE_BACKUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store.h"

#define JOB_KIND_BACKUP "backup"

/*
 * Queue a backup job of the printers IDS for CATEGORIES ("all", or names
 * joined with ","); audited under WHO. Unknown categories are refused
 * before anything is queued.
 */
int backup_queue(struct store *, const int64_t *ids, size_t n,
    const char *categories, const char *who, int64_t *job, char **cause);

/*
 * One state of a printer's category: when it was first read (taken_at, by
 * job_id) and last read (last_seen_at, by last_job_id), by how many
 * backups (seen, 1 when stored). A partial reading is always a state of
 * its own (seen 1).
 */
struct backup_entry {
	int64_t		 id;
	int64_t		 printer_id;	/* 0 once the printer is removed */
	char		*printer_name;
	char		*category;
	int64_t		 job_id;	/* the job that stored it; 0: none or
					   gone */
	int64_t		 taken_at;	/* ms since the epoch */
	int64_t		 last_seen_at;	/* ms; taken_at until seen again */
	int64_t		 last_job_id;	/* the last job that read it; 0: none */
	size_t		 seen;		/* backups that read it, >= 1 */
	size_t		 nsettings;
	bool		 changed;	/* differs from the previous complete
					   state of this printer and category
					   (true for the first) */
	char		*partial;	/* NULL, or why settings are missing */
};

/* What backup_list() returns; every field optional (0/NULL: any). */
struct backup_filter {
	const int64_t	*printer_ids;
	size_t		 nprinters;
	const char	*category;
	int64_t		 since;		/* ms since the epoch */
	size_t		 limit;
};

/* States matching F, newest first (by taken_at, then id); F->since
 * selects the states read since then (last_seen_at >= since). */
int backup_list(struct store *, const struct backup_filter *f,
    struct backup_entry **out, size_t *n, char **cause);
/* One snapshot by id; -1 with "no backup N" when there is none. */
int backup_get(struct store *, int64_t id, struct backup_entry *out,
    char **cause);
void backup_entry_clear(struct backup_entry *);
void backup_entries_free(struct backup_entry **, size_t n);

/*
 * A value as stored: the string catalog_check_value() takes. A secret's
 * value is never returned here (value is NULL, secret is true).
 */
struct backup_value {
	char	*key;
	char	*value;
	bool	 secret;
};

/* The values of snapshot ID, sorted by key. */
int backup_values(struct store *, int64_t id, struct backup_value **out,
    size_t *n, char **cause);
void backup_values_free(struct backup_value **, size_t n);

enum backup_change { BACKUP_ADDED, BACKUP_REMOVED, BACKUP_CHANGED };

/* One line of a diff; old_value NULL when added, new_value when removed. */
struct backup_diff {
	char			*key;
	enum backup_change	 change;
	char			*old_value;
	char			*new_value;
	bool			 secret;	/* values NULL; "changed" only */
};

/* Setting by setting from snapshot ID1 to ID2, sorted by key. */
int backup_diff(struct store *, int64_t id1, int64_t id2,
    struct backup_diff **out, size_t *n, char **cause);
void backup_diffs_free(struct backup_diff **, size_t n);

/* ---- Writing: the backup job (and tests) ---- */

/* Queue a backup as backup_queue() does, with SNMP TIMEOUT_MS and RETRIES. */
int backup_submit(struct store *, const int64_t *ids, size_t n,
    const char *categories, unsigned timeout_ms, unsigned retries,
    const char *who, int64_t *job, char **cause);

/*
 * One snapshot to store. VALUES (any order, keys unique) hold secrets in
 * clear; they are sealed on the way in. PARTIAL: NULL, or why settings are
 * missing. LINK_JOB: note in backup_runs that JOB_ID took this snapshot
 * (the state stored or confirmed), for backup_job_snapshots(); needs a
 * JOB_ID. Plain backups do not: a job that must find its snapshots again
 * (the distribution's pre-write backup) does.
 */
struct backup_snapshot {
	int64_t				 printer_id;
	const char			*printer_name;
	const char			*category;
	int64_t				 job_id;	/* 0: none */
	int64_t				 taken_at;	/* ms */
	const struct backup_value	*values;
	size_t				 n;
	const char			*partial;
	bool				 link_job;
};

struct vault;

/*
 * Store S: its content (values sorted by key, secrets sealed with V, which
 * may be NULL when S has none) once, found again by its SHA-256. When S is
 * complete and its content is that of the newest state of its printer and
 * category (itself complete), that state is confirmed in place (seen + 1,
 * last_seen_at, last_job): no row is added. Otherwise a new state row
 * points at the content. Then the retention of its printer and category.
 * *ID: the state's row (new or confirmed); *CHANGED: whether S differs
 * from the newest complete state before it (true for the first). A secret
 * equal to the one of the previous snapshot keeps its sealed form, so an
 * unchanged secret does not change the content. Runs in the caller's
 * transaction or in its own. *ID and *CHANGED may be NULL.
 */
int backup_store(struct store *, const struct vault *v,
    const struct backup_snapshot *s, int64_t *id, bool *changed,
    char **cause);

/* Retention (config key backup.keep): the newest KEEP states per printer
 * and category; BACKUP_KEEP_ALL keeps everything (the default). */
#define BACKUP_KEEP_ALL	0
int backup_keep_get(struct store *, size_t *keep, char **cause);
/* Set it, audited under WHO; applied from the next backup on. */
int backup_keep_set(struct store *, size_t keep, const char *who,
    char **cause);
/*
 * Delete the states of PRINTER_NAME's CATEGORY older than the newest
 * KEEP (nothing when KEEP is BACKUP_KEEP_ALL) and the contents nothing
 * points at any more. Runs in the caller's transaction or its own.
 */
int backup_prune(struct store *, const char *printer_name,
    const char *category, size_t keep, char **cause);

/*
 * The values of snapshot ID with secrets opened with V (for an export
 * with a passphrase). backup_values_free wipes them.
 */
int backup_values_open(struct store *, const struct vault *v, int64_t id,
    struct backup_value **out, size_t *n, char **cause);

/* What the backups take: rows, distinct contents and their bytes. */
struct backup_stats {
	size_t		 backups;
	size_t		 blobs;
	uint64_t	 body_bytes;
};
int backup_stats(struct store *, struct backup_stats *, char **cause);

/*
 * What job JOB's snapshots did: SNAPSHOTS = STORED (new states: CHANGED
 * and PARTIAL among them) + CONFIRMED (the newest state found again, no
 * row added). A state the job confirmed counts as long as no later backup
 * confirmed it again: exact right after the job, as the summary is.
 */
struct backup_counts {
	size_t		 snapshots;
	size_t		 stored;
	size_t		 changed;
	size_t		 partial;
	size_t		 confirmed;
};
int backup_job_counts(struct store *, int64_t job, struct backup_counts *,
    char **cause);

/*
 * The states job JOB took with link_job set (new or confirmed), of PRINTER
 * (by name; NULL: every printer), by printer and category. *OUT as
 * backup_list's; none is not an error (*N is 0).
 */
int backup_job_snapshots(struct store *, int64_t job, const char *printer,
    struct backup_entry **out, size_t *n, char **cause);

/*
 * The newest state of each category of printer ID (by taken_at; complete
 * or partial), sorted by category. *OUT as backup_list's.
 */
int backup_latest(struct store *, int64_t printer_id,
    struct backup_entry **out, size_t *n, char **cause);

/* ---- Scheduled backups, run by `quire engine` ---- */

/*
 * A schedule (config key backup.schedule/TARGETS): back up TARGETS (as the
 * command line takes them, separated by blanks) for CATEGORIES every EVERY
 * seconds; LAST is when it was last queued (ms, 0: never).
 */
struct backup_schedule {
	char		*targets;
	char		*categories;
	int64_t		 every;
	int64_t		 last;
};

/* Add or replace the schedule of TARGETS; EVERY 0 removes it. Audited. */
int backup_schedule_set(struct store *, const char *targets,
    const char *categories, int64_t every, const char *who, char **cause);
/* Every schedule, by targets; free with backup_schedules_free. */
int backup_schedule_list(struct store *, struct backup_schedule **out,
    size_t *n, char **cause);
void backup_schedules_free(struct backup_schedule **, size_t n);
/*
 * Queue the backups due at NOW_MS under WHO and note when; *NJOBS says how
 * many were queued. A schedule whose targets match nothing is skipped (and
 * logged) and tried again at its next time.
 */
int backup_schedule_run(struct store *, int64_t now_ms, const char *who,
    size_t *njobs, char **cause);

#endif
