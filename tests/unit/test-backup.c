/*
 * Backups in a real SQLite file: a second identical snapshot adds no row
 * and no content (it confirms the state in place: seen, last seen), the
 * changed flag, diff (added, removed, changed, secrets only "changed"),
 * retention by states with its contents, partial snapshots (always a state
 * of their own), listing, the job link and its query, and schedules.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "backup.h"
#include "job.h"
#include "store.h"
#include "testutil.h"
#include "vault.h"

#define T0	((int64_t)1700000000000)

struct fixture {
	char		*dir;
	struct store	*st;
	struct vault	*vault;
	int64_t		 ids[2];
};

static int
test_backup_setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	struct vault_source src = { NULL, NULL, NULL };
	char *cause = NULL, *key;

	f->dir = testutil_tmpdir();
	f->st = testutil_store(f->dir, "quire.db");
	testutil_printers(f->st, "p", 2, 161, f->ids);
	key = malloc(strlen(f->dir) + 16);
	strcpy(key, f->dir);
	strcat(key, "/vault.key");
	src.key_path = key;
	assert_int_equal(vault_open(f->st, &src, &f->vault, &cause), 0);
	free(key);
	*state = f;
	return 0;
}

static int
test_backup_teardown(void **state)
{
	struct fixture *f = *state;

	vault_free(&f->vault);
	store_free(&f->st);
	testutil_rmrf(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

/* Store N values V for printer p-0001's CATEGORY at T by job JOB (0:
 * none), linked to it when LINK. */
static int64_t
test_backup_put_job(struct fixture *f, const char *category, int64_t t,
    const struct backup_value *v, size_t n, const char *partial,
    bool *changed, int64_t job, bool link)
{
	struct backup_snapshot s = { 0 };
	char *cause = NULL;
	int64_t id;

	s.printer_id = f->ids[0];
	s.printer_name = "p-0001";
	s.category = category;
	s.job_id = job;
	s.taken_at = t;
	s.values = v;
	s.n = n;
	s.partial = partial;
	s.link_job = link;
	if (backup_store(f->st, f->vault, &s, &id, changed, &cause) != 0)
		fail_msg("backup_store: %s", cause);
	return id;
}

static int64_t
test_backup_put(struct fixture *f, const char *category, int64_t t,
    const struct backup_value *v, size_t n, const char *partial,
    bool *changed)
{
	return test_backup_put_job(f, category, t, v, n, partial, changed, 0,
	    false);
}

/* A real job (the links and the state columns refer to jobs). */
static int64_t
test_backup_job(struct fixture *f)
{
	char *cause = NULL;
	int64_t job;

	if (job_submit(f->st, "backup", "categories=all", f->ids, 2, "tester",
	    &job, &cause) != 0)
		fail_msg("job_submit: %s", cause);
	return job;
}

static const struct backup_value test_backup_a[] = {
	{ "device.location", "Floor 3", false },
	{ "device.name", "hq-01", false },
	{ "device.contact", "ops", false },
};
static const struct backup_value test_backup_b[] = {
	{ "device.name", "hq-01", false },
	{ "device.contact", "ops", false },
	{ "device.location", "Floor 3", false },	/* same, other order */
};
static const struct backup_value test_backup_c[] = {
	{ "device.name", "hq-01", false },
	{ "device.location", "Floor 4", false },	/* changed */
	{ "device.asset_number", "A-17", false },	/* added; contact gone */
};

/* The second identical snapshot adds no row and no content: it confirms
 * the first in place (seen, last seen); not changed. */
