/*
 * What every job that talks to printers shares: a stored credential as the
 * transports take it (the SNMP parameters of a community or a USM user,
 * the shell login of a login or an SSH key; secrets borrowed from the
 * credential, which must outlive what is filled), and driving a batch's
 * SNMP and shell pools until both are idle.
 */
#ifndef QUIRE_JOB_IO_H
#define QUIRE_JOB_IO_H

#include <stdbool.h>

#include "credential.h"
#include "snmp.h"
#include "sshc.h"

/* Whether C is an SNMP community or USM user. */
bool job_io_is_snmp(const struct credential *c);
/*
 * SC from SNMP credential C: a community at VERSION (v1 or v2c), a USM user
 * always at v3.
 */
void job_io_snmp(const struct credential *c, enum snmp_version version,
    struct snmp_cred *sc);
/* L from credential C; false if C is no shell login. */
bool job_io_login(const struct credential *c, struct sshc_login *l);

/*
 * Run SNMP and SSH until neither has work left, in slices of STEP_MS while
 * both have; WHAT names the job in logged errors.
 */
void job_io_drive(struct snmp_pool *snmp, struct sshc_pool *ssh,
    int step_ms, const char *what);

#endif
