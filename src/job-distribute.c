/*
 * Distribution ("distribute" jobs). A batch's printers go in waves bounded
 * by distribute.concurrency (and started no faster than distribute.rate):
 * read the current values of the categories the data touches (the backup
 * job's reading code), compare, and for a preview record would-change /
 * unchanged / unsupported and stop. A write stores those values first as
 * backup snapshots linked to the job, writes (job-distribute-write.c),
 * reads back, records applied / rejected / failed per setting, and
 * reboots when asked and needed. A rollback takes, per printer, the values
 * the backups of its original job hold for the settings that job wrote.
 */
#include "config.h"

#include "job-kinds.h"

#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include "backup.h"
#include "backup-int.h"
#include "job-distribute-int.h"
#include "job-io.h"
#include "log.h"
#include "paths.h"
#include "vault.h"
#include "xmalloc.h"

#define DISTRIBUTE_STEP_MS	10

void
distribute_drive_for(struct distribute_batch *b, int ms)
{
	char *cause = NULL;
	bool ssh = sshc_pool_pending(b->bb.ssh) > 0;
	int left;

	left = snmp_pool_run(b->bb.snmp, ssh ? DISTRIBUTE_STEP_MS : ms);
	if (ssh && sshc_pool_step(b->bb.ssh, ms, &cause) != 0) {
		log_error("distribute: %s", cause);
		free(cause);
	}
	if (left == 0 && !ssh)
		poll(NULL, 0, ms);
}

void
distribute_drive(struct distribute_batch *b)
{
	job_io_drive(b->bb.snmp, b->bb.ssh, DISTRIBUTE_STEP_MS, "distribute");
}

/* ---- Recording ---- */

static int
distribute_record_item(struct distribute_item *it, char **cause)
{
	struct distribute_result r;
	struct distribute_change *c;
	size_t i;

	if (store_begin(it->b->st, cause) != 0)
		return -1;
	for (i = 0; i < it->n; i++) {
		c = &it->c[i];
		memset(&r, 0, sizeof r);
		r.printer_id = it->t->printer_id;
		r.printer_name = (char *)it->t->printer_name;
		r.key = (char *)catalog_setting_key(c->s);
		r.outcome = c->outcome;
		r.secret = catalog_setting_secret(c->s);
		r.old_value = c->old;
		r.new_value = c->held != NULL ? c->held : c->value;
		r.reason = c->reason;
		r.restart = catalog_setting_restart(c->s);
		if (distribute_record(it->b->st, it->b->job_id, &r,
		    cause) != 0) {
			store_rollback(it->b->st);
			return -1;
		}
	}
	return store_commit(it->b->st, cause);
}

/* The snapshots of what was read, linked to the job, before writing. */
static int
distribute_backup(struct distribute_item *it, char **cause)
{
	struct backup_snapshot s = { 0 };
	size_t i;

	if (store_begin(it->b->st, cause) != 0)
		return -1;
	s.printer_id = it->t->printer_id;
	s.printer_name = it->t->printer_name;
	s.job_id = it->t->job_id;
	s.link_job = true;	/* the rollback finds it through the job */
	s.taken_at = store_now_ms();
	for (i = 0; i < it->rd.ncats; i++) {
		s.category = catalog_category_name(it->rd.cats[i].c);
		s.values = it->rd.cats[i].v;
		s.n = it->rd.cats[i].n;
		s.partial = it->rd.cats[i].partial;
		if (backup_store(it->b->st, it->b->bb.vault, &s, NULL, NULL,
		    cause) != 0) {
			store_rollback(it->b->st);
			return -1;
		}
	}
	return store_commit(it->b->st, cause);
}

/* Why IT failed: the printer's failure, or the first setting's and how
 * many more of the BAD rejected or failed. */