static void
test_backup_dedup(void **state)
{
	struct fixture *f = *state;
	struct backup_stats s1, s2;
	struct backup_entry e;
	char *cause = NULL;
	bool changed;
	int64_t id1, id2, pages, i;

	id1 = test_backup_put(f, "device", T0, test_backup_a, 3, NULL,
	    &changed);
	assert_true(changed);		/* the first is "changed" */
	assert_int_equal(backup_stats(f->st, &s1, &cause), 0);
	id2 = test_backup_put(f, "device", T0 + 1000, test_backup_b, 3, NULL,
	    &changed);
	assert_false(changed);
	assert_int_equal(id2, id1);	/* the same state, confirmed */
	assert_int_equal(backup_stats(f->st, &s2, &cause), 0);
	assert_int_equal(s1.blobs, 1);
	assert_int_equal(s2.blobs, 1);
	assert_int_equal(s1.backups, 1);
	assert_int_equal(s2.backups, 1);
	assert_int_equal(s2.body_bytes, s1.body_bytes);
	assert_int_equal(backup_get(f->st, id1, &e, &cause), 0);
	assert_true(e.changed);		/* what its first backup found */
	assert_int_equal(e.seen, 2);
	assert_int_equal(e.taken_at, T0);
	assert_int_equal(e.last_seen_at, T0 + 1000);
	assert_int_equal(e.nsettings, 3);
	assert_null(e.partial);
	assert_string_equal(e.printer_name, "p-0001");
	assert_int_equal(e.printer_id, f->ids[0]);
	backup_entry_clear(&e);
	/* A hundred more unchanged backups: not one page more. */
	pages = testutil_int(f->st, "PRAGMA page_count");
	for (i = 2; i < 102; i++)
		test_backup_put(f, "device", T0 + i * 1000, test_backup_a, 3,
		    NULL, NULL);
	assert_int_equal(testutil_int(f->st, "PRAGMA page_count"), pages);
	assert_int_equal(testutil_int(f->st, "SELECT seen FROM backups"), 102);
	assert_int_equal(testutil_int(f->st, "SELECT last_seen_at FROM "
	    "backups"), T0 + 101000);
	assert_int_equal(testutil_int(f->st, "SELECT taken_at FROM backups"),
	    T0);
	assert_int_equal(backup_get(f->st, 9999, &e, &cause), -1);
	assert_string_equal(cause, "no backup 9999");
	free(cause);
}

/* A changed value makes a new content; diff names every difference. */
static void
test_backup_diff(void **state)
{
	struct fixture *f = *state;
	struct backup_diff *d = NULL;
	struct backup_value *v = NULL;
	char *cause = NULL;
	size_t n = 0;
	bool changed;
	int64_t id1, id2;

	id1 = test_backup_put(f, "device", T0, test_backup_a, 3, NULL, NULL);
	id2 = test_backup_put(f, "device", T0 + 1000, test_backup_c, 3, NULL,
	    &changed);
	assert_true(changed);
	assert_int_equal(testutil_int(f->st, "SELECT count(*) FROM "
	    "backup_blobs"), 2);
	assert_int_equal(backup_diff(f->st, id1, id2, &d, &n, &cause), 0);
	assert_int_equal(n, 3);		/* sorted by key */
	assert_string_equal(d[0].key, "device.asset_number");
	assert_int_equal(d[0].change, BACKUP_ADDED);
	assert_null(d[0].old_value);
	assert_string_equal(d[0].new_value, "A-17");
	assert_string_equal(d[1].key, "device.contact");
	assert_int_equal(d[1].change, BACKUP_REMOVED);
	assert_string_equal(d[1].old_value, "ops");
	assert_null(d[1].new_value);
	assert_string_equal(d[2].key, "device.location");
	assert_int_equal(d[2].change, BACKUP_CHANGED);
	assert_string_equal(d[2].old_value, "Floor 3");
	assert_string_equal(d[2].new_value, "Floor 4");
	backup_diffs_free(&d, n);
	assert_int_equal(backup_diff(f->st, id2, id2, &d, &n, &cause), 0);
	assert_int_equal(n, 0);
	assert_int_equal(backup_values(f->st, id2, &v, &n, &cause), 0);
	assert_int_equal(n, 3);
	assert_string_equal(v[0].key, "device.asset_number");
	assert_string_equal(v[1].value, "Floor 4");
	backup_values_free(&v, n);
}

/* A secret is sealed: never in the content in clear, kept sealed alike
 * when unchanged, "changed" without values in a diff. */
