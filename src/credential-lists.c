#include "config.h"

#include "credential.h"

#include <stdlib.h>
#include <string.h>

#include "credential-int.h"
#include "xmalloc.h"

#define CREDENTIAL_COLUMNS "c.id, c.name, c.kind, c.attrs, c.created_at"

/* A printer's or a group's list: the SQL that rewrites and reads it. */
struct credential_owner {
	const char	*what;		/* "printer" or "group" */
	const char	*find;		/* ?1 name or id -> id, name */
	const char	*clear;		/* ?1 owner id */
	const char	*insert;	/* ?1 owner id, ?2 credential, ?3 pos */
};

static const struct credential_owner credential_printer_owner = {
	"printer",
	"SELECT id, name FROM printers WHERE id = ?1",
	"DELETE FROM printer_credentials WHERE printer_id = ?1",
	"INSERT INTO printer_credentials (printer_id, credential_id, position) "
	"VALUES (?1, ?2, ?3)",
};

static const struct credential_owner credential_group_owner = {
	"group",
	"SELECT id, name FROM groups WHERE name = ?1",
	"DELETE FROM group_credentials WHERE group_id = ?1",
	"INSERT INTO group_credentials (group_id, credential_id, position) "
	"VALUES (?1, ?2, ?3)",
};

/* Run SQL binding ?1 ?2 ?3 as integers; -1 with *cause on failure. */
static int
credential_run(struct store *st, const char *sql, int64_t a, int64_t b,
    int64_t c, char **cause)
{
	sqlite3_stmt *stmt;
	int rc;

	if (store_prepare(st, sql, &stmt, cause) != 0)
		return -1;
	sqlite3_bind_int64(stmt, 1, a);
	if (sqlite3_bind_parameter_count(stmt) > 1) {
		sqlite3_bind_int64(stmt, 2, b);
		sqlite3_bind_int64(stmt, 3, c);
	}
	rc = sqlite3_step(stmt);
	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE) {
		*cause = store_cause(st, "credential list");
		return -1;
	}
	return 0;
}

/* The owner's id and name from KEY (a printer id or a group name). */
static int
credential_owner_find(struct store *st, const struct credential_owner *o,
    int64_t id, const char *name, int64_t *oid, char **oname, char **cause)
{
	sqlite3_stmt *stmt;
	int rc;

	if (store_prepare(st, o->find, &stmt, cause) != 0)
		return -1;
	if (name != NULL)
		sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
	else
		sqlite3_bind_int64(stmt, 1, id);
	if ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		*oid = sqlite3_column_int64(stmt, 0);
		*oname = xstrdup((const char *)sqlite3_column_text(stmt, 1));
	}
	sqlite3_reset(stmt);
	if (rc == SQLITE_ROW)
		return 0;
	if (rc != SQLITE_DONE)
		*cause = store_cause(st, o->what);
	else if (name != NULL)
		*cause = xasprintf("no %s named '%s'", o->what, name);
	else
		*cause = xasprintf("no %s with id %lld", o->what, (long long)id);
	return -1;
}

/* Credential ids of NAMES, refusing unknown names and repeats. */
static int
credential_ids(struct store *st, const char *const *names, size_t n,
    int64_t *ids, char **cause)
{
	struct credential *c;
	size_t i, j;

	for (i = 0; i < n; i++) {
		for (j = 0; j < i; j++) {
			if (strcmp(names[i], names[j]) == 0) {
				*cause = xasprintf("credential %s is listed "
				    "twice", names[i]);
				return -1;
			}
		}
		if (credential_find(st, names[i], &c, cause) != 0)
			return -1;
		ids[i] = c->id;
		credential_free(&c);
	}
	return 0;
}

/* "printer P: a, b" or "printer P: none". */
static char *
credential_list_detail(const struct credential_owner *o, const char *oname,
    const char *const *names, size_t n)
{
	char *out = xasprintf("%s %s:%s", o->what, oname, n ? "" : " none");
	char *next;
	size_t i;

	for (i = 0; i < n; i++) {
		next = xasprintf("%s%s %s", out, i ? "," : "", names[i]);
		free(out);
		out = next;
	}
	return out;
}

static int
credential_set_list(struct store *st, const struct credential_owner *o,
    int64_t id, const char *name, const char *const *names, size_t n,
    char **cause)
{
	int64_t oid = 0, *ids = xcalloc(n ? n : 1, sizeof *ids);
	char *oname = NULL, *detail = NULL;
	const char *printers[1];
	size_t i;
	int rc = -1;

	if (credential_owner_find(st, o, id, name, &oid, &oname, cause) != 0 ||
	    credential_ids(st, names, n, ids, cause) != 0 ||
	    credential_run(st, o->clear, oid, 0, 0, cause) != 0)
		goto out;
	for (i = 0; i < n; i++) {
		if (credential_run(st, o->insert, oid, ids[i], (int64_t)i,
		    cause) != 0)
			goto out;
	}
	printers[0] = oname;
	detail = credential_list_detail(o, oname, names, n);
	rc = store_audit(st, store_whoami(), "credential set", detail,
	    printers, o == &credential_printer_owner ? 1 : 0, cause);
out:
	free(detail);
	free(oname);
	free(ids);
	return rc;
}