static char *
distribute_why(const struct distribute_item *it, size_t bad)
{
	size_t i;

	if (it->failure != NULL)
		return xstrdup(it->failure);
	for (i = 0; i < it->n; i++) {
		if (it->c[i].outcome != DISTRIBUTE_REJECTED &&
		    it->c[i].outcome != DISTRIBUTE_FAILED)
			continue;
		return xasprintf("%s %s: %s%s", catalog_setting_key(it->c[i].s),
		    distribute_outcome_name(it->c[i].outcome),
		    it->c[i].reason != NULL ? it->c[i].reason : "",
		    bad > 1 ? " (and more)" : "");
	}
	return xstrdup("failed");
}

static void
distribute_finish(struct distribute_item *it)
{
	size_t counts[DISTRIBUTE_NOUTCOMES] = { 0 }, i;
	char *cause = NULL, *result, *why = NULL;
	bool ok;

	for (i = 0; i < it->n; i++)
		counts[it->c[i].outcome]++;
	if (distribute_record_item(it, &cause) != 0) {
		log_error("%s: %s", it->t->printer_name, cause);
		engine_run_finish(it->b->run, it->t, false, NULL, cause);
		free(cause);
		return;
	}
	result = xasprintf("%zu would change, %zu unchanged, %zu applied, "
	    "%zu rejected, %zu unsupported, %zu failed%s%s",
	    counts[DISTRIBUTE_WOULD_CHANGE], counts[DISTRIBUTE_UNCHANGED],
	    counts[DISTRIBUTE_APPLIED], counts[DISTRIBUTE_REJECTED],
	    counts[DISTRIBUTE_UNSUPPORTED], counts[DISTRIBUTE_FAILED],
	    it->reboot != NULL ? "; " : "", it->reboot != NULL ? it->reboot :
	    "");
	ok = counts[DISTRIBUTE_REJECTED] == 0 &&
	    counts[DISTRIBUTE_FAILED] == 0 && it->failure == NULL;
	if (!ok)
		why = distribute_why(it, counts[DISTRIBUTE_REJECTED] +
		    counts[DISTRIBUTE_FAILED]);
	engine_run_finish(it->b->run, it->t, ok, result, why);
	free(result);
	free(why);
}

static void
distribute_item_clear(struct distribute_item *it)
{
	size_t i;

	for (i = 0; i < it->n; i++) {
		if (catalog_setting_secret(it->c[i].s))
			vault_wipe_str(it->c[i].value);
		else
			free(it->c[i].value);
		free(it->c[i].old);
		free(it->c[i].reason);
		free(it->c[i].held);
	}
	free(it->c);
	backup_item_clear(&it->rd);
	snmp_key_free(&it->wkey);
	free(it->wkey_why);
	free(it->pend);
	free(it->failure);
	free(it->reboot);
}

/* ---- A wave of printers ---- */

/* Start reading IT: its check, credentials, plan, then the read. */
static void
distribute_start(struct distribute_item *it)
{
	it->started = true;
	it->rd.t = it->t;
	it->rd.b = &it->b->bb;
	if (it->b->sd != NULL)
		distribute_plan_data(it);
	else
		distribute_plan_rollback(it);
	if (it->failure != NULL || it->n == 0)
		return;
	backup_prepare_item(&it->rd);
	if (it->rd.failure != NULL) {
		it->failure = xstrdup(it->rd.failure);
		return;
	}
	distribute_write_key(it);
	backup_read_start(&it->rd);
}

/* Whether some change of IT is to be written. */
static bool
distribute_writing(const struct distribute_item *it)
{
	size_t i;

	for (i = 0; i < it->n; i++) {
		if (it->c[i].write &&
		    it->c[i].outcome == DISTRIBUTE_WOULD_CHANGE)
			return true;
	}
	return false;
}

/* Compare; for a write, back up then start writing. */
static void
distribute_after_read(struct distribute_item *it)
{
	char *cause = NULL;

	distribute_compare(it);
	if (it->b->job.opts.dry_run || it->failure != NULL ||
	    !distribute_writing(it))
		return;
	if (distribute_backup(it, &cause) != 0) {
		it->failure = xasprintf("backup before writing: %s", cause);
		free(cause);
		distribute_compare(it);
		return;
	}
	distribute_write_start(it);
}

