/*
 * A stored credential as the transports take it: the SNMP parameters of a
 * community or a USM user, the shell login of a login or an SSH key. Shared
 * by every job that talks to printers; the secrets are borrowed from the
 * credential, which must outlive what is filled.
 */
#ifndef QUIRE_JOB_CREDS_H
#define QUIRE_JOB_CREDS_H

#include <stdbool.h>

#include "credential.h"
#include "snmp.h"
#include "sshc.h"

/* Whether C is an SNMP community or USM user. */
bool job_creds_is_snmp(const struct credential *c);
/*
 * SC from SNMP credential C: a community at VERSION (v1 or v2c), a USM user
 * always at v3.
 */
void job_creds_snmp(const struct credential *c, enum snmp_version version,
    struct snmp_cred *sc);
/* L from credential C; false if C is no shell login. */
bool job_creds_login(const struct credential *c, struct sshc_login *l);

#endif
