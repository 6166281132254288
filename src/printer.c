#include "config.h"

#include "printer.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "xmalloc.h"

static const char *const printer_state_names[] = {
	"unknown", "reachable", "unreachable"
};

const char *
printer_state_name(enum printer_state state)
{
	return printer_state_names[state];
}

static enum printer_state
printer_state_parse(const char *s)
{
	size_t i;

	for (i = 0; i < sizeof printer_state_names / sizeof *printer_state_names;
	    i++) {
		if (s != NULL && strcmp(s, printer_state_names[i]) == 0)
			return (enum printer_state)i;
	}
	return PRINTER_UNKNOWN;
}

int
printer_check_name(const char *name, char **cause)
{
	return text_check_name("printer", name, cause);
}

static int
printer_parse_port(const char *s, unsigned *port, char **cause)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno != 0 || v == 0 || v > 65535) {
		*cause = xasprintf("invalid port '%s': 1 to 65535", s);
		return -1;
	}
	*port = (unsigned)v;
	return 0;
}

/* A host name or IPv4 literal: letters, digits, '-', '.'. */
static int
printer_check_host(const char *host, char **cause)
{
	const char *p;

	if (*host == '\0' || strlen(host) > 253) {
		*cause = xasprintf("invalid address '%s'", host);
		return -1;
	}
	for (p = host; *p != '\0'; p++) {
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '.') {
			*cause = xasprintf("invalid address '%s'", host);
			return -1;
		}
	}
	return 0;
}

int
printer_parse_address(const char *s, char **host, unsigned *port,
    char **cause)
{
	struct in6_addr a6;
	const char *colon, *close;
	char *h;

	*port = PRINTER_SNMP_PORT;
	if (*s == '[') {
		if ((close = strchr(s, ']')) == NULL) {
			*cause = xasprintf("invalid address '%s': no ']'", s);
			return -1;
		}
		h = xstrndup(s + 1, close - s - 1);
		if (inet_pton(AF_INET6, h, &a6) != 1 || (close[1] != '\0' &&
		    (close[1] != ':' || printer_parse_port(close + 2, port,
		    cause) != 0))) {
			if (close[1] == '\0' || close[1] != ':')
				*cause = xasprintf("invalid address '%s'", s);
			free(h);
			return -1;
		}
		*host = h;
		return 0;
	}
	if (inet_pton(AF_INET6, s, &a6) == 1) {
		*host = xstrdup(s);
		return 0;
	}
	if ((colon = strrchr(s, ':')) != NULL) {
		h = xstrndup(s, colon - s);
		if (printer_check_host(h, cause) != 0 ||
		    printer_parse_port(colon + 1, port, cause) != 0) {
			free(h);
			return -1;
		}
		*host = h;
		return 0;
	}
	if (printer_check_host(s, cause) != 0)
		return -1;
	*host = xstrdup(s);
	return 0;
}

/* The id of GROUP, created if missing. */
static int
printer_group_id(struct store *st, const char *group, int64_t *id,
    char **cause)
{
	static const char ins[] = "INSERT INTO groups (name, created_at) "
	    "VALUES (?, ?) ON CONFLICT (name) DO NOTHING";
	static const char sel[] = "SELECT id FROM groups WHERE name = ?";
	sqlite3_stmt *stmt;

	if (store_prepare(st, ins, &stmt, cause) != 0)
		return -1;
	sqlite3_bind_text(stmt, 1, group, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 2, store_now_ms());
	if (sqlite3_step(stmt) != SQLITE_DONE) {
		*cause = store_cause(st, "group");
		return -1;
	}
	if (store_prepare(st, sel, &stmt, cause) != 0)
		return -1;
	sqlite3_bind_text(stmt, 1, group, -1, SQLITE_STATIC);
	if (sqlite3_step(stmt) != SQLITE_ROW) {
		*cause = store_cause(st, "group");
		return -1;
	}
	*id = sqlite3_column_int64(stmt, 0);
	sqlite3_reset(stmt);
	return 0;
}

