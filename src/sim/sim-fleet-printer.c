/* A printer's fixed identity, credentials, logins and listing line. */
#include "config.h"

#include "sim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sim-int.h"
#include "xmalloc.h"

#define SIM_VENDOR_PREFIX "1.3.6.1.4.1.32473."

const char *
sim_printer_name(const struct sim_printer *p)
{
	return p->name;
}

const char *
sim_printer_site(const struct sim_printer *p)
{
	return p->site;
}

const char *
sim_printer_serial(const struct sim_printer *p)
{
	return p->serial;
}

const struct sim_model *
sim_printer_model(const struct sim_printer *p)
{
	return p->model;
}

const struct sim_faults *
sim_printer_faults(const struct sim_printer *p)
{
	return &p->faults;
}

size_t
sim_printer_index(const struct sim_printer *p)
{
	return p->index;
}

const unsigned char *
sim_printer_engine_id(const struct sim_printer *p, size_t *len)
{
	*len = p->engine_id_len;
	return p->engine_id;
}

const char *
sim_printer_host(const struct sim_printer *p)
{
	return p->host;
}

unsigned
sim_printer_snmp_port(const struct sim_printer *p)
{
	return p->port[SIM_SNMP];
}

unsigned
sim_printer_ssh_port(const struct sim_printer *p)
{
	return p->port[SIM_SSH];
}

unsigned
sim_printer_https_port(const struct sim_printer *p)
{
	return p->port[SIM_HTTPS];
}

void
sim_printer_set_port(struct sim_printer *p, enum sim_service s, unsigned port)
{
	p->port[s] = port;
}

const char *
sim_printer_community_ro(const struct sim_printer *p)
{
	return p->community_ro;
}

const char *
sim_printer_community_rw(const struct sim_printer *p)
{
	return p->community_rw;
}

bool
sim_printer_v1(const struct sim_printer *p)
{
	return p->v1;
}

const struct sim_usm *
sim_printer_usm(const struct sim_printer *p)
{
	return &p->usm;
}

const struct sim_login *
sim_printer_logins(const struct sim_printer *p, size_t *n)
{
	*n = p->nlogins;
	return p->logins;
}

bool
sim_printer_supports(const struct sim_printer *p,
    const struct catalog_setting *s)
{
	const char *oid = catalog_setting_oid(s);

	if (oid == NULL)
		return p->model->shell;
	if (strncmp(oid, SIM_VENDOR_PREFIX, strlen(SIM_VENDOR_PREFIX)) == 0)
		return p->model->vendor_subtree;
	return true;
}

/* "DOMAIN\user" matches a domain login (the domain in any case). */
static bool
sim_login_match_user(const struct sim_login *l, const char *user)
{
	size_t dlen;

	switch (l->kind) {
	case SIM_LOGIN_USER:
		return strcmp(user, l->user) == 0;
	case SIM_LOGIN_DOMAIN:
		dlen = strlen(l->domain);
		return strncasecmp(user, l->domain, dlen) == 0 &&
		    user[dlen] == '\\' && strcmp(user + dlen + 1, l->user) == 0;
	case SIM_LOGIN_PASSWORD:
		return true;
	default:
		return false;
	}
}

bool
sim_login_password(struct sim_printer *p, const char *user,
    const char *password)
{
	size_t i;

	if (user == NULL || password == NULL || p->faults.refuse_login ||
	    sim_printer_is_down(p))
		return false;
	for (i = 0; i < p->nlogins; i++) {
		if (sim_login_match_user(&p->logins[i], user) &&
		    strcmp(password, p->logins[i].secret) == 0)
			return true;
	}
	return false;
}

bool
sim_login_sysmgr(struct sim_printer *p, const char *id, const char *pin)
{
	size_t i;

	if (id == NULL || pin == NULL || p->faults.refuse_login ||
	    sim_printer_is_down(p))
		return false;
	for (i = 0; i < p->nlogins; i++) {
		if (p->logins[i].kind == SIM_LOGIN_SYSMGR &&
		    strcmp(id, p->logins[i].id) == 0 &&
		    strcmp(pin, p->logins[i].secret) == 0)
			return true;
	}
	return false;
}

static void
sim_printer_describe_port(FILE *fp, const struct sim_printer *p,
    enum sim_service s, const char *key)
{
	const bool serves[3] = { true, p->model->shell, p->model->https };

