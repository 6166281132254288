/*
 * The values a printer starts with: the catalog's defaults, except its
 * identity (name, site, address) and the SNMP credentials of the fleet
 * file, so that what it reports agrees with how it answers. A hostile
 * printer's sysName and sysLocation carry terminal escapes, invalid UTF-8
 * and, for the location, the full 255 bytes.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim-int.h"
#include "xmalloc.h"

#define SIM_SEED_HOSTILE_MAX 255

static char *
sim_seed_hostile_name(const struct sim_printer *p)
{
	/* Clear screen, home, set the title; then bytes that are no UTF-8. */
	return xasprintf("\033[2J\033[H\033]0;owned\007%s\xff\xfe\xc3\x28"
	    "\033[5m", p->name);
}

static char *
sim_seed_hostile_location(const struct sim_printer *p)
{
	char *s = xmalloc(SIM_SEED_HOSTILE_MAX + 1);
	size_t len;

	/* A C1 CSI, an overlong '/', then right-to-left overrides. */
	len = (size_t)snprintf(s, SIM_SEED_HOSTILE_MAX + 1,
	    "\033[1;31m%s\033[0m\x9b" "2J\xc0\xaf", p->site);
	while (len + 3 <= SIM_SEED_HOSTILE_MAX) {
		memcpy(s + len, "\xe2\x80\xae", 3);
		len += 3;
	}
	while (len < SIM_SEED_HOSTILE_MAX)
		s[len++] = 'x';
	s[len] = '\0';
	return s;
}

static const char *
sim_seed_bool(bool b)
{
	return b ? "true" : "false";
}

/* The SNMP settings, from the fleet file's credentials; NULL if other. */
static const char *
sim_seed_snmp(const struct sim_printer *p, const char *key)
{
	static const char *const auths[] = { "sha1", "md5", "sha1", "sha256" };
	static const char *const privs[] = { "none", "des", "aes128" };
	const struct sim_usm *u = &p->usm;

	if (strcmp(key, "snmp.v1.enable") == 0 ||
	    strcmp(key, "snmp.v2c.enable") == 0)
		return sim_seed_bool(p->v1);
	if (strcmp(key, "snmp.v1v2c.write") == 0)
		return sim_seed_bool(p->v1 && p->community_rw != NULL);
	if (strcmp(key, "snmp.community.read") == 0)
		return p->community_ro;
	if (strcmp(key, "snmp.community.write") == 0)
		return p->community_rw != NULL ? p->community_rw : "";
	if (strcmp(key, "snmp.v3.enable") == 0)
		return sim_seed_bool(u->user != NULL);
	if (u->user == NULL)
		return NULL;
	if (strcmp(key, "snmp.v3.user") == 0)
		return u->user;
	if (strcmp(key, "snmp.v3.auth_protocol") == 0)
		return auths[u->auth];
	if (strcmp(key, "snmp.v3.auth_password") == 0)
		return u->auth_pass != NULL ? u->auth_pass : "";
	if (strcmp(key, "snmp.v3.priv_protocol") == 0)
		return privs[u->priv];
	if (strcmp(key, "snmp.v3.priv_password") == 0)
		return u->priv_pass != NULL ? u->priv_pass : "";
	return NULL;
}

/* The host name a printer calls itself, if its name makes a valid one. */
static char *
sim_seed_hostname(const struct sim_printer *p, const struct catalog_setting *s)
{
	char *cause = NULL;

	if (catalog_check_value(s, p->name, &cause) == 0)
		return xstrdup(p->name);
	free(cause);
	return xstrdup(catalog_setting_default(s));
}

char *
sim_state_seed(const struct sim_printer *p, const struct catalog_setting *s)
{
	const char *key = catalog_setting_key(s), *v, *def;

	if (strcmp(key, "device.name") == 0)
		return p->faults.hostile ? sim_seed_hostile_name(p) :
		    xstrdup(p->name);
	if (strcmp(key, "device.location") == 0)
		return p->faults.hostile ? sim_seed_hostile_location(p) :
		    xstrdup(p->site);
	if (strcmp(key, "network.hostname") == 0)
		return sim_seed_hostname(p, s);
	if (strcmp(key, "network.ipv4.mode") == 0)
		return xstrdup("static");
	if (strcmp(key, "network.ipv4.address") == 0)
		return xstrdup(p->host);
	if (strncmp(key, "snmp.", 5) == 0 &&
	    (v = sim_seed_snmp(p, key)) != NULL)
		return xstrdup(v);
	def = catalog_setting_default(s);
	return xstrdup(def != NULL ? def : "");
}