int
printer_add(struct store *st, const char *name, const char *address,
    unsigned port, const char *group, int64_t *id, char **cause)
{
	static const char sql[] = "INSERT INTO printers "
	    "(name, address, port, group_id, created_at) VALUES (?, ?, ?, ?, ?)";
	sqlite3_stmt *stmt;
	int64_t gid = 0;
	int rc;

	if (printer_check_name(name, cause) != 0)
		return -1;
	if (group != NULL && printer_group_id(st, group, &gid, cause) != 0)
		return -1;
	if (store_prepare(st, sql, &stmt, cause) != 0)
		return -1;
	sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, address, -1, SQLITE_STATIC);
	sqlite3_bind_int(stmt, 3, (int)port);
	if (group != NULL)
		sqlite3_bind_int64(stmt, 4, gid);
	sqlite3_bind_int64(stmt, 5, store_now_ms());
	rc = sqlite3_step(stmt);
	sqlite3_reset(stmt);
	if (rc == SQLITE_CONSTRAINT_UNIQUE) {
		*cause = xasprintf("a printer named '%s' already exists", name);
		return -1;
	}
	if (rc != SQLITE_DONE) {
		*cause = store_cause(st, name);
		return -1;
	}
	if (id != NULL)
		*id = sqlite3_last_insert_rowid(store_db(st));
	return 0;
}

int
printer_upsert(struct store *st, const char *name, const char *address,
    unsigned port, const char *group, enum printer_upsert *outcome,
    int64_t *idp, char **cause)
{
	static const char sel[] = "SELECT p.id, p.address = ?2 AND p.port = ?3 "
	    "AND g.name IS ?4 FROM printers p LEFT JOIN groups g "
	    "ON g.id = p.group_id WHERE p.name = ?1";
	static const char upd[] = "UPDATE printers SET address = ?, port = ?, "
	    "group_id = ? WHERE id = ?";
	sqlite3_stmt *stmt;
	int64_t id, gid = 0;
	int rc, same;

	if (store_prepare(st, sel, &stmt, cause) != 0)
		return -1;
	sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, address, -1, SQLITE_STATIC);
	sqlite3_bind_int(stmt, 3, (int)port);
	sqlite3_bind_text(stmt, 4, group, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(stmt)) != SQLITE_ROW) {
		sqlite3_reset(stmt);
		*outcome = PRINTER_ADDED;
		return printer_add(st, name, address, port, group, idp, cause);
	}
	id = sqlite3_column_int64(stmt, 0);
	*idp = id;
	same = sqlite3_column_int(stmt, 1);
	sqlite3_reset(stmt);
	*outcome = same ? PRINTER_UNCHANGED : PRINTER_UPDATED;
	if (same)
		return 0;
	if (group != NULL && printer_group_id(st, group, &gid, cause) != 0)
		return -1;
	if (store_prepare(st, upd, &stmt, cause) != 0)
		return -1;
	sqlite3_bind_text(stmt, 1, address, -1, SQLITE_STATIC);
	sqlite3_bind_int(stmt, 2, (int)port);
	if (group != NULL)
		sqlite3_bind_int64(stmt, 3, gid);
	sqlite3_bind_int64(stmt, 4, id);
	if (sqlite3_step(stmt) != SQLITE_DONE) {
		*cause = store_cause(st, name);
		return -1;
	}
	return 0;
}

int
printer_remove(struct store *st, const int64_t *ids, size_t n, char **cause)
{
	static const char sql[] = "DELETE FROM printers WHERE id = ?";
	sqlite3_stmt *stmt;
	size_t i;

	for (i = 0; i < n; i++) {
		if (store_prepare(st, sql, &stmt, cause) != 0)
			return -1;
		sqlite3_bind_int64(stmt, 1, ids[i]);
		if (sqlite3_step(stmt) != SQLITE_DONE) {
			*cause = store_cause(st, "remove printer");
			return -1;
		}
	}
	return 0;
}

#define PRINTER_COLUMNS "p.id, p.name, p.address, p.port, g.name, " \
	"p.state, p.reason, p.created_at, p.checked_at, p.sys_descr, " \
	"p.sys_object_id, p.sys_name, p.model, p.serial, p.ssh_port, " \
	"p.https_port, p.firmware, p.verdict, p.verdict_reason, " \
	"p.snmp_version, p.login_kind, p.https_present, p.categories " \
	"FROM printers p LEFT JOIN groups g ON g.id = p.group_id "

static char *
printer_column_text(sqlite3_stmt *stmt, int col)
{
	const unsigned char *s = sqlite3_column_text(stmt, col);

	return s == NULL ? NULL : xstrdup((const char *)s);
}