static void
test_backup_secret(void **state)
{
	struct fixture *f = *state;
	struct backup_value s1[] = { { "snmp.community.read", "s3cret", true },
	    { "snmp.v1.enable", "true", false } };
	struct backup_value s2[] = { { "snmp.community.read", "other", true },
	    { "snmp.v1.enable", "true", false } };
	struct backup_value *v = NULL;
	struct backup_diff *d = NULL;
	char *cause = NULL;
	size_t n = 0;
	bool changed;
	int64_t a, b, c;

	a = test_backup_put(f, "snmp", T0, s1, 2, NULL, NULL);
	b = test_backup_put(f, "snmp", T0 + 1, s1, 2, NULL, &changed);
	assert_false(changed);
	assert_int_equal(b, a);		/* the unchanged secret: same state */
	assert_int_equal(testutil_int(f->st, "SELECT count(*) FROM "
	    "backup_blobs WHERE instr(body, 's3cret') > 0"), 0);
	c = test_backup_put(f, "snmp", T0 + 2, s2, 2, NULL, &changed);
	assert_true(changed);
	assert_int_equal(backup_values(f->st, c, &v, &n, &cause), 0);
	assert_true(v[0].secret);
	assert_null(v[0].value);
	backup_values_free(&v, n);
	assert_int_equal(backup_values_open(f->st, f->vault, a, &v, &n,
	    &cause), 0);
	assert_string_equal(v[0].value, "s3cret");
	backup_values_free(&v, n);
	assert_int_equal(backup_diff(f->st, b, c, &d, &n, &cause), 0);
	assert_int_equal(n, 1);
	assert_true(d[0].secret);
	assert_int_equal(d[0].change, BACKUP_CHANGED);
	assert_null(d[0].old_value);
	assert_null(d[0].new_value);
	backup_diffs_free(&d, n);
	/* Sealed once per distinct value: s3cret, then other. */
	assert_int_equal(testutil_int(f->st, "SELECT count(*) FROM "
	    "backup_secrets"), 2);
	/* Retention drops the sealed secrets only dropped contents held;
	 * it runs when a backup confirms a state, too. */
	assert_int_equal(backup_keep_set(f->st, 1, "tester", &cause), 0);
	assert_int_equal(test_backup_put(f, "snmp", T0 + 3, s2, 2, NULL,
	    &changed), c);
	assert_false(changed);
	assert_int_equal(testutil_int(f->st, "SELECT count(*) FROM backups"),
	    1);
	assert_int_equal(testutil_int(f->st, "SELECT count(*) FROM "
	    "backup_blobs"), 1);
	assert_int_equal(testutil_int(f->st, "SELECT count(*) FROM "
	    "backup_secrets"), 1);
	/* Without the vault a secret cannot be stored. */
	{
		struct backup_snapshot s = { 0 };

		s.printer_name = "p-0002";
		s.category = "snmp";
		s.values = s1;
		s.n = 2;
		assert_int_equal(backup_store(f->st, NULL, &s, NULL, NULL,
		    &cause), -1);
		free(cause);
	}
}

/* Keep 2: the newest two states stay however often the newest is seen
 * again; older states go, and so does content nothing points at. */
static void
test_backup_retention(void **state)
{
	struct fixture *f = *state;
	struct backup_value v = { "device.name", NULL, false };
	struct backup_filter filter = { 0 };
	struct backup_entry *e = NULL;
	char *cause = NULL, name[16];
	size_t keep, i, n = 0;

	assert_int_equal(backup_keep_get(f->st, &keep, &cause), 0);
	assert_int_equal(keep, BACKUP_KEEP_ALL);
	for (i = 0; i < 4; i++) {
		snprintf(name, sizeof name, "name-%zu", i);
		v.value = name;
		test_backup_put(f, "device", T0 + (int64_t)i, &v, 1, NULL,
		    NULL);
	}
	test_backup_put(f, "network", T0, &v, 1, NULL, NULL);
	assert_int_equal(testutil_int(f->st, "SELECT count(*) FROM "
	    "backup_blobs"), 4);
	assert_int_equal(backup_keep_set(f->st, 2, "tester", &cause), 0);
	assert_int_equal(backup_keep_get(f->st, &keep, &cause), 0);
	assert_int_equal(keep, 2);
	/* Applied with the next backup: name-3 again, five times. */
	for (i = 0; i < 5; i++)
		test_backup_put(f, "device", T0 + 10 + (int64_t)i, &v, 1, NULL,
		    NULL);
	filter.category = "device";
	assert_int_equal(backup_list(f->st, &filter, &e, &n, &cause), 0);
	assert_int_equal(n, 2);
	assert_int_equal(e[0].taken_at, T0 + 3);	/* newest first */
	assert_int_equal(e[0].last_seen_at, T0 + 14);
	assert_int_equal(e[0].seen, 6);
	assert_int_equal(e[1].taken_at, T0 + 2);
	assert_int_equal(e[1].seen, 1);
	assert_true(e[0].changed);
	backup_entries_free(&e, n);
	/* name-0..1 went; name-2 and name-3 (device, network) stay. */
	assert_int_equal(testutil_int(f->st, "SELECT count(*) FROM "
	    "backup_blobs"), 2);
	assert_int_equal(testutil_int(f->st, "SELECT count(*) FROM backups "
	    "WHERE category = 'network'"), 1);
	assert_int_equal(testutil_int(f->st, "SELECT count(*) FROM audit "
	    "WHERE action = 'backup retention'"), 1);
}

