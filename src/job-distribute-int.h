/*
 * The distribute job's private state, shared by src/job-distribute.c (the
 * batch, waves and outcomes), src/job-distribute-plan.c (plan, comparison,
 * verification), src/job-distribute-write.c
 * (SNMP SETs and the shell's `settings import`, reboot) and
 * src/job-distribute-limit.c (concurrency and rate per job).
 *
 * Reading (the preview, the backup before writing and the read-back) is the
 * backup job's code: each printer holds a struct backup_item planned over
 * the categories the data touches.
 */
#ifndef QUIRE_JOB_DISTRIBUTE_INT_H
#define QUIRE_JOB_DISTRIBUTE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "catalog.h"
#include "distribute.h"
#include "engine.h"
#include "job-backup-int.h"
#include "setdata.h"
#include "snmp.h"

/* What a batch shares. */
struct distribute_batch {
	struct engine_run	*run;
	struct store		*st;
	int64_t			 job_id;
	struct backup_batch	 bb;	/* pools, catalog, vault, categories */
	struct distribute_job	 job;
	struct setdata		*sd;	/* the data (secrets open); NULL for
					   a rollback */
};

/* One setting to distribute to one printer. */
struct distribute_change {
	const struct catalog_setting	*s;
	char				*value;	/* wanted (a secret in clear) */
	char				*old;	/* as read; NULL: unknown */
	enum distribute_outcome		 outcome;
	char				*reason;
	bool				 write;	/* to be written */
	bool				 shell;	/* ... through the shell */
	bool				 sent;	/* the printer took it */
	char				*held;	/* what the shell corrected to */
};

/* One printer. */
struct distribute_item {
	struct distribute_batch		*b;
	const struct engine_target	*t;
	bool				 started;
	struct backup_item		 rd;	/* the read before, then back */
	struct distribute_change	*c;
	size_t				 n;
	char				*failure;	/* the whole printer */
	struct snmp_key			*wkey;	/* SNMP writes; NULL: none */
	char				*wkey_why;	/* why there is none */
	size_t				*pend;	/* changes left to SET */
	size_t				 npend;
	size_t				 chunk;	/* varbinds per SET */
	char				*reboot;	/* what the reboot did */
};

/* Plan IT's changes: the data's settings, or what a rollback restores. */
void distribute_plan_data(struct distribute_item *it);
void distribute_plan_rollback(struct distribute_item *it);
/* Set C's outcome and reason (owned). */
void distribute_set(struct distribute_change *c, enum distribute_outcome o,
    char *reason);
/* Compare what IT read with what is wanted; route what would change. */
void distribute_compare(struct distribute_item *it);
/* Read IT again when something was written; then check what it holds. */
void distribute_reread_start(struct distribute_item *it);
void distribute_verify(struct distribute_item *it);

/* Append PART to *S with SEP (as backup_job_append). */
#define distribute_append backup_job_append

/* Drive both pools of B until every request ended. */
void distribute_drive(struct distribute_batch *b);
/* Drive them for MS milliseconds (sleep when nothing is in flight). */
void distribute_drive_for(struct distribute_batch *b, int ms);

/* Start writing IT's changes: SETs (split on tooBig), then the shell. */
void distribute_write_start(struct distribute_item *it);
/* Then the changes left for the shell: one `settings import`. */
void distribute_shell_start(struct distribute_item *it);
/* The shell's `device reboot`. */
void distribute_shell_reboot(struct distribute_item *it);
/* B's vault, opened once; NULL with *CAUSE (CAUSE may be NULL). */
struct vault *distribute_vault(struct distribute_batch *b, char **cause);
/* Reboot IT (the shell's `device reboot`, else prtGeneralReset). */
void distribute_reboot_start(struct distribute_item *it);
/* IT's SNMP write key from the credential the check found. */
void distribute_write_key(struct distribute_item *it);

/* The SNMP error-status name of STATUS ("noAccess"). */
const char *distribute_snmp_error(long status);

/*
 * Concurrency and rate per job, within this process: take up to WANT
 * printer slots of JOB (waiting while none is free; at least 1), give them
 * back; wait for the next start the rate allows (driving B's pools).
 */
size_t distribute_limit_take(struct distribute_batch *b, size_t want);
void distribute_limit_give(struct distribute_batch *b, size_t n);
void distribute_limit_start(struct distribute_batch *b);

#endif
