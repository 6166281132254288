/*
 * The capability check's conclusions: which catalog categories a printer
 * can reach through what worked, its verdict and the reason, recorded in
 * the store.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "job-check-int.h"
#include "log.h"
#include "printer.h"
#include "xmalloc.h"

#define CHECK_VENDOR_PREFIX	"1.3.6.1.4.1.32473"

/* Whether setting S can be read through what worked. */
static bool
check_setting_reachable(const struct catalog_setting *s, bool snmp,
    bool vendor, bool shell)
{
	const char *oid = catalog_setting_oid(s);
	size_t n = strlen(CHECK_VENDOR_PREFIX);

	if (shell && catalog_setting_shell(s) != NULL)
		return true;
	if (oid == NULL || !snmp)
		return false;
	if (strncmp(oid, CHECK_VENDOR_PREFIX, n) == 0 &&
	    (oid[n] == '.' || oid[n] == '\0'))
		return vendor;
	return true;
}

/* The reachable categories as a comma list (NULL if none); counts. */
static char *
check_categories(const struct catalog *cat, bool snmp, bool vendor,
    bool shell, size_t *nfound, size_t *ntotal)
{
	const struct catalog_category *c;
	char *list = NULL, *old;
	size_t i, j;

	*nfound = 0;
	*ntotal = cat == NULL ? 0 : catalog_ncategories(cat);
	for (i = 0; i < *ntotal; i++) {
		c = catalog_category_at(cat, i);
		for (j = 0; j < catalog_category_nsettings(c); j++) {
			if (check_setting_reachable(
			    catalog_category_setting_at(c, j), snmp, vendor,
			    shell))
				break;
		}
		if (j == catalog_category_nsettings(c))
			continue;
		(*nfound)++;
		old = list;
		list = old == NULL ? xstrdup(catalog_category_name(c)) :
		    xasprintf("%s,%s", old, catalog_category_name(c));
		free(old);
	}
	return list;
}

/* Append PART to *S with "; ". */
static void
check_append(char **s, const char *part)
{
	char *old = *s;

	if (part == NULL)
		return;
	*s = old == NULL ? xstrdup(part) : xasprintf("%s; %s", old, part);
	free(old);
}

static const char *
check_version_name(enum snmp_version v)
{
	return v == SNMP_V1 ? "v1" : v == SNMP_V3 ? "v3" : "v2c";
}

/*
 * SNMP v1/v2c says nothing to a wrong community, so a silent agent looks
 * like a dead printer; one whose HTTPS port answers is up, though. With a
 * community of the operator's, that is most likely a wrong one; with none
 * (public tried), SNMP may be off or want another: nothing to manage.
 */
static const char *
check_silent(const struct check_item *it, char **reason)
{
	char *s;

	s = xasprintf("HTTPS answers on port %u (the printer is up): %s",
	    it->https_port, it->snmp_default ? "SNMP is off or wants a "
	    "community other than public" : "the community is wrong or SNMP "
	    "is off");
	check_append(reason, s);
	free(s);
	return it->snmp_default ? "not supported" : "authentication failed";
}

/* The verdict of a printer that answered neither SNMP nor the shell. */
static const char *
check_dead(const struct check_item *it, char **reason)
{
	check_append(reason, it->snmp.cause != NULL ? it->snmp.cause :
	    "no SNMP answer");
	check_append(reason, it->ssh_cause);
	if (it->snmp.fail == SNMP_FAIL_AUTH || it->ssh_fail == SSH_FAIL_AUTH)
		return "authentication failed";
	if (it->https && it->snmp.fail == SNMP_FAIL_TIMEOUT)
		return check_silent(it, reason);
	return "unreachable";
}

/* The verdict of a reachable printer. */
static const char *
check_alive(const struct check_item *it, size_t nfound, size_t ntotal,
    char **reason)
{
	bool snmp = it->snmp.fail == SNMP_FAIL_NONE;
	bool vendor = snmp && it->snmp.id.vendor_subtree;
	char *s;

	if (!snmp)
		check_append(reason, it->snmp.cause);
	else if (!vendor)
		check_append(reason, "no vendor subtree");
	if (!it->shell_ok)
		check_append(reason, it->ssh_cause != NULL ? it->ssh_cause :
		    it->nlogins == 0 ? "no shell login registered" :
		    "no shell login");
	s = xasprintf("%zu of %zu categories", nfound, ntotal);
	check_append(reason, s);
	free(s);
	if (nfound == 0)
		return "not supported";
	if (vendor && it->shell_ok)
		return "managed";
	return "partly managed";
}

/* The model: hrDeviceDescr, else sysDescr's first line (owned). */
static char *
check_model(const struct snmp_identity *id)
{
	if (id->hr_device_descr != NULL)
		return xstrdup(id->hr_device_descr);
	if (id->sys_descr == NULL)
		return NULL;
	return xstrndup(id->sys_descr, strcspn(id->sys_descr, "\r\n"));
}

static void
check_record(struct store *st, const struct check_item *it,
    struct printer_check *pc)
{
	const struct snmp_identity *id = &it->snmp.id;
	struct printer_identity who = { 0 };
	char *model = NULL, *cause = NULL;

	if (it->snmp.fail == SNMP_FAIL_NONE) {
		model = check_model(id);
		who.sys_descr = id->sys_descr;
		who.sys_object_id = id->sys_object_id;
		who.sys_name = id->sys_name;
		who.model = model;
		who.serial = id->serial;
		pc->who = &who;
		pc->firmware = id->firmware;
		pc->snmp_version = check_version_name(id->version);
		if (id->key_index < it->nkeys)
			pc->snmp_credential_id = it->key_creds[id->key_index];
	}
	if (pc->firmware == NULL)
		pc->firmware = it->shell_firmware;
	if (it->shell_ok) {
		pc->login_kind = it->login_kind;
		pc->login_credential_id = it->login_cred_id;
	}
	pc->https_present = it->https;
	if (printer_record_check(st, it->t->printer_id, pc, &cause) != 0) {
		log_error("%s: %s", it->t->printer_name, cause);
		free(cause);
	}
	free(model);
}

void
check_finish(struct engine_run *run, struct store *st,
    const struct catalog *cat, struct check_item *it)
{
	struct printer_check pc = { 0 };
	bool snmp = it->snmp.fail == SNMP_FAIL_NONE;
	char *reason = NULL, *cats, *result;
	size_t nfound, ntotal;

	cats = check_categories(cat, snmp, snmp && it->snmp.id.vendor_subtree,
	    it->shell_ok, &nfound, &ntotal);
	pc.reachable = snmp || it->shell_ok;
	if (!pc.reachable)
		pc.verdict = check_dead(it, &reason);
	else
		pc.verdict = check_alive(it, nfound, ntotal, &reason);
	if (it->snmp_default)
		check_append(&reason, "no SNMP credential registered; tried "
		    "the default community");
	check_append(&reason, it->notes);
	pc.reason = reason;
	pc.categories = cats;
	/* A credential test proves the credential and records nothing. */
	if (it->only == 0)
		check_record(st, it, &pc);
	result = xasprintf("%s: %s", pc.verdict, reason);
	if (strcmp(pc.verdict, "unreachable") == 0 ||
	    (it->only != 0 && !pc.reachable))
		engine_run_finish(run, it->t, false, NULL, reason);
	else
		engine_run_finish(run, it->t, true, result, NULL);
	free(result);
	free(reason);
	free(cats);
}