static void
printer_from_row(sqlite3_stmt *stmt, struct printer *p)
{
	p->id = sqlite3_column_int64(stmt, 0);
	p->name = printer_column_text(stmt, 1);
	p->address = printer_column_text(stmt, 2);
	p->port = (unsigned)sqlite3_column_int(stmt, 3);
	p->group = printer_column_text(stmt, 4);
	p->state = printer_state_parse((const char *)
	    sqlite3_column_text(stmt, 5));
	p->reason = printer_column_text(stmt, 6);
	p->created_at = sqlite3_column_int64(stmt, 7);
	p->checked_at = sqlite3_column_int64(stmt, 8);
	p->sys_descr = printer_column_text(stmt, 9);
	p->sys_object_id = printer_column_text(stmt, 10);
	p->sys_name = printer_column_text(stmt, 11);
	p->model = printer_column_text(stmt, 12);
	p->serial = printer_column_text(stmt, 13);
	p->ssh_port = (unsigned)sqlite3_column_int(stmt, 14);
	p->https_port = (unsigned)sqlite3_column_int(stmt, 15);
	p->firmware = printer_column_text(stmt, 16);
	p->verdict = printer_column_text(stmt, 17);
	p->verdict_reason = printer_column_text(stmt, 18);
	p->snmp_version = printer_column_text(stmt, 19);
	p->login_kind = printer_column_text(stmt, 20);
	p->https_present = sqlite3_column_type(stmt, 21) == SQLITE_NULL ? -1 :
	    sqlite3_column_int(stmt, 21) != 0;
	p->categories = printer_column_text(stmt, 22);
}

/* Run STMT (bound by the caller) and collect its rows into *out. */
static int
printer_collect(struct store *st, sqlite3_stmt *stmt, struct printer_set *set,
    char **cause)
{
	size_t cap = set->n;
	int rc;

	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (set->n == cap) {
			cap = cap ? cap * 2 : 64;
			set->v = xreallocarray(set->v, cap, sizeof *set->v);
		}
		memset(&set->v[set->n], 0, sizeof set->v[set->n]);
		printer_from_row(stmt, &set->v[set->n++]);
	}
	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE) {
		*cause = store_cause(st, "load printers");
		return -1;
	}
	return 0;
}

int
printer_load_all(struct store *st, struct printer_set **out, char **cause)
{
	static const char sql[] = "SELECT " PRINTER_COLUMNS "ORDER BY p.name";
	struct printer_set *set = xcalloc(1, sizeof *set);
	sqlite3_stmt *stmt;

	if (store_prepare(st, sql, &stmt, cause) != 0 ||
	    printer_collect(st, stmt, set, cause) != 0) {
		printer_set_free(&set);
		return -1;
	}
	*out = set;
	return 0;
}

static int
printer_compare_name(const void *a, const void *b)
{
	return strcmp(((const struct printer *)a)->name,
	    ((const struct printer *)b)->name);
}

int
printer_load_ids(struct store *st, const int64_t *ids, size_t n,
    struct printer_set **out, char **cause)
{
	static const char sql[] = "SELECT " PRINTER_COLUMNS "WHERE p.id = ?";
	struct printer_set *set = xcalloc(1, sizeof *set);
	sqlite3_stmt *stmt;
	size_t i;

	for (i = 0; i < n; i++) {
		if (store_prepare(st, sql, &stmt, cause) != 0)
			goto fail;
		sqlite3_bind_int64(stmt, 1, ids[i]);
		if (printer_collect(st, stmt, set, cause) != 0)
			goto fail;
	}
	if (set->n > 1)
		qsort(set->v, set->n, sizeof *set->v, printer_compare_name);
	*out = set;
	return 0;
fail:
	printer_set_free(&set);
	return -1;
}

void
printer_set_free(struct printer_set **setp)
{
	struct printer_set *set = *setp;
	struct printer *p;
	size_t i;

	if (set == NULL)
		return;
	for (i = 0; i < set->n; i++) {
		p = &set->v[i];
		free(p->name);
		free(p->address);
		free(p->group);
		free(p->reason);
		free(p->sys_descr);
		free(p->sys_object_id);
		free(p->sys_name);
		free(p->model);
		free(p->serial);
		free(p->firmware);
		free(p->verdict);
		free(p->verdict_reason);
		free(p->snmp_version);
		free(p->login_kind);
		free(p->categories);
	}
	free(set->v);
	free(set);
	*setp = NULL;
}