int
credential_set_printer(struct store *st, int64_t printer_id,
    const char *const *names, size_t n, char **cause)
{
	bool own;
	int rc;

	if (credential_begin(st, &own, cause) != 0)
		return -1;
	rc = credential_set_list(st, &credential_printer_owner, printer_id,
	    NULL, names, n, cause);
	return credential_end(st, own, rc, cause);
}

int
credential_set_group(struct store *st, const char *group,
    const char *const *names, size_t n, char **cause)
{
	bool own;
	int rc;

	if (credential_begin(st, &own, cause) != 0)
		return -1;
	rc = credential_set_list(st, &credential_group_owner, 0, group, names,
	    n, cause);
	return credential_end(st, own, rc, cause);
}

/* Run a list query (?1 bound to ID or NAME), each credential once. */
static int
credential_query(struct store *st, const char *sql, int64_t id,
    const char *name, struct credential_set **out, char **cause)
{
	sqlite3_stmt *stmt;

	if (store_prepare(st, sql, &stmt, cause) != 0)
		return -1;
	if (name != NULL)
		sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
	else
		sqlite3_bind_int64(stmt, 1, id);
	return credential_collect(st, stmt, true, out, cause);
}

int
credential_printer_list(struct store *st, int64_t printer_id,
    struct credential_set **out, char **cause)
{
	static const char sql[] = "SELECT " CREDENTIAL_COLUMNS " FROM "
	    "printer_credentials l JOIN credentials c ON c.id = "
	    "l.credential_id WHERE l.printer_id = ?1 ORDER BY l.position";

	return credential_query(st, sql, printer_id, NULL, out, cause);
}

int
credential_group_list(struct store *st, const char *group,
    struct credential_set **out, char **cause)
{
	static const char sql[] = "SELECT " CREDENTIAL_COLUMNS " FROM "
	    "group_credentials l JOIN groups g ON g.id = l.group_id "
	    "JOIN credentials c ON c.id = l.credential_id "
	    "WHERE g.name = ?1 ORDER BY l.position";

	return credential_query(st, sql, 0, group, out, cause);
}

int
credential_resolve(struct store *st, int64_t printer_id,
    struct credential_set **out, char **cause)
{
	static const char sql[] = "SELECT " CREDENTIAL_COLUMNS " FROM ("
	    "SELECT credential_id AS cid, 0 AS src, position AS pos "
	    "FROM printer_credentials WHERE printer_id = ?1 "
	    "UNION ALL SELECT gc.credential_id, 1, gc.position "
	    "FROM group_credentials gc JOIN printers p "
	    "ON p.group_id = gc.group_id WHERE p.id = ?1) l "
	    "JOIN credentials c ON c.id = l.cid ORDER BY l.src, l.pos";

	return credential_query(st, sql, printer_id, NULL, out, cause);
}

/* Column I of STMT as a new string, or NULL when it is NULL. */
static char *
credential_usage_text(sqlite3_stmt *stmt, int i)
{
	const unsigned char *s = sqlite3_column_text(stmt, i);

	return s != NULL ? xstrdup((const char *)s) : NULL;
}

int
credential_usage(struct store *st, int64_t id, size_t max, char **printers,
    char **groups, char **cause)
{
	static const char sql[] = "SELECT "
	    "(SELECT group_concat(name, ', ') FROM (SELECT DISTINCT p.name "
	    "FROM printer_credentials l JOIN printers p ON p.id = l.printer_id "
	    "WHERE l.credential_id = ?1 ORDER BY p.name LIMIT ?2)), "
	    "(SELECT group_concat(name, ', ') FROM (SELECT DISTINCT g.name "
	    "FROM group_credentials l JOIN groups g ON g.id = l.group_id "
	    "WHERE l.credential_id = ?1 ORDER BY g.name LIMIT ?2))";
	sqlite3_stmt *stmt;
	int rc;

	*printers = *groups = NULL;
	if (store_prepare(st, sql, &stmt, cause) != 0)
		return -1;
	sqlite3_bind_int64(stmt, 1, id);
	sqlite3_bind_int64(stmt, 2, (int64_t)max);
	if ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		*printers = credential_usage_text(stmt, 0);
		*groups = credential_usage_text(stmt, 1);
	}
	sqlite3_reset(stmt);
	if (rc != SQLITE_ROW) {
		*cause = store_cause(st, "credential usage");
		return -1;
	}
	return 0;
}
