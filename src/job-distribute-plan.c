/*
 * The distribute job's plan for one printer (the data's settings, or for a
 * rollback what the original job wrote and its backups held), the
 * comparison of what was read with what is wanted, and the verification of
 * what was read back after writing.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "backup.h"
#include "job-distribute-int.h"
#include "xmalloc.h"

/* ---- The plan: what to distribute to one printer ---- */

static void
distribute_add_change(struct distribute_item *it,
    const struct catalog_setting *s, const char *value)
{
	struct distribute_change *c;

	it->c = xreallocarray(it->c, it->n + 1, sizeof *it->c);
	c = &it->c[it->n++];
	memset(c, 0, sizeof *c);
	c->s = s;
	c->value = xstrdup(value);
	c->outcome = DISTRIBUTE_FAILED;
}

/* The data's settings the catalog knows (all of them: it was validated). */
void
distribute_plan_data(struct distribute_item *it)
{
	const struct setdata *sd = it->b->sd;
	const struct catalog_setting *s;
	size_t i;

	for (i = 0; i < setdata_count(sd); i++) {
		s = catalog_setting_find(it->b->bb.cat, setdata_key_at(sd, i));
		if (s != NULL && setdata_value_at(sd, i) != NULL)
			distribute_add_change(it, s, setdata_value_at(sd, i));
	}
}

/* The values the backups of job OF hold for PRINTER (secrets left out). */
static void
distribute_backed_up(struct store *st, int64_t of, const char *printer,
    struct backup_value **all, size_t *nall)
{
	struct backup_entry *e = NULL;
	struct backup_value *v;
	char *cause = NULL;
	size_t ne = 0, n, i, k;

	/* The states the job took or confirmed before writing. */
	if (backup_job_snapshots(st, of, printer, &e, &ne, &cause) != 0) {
		free(cause);
		return;
	}
	for (k = 0; k < ne; k++) {
		if (backup_values(st, e[k].id, &v, &n, &cause) != 0) {
			free(cause);
			cause = NULL;
			continue;
		}
		*all = xreallocarray(*all, *nall + n + 1, sizeof **all);
		for (i = 0; i < n; i++)
			(*all)[(*nall)++] = v[i];
		free(v);
	}
	backup_entries_free(&e, ne);
}

/* Add the change of KEY to the value ALL holds for it, if any. */
static void
distribute_plan_key(struct distribute_item *it, const char *key,
    const struct backup_value *all, size_t nall)
{
	const struct catalog_setting *s;
	size_t i;

	if ((s = catalog_setting_find(it->b->bb.cat, key)) == NULL)
		return;
	for (i = 0; i < nall; i++) {
		if (!all[i].secret && strcmp(all[i].key, key) == 0) {
			distribute_add_change(it, s, all[i].value);
			return;
		}
	}
}

/* A rollback: what the original job wrote (or may have), as backed up. */
void
distribute_plan_rollback(struct distribute_item *it)
{
	static const char sql[] = "SELECT key FROM distribute_results WHERE "
	    "job_id = ?1 AND printer_name = ?2 AND secret = 0 AND outcome IN "
	    "('applied', 'failed') ORDER BY key";
	struct distribute_batch *b = it->b;
	struct backup_value *all = NULL;
	sqlite3_stmt *stmt;
	char *cause = NULL;
	size_t nall = 0;

	distribute_backed_up(b->st, b->job.opts.rollback_of,
	    it->t->printer_name, &all, &nall);
	if (store_prepare(b->st, sql, &stmt, &cause) != 0) {
		it->failure = cause;
		backup_values_free(&all, nall);
		return;
	}
	sqlite3_bind_int64(stmt, 1, b->job.opts.rollback_of);
	sqlite3_bind_text(stmt, 2, it->t->printer_name, -1, SQLITE_STATIC);
	while (sqlite3_step(stmt) == SQLITE_ROW)
		distribute_plan_key(it, (const char *)sqlite3_column_text(stmt,
		    0), all, nall);
	sqlite3_reset(stmt);
	backup_values_free(&all, nall);
}

/* ---- Comparing what was read with what is wanted ---- */

static const struct backup_cat *
distribute_cat(const struct backup_item *rd, const struct catalog_setting *s)
{
	size_t i;

	for (i = 0; i < rd->ncats; i++) {
		if (rd->cats[i].c == catalog_setting_category(s))
			return &rd->cats[i];
	}
	return NULL;
}

static const char *
distribute_read_value(const struct backup_cat *bc, const char *key)
{
	size_t i;

	for (i = 0; bc != NULL && i < bc->n; i++) {
		if (strcmp(bc->v[i].key, key) == 0)
			return bc->v[i].value;
	}
	return NULL;
}

