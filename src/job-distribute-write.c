/*
 * Writing a printer's changes over SNMP: SETs with as many varbinds as the
 * printer takes (all at first, halved on tooBig), all or nothing per
 * request as RFC 3416 has it, so a refused varbind is taken out (rejected,
 * with the printer's error) and the rest sent again. Then the shell's
 * `settings import` (job-distribute-shell.c) for the rest. Also the write
 * key and the reboot.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "credential.h"
#include "job-distribute-int.h"
#include "log.h"
#include "xmalloc.h"

/* prtGeneralReset of the printer (hrDeviceIndex 1): powerCycleReset. */
#define DISTRIBUTE_RESET_OID	"1.3.6.1.2.1.43.5.1.1.3.1"
#define DISTRIBUTE_RESET_POWER	4
#define DISTRIBUTE_TOO_BIG	1

const char *
distribute_snmp_error(long status)
{
	static const char *const names[] = {
		"noError", "tooBig", "noSuchName", "badValue", "readOnly",
		"genErr", "noAccess", "wrongType", "wrongLength",
		"wrongEncoding", "wrongValue", "noCreation",
		"inconsistentValue", "resourceUnavailable", "commitFailed",
		"undoFailed", "authorizationError", "notWritable",
		"inconsistentName"
	};

	if (status < 0 || (size_t)status >= sizeof names / sizeof names[0])
		return "error";
	return names[status];
}

/* ---- The write key ---- */

/* A key for community COMM at VERSION ("v1" or "v2c"). */
static int
distribute_community_key(const char *comm, const char *version,
    struct snmp_key **key, char **cause)
{
	struct snmp_cred sc = { .version = SNMP_V2C };

	if (version != NULL && strcmp(version, "v1") == 0)
		sc.version = SNMP_V1;
	sc.community = comm;
	return snmp_key_new(&sc, key, cause);
}

static void
distribute_write_key_cred(struct distribute_item *it, struct credential *c)
{
	char *cause = NULL;

	if (c->kind == CREDENTIAL_KIND_SNMP_USM) {
		if (it->rd.key != NULL)
			it->wkey = snmp_key_ref(it->rd.key);
		return;
	}
	if (c->kind != CREDENTIAL_KIND_SNMP_COMMUNITY) {
		it->wkey_why = xstrdup("no SNMP credential");
		return;
	}
	if (c->secret[CREDENTIAL_SECRET_WRITE_COMMUNITY] == NULL) {
		it->wkey_why = xasprintf("credential %s has no write community",
		    c->name);
		return;
	}
	if (distribute_community_key(c->secret[CREDENTIAL_SECRET_WRITE_COMMUNITY],
	    it->rd.p.snmp_version, &it->wkey, &cause) != 0) {
		it->wkey_why = cause;
		it->wkey = NULL;
	}
}

void
distribute_write_key(struct distribute_item *it)
{
	struct credential *c = NULL;
	struct vault *v;
	char *cause = NULL;

	if (it->rd.key == NULL || it->rd.p.snmp_version == NULL) {
		it->wkey_why = xstrdup("no SNMP access");
		return;
	}
	if (it->rd.p.snmp_cred == 0) {
		it->wkey_why = xstrdup("no write community registered");
		return;
	}
	if ((v = distribute_vault(it->b, &cause)) == NULL ||
	    credential_load(it->b->st, v, it->rd.p.snmp_cred, &c,
	    &cause) != 0) {
		it->wkey_why = cause;
		return;
	}
	distribute_write_key_cred(it, c);
	credential_free(&c);
}

/* ---- SET ---- */

/* The SNMP value of change C (strings borrowed from C). */
static void
distribute_setvar(const struct distribute_change *c, struct snmp_setvar *v)
{
	const struct catalog_setting *s = c->s;
	size_t i;

	memset(v, 0, sizeof *v);
	v->oid = catalog_setting_oid(s);
	v->type = SNMP_TYPE_INTEGER;
	switch (catalog_setting_type(s)) {
	case CATALOG_BOOL:
		v->integer = strcmp(c->value, "true") == 0 ? 1 : 2;
		return;
	case CATALOG_INT:
		v->integer = strtoll(c->value, NULL, 10);
		return;
	case CATALOG_ENUM:
		for (i = 0; i < catalog_setting_nvalues(s); i++) {
			if (strcmp(catalog_setting_value_at(s, i),
			    c->value) == 0)
				v->integer = catalog_setting_code_at(s, i);
		}
		return;
	default:
		v->type = SNMP_TYPE_OCTETS;
		v->string = c->value;
		v->len = strlen(c->value);
		return;
	}
}

/* Take the Ith pending change out. */
static void
distribute_unpend(struct distribute_item *it, size_t i)
{
	memmove(&it->pend[i], &it->pend[i + 1],
	    (it->npend - i - 1) * sizeof *it->pend);
	it->npend--;
}

static void distribute_set_next(struct distribute_item *it);