/* Whether IT has an applied setting that needs a restart. */
static bool
distribute_needs_reboot(const struct distribute_item *it)
{
	size_t i;

	for (i = 0; i < it->n; i++) {
		if (it->c[i].outcome == DISTRIBUTE_APPLIED &&
		    catalog_setting_restart(it->c[i].s))
			return true;
	}
	return false;
}

static void
distribute_wave(struct distribute_batch *b, struct distribute_item *items,
    size_t n)
{
	char *cause = NULL;
	size_t i;

	for (i = 0; i < n; i++) {
		if (items[i].t->printer_id == 0 || items[i].t->address == NULL ||
		    engine_run_cancelled(b->run, items[i].t))
			continue;
		distribute_limit_start(b);
		distribute_start(&items[i]);
	}
	distribute_drive(b);
	for (i = 0; i < n; i++) {
		if (items[i].started)
			distribute_after_read(&items[i]);
	}
	distribute_drive(b);
	for (i = 0; i < n; i++) {
		if (!items[i].started || b->job.opts.dry_run)
			continue;
		/* Keep what was done, should the read-back never end. */
		if (distribute_record_item(&items[i], &cause) != 0) {
			log_error("%s: %s", items[i].t->printer_name, cause);
			free(cause);
			cause = NULL;
		}
		distribute_reread_start(&items[i]);
	}
	distribute_drive(b);
	for (i = 0; i < n; i++) {
		if (!items[i].started || b->job.opts.dry_run)
			continue;
		distribute_verify(&items[i]);
		if (b->job.opts.reboot && distribute_needs_reboot(&items[i]))
			distribute_reboot_start(&items[i]);
	}
	distribute_drive(b);
}

static void
distribute_wave_end(struct distribute_batch *b, struct distribute_item *items,
    size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (!items[i].started)
			engine_run_finish(b->run, items[i].t, false, NULL,
			    items[i].t->printer_id == 0 ? "printer removed" :
			    "cancelled");
		else
			distribute_finish(&items[i]);
		distribute_item_clear(&items[i]);
	}
}

static void
distribute_batch_run(struct distribute_batch *b, struct distribute_item *items,
    size_t n)
{
	size_t done = 0, k;

	while (done < n) {
		k = distribute_limit_take(b, n - done);
		distribute_wave(b, items + done, k);
		distribute_limit_give(b, k);
		distribute_wave_end(b, items + done, k);
		done += k;
	}
}

/* ---- Setting up a batch ---- */

static int
distribute_catalog(struct distribute_batch *b, char **cause)
{
	char *data = paths_data_dir(), *dir;
	int rc;

	dir = xasprintf("%s/catalog", data);
	rc = catalog_load_dir(dir, &b->bb.cat, cause);
	free(dir);
	free(data);
	return rc;
}

struct vault *
distribute_vault(struct distribute_batch *b, char **cause)
{
	struct vault_source src = { NULL, NULL, NULL };

	if (!b->bb.vault_tried) {
		b->bb.vault_tried = true;
		if (vault_open(b->st, &src, &b->bb.vault,
		    &b->bb.vault_cause) != 0)
			b->bb.vault = NULL;
	}
	if (b->bb.vault == NULL && cause != NULL)
		*cause = xstrdup(b->bb.vault_cause != NULL ?
		    b->bb.vault_cause : "no vault");
	return b->bb.vault;
}

/* The categories of the data's settings, "a,b". */
static char *
distribute_data_categories(struct distribute_batch *b)
{
	const struct catalog_setting *s;
	const char *name;
	char *list = NULL;
	size_t i;

	for (i = 0; i < setdata_count(b->sd); i++) {
		if ((s = catalog_setting_find(b->bb.cat,
		    setdata_key_at(b->sd, i))) == NULL)
			continue;
		name = catalog_category_name(catalog_setting_category(s));
		if (!backup_category_listed(list, name))
			distribute_append(&list, ",", name);
	}
	return list;
}