int
printer_record_identity(struct store *st, int64_t id,
    const struct printer_identity *who, char **cause)
{
	static const char sql[] = "UPDATE printers SET state = 'reachable', "
	    "reason = NULL, checked_at = ?, sys_descr = ?, sys_object_id = ?, "
	    "sys_name = ?, model = ?, serial = ? WHERE id = ?";
	sqlite3_stmt *stmt;

	if (store_prepare(st, sql, &stmt, cause) != 0)
		return -1;
	sqlite3_bind_int64(stmt, 1, store_now_ms());
	sqlite3_bind_text(stmt, 2, who->sys_descr, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, who->sys_object_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 4, who->sys_name, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 5, who->model, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 6, who->serial, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 7, id);
	if (sqlite3_step(stmt) != SQLITE_DONE) {
		*cause = store_cause(st, "record identity");
		return -1;
	}
	return 0;
}

int
printer_record_unreachable(struct store *st, int64_t id, const char *reason,
    char **cause)
{
	static const char sql[] = "UPDATE printers SET state = 'unreachable', "
	    "reason = ?, checked_at = ? WHERE id = ?";
	sqlite3_stmt *stmt;

	if (store_prepare(st, sql, &stmt, cause) != 0)
		return -1;
	sqlite3_bind_text(stmt, 1, reason, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 2, store_now_ms());
	sqlite3_bind_int64(stmt, 3, id);
	if (sqlite3_step(stmt) != SQLITE_DONE) {
		*cause = store_cause(st, "record unreachable");
		return -1;
	}
	return 0;
}

/* Bind ID as an integer, or NULL for 0. */
static void
printer_bind_id(sqlite3_stmt *stmt, int col, int64_t id)
{
	if (id == 0)
		sqlite3_bind_null(stmt, col);
	else
		sqlite3_bind_int64(stmt, col, id);
}

int
printer_record_check(struct store *st, int64_t id,
    const struct printer_check *c, char **cause)
{
	static const char sql[] = "UPDATE printers SET state = ?1, "
	    "reason = ?2, checked_at = ?3, verdict = ?4, verdict_reason = ?2, "
	    "firmware = ?5, snmp_version = ?6, snmp_credential_id = ?7, "
	    "login_kind = ?8, login_credential_id = ?9, https_present = ?10, "
	    "categories = ?11 WHERE id = ?12";
	sqlite3_stmt *stmt;

	if (c->who != NULL &&
	    printer_record_identity(st, id, c->who, cause) != 0)
		return -1;
	if (store_prepare(st, sql, &stmt, cause) != 0)
		return -1;
	sqlite3_bind_text(stmt, 1, c->reachable ? "reachable" : "unreachable",
	    -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, c->reason, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 3, store_now_ms());
	sqlite3_bind_text(stmt, 4, c->verdict, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 5, c->firmware, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 6, c->snmp_version, -1, SQLITE_STATIC);
	printer_bind_id(stmt, 7, c->snmp_credential_id);
	sqlite3_bind_text(stmt, 8, c->login_kind, -1, SQLITE_STATIC);
	printer_bind_id(stmt, 9, c->login_credential_id);
	sqlite3_bind_int(stmt, 10, c->https_present ? 1 : 0);
	sqlite3_bind_text(stmt, 11, c->categories, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 12, id);
	if (sqlite3_step(stmt) != SQLITE_DONE) {
		*cause = store_cause(st, "record check");
		return -1;
	}
	return 0;
}

int
printer_set_ports(struct store *st, int64_t id, unsigned ssh_port,
    unsigned https_port, char **cause)
{
	static const char sql[] = "UPDATE printers SET ssh_port = ?, "
	    "https_port = ? WHERE id = ?";
	sqlite3_stmt *stmt;

	if (store_prepare(st, sql, &stmt, cause) != 0)
		return -1;
	printer_bind_id(stmt, 1, ssh_port);
	printer_bind_id(stmt, 2, https_port);
	sqlite3_bind_int64(stmt, 3, id);
	if (sqlite3_step(stmt) != SQLITE_DONE) {
		*cause = store_cause(st, "set ports");
		return -1;
	}
	return 0;
}
