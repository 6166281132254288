/*
 * The capability check's private state, shared by src/job-check.c (the
 * transports) and src/job-check-verdict.c (categories and verdict).
 */
#ifndef QUIRE_JOB_CHECK_INT_H
#define QUIRE_JOB_CHECK_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "credential.h"
#include "engine.h"
#include "snmp.h"
#include "sshc.h"
#include "store.h"

struct catalog;
struct check_batch;

/* One printer being checked. */
struct check_item {
	const struct engine_target *t;
	struct check_batch	*batch;
	bool			 started;
	unsigned		 ssh_port;
	unsigned		 https_port;
	struct credential_set	*creds;		/* unsealed; wiped when freed */
	struct snmp_key		**keys;		/* in the order to try */
	int64_t			*key_creds;	/* their credentials (0: none) */
	size_t			 nkeys;
	bool			 snmp_default;	/* no SNMP credential: "public" */
	bool			 snmp_done;
	struct snmp_identify_result snmp;
	size_t			 nlogins;
	size_t			 next_cred;
	const struct credential	*login_cred;	/* the login being tried */
	bool			 shell_ok;
	const char		*login_kind;
	int64_t			 login_cred_id;
	char			*shell_firmware;	/* from `device info` */
	enum sshc_failure	 ssh_fail;
	char			*ssh_cause;	/* the last login's failure */
	bool			 https;
	char			*notes;		/* problems worth saying */
	int64_t			 only;	/* `credential test`: record nothing */
};

/*
 * Work out IT's categories and verdict, record them for its printer in ST
 * and finish its target in RUN. CAT may be NULL (no categories).
 */
void check_finish(struct engine_run *run, struct store *st,
    const struct catalog *cat, struct check_item *it);

#endif