/* The categories the original job of a rollback backed up. */
static char *
distribute_rollback_categories(struct distribute_batch *b, char **cause)
{
	static const char sql[] = "SELECT DISTINCT b.category FROM "
	    "backup_runs r JOIN backups b ON b.id = r.backup_id "
	    "WHERE r.job_id = ?1 ORDER BY b.category";
	sqlite3_stmt *stmt;
	char *list = NULL;

	if (store_prepare(b->st, sql, &stmt, cause) != 0)
		return NULL;
	sqlite3_bind_int64(stmt, 1, b->job.opts.rollback_of);
	while (sqlite3_step(stmt) == SQLITE_ROW)
		distribute_append(&list, ",",
		    (const char *)sqlite3_column_text(stmt, 0));
	sqlite3_reset(stmt);
	if (list == NULL)
		*cause = xasprintf("job %lld took no backup: nothing to roll "
		    "back", (long long)b->job.opts.rollback_of);
	return list;
}

/* The data (secrets opened when it has some) and the categories. */
static int
distribute_load(struct distribute_batch *b, char **cause)
{
	struct setdata_info info;
	struct vault *v = NULL;

	if (b->job.opts.rollback_of != 0) {
		b->bb.categories = distribute_rollback_categories(b, cause);
		return b->bb.categories == NULL ? -1 : 0;
	}
	if (b->job.data == NULL) {
		*cause = xstrdup("no setting data in the job's parameters");
		return -1;
	}
	if (setdata_store_find(b->st, b->job.data, &info, cause) != 0)
		return -1;
	if (info.nsecrets > 0 && (v = distribute_vault(b, cause)) == NULL) {
		setdata_info_clear(&info);
		return -1;
	}
	setdata_info_clear(&info);
	if (setdata_store_get(b->st, v, b->job.data, &b->sd, cause) != 0)
		return -1;
	b->bb.categories = distribute_data_categories(b);
	if (b->bb.categories == NULL) {
		*cause = xstrdup("the setting data holds no setting");
		return -1;
	}
	return 0;
}

static void
distribute_fail_all(struct engine_run *run, const struct engine_target *t,
    size_t n, const char *cause)
{
	size_t i;

	log_error("distribute: %s", cause);
	for (i = 0; i < n; i++)
		engine_run_finish(run, &t[i], false, NULL, cause);
}

static void
distribute_batch_clear(struct distribute_batch *b)
{
	sshc_pool_free(&b->bb.ssh);
	snmp_pool_free(&b->bb.snmp);
	vault_free(&b->bb.vault);
	free(b->bb.vault_cause);
	catalog_free(&b->bb.cat);
	free(b->bb.categories);
	setdata_free(&b->sd);
	distribute_job_clear(&b->job);
}

static void
distribute_run(struct engine_run *run, const struct engine_target *targets,
    size_t n, void *arg)
{
	struct distribute_batch b = { 0 };
	struct distribute_item *items;
	char *cause = NULL;
	size_t i;

	(void)arg;
	if (n == 0)
		return;
	b.run = run;
	b.st = engine_run_store(run);
	b.job_id = targets[0].job_id;
	b.bb.run = run;
	b.bb.st = b.st;
	distribute_params_parse(targets[0].params, &b.job);
	b.bb.timeout_ms = b.job.timeout_ms;
	b.bb.retries = b.job.retries;
	if (distribute_catalog(&b, &cause) != 0 ||
	    distribute_load(&b, &cause) != 0) {
		distribute_fail_all(run, targets, n, cause);
		free(cause);
		distribute_batch_clear(&b);
		return;
	}
	b.bb.snmp = snmp_pool_new(0);
	b.bb.ssh = sshc_pool_new(0);
	items = xcalloc(n, sizeof *items);
	for (i = 0; i < n; i++) {
		items[i].t = &targets[i];
		items[i].b = &b;
	}
	distribute_batch_run(&b, items, n);
	free(items);
	distribute_batch_clear(&b);
}

const struct engine_kind job_kind_distribute = {
	.name = JOB_KIND_DISTRIBUTE,
	.run = distribute_run,
};
