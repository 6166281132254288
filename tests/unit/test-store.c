/* The store: file mode, pragmas, migrations from an older version. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>
#include <sqlite3.h>

#include "store.h"
#include "testutil.h"
#include "xmalloc.h"

static void
test_store_new_file(void **state)
{
	char *dir = testutil_tmpdir(), *path, *cause = NULL;
	struct store *st;
	struct stat sb;

	path = xasprintf("%s/deep/er/quire.db", dir);
	assert_int_equal(store_open(path, &st, &cause), 0);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	*strrchr(path, '/') = '\0';
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0700);
	assert_int_equal(store_opened_version(st), 0);
	assert_int_equal(testutil_int(st, "PRAGMA user_version"), STORE_VERSION);
	assert_int_equal(testutil_int(st, "PRAGMA foreign_keys"), 1);
	assert_int_equal(testutil_int(st,
	    "SELECT journal_mode = 'wal' FROM pragma_journal_mode"), 1);
	store_free(&st);
	assert_null(st);
	store_free(&st);
	testutil_rmrf(dir);
	free(path);
	free(dir);
}

/* Build a version 1 file from the fixture with sqlite3 itself. */
static char *
test_store_v1(const char *dir)
{
	char *path = xasprintf("%s/v1.db", dir), *sqlpath, *sql;
	sqlite3 *db;
	FILE *fp;
	long len;

	sqlpath = xasprintf("%s/tests/data/store-v1.sql", getenv("top_srcdir") ?
	    getenv("top_srcdir") : QUIRE_SRCDIR);
	assert_non_null(fp = fopen(sqlpath, "r"));
	fseek(fp, 0, SEEK_END);
	len = ftell(fp);
	rewind(fp);
	sql = xcalloc(1, (size_t)len + 1);
	assert_int_equal(fread(sql, 1, (size_t)len, fp), (size_t)len);
	fclose(fp);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	free(sql);
	free(sqlpath);
	return path;
}

static void
test_store_migrates_v1(void **state)
{
	char *dir = testutil_tmpdir(), *path = test_store_v1(dir), *cause = NULL;
	struct store *st;

	if (store_open(path, &st, &cause) != 0)
		fail_msg("%s", cause);
	assert_int_equal(store_opened_version(st), 1);
	assert_int_equal(testutil_int(st, "PRAGMA user_version"), STORE_VERSION);
	/* What version 1 held is still there, and the new tables work. */
	assert_int_equal(testutil_int(st, "SELECT count(*) FROM printers "
	    "WHERE name = 'old-01' AND sys_name = 'old-sysname' AND "
	    "model IS NULL"), 1);
	assert_int_equal(testutil_int(st, "SELECT count(*) FROM audit"), 1);
	assert_int_equal(store_exec(st, "INSERT INTO jobs (kind, created_by, "
	    "created_at) VALUES ('check', 't', 1); INSERT INTO job_targets "
	    "(job_id, printer_id, printer_name) VALUES (1, 1, 'old-01')",
	    &cause), 0);
	assert_int_equal(testutil_int(st, "SELECT count(*) FROM credentials"),
	    0);
	store_free(&st);
	/* Reopening an up-to-date file migrates nothing. */
	assert_int_equal(store_open(path, &st, &cause), 0);
	assert_int_equal(store_opened_version(st), STORE_VERSION);
	store_free(&st);
	testutil_rmrf(dir);
	free(path);
	free(dir);
}

static void
test_store_refuses_newer(void **state)
{
	char *dir = testutil_tmpdir(), *path, *cause = NULL;
	struct store *st;
	sqlite3 *db;

	path = xasprintf("%s/new.db", dir);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 99", NULL,
	    NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(store_open(path, &st, &cause), -1);
	assert_null(st);
	assert_non_null(strstr(cause, "version 99 is newer"));
	free(cause);
	testutil_rmrf(dir);
	free(path);
	free(dir);
}

static void
test_store_not_a_database(void **state)
{
	char *dir = testutil_tmpdir(), *path, *cause = NULL;
	struct store *st;
	FILE *fp;

	path = xasprintf("%s/junk.db", dir);
	assert_non_null(fp = fopen(path, "w"));
	fputs("this is not an SQLite database, it is a text file\n", fp);
	fclose(fp);
	assert_int_equal(store_open(path, &st, &cause), -1);
	assert_non_null(strstr(cause, path));
	free(cause);
	testutil_rmrf(dir);
	free(path);
	free(dir);
}