void
distribute_set(struct distribute_change *c, enum distribute_outcome o,
    char *reason)
{
	c->outcome = o;
	free(c->reason);
	c->reason = reason;
}

/* How C would be written to IT: SNMP, the shell, or not at all. */
static void
distribute_route(struct distribute_item *it, struct distribute_change *c)
{
	const struct catalog_setting *s = c->s;
	bool snmp = catalog_setting_oid(s) != NULL &&
	    !catalog_setting_secret(s) && it->wkey != NULL;
	bool shell = catalog_setting_shell(s) != NULL && it->rd.login != NULL;

	c->write = true;
	c->shell = !snmp;
	if (snmp || shell)
		return;
	c->write = false;
	if (catalog_setting_oid(s) == NULL || catalog_setting_secret(s))
		distribute_set(c, DISTRIBUTE_FAILED, xstrdup("cannot be "
		    "written: only the shell can, and there is no shell "
		    "login"));
	else
		distribute_set(c, DISTRIBUTE_FAILED, xasprintf("cannot be "
		    "written: %s, and no shell login", it->wkey_why != NULL ?
		    it->wkey_why : "no SNMP write access"));
}

static void
distribute_compare_one(struct distribute_item *it, struct distribute_change *c)
{
	const struct backup_cat *bc = distribute_cat(&it->rd, c->s);
	const char *cur, *cat = catalog_category_name(
	    catalog_setting_category(c->s));

	if (bc == NULL) {
		distribute_set(c, DISTRIBUTE_UNSUPPORTED, xasprintf("category "
		    "%s not supported by this printer (per the last check)",
		    cat));
		return;
	}
	free(c->old);
	c->old = (cur = distribute_read_value(bc, catalog_setting_key(c->s)))
	    != NULL ? xstrdup(cur) : NULL;
	if (cur != NULL && strcmp(cur, c->value) == 0) {
		distribute_set(c, DISTRIBUTE_UNCHANGED, NULL);
		return;
	}
	if (cur == NULL && bc->partial != NULL) {
		distribute_set(c, DISTRIBUTE_FAILED, xstrdup(bc->partial));
		return;
	}
	if (cur == NULL && !catalog_setting_secret(c->s)) {
		distribute_set(c, DISTRIBUTE_UNSUPPORTED, xstrdup("the printer "
		    "does not have this setting"));
		return;
	}
	distribute_set(c, DISTRIBUTE_WOULD_CHANGE, NULL);
	distribute_route(it, c);
}

void
distribute_compare(struct distribute_item *it)
{
	size_t i;

	for (i = 0; i < it->n; i++) {
		if (it->failure != NULL)
			distribute_set(&it->c[i], DISTRIBUTE_FAILED,
			    xstrdup(it->failure));
		else
			distribute_compare_one(it, &it->c[i]);
	}
}

/* ---- Verifying: the read-back ---- */

static void
distribute_verify_one(struct distribute_item *it, struct distribute_change *c)
{
	const struct backup_cat *bc = distribute_cat(&it->rd, c->s);
	const char *cur = distribute_read_value(bc, catalog_setting_key(c->s));
	const char *want = c->held != NULL ? c->held : c->value;

	if (catalog_setting_secret(c->s) || (cur != NULL &&
	    strcmp(cur, want) == 0)) {
		distribute_set(c, DISTRIBUTE_APPLIED, NULL);
		return;
	}
	if (cur != NULL) {
		distribute_set(c, DISTRIBUTE_REJECTED, xasprintf("the printer "
		    "took the value but holds \"%s\"", cur));
		return;
	}
	distribute_set(c, DISTRIBUTE_FAILED, xasprintf("written, but not read "
	    "back: %s", it->rd.failure != NULL ? it->rd.failure :
	    bc != NULL && bc->partial != NULL ? bc->partial : "no value"));
}

/* Read IT again (a fresh plan of the same categories). */
void
distribute_reread_start(struct distribute_item *it)
{
	size_t i;
	bool any = false;

	for (i = 0; i < it->n; i++)
		any |= it->c[i].sent;
	if (!any)
		return;
	backup_item_clear(&it->rd);
	memset(&it->rd, 0, sizeof it->rd);
	it->rd.t = it->t;
	it->rd.b = &it->b->bb;
	backup_prepare_item(&it->rd);
	if (it->rd.failure == NULL)
		backup_read_start(&it->rd);
}

void
distribute_verify(struct distribute_item *it)
{
	size_t i;

	for (i = 0; i < it->n; i++) {
		if (it->c[i].sent)
			distribute_verify_one(it, &it->c[i]);
	}
}
