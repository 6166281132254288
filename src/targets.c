#include "config.h"

#include "targets.h"

#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

struct targets_acc {
	int64_t		*ids;
	size_t		 n;
	size_t		 cap;
};

static void
targets_push(struct targets_acc *acc, int64_t id)
{
	if (acc->n == acc->cap) {
		acc->cap = acc->cap ? acc->cap * 2 : 64;
		acc->ids = xreallocarray(acc->ids, acc->cap, sizeof *acc->ids);
	}
	acc->ids[acc->n++] = id;
}

static int
targets_has_glob(const char *s)
{
	return strpbrk(s, "*?[") != NULL;
}

/*
 * Collect the ids of rows of SQL (one text column bound to ARG, or a
 * glob matched against column 1 when GLOB is set). Returns the count added.
 */
static int
targets_query(struct store *st, const char *sql, const char *arg,
    const char *glob, struct targets_acc *acc, char **cause)
{
	sqlite3_stmt *stmt;
	const char *text;
	int rc, added = 0;

	if (store_prepare(st, sql, &stmt, cause) != 0)
		return -1;
	if (arg != NULL)
		sqlite3_bind_text(stmt, 1, arg, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		text = (const char *)sqlite3_column_text(stmt, 1);
		if (glob != NULL && (text == NULL || fnmatch(glob, text, 0) != 0))
			continue;
		targets_push(acc, sqlite3_column_int64(stmt, 0));
		added++;
	}
	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE) {
		*cause = store_cause(st, "targets");
		return -1;
	}
	return added;
}

static int targets_one(struct store *, const char *, struct targets_acc *,
    int, char **);

/* @FILE: one target a line; blank lines and # comments are skipped. */
static int
targets_file(struct store *st, const char *path, struct targets_acc *acc,
    int depth, char **cause)
{
	FILE *fp;
	char *line = NULL, *p, *end, *sub = NULL;
	size_t cap = 0;
	unsigned lineno = 0;
	int rc = 0;

	if ((fp = fopen(path, "r")) == NULL) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		return -1;
	}
	while (rc == 0 && getline(&line, &cap, fp) != -1) {
		lineno++;
		if ((p = strchr(line, '#')) != NULL)
			*p = '\0';
		for (p = line; *p == ' ' || *p == '\t'; p++)
			;
		end = p + strlen(p);
		while (end > p && strchr(" \t\r\n", end[-1]) != NULL)
			*--end = '\0';
		if (*p == '\0')
			continue;
		if ((rc = targets_one(st, p, acc, depth + 1, &sub)) != 0) {
			*cause = xasprintf("%s:%u: %s", path, lineno, sub);
			free(sub);
		}
	}
	free(line);
	fclose(fp);
	return rc;
}

static int
targets_one(struct store *st, const char *arg, struct targets_acc *acc,
    int depth, char **cause)
{
	static const char all[] = "SELECT id, name FROM printers";
	static const char byname[] = "SELECT id, name FROM printers "
	    "WHERE name = ?";
	static const char bygroup[] = "SELECT p.id, g.name FROM printers p "
	    "JOIN groups g ON g.id = p.group_id";
	static const char bymodel[] = "SELECT id, model FROM printers";
	int n;

	if (*arg == '@') {
		if (depth > 4) {
			*cause = xasprintf("%s: @FILE nested too deeply", arg);
			return -1;
		}
		return targets_file(st, arg + 1, acc, depth, cause);
	}
	if (strcmp(arg, "all") == 0)
		n = targets_query(st, all, NULL, "*", acc, cause);
	else if (strncmp(arg, "group:", 6) == 0)
		n = targets_query(st, bygroup, NULL, arg + 6, acc, cause);
	else if (strncmp(arg, "model:", 6) == 0)
		n = targets_query(st, bymodel, NULL, arg + 6, acc, cause);
	else if (targets_has_glob(arg))
		n = targets_query(st, all, NULL, arg, acc, cause);
	else
		n = targets_query(st, byname, arg, NULL, acc, cause);
	if (n == 0 && strcmp(arg, "all") != 0)
		*cause = xasprintf("no printer matches '%s'", arg);
	return n > 0 || (n == 0 && strcmp(arg, "all") == 0) ? 0 : -1;
}

static int
targets_compare(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

int
targets_resolve(struct store *st, char *const *args, size_t nargs,
    int64_t **ids, size_t *nids, char **cause)
{
	struct targets_acc acc = { 0 };
	size_t i, j;

	for (i = 0; i < nargs; i++) {
		if (targets_one(st, args[i], &acc, 0, cause) != 0) {
			free(acc.ids);
			return -1;
		}
	}
	if (acc.n > 1)
		qsort(acc.ids, acc.n, sizeof *acc.ids, targets_compare);
	for (i = j = 0; i < acc.n; i++) {
		if (j == 0 || acc.ids[j - 1] != acc.ids[i])
			acc.ids[j++] = acc.ids[i];
	}
	*ids = acc.ids;
	*nids = j;
	return 0;
}