static void
test_store_audit_and_data_version(void **state)
{
	char *dir = testutil_tmpdir(), *cause = NULL;
	struct store *a = testutil_store(dir, "q.db");
	struct store *b = testutil_store(dir, "q.db");
	const char *names[] = { "p1", "p2" };
	int64_t before = store_data_version(a);

	assert_int_equal(store_audit(b, "op", "printer rm", "x", names, 2,
	    &cause), 0);
	assert_true(store_data_version(a) != before);
	assert_int_equal(testutil_int(a, "SELECT printers = 'p1' || char(10) "
	    "|| 'p2' AND who = 'op' FROM audit"), 1);
	store_free(&a);
	store_free(&b);
	testutil_rmrf(dir);
	free(dir);
}

/* store_begin() nests: inner commits join the outer transaction, an inner
 * rollback undoes only its own rows, and the outer rollback undoes all. */
static void
test_store_nested(void **state)
{
	char *dir = testutil_tmpdir(), *cause = NULL;
	struct store *a = testutil_store(dir, "q.db");
	struct store *b = testutil_store(dir, "q.db");

	assert_false(store_in_transaction(a));
	assert_int_equal(store_begin(a, &cause), 0);
	assert_int_equal(store_exec(a, "INSERT INTO config VALUES ('o', '1')",
	    &cause), 0);
	assert_int_equal(store_begin(a, &cause), 0);
	assert_int_equal(store_exec(a, "INSERT INTO config VALUES ('i', '1')",
	    &cause), 0);
	assert_int_equal(store_commit(a, &cause), 0);
	assert_true(store_in_transaction(a));
	assert_int_equal(store_begin(a, &cause), 0);
	assert_int_equal(store_exec(a, "INSERT INTO config VALUES ('x', '1')",
	    &cause), 0);
	store_rollback(a);
	assert_true(store_in_transaction(a));
	/* Nothing is visible to another connection before the outer commit. */
	assert_int_equal(testutil_int(b, "SELECT count(*) FROM config"), 0);
	assert_int_equal(store_commit(a, &cause), 0);
	assert_false(store_in_transaction(a));
	assert_int_equal(testutil_int(b, "SELECT count(*) FROM config WHERE "
	    "key IN ('o', 'i')"), 2);
	assert_int_equal(testutil_int(b, "SELECT count(*) FROM config WHERE "
	    "key = 'x'"), 0);
	/* An outer rollback undoes the inner commits too. */
	assert_int_equal(store_begin(a, &cause), 0);
	assert_int_equal(store_begin(a, &cause), 0);
	assert_int_equal(store_exec(a, "INSERT INTO config VALUES ('y', '1')",
	    &cause), 0);
	assert_int_equal(store_commit(a, &cause), 0);
	store_rollback(a);
	assert_false(store_in_transaction(a));
	assert_int_equal(testutil_int(b, "SELECT count(*) FROM config WHERE "
	    "key = 'y'"), 0);
	/* The in-process write lock was let go: b can write now. */
	assert_int_equal(store_begin(b, &cause), 0);
	assert_int_equal(store_commit(b, &cause), 0);
	store_free(&a);
	store_free(&b);
	testutil_rmrf(dir);
	free(dir);
}

