#include "config.h"

#include "testutil.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "printer.h"
#include "xmalloc.h"

char *
testutil_tmpdir(void)
{
	const char *tmp = getenv("TMPDIR");
	char *dir = xasprintf("%s/quire-unit.XXXXXX",
	    tmp != NULL && *tmp == '/' ? tmp : "/tmp");

	assert_non_null(mkdtemp(dir));
	return dir;
}

void
testutil_rmrf(const char *dir)
{
	char *cmd = xasprintf("rm -rf '%s'", dir);

	assert_int_equal(system(cmd), 0);
	free(cmd);
}

struct store *
testutil_store(const char *dir, const char *name)
{
	struct store *st = NULL;
	char *path = xasprintf("%s/%s", dir, name), *cause = NULL;

	if (store_open(path, &st, &cause) != 0)
		fail_msg("store_open %s: %s", path, cause);
	free(path);
	return st;
}

void
testutil_printers(struct store *st, const char *prefix, size_t n,
    unsigned port, int64_t *ids)
{
	char name[64], *cause = NULL;
	size_t i;

	assert_int_equal(store_begin(st, &cause), 0);
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof name, "%s-%04zu", prefix, i + 1);
		if (printer_add(st, name, "127.0.0.1", port, NULL, &ids[i],
		    &cause) != 0)
			fail_msg("printer_add: %s", cause);
	}
	assert_int_equal(store_commit(st, &cause), 0);
}

int64_t
testutil_int(struct store *st, const char *sql)
{
	sqlite3_stmt *stmt;
	int64_t v;

	assert_int_equal(sqlite3_prepare_v2(store_db(st), sql, -1, &stmt,
	    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	v = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	return v;
}

void
testutil_sleep_ms(unsigned ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) == -1)
		;
}