/* The printer refused the request of K varbinds. */
static void
distribute_set_refused(struct distribute_item *it,
    const struct snmp_result *res, size_t k)
{
	struct distribute_change *c;
	size_t bad;

	if (res->error_index >= 1 && (size_t)res->error_index <= k)
		bad = (size_t)res->error_index - 1;
	else if (k > 1) {
		/* No index: send them one at a time to find the culprit. */
		it->chunk = 1;
		return;
	} else
		bad = 0;
	c = &it->c[it->pend[bad]];
	c->outcome = DISTRIBUTE_REJECTED;
	free(c->reason);
	c->reason = xasprintf("refused by the printer: %s",
	    distribute_snmp_error(res->error_status));
	distribute_unpend(it, bad);
}

/* SNMP stopped: every change left fails with the cause. */
static void
distribute_set_lost(struct distribute_item *it, const char *cause)
{
	struct distribute_change *c;
	size_t i;

	for (i = 0; i < it->npend; i++) {
		c = &it->c[it->pend[i]];
		c->outcome = DISTRIBUTE_FAILED;
		free(c->reason);
		c->reason = xasprintf("SNMP: %s", cause != NULL ? cause :
		    "failed");
	}
	it->npend = 0;
}

static void
distribute_set_done(const struct snmp_result *res, void *arg)
{
	struct distribute_item *it = arg;
	size_t k = it->chunk < it->npend ? it->chunk : it->npend, i;
	bool big = (res->fail == SNMP_FAIL_REFUSED &&
	    res->error_status == DISTRIBUTE_TOO_BIG) ||
	    res->fail == SNMP_FAIL_LOCAL;

	if (res->fail == SNMP_FAIL_NONE) {
		for (i = 0; i < k; i++) {
			it->c[it->pend[i]].sent = true;
			it->c[it->pend[i]].outcome = DISTRIBUTE_APPLIED;
		}
		it->npend -= k;
		memmove(it->pend, it->pend + k, it->npend * sizeof *it->pend);
	} else if (big && k > 1)
		it->chunk = k / 2;
	else if (res->fail == SNMP_FAIL_REFUSED && !big)
		distribute_set_refused(it, res, k);
	else
		distribute_set_lost(it, res->cause);
	distribute_set_next(it);
}

static void
distribute_set_next(struct distribute_item *it)
{
	struct snmp_request req = { 0 };
	struct snmp_setvar *vars;
	char *cause = NULL;
	size_t k, i;

	if (it->npend == 0) {
		distribute_shell_start(it);
		return;
	}
	k = it->chunk < it->npend ? it->chunk : it->npend;
	vars = xcalloc(k, sizeof *vars);
	for (i = 0; i < k; i++)
		distribute_setvar(&it->c[it->pend[i]], &vars[i]);
	req.host = it->t->address;
	req.port = it->t->port;
	req.key = it->wkey;
	req.timeout_ms = it->b->bb.timeout_ms;
	req.retries = it->b->bb.retries;
	req.op = SNMP_OP_SET;
	req.vars = vars;
	req.nvars = k;
	req.done = distribute_set_done;
	req.arg = it;
	if (snmp_pool_submit(it->b->bb.snmp, &req, &cause) != 0) {
		distribute_set_lost(it, cause);
		free(cause);
		distribute_shell_start(it);
	}
	free(vars);
}

void
distribute_write_start(struct distribute_item *it)
{
	size_t i;

	free(it->pend);
	it->pend = xcalloc(it->n + 1, sizeof *it->pend);
	it->npend = 0;
	for (i = 0; i < it->n; i++) {
		if (it->c[i].write && !it->c[i].shell &&
		    it->c[i].outcome == DISTRIBUTE_WOULD_CHANGE)
			it->pend[it->npend++] = i;
	}
	it->chunk = it->npend;
	distribute_set_next(it);
}

/* ---- Reboot ---- */

static void
distribute_reset_done(const struct snmp_result *res, void *arg)
{
	struct distribute_item *it = arg;

	free(it->reboot);
	it->reboot = res->fail == SNMP_FAIL_NONE ? xstrdup("rebooted") :
	    xasprintf("reboot failed: %s", res->cause != NULL ? res->cause :
	    "SNMP");
}

void
distribute_reboot_start(struct distribute_item *it)
{
	struct snmp_setvar v = { .oid = DISTRIBUTE_RESET_OID,
	    .type = SNMP_TYPE_INTEGER, .integer = DISTRIBUTE_RESET_POWER };
	struct snmp_request req = { 0 };
	char *cause = NULL;

	if (it->rd.login != NULL) {
		distribute_shell_reboot(it);
		return;
	}
	if (it->wkey == NULL) {
		it->reboot = xasprintf("not rebooted: %s", it->wkey_why != NULL ?
		    it->wkey_why : "no SNMP write access and no shell login");
		return;
	}
	req.host = it->t->address;
	req.port = it->t->port;
	req.key = it->wkey;
	req.timeout_ms = it->b->bb.timeout_ms;
	req.retries = it->b->bb.retries;
	req.op = SNMP_OP_SET;
	req.vars = &v;
	req.nvars = 1;
	req.done = distribute_reset_done;
	req.arg = it;
	if (snmp_pool_submit(it->b->bb.snmp, &req, &cause) != 0) {
		it->reboot = xasprintf("reboot failed: %s", cause);
		free(cause);
	}
}