	if (!serves[s])
		fprintf(fp, " %s=-", key);
	else if (p->port[s] == 0)
		fprintf(fp, " %s=%s:auto", key, p->host);
	else
		fprintf(fp, " %s=%s:%u", key, p->host, p->port[s]);
}

static void
sim_printer_describe_snmp(FILE *fp, const struct sim_printer *p)
{
	static const char *const auths[] = { "none", "MD5", "SHA", "SHA-256" };
	static const char *const privs[] = { "none", "DES", "AES" };

	if (p->v1) {
		fprintf(fp, " community=%s", p->community_ro);
		if (p->community_rw != NULL)
			fprintf(fp, " write_community=%s", p->community_rw);
	}
	if (p->usm.user == NULL)
		return;
	fprintf(fp, " v3_user=%s v3_auth=%s", p->usm.user,
	    auths[p->usm.auth]);
	if (p->usm.auth != SIM_AUTH_NONE)
		fprintf(fp, " v3_auth_pass=%s", p->usm.auth_pass);
	fprintf(fp, " v3_priv=%s", privs[p->usm.priv]);
	if (p->usm.priv != SIM_PRIV_NONE)
		fprintf(fp, " v3_priv_pass=%s", p->usm.priv_pass);
}

static void
sim_printer_describe_logins(FILE *fp, const struct sim_printer *p)
{
	const struct sim_login *l;
	size_t i;

	for (i = 0; i < p->nlogins; i++) {
		l = &p->logins[i];
		switch (l->kind) {
		case SIM_LOGIN_USER:
			fprintf(fp, " user=%s:%s", l->user, l->secret);
			break;
		case SIM_LOGIN_DOMAIN:
			fprintf(fp, " domain=%s\\%s:%s", l->domain, l->user,
			    l->secret);
			break;
		case SIM_LOGIN_SYSMGR:
			fprintf(fp, " sysmgr=%s:%s", l->id, l->secret);
			break;
		case SIM_LOGIN_PASSWORD:
			fprintf(fp, " password=%s", l->secret);
			break;
		}
	}
}

/* One fault of the "faults=" field: "name" or "name:value". */
static void
sim_printer_describe_fault(FILE *fp, bool *first, const char *name,
    unsigned value, bool on)
{
	if (!on)
		return;
	fputs(*first ? " faults=" : ",", fp);
	*first = false;
	if (value != 0)
		fprintf(fp, "%s:%u", name, value);
	else
		fputs(name, fp);
}

static void
sim_printer_describe_faults(FILE *fp, const struct sim_printer *p)
{
	const struct sim_faults *f = &p->faults;
	bool first = true;

	sim_printer_describe_fault(fp, &first, "latency_ms", f->latency_ms,
	    f->latency_ms != 0);
	sim_printer_describe_fault(fp, &first, "loss_pct", f->loss_pct,
	    f->loss_pct != 0);
	sim_printer_describe_fault(fp, &first, "timeout", 0, f->timeout);
	sim_printer_describe_fault(fp, &first, "refuse_login", 0,
	    f->refuse_login);
	sim_printer_describe_fault(fp, &first, "locked", (unsigned)f->nlocked,
	    f->nlocked != 0);
	sim_printer_describe_fault(fp, &first, "reboot_after_sets",
	    f->reboot_after_sets, f->reboot_after_sets != 0);
	sim_printer_describe_fault(fp, &first, "hostile", 0, f->hostile);
}

char *
sim_printer_describe(const struct sim_printer *p)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	if (fp == NULL)
		return xstrdup(p->name);
	fprintf(fp, "%s model=%s", p->name, p->model->name);
	sim_printer_describe_port(fp, p, SIM_SNMP, "snmp");
	sim_printer_describe_port(fp, p, SIM_SSH, "ssh");
	sim_printer_describe_port(fp, p, SIM_HTTPS, "https");
	fprintf(fp, " site=%s serial=%s", p->site, p->serial);
	sim_printer_describe_snmp(fp, p);
	sim_printer_describe_logins(fp, p);
	fprintf(fp, " policy_password=%s", p->policy_password);
	sim_printer_describe_faults(fp, p);
	if (fclose(fp) != 0 || buf == NULL) {
		free(buf);
		return xstrdup(p->name);
	}
	return buf;
}
