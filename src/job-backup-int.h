/*
 * The backup job's private state, shared by src/job-backup.c (the batch,
 * the plan and the outcome) and src/job-backup-read.c (reading over SNMP
 * and through the management shell).
 */
#ifndef QUIRE_JOB_BACKUP_INT_H
#define QUIRE_JOB_BACKUP_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "backup.h"
#include "catalog.h"
#include "credential.h"
#include "engine.h"
#include "snmp.h"
#include "sshc.h"
#include "store.h"

/* What a batch shares. */
struct backup_batch {
	struct engine_run	*run;
	struct store		*st;
	struct vault		*vault;
	char			*vault_cause;	/* why it would not open */
	bool			 vault_tried;
	struct snmp_pool	*snmp;
	struct sshc_pool	*ssh;
	struct catalog		*cat;
	char			*categories;	/* "all" or "a,b" */
	unsigned		 timeout_ms;
	unsigned		 retries;
};

/* What the last capability check recorded of a printer. */
struct backup_printer {
	char		*verdict;
	char		*reason;
	char		*categories;	/* comma list, NULL: none */
	char		*snmp_version;	/* NULL: SNMP did not answer */
	char		*login_kind;	/* NULL: no shell login worked */
	int64_t		 snmp_cred;	/* 0: the default community */
	int64_t		 login_cred;
	unsigned	 ssh_port;
	int64_t		 checked_at;
};

/* One category of one printer: the plan, then what was read. */
struct backup_cat {
	const struct catalog_category	*c;
	const char			**oids;		/* asked over SNMP */
	const struct catalog_setting	**snmp;		/* ... their settings */
	size_t				 nsnmp;
	bool				 shell;		/* some via the shell */
	bool				*wanted;	/* by setting index */
	struct backup_value		*v;
	size_t				 n;
	char				*partial;	/* why some are missing */
};

/* One printer being backed up. */
struct backup_item {
	const struct engine_target	*t;
	struct backup_batch		*b;
	struct backup_printer		 p;
	bool				 started;
	struct snmp_key			*key;		/* NULL: no SNMP */
	struct credential		*login;		/* NULL: no shell */
	struct backup_cat		*cats;
	size_t				 ncats;
	size_t				 next;		/* next SNMP category */
	char				*skipped;	/* categories left out */
	char				*failure;	/* nothing could be read */
};

/* Append PART to *S with SEP. */
void backup_job_append(char **s, const char *sep, const char *part);

/* Start reading IT: SNMP category by category, then the shell. */
void backup_read_start(struct backup_item *it);
/* Keep the value of setting S read as TEXT (or its secret) in C. */
void backup_read_keep(struct backup_cat *c, const struct catalog_setting *s,
    const char *text);
/* Mark category C partial with WHY (the first reason wins). */
void backup_read_partial(struct backup_cat *c, const char *why);

/* Credentials: IT's SNMP key and shell login from what the check found. */
void backup_job_credentials(struct backup_item *it);

/*
 * For the distribute job, which reads and snapshots through the backup's
 * code: prepare IT (what the check found, its credentials, its plan of
 * IT->b->categories; IT->failure says why not), and free what IT holds.
 */
void backup_prepare_item(struct backup_item *it);
void backup_item_clear(struct backup_item *it);

#endif