/* A partial snapshot keeps what was read, is a state of its own every
 * time, and does not count as the "previous" content for the next one's
 * changed flag. The complete reading after it is a new state (the newest
 * row is what the printer has now), not changed; the next confirms it. */
static void
test_backup_partial(void **state)
{
	struct fixture *f = *state;
	struct backup_entry *e = NULL;
	char *cause = NULL;
	size_t n = 0;
	bool changed;
	int64_t id, id2, first;

	first = test_backup_put(f, "device", T0, test_backup_a, 3, NULL, NULL);
	id = test_backup_put(f, "device", T0 + 1, test_backup_a, 1,
	    "SNMP: no answer", &changed);
	assert_true(changed);
	assert_true(id != first);
	assert_int_equal(test_backup_put(f, "device", T0 + 2, test_backup_a, 1,
	    "SNMP: no answer", &changed), id + 1);	/* again a state */
	id2 = test_backup_put(f, "device", T0 + 3, test_backup_a, 3, NULL,
	    &changed);
	assert_false(changed);
	assert_int_equal(id2, id + 2);
	assert_int_equal(test_backup_put(f, "device", T0 + 4, test_backup_a, 3,
	    NULL, &changed), id2);			/* confirmed */
	assert_false(changed);
	assert_int_equal(testutil_int(f->st, "SELECT count(*) FROM backups"),
	    4);
	assert_int_equal(testutil_int(f->st, "SELECT seen FROM backups "
	    "WHERE id = (SELECT min(id) FROM backups)"), 1);
	assert_int_equal(backup_latest(f->st, f->ids[0], &e, &n, &cause), 0);
	assert_int_equal(n, 1);
	assert_int_equal(e[0].id, id2);
	assert_int_equal(e[0].taken_at, T0 + 3);
	assert_int_equal(e[0].last_seen_at, T0 + 4);
	assert_int_equal(e[0].seen, 2);
	backup_entries_free(&e, n);
	{
		struct backup_entry one;

		assert_int_equal(backup_get(f->st, id, &one, &cause), 0);
		assert_string_equal(one.partial, "SNMP: no answer");
		assert_int_equal(one.nsettings, 1);
		assert_int_equal(one.seen, 1);
		backup_entry_clear(&one);
	}
}

