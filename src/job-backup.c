/*
 * Backups ("backup" jobs): per printer, the categories asked for that its
 * last capability check says it can give, read over SNMP where the catalog
 * binds an OID and through the management shell where it does not (see
 * job-backup-read.c), then stored as one snapshot per category. A batch's
 * printers are read together through one SNMP pool and one SSH pool.
 */
#include "config.h"

#include "job-kinds.h"

#include <stdlib.h>
#include <string.h>

#include "backup-int.h"
#include "catalog.h"
#include "credential.h"
#include "job-backup-int.h"
#include "job-io.h"
#include "log.h"
#include "paths.h"
#include "vault.h"
#include "xmalloc.h"

#define BACKUP_STEP_MS	10

void
backup_job_append(char **s, const char *sep, const char *part)
{
	char *old = *s;

	if (part == NULL)
		return;
	*s = old == NULL ? xstrdup(part) : xasprintf("%s%s%s", old, sep, part);
	free(old);
}

/* Parameters: "categories=all|a,b timeout=MS retries=N". */
static void
backup_parse_params(const char *params, struct backup_batch *b)
{
	const char *p = params;
	unsigned long v;
	char *end;

	b->timeout_ms = 1000;
	b->retries = 1;
	while (p != NULL && *p != '\0') {
		while (*p == ' ')
			p++;
		end = (char *)p + strcspn(p, " ");
		if (strncmp(p, "categories=", 11) == 0) {
			free(b->categories);
			b->categories = xstrndup(p + 11, (size_t)(end - p - 11));
		} else if (strncmp(p, "timeout=", 8) == 0) {
			v = strtoul(p + 8, NULL, 10);
			if (v > 0 && v <= 600000)
				b->timeout_ms = (unsigned)v;
		} else if (strncmp(p, "retries=", 8) == 0) {
			v = strtoul(p + 8, NULL, 10);
			if (v <= 10)
				b->retries = (unsigned)v;
		}
		p = end;
	}
	if (b->categories == NULL)
		b->categories = xstrdup("all");
}

static char *
backup_text(sqlite3_stmt *stmt, int col)
{
	const unsigned char *s = sqlite3_column_text(stmt, col);

	return s == NULL ? NULL : xstrdup((const char *)s);
}

/* What the last check recorded of IT's printer. */
static int
backup_load_printer(struct backup_item *it, char **cause)
{
	static const char sql[] = "SELECT verdict, verdict_reason, "
	    "categories, snmp_version, login_kind, snmp_credential_id, "
	    "login_credential_id, ssh_port, checked_at FROM printers "
	    "WHERE id = ?1";
	struct backup_printer *p = &it->p;
	sqlite3_stmt *stmt;
	int rc;

	if (store_prepare(it->b->st, sql, &stmt, cause) != 0)
		return -1;
	sqlite3_bind_int64(stmt, 1, it->t->printer_id);
	if ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		p->verdict = backup_text(stmt, 0);
		p->reason = backup_text(stmt, 1);
		p->categories = backup_text(stmt, 2);
		p->snmp_version = backup_text(stmt, 3);
		p->login_kind = backup_text(stmt, 4);
		p->snmp_cred = sqlite3_column_int64(stmt, 5);
		p->login_cred = sqlite3_column_int64(stmt, 6);
		p->ssh_port = (unsigned)sqlite3_column_int(stmt, 7);
		p->checked_at = sqlite3_column_int64(stmt, 8);
	}
	sqlite3_reset(stmt);
	if (p->ssh_port == 0)
		p->ssh_port = SSH_PORT_DEFAULT;
	if (rc == SQLITE_ROW)
		return 0;
	*cause = rc == SQLITE_DONE ? xstrdup("printer removed") :
	    store_cause(it->b->st, "printer");
	return -1;
}

/* The batch's vault, opened once when first needed. */
static struct vault *
backup_vault(struct backup_batch *b, char **cause)
{
	struct vault_source src = { NULL, NULL, NULL };

	if (!b->vault_tried) {
		b->vault_tried = true;
		if (vault_open(b->st, &src, &b->vault, &b->vault_cause) != 0)
			b->vault = NULL;
	}
	if (b->vault == NULL)
		*cause = xstrdup(b->vault_cause != NULL ? b->vault_cause :
		    "no vault");
	return b->vault;
}