/* Config integers: set and read back; unset, junk or out of range: DEF. */
static void
test_store_config_int(void **state)
{
	char *dir = testutil_tmpdir(), *cause = NULL, *text;
	struct store *st = testutil_store(dir, "q.db");
	int64_t v;

	assert_int_equal(store_config_get_int(st, "a.b", 7, 0, 100, &v,
	    &cause), 0);
	assert_int_equal(v, 7);
	assert_int_equal(store_config_set_int(st, "a.b", 42, &cause), 0);
	assert_int_equal(store_config_get_int(st, "a.b", 7, 0, 100, &v,
	    &cause), 0);
	assert_int_equal(v, 42);
	assert_int_equal(store_config_get_int(st, "a.b", 7, 0, 10, &v,
	    &cause), 0);
	assert_int_equal(v, 7);
	assert_int_equal(store_exec(st, "UPDATE config SET value = '4x' "
	    "WHERE key = 'a.b'", &cause), 0);
	assert_int_equal(store_config_get_int(st, "a.b", 7, 0, 100, &v,
	    &cause), 0);
	assert_int_equal(v, 7);
	assert_int_equal(store_exec(st, "UPDATE config SET value = "
	    "'99999999999999999999' WHERE key = 'a.b'", &cause), 0);
	assert_int_equal(store_config_get_int(st, "a.b", 7, 0, INT64_MAX, &v,
	    &cause), 0);
	assert_int_equal(v, 7);
	/* Text: set, read back, removed by NULL. */
	assert_int_equal(store_config_set(st, "x.y", "hello", &cause), 0);
	assert_int_equal(store_config_get(st, "x.y", &text, &cause), 0);
	assert_string_equal(text, "hello");
	free(text);
	assert_int_equal(store_config_set(st, "x.y", NULL, &cause), 0);
	assert_int_equal(store_config_get(st, "x.y", &text, &cause), 0);
	assert_null(text);
	store_free(&st);
	testutil_rmrf(dir);
	free(dir);
}

/* Another process's view: the number of config rows, read in a fresh exec. */
static int
test_store_rows_elsewhere(const char *path)
{
	int fds[2], status, n = -1;
	char buf[32] = "";
	ssize_t len;
	pid_t pid;

	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(fds[1], STDOUT_FILENO);
		execl("/proc/self/exe", "test-store", "--count", path,
		    (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	len = read(fds[0], buf, sizeof buf - 1);
	close(fds[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	if (len > 0)
		n = atoi(buf);
	return n;
}

/*
 * Opening a second connection in the same process must not drop the first
 * one's POSIX locks: once it did (store_open closed a descriptor of the
 * file), another process's close then took the database for its own,
 * checkpointed and unlinked the WAL, and every later commit of the first
 * connection went to an unlinked file no other process could see.
 */
static void
test_store_second_open_keeps_locks(void **state)
{
	char *dir = testutil_tmpdir(), *cause = NULL, *path;
	struct store *a, *b;

	path = xasprintf("%s/q.db", dir);
	assert_int_equal(store_open(path, &a, &cause), 0);
	assert_int_equal(store_exec(a, "INSERT INTO config (key, value) "
	    "VALUES ('one', '1')", &cause), 0);
	assert_int_equal(store_open(path, &b, &cause), 0);
	assert_int_equal(test_store_rows_elsewhere(path), 1);
	assert_int_equal(store_exec(a, "INSERT INTO config (key, value) "
	    "VALUES ('two', '2')", &cause), 0);
	assert_int_equal(test_store_rows_elsewhere(path), 2);
	store_free(&b);
	store_free(&a);
	testutil_rmrf(dir);
	free(path);
	free(dir);
}

/* The reader run by test_store_rows_elsewhere. */
static int
test_store_count(const char *path)
{
	sqlite3 *db;
	sqlite3_stmt *stmt;
	int n = -1;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) !=
	    SQLITE_OK)
		return 1;
	sqlite3_busy_timeout(db, 10000);
	if (sqlite3_prepare_v2(db, "SELECT count(*) FROM config", -1, &stmt,
	    NULL) == SQLITE_OK && sqlite3_step(stmt) == SQLITE_ROW)
		n = sqlite3_column_int(stmt, 0);
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	printf("%d\n", n);
	return n < 0;
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_store_new_file),
		cmocka_unit_test(test_store_migrates_v1),
		cmocka_unit_test(test_store_refuses_newer),
		cmocka_unit_test(test_store_not_a_database),
		cmocka_unit_test(test_store_audit_and_data_version),
		cmocka_unit_test(test_store_second_open_keeps_locks),
		cmocka_unit_test(test_store_nested),
		cmocka_unit_test(test_store_config_int),
	};

	if (argc == 3 && strcmp(argv[1], "--count") == 0)
		return test_store_count(argv[2]);

	return cmocka_run_group_tests(tests, NULL, NULL);
}