/* Filters: printers, category, since, limit. */
static void
test_backup_list(void **state)
{
	struct fixture *f = *state;
	struct backup_filter filter = { 0 };
	struct backup_entry *e = NULL;
	struct backup_snapshot s = { 0 };
	char *cause = NULL;
	size_t n = 0;

	test_backup_put(f, "device", T0, test_backup_a, 3, NULL, NULL);
	test_backup_put(f, "network", T0 + 5, test_backup_a, 1, NULL, NULL);
	s.printer_id = f->ids[1];
	s.printer_name = "p-0002";
	s.category = "device";
	s.taken_at = T0 + 9;
	s.values = test_backup_a;
	s.n = 3;
	assert_int_equal(backup_store(f->st, NULL, &s, NULL, NULL, &cause), 0);
	assert_int_equal(testutil_int(f->st, "SELECT count(*) FROM "
	    "backup_blobs"), 2);
	assert_int_equal(backup_list(f->st, NULL, &e, &n, &cause), 0);
	assert_int_equal(n, 3);
	assert_string_equal(e[0].printer_name, "p-0002");
	backup_entries_free(&e, n);
	filter.printer_ids = &f->ids[0];
	filter.nprinters = 1;
	assert_int_equal(backup_list(f->st, &filter, &e, &n, &cause), 0);
	assert_int_equal(n, 2);
	backup_entries_free(&e, n);
	filter.since = T0 + 1;
	assert_int_equal(backup_list(f->st, &filter, &e, &n, &cause), 0);
	assert_int_equal(n, 1);
	assert_string_equal(e[0].category, "network");
	backup_entries_free(&e, n);
	/* Since selects the states seen since then: device, seen again. */
	test_backup_put(f, "device", T0 + 20, test_backup_a, 3, NULL, NULL);
	filter.since = T0 + 10;
	assert_int_equal(backup_list(f->st, &filter, &e, &n, &cause), 0);
	assert_int_equal(n, 1);
	assert_string_equal(e[0].category, "device");
	assert_int_equal(e[0].taken_at, T0);
	assert_int_equal(e[0].last_seen_at, T0 + 20);
	backup_entries_free(&e, n);
	filter.printer_ids = NULL;
	filter.nprinters = 0;
	filter.since = 0;
	filter.limit = 1;
	filter.category = "device";
	assert_int_equal(backup_list(f->st, &filter, &e, &n, &cause), 0);
	assert_int_equal(n, 1);
	assert_int_equal(e[0].printer_id, f->ids[1]);
	backup_entries_free(&e, n);
}

/*
 * The job link: only when asked; a confirmed state is linked like a new
 * one; backup_job_snapshots finds them by job and printer; job_id stays
 * the job that stored the state, last_job the last that read it; the
 * counts tell stored from confirmed; retention takes the links along.
 */
static void
test_backup_job_link(void **state)
{
	struct fixture *f = *state;
	struct backup_counts c;
	struct backup_entry *e = NULL;
	char *cause = NULL;
	size_t n = 0;
	int64_t j1 = test_backup_job(f), j2 = test_backup_job(f);
	int64_t j3 = test_backup_job(f), id, id3;

	id = test_backup_put_job(f, "device", T0, test_backup_a, 3, NULL,
	    NULL, j1, false);
	assert_int_equal(testutil_int(f->st, "SELECT count(*) FROM "
	    "backup_runs"), 0);
	assert_int_equal(backup_job_snapshots(f->st, j1, NULL, &e, &n,
	    &cause), 0);
	assert_int_equal(n, 0);
	assert_int_equal(test_backup_put_job(f, "device", T0 + 1,
	    test_backup_a, 3, NULL, NULL, j2, true), id);
	id3 = test_backup_put_job(f, "network", T0 + 1, test_backup_c, 3,
	    NULL, NULL, j2, true);
	assert_int_equal(backup_job_snapshots(f->st, j2, "p-0001", &e, &n,
	    &cause), 0);
	assert_int_equal(n, 2);			/* by category */
	assert_int_equal(e[0].id, id);
	assert_string_equal(e[0].category, "device");
	assert_int_equal(e[0].job_id, j1);	/* stored by j1 */
	assert_int_equal(e[0].last_job_id, j2);	/* read last by j2 */
	assert_int_equal(e[0].seen, 2);
	assert_int_equal(e[1].id, id3);
	assert_int_equal(e[1].job_id, j2);
	backup_entries_free(&e, n);
	assert_int_equal(backup_job_snapshots(f->st, j2, "p-0002", &e, &n,
	    &cause), 0);
	assert_int_equal(n, 0);
	assert_int_equal(backup_job_counts(f->st, j1, &c, &cause), 0);
	assert_int_equal(c.snapshots, 1);
	assert_int_equal(c.stored, 1);
	assert_int_equal(c.changed, 1);
	assert_int_equal(c.confirmed, 0);
	assert_int_equal(backup_job_counts(f->st, j2, &c, &cause), 0);
	assert_int_equal(c.snapshots, 2);
	assert_int_equal(c.stored, 1);
	assert_int_equal(c.confirmed, 1);
	assert_int_equal(c.partial, 0);
	/* A link without a job is refused. */
	{
		struct backup_snapshot s = { 0 };

		s.printer_name = "p-0002";
		s.category = "device";
		s.values = test_backup_a;
		s.n = 3;
		s.link_job = true;
		assert_int_equal(backup_store(f->st, NULL, &s, NULL, NULL,
		    &cause), -1);
		assert_non_null(strstr(cause, "without a job"));
		free(cause);
		cause = NULL;
	}
	/* Keep 1: device changes (j3), its old state goes with its link. */
	assert_int_equal(backup_keep_set(f->st, 1, "tester", &cause), 0);
	test_backup_put_job(f, "device", T0 + 2, test_backup_c, 3, NULL, NULL,
	    j3, false);
	assert_int_equal(backup_job_snapshots(f->st, j2, NULL, &e, &n,
	    &cause), 0);
	assert_int_equal(n, 1);
	assert_int_equal(e[0].id, id3);
	backup_entries_free(&e, n);
	assert_int_equal(testutil_int(f->st, "SELECT count(*) FROM "
	    "backup_runs"), 1);
}

