/*
 * SNMPv3 users. net-snmp keeps one process-wide USM table keyed by engine
 * ID and user name, and fills an existing entry only where it is empty: a
 * second passphrase for the same user on the same printer would silently
 * reuse the first one's keys. So quire owns the entries: one per (engine,
 * user) in use, shared by the sessions whose keys are the same, removed
 * (keys wiped) when the last of them closes.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "snmp-int.h"
#include "log.h"
#include "xmalloc.h"

struct snmp_usm_entry {
	u_char			*engine;
	size_t			 engine_len;
	char			*user;
	struct snmp_key		*key;
	unsigned		 refs;
	struct snmp_usm_entry	*next;
};

/* Guarded by snmp_lib_lock. */
static struct snmp_usm_entry *snmp_usm_list;

static struct snmp_usm_entry **
snmp_usm_find(const u_char *engine, size_t engine_len, const char *user)
{
	struct snmp_usm_entry **e;

	for (e = &snmp_usm_list; *e != NULL; e = &(*e)->next) {
		if ((*e)->engine_len == engine_len &&
		    memcmp((*e)->engine, engine, engine_len) == 0 &&
		    strcmp((*e)->user, user) == 0)
			return e;
	}
	return NULL;
}

/* Remove net-snmp's entry for (ENGINE, USER), wiping its keys. */
static void
snmp_usm_drop_user(const u_char *engine, size_t engine_len, const char *user)
{
	struct usmUser *u;

	if ((u = usm_get_user(engine, engine_len, user)) == NULL)
		return;
	usm_remove_user(u);
	if (u->authKey != NULL)
		snmp_wipe(u->authKey, u->authKeyLen);
	if (u->privKey != NULL)
		snmp_wipe(u->privKey, u->privKeyLen);
	if (u->authKeyKu != NULL)
		snmp_wipe(u->authKeyKu, u->authKeyKuLen);
	if (u->privKeyKu != NULL)
		snmp_wipe(u->privKeyKu, u->privKeyKuLen);
	usm_free_user(u);
}

void
snmp_usm_wipe_session(netsnmp_session *s)
{
	if (s == NULL)
		return;
	snmp_wipe(s->securityAuthKey, sizeof s->securityAuthKey);
	snmp_wipe(s->securityPrivKey, sizeof s->securityPrivKey);
	if (s->securityAuthLocalKey != NULL)
		snmp_wipe(s->securityAuthLocalKey, s->securityAuthLocalKeyLen);
	if (s->securityPrivLocalKey != NULL)
		snmp_wipe(s->securityPrivLocalKey, s->securityPrivLocalKeyLen);
	if (s->community != NULL)
		snmp_wipe(s->community, s->community_len);
}

int
snmp_usm_acquire(netsnmp_session *s, const struct snmp_key *key)
{
	struct snmp_usm_entry **found, *e;

	if (s->securityEngineIDLen == 0 || s->securityName == NULL)
		return -1;
	found = snmp_usm_find(s->securityEngineID, s->securityEngineIDLen,
	    s->securityName);
	if (found != NULL) {
		if (!snmp_key_same((*found)->key, key))
			return 1;
		(*found)->refs++;
		snmp_usm_wipe_session(s);
		return 0;
	}
	snmp_usm_drop_user(s->securityEngineID, s->securityEngineIDLen,
	    s->securityName);
	s->flags &= ~SNMP_FLAGS_USER_CREATED;
	if (usm_create_user_from_session(s) != SNMPERR_SUCCESS) {
		log_warn("cannot create the SNMPv3 user");
		return -1;
	}
	snmp_usm_wipe_session(s);
	e = xcalloc(1, sizeof *e);
	e->engine = xmalloc(s->securityEngineIDLen);
	memcpy(e->engine, s->securityEngineID, s->securityEngineIDLen);
	e->engine_len = s->securityEngineIDLen;
	e->user = xstrdup(s->securityName);
	e->key = snmp_key_ref((struct snmp_key *)key);
	e->refs = 1;
	e->next = snmp_usm_list;
	snmp_usm_list = e;
	return 0;
}

static void
snmp_usm_entry_free(struct snmp_usm_entry *e)
{
	snmp_usm_drop_user(e->engine, e->engine_len, e->user);
	snmp_key_free(&e->key);
	free(e->engine);
	free(e->user);
	free(e);
}

void
snmp_usm_release(const netsnmp_session *s)
{
	struct snmp_usm_entry **found, *e;

	if (s == NULL || s->securityEngineIDLen == 0 ||
	    s->securityName == NULL)
		return;
	found = snmp_usm_find(s->securityEngineID, s->securityEngineIDLen,
	    s->securityName);
	if (found == NULL || --(*found)->refs > 0)
		return;
	e = *found;
	*found = e->next;
	snmp_usm_entry_free(e);
}

void
snmp_usm_release_all(void)
{
	struct snmp_usm_entry *e;

	while ((e = snmp_usm_list) != NULL) {
		snmp_usm_list = e->next;
		snmp_usm_entry_free(e);
	}
}