/* Plan category C for IT: which settings over SNMP, which via the shell. */
static void
backup_plan_category(struct backup_item *it, const struct catalog_category *c)
{
	struct backup_cat *bc;
	const struct catalog_setting *s;
	size_t i, n = catalog_category_nsettings(c);

	it->cats = xreallocarray(it->cats, it->ncats + 1, sizeof *it->cats);
	bc = &it->cats[it->ncats++];
	memset(bc, 0, sizeof *bc);
	bc->c = c;
	bc->oids = xcalloc(n + 1, sizeof *bc->oids);
	bc->snmp = xcalloc(n + 1, sizeof *bc->snmp);
	bc->wanted = xcalloc(n + 1, sizeof *bc->wanted);
	for (i = 0; i < n; i++) {
		s = catalog_category_setting_at(c, i);
		if (it->key != NULL && catalog_setting_oid(s) != NULL) {
			bc->oids[bc->nsnmp] = catalog_setting_oid(s);
			bc->snmp[bc->nsnmp++] = s;
		} else if (it->login != NULL &&
		    catalog_setting_shell(s) != NULL &&
		    !catalog_setting_secret(s)) {
			/* The shell never gives a secret back. */
			bc->wanted[i] = true;
			bc->shell = true;
		}
	}
}

/* Whether the last check lets IT be backed up at all (else a failure). */
static bool
backup_checked(struct backup_item *it)
{
	if (it->p.checked_at == 0 || it->p.verdict == NULL)
		it->failure = xstrdup("never checked: run `quire check` first");
	else if (it->p.categories == NULL)
		it->failure = xasprintf("cannot be backed up (%s%s%s)",
		    it->p.verdict, it->p.reason != NULL ? ": " : "",
		    it->p.reason != NULL ? it->p.reason : "");
	return it->failure == NULL;
}

/* The categories of IT to read, in catalog order; the rest skipped. */
static void
backup_plan(struct backup_item *it)
{
	const struct catalog *cat = it->b->cat;
	const struct catalog_category *c;
	const char *name, *want = it->b->categories;
	size_t i;

	if (strcmp(want, "all") == 0)
		want = it->p.categories;
	for (i = 0; i < catalog_ncategories(cat); i++) {
		c = catalog_category_at(cat, i);
		name = catalog_category_name(c);
		if (!backup_category_listed(want, name))
			continue;
		if (backup_category_listed(it->p.categories, name))
			backup_plan_category(it, c);
		else
			backup_job_append(&it->skipped, ", ", name);
	}
	if (it->ncats == 0 && it->skipped == NULL)
		it->failure = xstrdup("none of the categories is in the catalog");
}

static void
backup_cat_clear(struct backup_cat *c)
{
	free(c->oids);
	free(c->snmp);
	free(c->wanted);
	backup_values_free(&c->v, c->n);
	free(c->partial);
}

void
backup_item_clear(struct backup_item *it)
{
	size_t i;

	for (i = 0; i < it->ncats; i++)
		backup_cat_clear(&it->cats[i]);
	free(it->cats);
	snmp_key_free(&it->key);
	credential_free(&it->login);
	free(it->p.verdict);
	free(it->p.reason);
	free(it->p.categories);
	free(it->p.snmp_version);
	free(it->p.login_kind);
	free(it->skipped);
	free(it->failure);
}

/* Store every category of IT in one transaction; counts into the rest. */
static int
backup_store_item(struct backup_item *it, size_t *nsettings, size_t *nchanged,
    char **cause)
{
	struct backup_snapshot s = { 0 };
	struct vault *v = NULL;
	size_t i, j;
	bool changed;
	int rc;

	if ((rc = store_begin(it->b->st, cause)) != 0)
		return -1;
	s.printer_id = it->t->printer_id;
	s.printer_name = it->t->printer_name;
	s.job_id = it->t->job_id;
	s.taken_at = store_now_ms();
	for (i = 0; i < it->ncats && rc == 0; i++) {
		for (j = 0; j < it->cats[i].n && v == NULL; j++) {
			if (it->cats[i].v[j].secret &&
			    (v = backup_vault(it->b, cause)) == NULL)
				rc = -1;
		}
		s.category = catalog_category_name(it->cats[i].c);
		s.values = it->cats[i].v;
		s.n = it->cats[i].n;
		s.partial = it->cats[i].partial;
		changed = false;
		if (rc == 0)
			rc = backup_store(it->b->st, v, &s, NULL, &changed,
			    cause);
		*nsettings += it->cats[i].n;
		*nchanged += changed ? 1 : 0;
	}
	if (rc != 0) {
		store_rollback(it->b->st);
		return -1;
	}
	return store_commit(it->b->st, cause);
}

