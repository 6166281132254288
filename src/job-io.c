#include "config.h"

#include "job-io.h"

#include <stdlib.h>
#include <string.h>

#include "log.h"

bool
job_io_is_snmp(const struct credential *c)
{
	return c->kind == CREDENTIAL_KIND_SNMP_COMMUNITY ||
	    c->kind == CREDENTIAL_KIND_SNMP_USM;
}

static enum snmp_auth
job_io_auth(enum credential_auth a)
{
	switch (a) {
	case CREDENTIAL_AUTH_MD5:
		return SNMP_AUTH_MD5;
	case CREDENTIAL_AUTH_SHA:
		return SNMP_AUTH_SHA;
	case CREDENTIAL_AUTH_SHA256:
		return SNMP_AUTH_SHA256;
	default:
		return SNMP_AUTH_NONE;
	}
}

void
job_io_snmp(const struct credential *c, enum snmp_version version,
    struct snmp_cred *sc)
{
	memset(sc, 0, sizeof *sc);
	if (c->kind == CREDENTIAL_KIND_SNMP_COMMUNITY) {
		sc->version = version == SNMP_V1 ? SNMP_V1 : SNMP_V2C;
		sc->community = c->secret[CREDENTIAL_SECRET_READ_COMMUNITY];
		return;
	}
	sc->version = SNMP_V3;
	sc->user = c->user;
	sc->auth = job_io_auth(c->auth);
	sc->auth_pass = c->secret[CREDENTIAL_SECRET_AUTH_PASS];
	sc->priv = c->priv == CREDENTIAL_PRIV_DES ? SNMP_PRIV_DES :
	    c->priv == CREDENTIAL_PRIV_AES ? SNMP_PRIV_AES : SNMP_PRIV_NONE;
	sc->priv_pass = c->secret[CREDENTIAL_SECRET_PRIV_PASS];
}

bool
job_io_login(const struct credential *c, struct sshc_login *l)
{
	memset(l, 0, sizeof *l);
	l->user = c->user;
	l->secret = c->secret[CREDENTIAL_SECRET_PASSWORD];
	switch (c->kind) {
	case CREDENTIAL_KIND_USER:
		l->kind = SSH_LOGIN_USER;
		return true;
	case CREDENTIAL_KIND_DOMAIN:
		l->kind = SSH_LOGIN_DOMAIN;
		l->domain = c->domain;
		return true;
	case CREDENTIAL_KIND_SYSMGR:
		l->kind = SSH_LOGIN_SYSMGR;
		l->id = c->sysmgr_id;
		l->secret = c->secret[CREDENTIAL_SECRET_PIN];
		return true;
	case CREDENTIAL_KIND_PASSWORD:
		l->kind = SSH_LOGIN_PASSWORD;
		return true;
	case CREDENTIAL_KIND_SSH_KEY:
		l->kind = SSH_LOGIN_KEY;
		l->user = c->user != NULL ? c->user : SSH_PASSWORD_USER;
		l->secret = c->secret[CREDENTIAL_SECRET_PRIVATE_KEY];
		l->passphrase = c->secret[CREDENTIAL_SECRET_KEY_PASS];
		return true;
	default:
		return false;
	}
}

void
job_io_drive(struct snmp_pool *snmp, struct sshc_pool *ssh, int step_ms,
    const char *what)
{
	char *cause = NULL;
	int left = 1;

	while (left != 0 || sshc_pool_pending(ssh) > 0) {
		if (left != 0)
			left = snmp_pool_run(snmp,
			    sshc_pool_pending(ssh) > 0 ? step_ms : -1);
		if (sshc_pool_pending(ssh) == 0)
			continue;
		if (sshc_pool_step(ssh, left != 0 ? step_ms : -1,
		    &cause) != 0) {
			log_error("%s: %s", what, cause);
			free(cause);
			cause = NULL;
		}
	}
}