/* A schedule queues a backup job when due, then not until EVERY passed. */
static void
test_backup_schedule(void **state)
{
	struct fixture *f = *state;
	struct backup_schedule *v = NULL;
	struct job_info ji;
	char *cause = NULL;
	size_t n = 0, jobs;

	setenv("QUIRE_DATADIR", QUIRE_SRCDIR "/data", 1);
	assert_int_equal(backup_schedule_set(f->st, "p-*", "nope", 60,
	    "tester", &cause), -1);
	assert_string_equal(cause, "unknown category: nope");
	free(cause);
	cause = NULL;
	assert_int_equal(backup_schedule_set(f->st, "p-*", "device, network",
	    60, "tester", &cause), 0);
	assert_int_equal(backup_schedule_list(f->st, &v, &n, &cause), 0);
	assert_int_equal(n, 1);
	assert_string_equal(v[0].targets, "p-*");
	assert_string_equal(v[0].categories, "device,network");
	assert_int_equal(v[0].every, 60);
	backup_schedules_free(&v, n);
	assert_int_equal(backup_schedule_run(f->st, T0, "sched", &jobs,
	    &cause), 0);
	assert_int_equal(jobs, 1);
	assert_int_equal(job_get(f->st, testutil_int(f->st, "SELECT max(id) "
	    "FROM jobs"), &ji, &cause), 0);
	assert_string_equal(ji.kind, "backup");
	assert_int_equal(ji.total, 2);
	assert_string_equal(ji.params, "categories=device,network "
	    "timeout=1000 retries=1");
	job_info_clear(&ji);
	assert_int_equal(backup_schedule_run(f->st, T0 + 59000, "sched", &jobs,
	    &cause), 0);
	assert_int_equal(jobs, 0);
	assert_int_equal(backup_schedule_run(f->st, T0 + 60000, "sched", &jobs,
	    &cause), 0);
	assert_int_equal(jobs, 1);
	assert_int_equal(backup_schedule_set(f->st, "p-*", NULL, 0, "tester",
	    &cause), 0);
	assert_int_equal(backup_schedule_list(f->st, &v, &n, &cause), 0);
	assert_int_equal(n, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_backup_dedup,
		    test_backup_setup, test_backup_teardown),
		cmocka_unit_test_setup_teardown(test_backup_diff,
		    test_backup_setup, test_backup_teardown),
		cmocka_unit_test_setup_teardown(test_backup_secret,
		    test_backup_setup, test_backup_teardown),
		cmocka_unit_test_setup_teardown(test_backup_retention,
		    test_backup_setup, test_backup_teardown),
		cmocka_unit_test_setup_teardown(test_backup_partial,
		    test_backup_setup, test_backup_teardown),
		cmocka_unit_test_setup_teardown(test_backup_list,
		    test_backup_setup, test_backup_teardown),
		cmocka_unit_test_setup_teardown(test_backup_job_link,
		    test_backup_setup, test_backup_teardown),
		cmocka_unit_test_setup_teardown(test_backup_schedule,
		    test_backup_setup, test_backup_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