/* "CATEGORY, CATEGORY: REASON" for the categories partial like IT's Ith
 * and the first such; NULL when an earlier one gave that reason. */
static char *
backup_why_one(const struct backup_item *it, size_t i)
{
	const char *reason = it->cats[i].partial;
	char *names = NULL, *s;
	size_t j;

	for (j = 0; j < i; j++) {
		if (it->cats[j].partial != NULL &&
		    strcmp(it->cats[j].partial, reason) == 0)
			return NULL;
	}
	for (j = i; j < it->ncats; j++) {
		if (it->cats[j].partial != NULL &&
		    strcmp(it->cats[j].partial, reason) == 0)
			backup_job_append(&names, ", ",
			    catalog_category_name(it->cats[j].c));
	}
	s = xasprintf("%s: %s", names, reason);
	free(names);
	return s;
}

/* Why IT is not complete ("partial: ..."), or NULL when it is. */
static char *
backup_why(const struct backup_item *it)
{
	char *why = NULL, *part;
	size_t i, kept = 0;

	for (i = 0; i < it->ncats; i++) {
		if (it->cats[i].partial == NULL) {
			kept++;
			continue;
		}
		if ((part = backup_why_one(it, i)) != NULL)
			backup_job_append(&why, "; ", part);
		free(part);
	}
	if (why != NULL) {
		part = xasprintf("partial: %s (%zu of %zu categories complete)",
		    why, kept, it->ncats);
		free(why);
		why = part;
	}
	if (it->skipped != NULL) {
		part = xasprintf("skipped %s: not supported per the last check "
		    "(%s)", it->skipped, it->p.verdict);
		backup_job_append(&why, "; ", part);
		free(part);
	}
	return why;
}

static void
backup_finish(struct backup_item *it)
{
	size_t nsettings = 0, nchanged = 0;
	char *cause = NULL, *why, *result;

	if (it->failure != NULL) {
		engine_run_finish(it->b->run, it->t, false, NULL, it->failure);
		return;
	}
	if (it->ncats > 0 && backup_store_item(it, &nsettings, &nchanged,
	    &cause) != 0) {
		log_error("%s: %s", it->t->printer_name, cause);
		engine_run_finish(it->b->run, it->t, false, NULL, cause);
		free(cause);
		return;
	}
	why = backup_why(it);
	result = xasprintf("%zu categories, %zu settings, %zu changed",
	    it->ncats, nsettings, nchanged);
	engine_run_finish(it->b->run, it->t, why == NULL, result, why);
	free(result);
	free(why);
}

/* Drive both pools until every request of the batch ended. */
static void
backup_drive(struct backup_batch *b)
{
	job_io_drive(b->snmp, b->ssh, BACKUP_STEP_MS, "backup");
}

/* Prepare IT: what the check found, its credentials, its plan. */
void
backup_prepare_item(struct backup_item *it)
{
	char *cause = NULL;

	if (backup_load_printer(it, &cause) != 0) {
		it->failure = cause;
		return;
	}
	if (!backup_checked(it))
		return;
	backup_job_credentials(it);
	if (it->failure == NULL)
		backup_plan(it);
}

static void
backup_batch_run(struct backup_batch *b, struct backup_item *items, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		items[i].b = b;
		if (items[i].t->printer_id == 0 || items[i].t->address == NULL)
			continue;
		if (engine_run_cancelled(b->run, items[i].t))
			continue;
		items[i].started = true;
		backup_prepare_item(&items[i]);
		if (items[i].failure == NULL)
			backup_read_start(&items[i]);
	}
	backup_drive(b);
	for (i = 0; i < n; i++) {
		if (!items[i].started)
			engine_run_finish(b->run, items[i].t, false, NULL,
			    items[i].t->printer_id == 0 ? "printer removed" :
			    "cancelled");
		else
			backup_finish(&items[i]);
		backup_item_clear(&items[i]);
	}
}

static int
backup_catalog(struct backup_batch *b, char **cause)
{
	char *data = paths_data_dir(), *dir;
	int rc;

	dir = xasprintf("%s/catalog", data);
	rc = catalog_load_dir(dir, &b->cat, cause);
	free(dir);
	free(data);
	return rc;
}

static void
backup_run(struct engine_run *run, const struct engine_target *targets,
    size_t n, void *arg)
{
	struct backup_batch b = { 0 };
	struct backup_item *items;
	char *cause = NULL;
	size_t i;

	b.run = run;
	b.st = engine_run_store(run);
	backup_parse_params(n > 0 ? targets[0].params : NULL, &b);
	if (backup_catalog(&b, &cause) != 0) {
		log_error("backup: %s", cause);
		for (i = 0; i < n; i++)
			engine_run_finish(run, &targets[i], false, NULL, cause);
		free(cause);
		free(b.categories);
		return;
	}
	b.snmp = snmp_pool_new(0);
	b.ssh = sshc_pool_new(0);
	items = xcalloc(n == 0 ? 1 : n, sizeof *items);
	for (i = 0; i < n; i++)
		items[i].t = &targets[i];
	backup_batch_run(&b, items, n);
	free(items);
	sshc_pool_free(&b.ssh);
	snmp_pool_free(&b.snmp);
	vault_free(&b.vault);
	free(b.vault_cause);
	catalog_free(&b.cat);
	free(b.categories);
}

const struct engine_kind job_kind_backup = {
	.name = JOB_KIND_BACKUP,
	.run = backup_run,
};

/* ---- Credentials ---- */

/* IT's SNMP key: the credential the check found, or "public". */
static int
backup_job_snmp(struct backup_item *it, char **cause)
{
	struct snmp_cred sc = { .version = SNMP_V2C, .community = "public" };
	struct credential *c = NULL;
	struct vault *v;
	int rc;

	if (it->p.snmp_cred == 0) {
		if (strcmp(it->p.snmp_version, "v1") == 0)
			sc.version = SNMP_V1;
		return snmp_key_new(&sc, &it->key, cause);
	}
	if ((v = backup_vault(it->b, cause)) == NULL ||
	    credential_load(it->b->st, v, it->p.snmp_cred, &c, cause) != 0)
		return -1;
	if (!job_io_is_snmp(c)) {
		*cause = xstrdup("not an SNMP credential");
		credential_free(&c);
		return -1;
	}
	job_io_snmp(c, strcmp(it->p.snmp_version, "v1") == 0 ? SNMP_V1 :
	    SNMP_V2C, &sc);
	rc = snmp_key_new(&sc, &it->key, cause);
	credential_free(&c);
	return rc;
}

void
backup_job_credentials(struct backup_item *it)
{
	char *cause = NULL, *snmp_cause = NULL;
	struct vault *v;

	if (it->p.snmp_version != NULL && backup_job_snmp(it, &snmp_cause) != 0)
		it->key = NULL;
	if (it->p.login_kind != NULL && it->p.login_cred != 0 &&
	    ((v = backup_vault(it->b, &cause)) == NULL ||
	    credential_load(it->b->st, v, it->p.login_cred, &it->login,
	    &cause) != 0))
		it->login = NULL;
	if (it->key == NULL && it->login == NULL) {
		it->failure = xasprintf("no usable credential%s%s%s%s",
		    snmp_cause != NULL || cause != NULL ? ": " : "",
		    snmp_cause != NULL ? snmp_cause : "",
		    snmp_cause != NULL && cause != NULL ? "; " : "",
		    cause != NULL ? cause : "");
	} else if (snmp_cause != NULL || cause != NULL)
		log_warn("%s: %s%s%s", it->t->printer_name,
		    snmp_cause != NULL ? snmp_cause : "",
		    snmp_cause != NULL && cause != NULL ? "; " : "",
		    cause != NULL ? cause : "");
	free(snmp_cause);
	free(cause);
}
