/*
 * The persisted state: DIR/state.db (SQLite, WAL). It is the source of
 * truth, shared with other processes on the same directory (the shell run
 * by sshd): each write bumps a generation number on the printer's row, and
 * a reader that sees PRAGMA data_version move marks the printers written
 * since as stale, to be reloaded on their next use.
 */
#include "config.h"

#include "sim.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "sim-int.h"
#include "xmalloc.h"

#define SIM_STATE_VERSION 1
#define SIM_STATE_BUSY_MS 10000
#define SIM_STATE_NSTMTS 48

struct sim_state {
	char		*dir;
	sqlite3		*db;		/* guarded by lock */
	pthread_mutex_t	 lock;
	struct {
		const char	*sql;
		sqlite3_stmt	*stmt;
	}		 stmts[SIM_STATE_NSTMTS];
	size_t		 nstmts;
	int64_t		 data_version;	/* last seen, guarded by lock */
	int64_t		 synced_gen;	/* rows up to this gen are known */
};

static const char *const sim_state_schema =
	"CREATE TABLE gen (n INTEGER NOT NULL);"
	"INSERT INTO gen VALUES (0);"
	"CREATE TABLE printer ("
	" id INTEGER PRIMARY KEY,"
	" name TEXT NOT NULL UNIQUE,"
	" host TEXT,"
	" gen INTEGER NOT NULL DEFAULT 0,"
	" config_changes INTEGER NOT NULL DEFAULT 0,"
	" boots INTEGER NOT NULL DEFAULT 0,"
	" sets INTEGER NOT NULL DEFAULT 0,"
	" policy_password TEXT,"
	" policy_applied INTEGER NOT NULL DEFAULT 0,"
	" booted_ms INTEGER NOT NULL DEFAULT 0,"
	" down_until_ms INTEGER NOT NULL DEFAULT 0,"
	" cert_made INTEGER NOT NULL DEFAULT 0);"
	"CREATE INDEX printer_gen ON printer (gen);"
	"CREATE TABLE value ("
	" printer INTEGER NOT NULL REFERENCES printer (id) ON DELETE CASCADE,"
	" key TEXT NOT NULL,"
	" value TEXT NOT NULL,"
	" PRIMARY KEY (printer, key)) WITHOUT ROWID;"
	"CREATE TABLE cert ("
	" printer INTEGER NOT NULL REFERENCES printer (id) ON DELETE CASCADE,"
	" name TEXT NOT NULL,"
	" cert_pem TEXT,"
	" key_pem TEXT,"
	" in_use INTEGER NOT NULL DEFAULT 0,"
	" PRIMARY KEY (printer, name)) WITHOUT ROWID;"
	"PRAGMA user_version = 1;";

int64_t
sim_state_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

const char *
sim_state_dir(const struct sim_state *st)
{
	return st->dir;
}

char *
sim_state_cause(struct sim_fleet *fleet, const char *what)
{
	return xasprintf("%s: %s", what, sqlite3_errmsg(fleet->state->db));
}

sqlite3 *
sim_state_lock(struct sim_fleet *fleet)
{
	pthread_mutex_lock(&fleet->state->lock);
	return fleet->state->db;
}

void
sim_state_unlock(struct sim_fleet *fleet)
{
	pthread_mutex_unlock(&fleet->state->lock);
}

sqlite3_stmt *
sim_state_stmt(struct sim_fleet *fleet, const char *sql, char **cause)
{
	struct sim_state *st = fleet->state;
	sqlite3_stmt *stmt;
	size_t i;

	for (i = 0; i < st->nstmts; i++) {
		if (st->stmts[i].sql == sql || strcmp(st->stmts[i].sql,
		    sql) == 0) {
			sqlite3_reset(st->stmts[i].stmt);
			sqlite3_clear_bindings(st->stmts[i].stmt);
			return st->stmts[i].stmt;
		}
	}
	if (sqlite3_prepare_v2(st->db, sql, -1, &stmt, NULL) != SQLITE_OK) {
		*cause = sim_state_cause(fleet, "prepare");
		return NULL;
	}
	if (st->nstmts == SIM_STATE_NSTMTS) {
		/* More statements than expected: keep working, uncached. */
		sqlite3_finalize(st->stmts[0].stmt);
		memmove(&st->stmts[0], &st->stmts[1],
		    (SIM_STATE_NSTMTS - 1) * sizeof st->stmts[0]);
		st->nstmts--;
	}
	st->stmts[st->nstmts].sql = sql;
	st->stmts[st->nstmts++].stmt = stmt;
	return stmt;
}

static int
sim_state_exec(struct sim_fleet *fleet, const char *sql, char **cause)
{
	if (sqlite3_exec(fleet->state->db, sql, NULL, NULL, NULL) ==
	    SQLITE_OK)
		return 0;
	*cause = sim_state_cause(fleet, sql);
	return -1;
}

int
sim_state_begin(struct sim_fleet *fleet, char **cause)
{
	return sim_state_exec(fleet, "BEGIN IMMEDIATE", cause);
}

int
sim_state_commit(struct sim_fleet *fleet, char **cause)
{
	if (sim_state_exec(fleet, "COMMIT", cause) == 0)
		return 0;
	sim_state_rollback(fleet);
	return -1;
}

void
sim_state_rollback(struct sim_fleet *fleet)
{
	if (!sqlite3_get_autocommit(fleet->state->db))
		sqlite3_exec(fleet->state->db, "ROLLBACK", NULL, NULL, NULL);
}

int
sim_state_touch(struct sim_fleet *fleet, struct sim_printer *p, char **cause)
{
	sqlite3_stmt *a, *b;

	if ((a = sim_state_stmt(fleet, "UPDATE gen SET n = n + 1",
	    cause)) == NULL)
		return -1;
	if (sqlite3_step(a) != SQLITE_DONE) {
		*cause = sim_state_cause(fleet, "state");
		sqlite3_reset(a);
		return -1;
	}
	sqlite3_reset(a);
	if ((b = sim_state_stmt(fleet, "UPDATE printer SET gen = "
	    "(SELECT n FROM gen) WHERE id = ?", cause)) == NULL)
		return -1;
	sqlite3_bind_int64(b, 1, p->db_id);
	if (sqlite3_step(b) != SQLITE_DONE) {
		*cause = sim_state_cause(fleet, "state");
		sqlite3_reset(b);
		return -1;
	}
	sqlite3_reset(b);
	return 0;
}

/* One integer from SQL, or -1. */
static int64_t
sim_state_int(struct sim_fleet *fleet, const char *sql)
{
	sqlite3_stmt *stmt;
	char *cause = NULL;
	int64_t v = -1;

	if ((stmt = sim_state_stmt(fleet, sql, &cause)) == NULL) {
		log_warn("%s", cause);
		free(cause);
		return -1;
	}
	if (sqlite3_step(stmt) == SQLITE_ROW)
		v = sqlite3_column_int64(stmt, 0);
	sqlite3_reset(stmt);
	return v;
}

/* Another process wrote: mark the printers it wrote stale. */
static int
sim_state_poll(struct sim_fleet *fleet, char **cause)
{
	struct sim_state *st = fleet->state;
	struct sim_printer *p;
	sqlite3_stmt *stmt;
	int64_t dv, gen, top;
	int rc;

	dv = sim_state_int(fleet, "PRAGMA data_version");
	if (dv == st->data_version)
		return 0;
	if ((stmt = sim_state_stmt(fleet, "SELECT name, gen FROM printer "
	    "WHERE gen > ?", cause)) == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, st->synced_gen);
	top = st->synced_gen;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		p = sim_fleet_find(fleet,
		    (const char *)sqlite3_column_text(stmt, 0));
		if (p != NULL)
			p->stale = true;
		if ((gen = sqlite3_column_int64(stmt, 1)) > top)
			top = gen;
	}
	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE) {
		*cause = sim_state_cause(fleet, "state");
		return -1;
	}
	st->data_version = dv;
	st->synced_gen = top;
	return 0;
}

int
sim_state_sync(struct sim_printer *p, char **cause)
{
	struct sim_fleet *fleet = p->fleet;
	int rc = 0;

	if (fleet->state == NULL) {
		*cause = xstrdup("the state is not open");
		return -1;
	}
	sim_state_lock(fleet);
	if (sim_state_poll(fleet, cause) != 0)
		rc = -1;
	else if (!p->loaded || p->stale) {
		p->stale = false;
		rc = sim_state_load_printer(p, cause);
		if (rc != 0)
			p->stale = true;
	}
	sim_state_unlock(fleet);
	return rc;
}

/* Give printer P its row, reading or making it. */
static int
sim_state_row(struct sim_fleet *fleet, struct sim_printer *p, char **cause)
{
	sqlite3_stmt *ins, *sel;

	if ((ins = sim_state_stmt(fleet, "INSERT OR IGNORE INTO printer "
	    "(name) VALUES (?)", cause)) == NULL)
		return -1;
	sqlite3_bind_text(ins, 1, p->name, -1, SQLITE_STATIC);
	if (sqlite3_step(ins) != SQLITE_DONE) {
		sqlite3_reset(ins);
		*cause = sim_state_cause(fleet, "state");
		return -1;
	}
	sqlite3_reset(ins);
	if (sqlite3_changes(fleet->state->db) == 1) {
		p->db_id = sqlite3_last_insert_rowid(fleet->state->db);
		return 0;
	}
	if ((sel = sim_state_stmt(fleet, "SELECT id FROM printer WHERE "
	    "name = ?", cause)) == NULL)
		return -1;
	sqlite3_bind_text(sel, 1, p->name, -1, SQLITE_STATIC);
	if (sqlite3_step(sel) == SQLITE_ROW)
		p->db_id = sqlite3_column_int64(sel, 0);
	sqlite3_reset(sel);
	if (p->db_id != 0)
		return 0;
	*cause = sim_state_cause(fleet, "state");
	return -1;
}

/*
 * Match the rows to the fleet's printers. Attached beside a running
 * simulator, take the addresses it runs on (its options may differ from
 * ours) so that both answer alike.
 */
static int
sim_state_ids(struct sim_fleet *fleet, bool boot, char **cause)
{
	struct sim_printer *p;
	sqlite3_stmt *stmt;
	const char *host;
	size_t i;
	int rc;

	if ((stmt = sim_state_stmt(fleet, "SELECT id, name, host FROM "
	    "printer", cause)) == NULL)
		return -1;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		p = sim_fleet_find(fleet,
		    (const char *)sqlite3_column_text(stmt, 1));
		if (p == NULL)
			continue;
		p->db_id = sqlite3_column_int64(stmt, 0);
		host = (const char *)sqlite3_column_text(stmt, 2);
		if (!boot && host != NULL && strcmp(host, p->host) != 0) {
			free(p->host);
			p->host = xstrdup(host);
		}
	}
	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE) {
		*cause = sim_state_cause(fleet, "state");
		return -1;
	}
	for (i = 0; i < fleet->nprinters; i++) {
		if (fleet->printers[i].db_id == 0 &&
		    sim_state_row(fleet, &fleet->printers[i], cause) != 0)
			return -1;
	}
	return 0;
}

/* Record where each printer runs, for `quire-sim shell` beside it. */
static int
sim_state_hosts(struct sim_fleet *fleet, char **cause)
{
	struct sim_printer *p;
	sqlite3_stmt *stmt;
	size_t i;

	if ((stmt = sim_state_stmt(fleet, "UPDATE printer SET host = ?1 "
	    "WHERE id = ?2 AND host IS NOT ?1", cause)) == NULL)
		return -1;
	for (i = 0; i < fleet->nprinters; i++) {
		p = &fleet->printers[i];
		sqlite3_bind_text(stmt, 1, p->host, -1, SQLITE_STATIC);
		sqlite3_bind_int64(stmt, 2, p->db_id);
		if (sqlite3_step(stmt) != SQLITE_DONE) {
			sqlite3_reset(stmt);
			*cause = sim_state_cause(fleet, "state");
			return -1;
		}
		sqlite3_reset(stmt);
	}
	return 0;
}

/* A start counts one engine boot for every printer, all up from now. */
static int
sim_state_boot(struct sim_fleet *fleet, char **cause)
{
	sqlite3_stmt *stmt;

	if (sim_state_hosts(fleet, cause) != 0)
		return -1;

	if (sim_state_exec(fleet, "UPDATE gen SET n = n + 1", cause) != 0 ||
	    (stmt = sim_state_stmt(fleet, "UPDATE printer SET boots = "
	    "boots + 1, booted_ms = ?, down_until_ms = 0, gen = (SELECT n "
	    "FROM gen)", cause)) == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, sim_state_now_ms());
	if (sqlite3_step(stmt) != SQLITE_DONE) {
		sqlite3_reset(stmt);
		*cause = sim_state_cause(fleet, "state");
		return -1;
	}
	sqlite3_reset(stmt);
	return 0;
}

static int
sim_state_rows(struct sim_fleet *fleet, bool boot, char **cause)
{
	struct sim_state *st = fleet->state;

	if (sim_state_begin(fleet, cause) != 0)
		return -1;
	if (sim_state_ids(fleet, boot, cause) != 0 ||
	    (boot && sim_state_boot(fleet, cause) != 0)) {
		sim_state_rollback(fleet);
		return -1;
	}
	if (sim_state_commit(fleet, cause) != 0)
		return -1;
	st->data_version = sim_state_int(fleet, "PRAGMA data_version");
	st->synced_gen = sim_state_int(fleet, "SELECT n FROM gen");
	return 0;
}

/* The directory (0700) and an empty database file (0600). */
static int
sim_state_create(const char *dir, const char *path, char **cause)
{
	struct stat sb;
	int fd;

	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		*cause = xasprintf("%s: %s", dir, strerror(errno));
		return -1;
	}
	if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
		*cause = xasprintf("%s: not a directory", dir);
		return -1;
	}
	do
		fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	while (fd == -1 && errno == EINTR);
	if (fd == -1) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		return -1;
	}
	close(fd);
	return 0;
}

static int
sim_state_schema_up(struct sim_fleet *fleet, char **cause)
{
	int64_t v;

	if (sim_state_exec(fleet, "PRAGMA journal_mode = WAL", cause) != 0 ||
	    sim_state_exec(fleet, "PRAGMA synchronous = NORMAL", cause) != 0 ||
	    sim_state_exec(fleet, "PRAGMA foreign_keys = ON", cause) != 0 ||
	    sim_state_begin(fleet, cause) != 0)
		return -1;
	v = sim_state_int(fleet, "PRAGMA user_version");
	if (v == 0 && sim_state_exec(fleet, sim_state_schema, cause) != 0) {
		sim_state_rollback(fleet);
		return -1;
	}
	if (v > SIM_STATE_VERSION) {
		*cause = xasprintf("%s: state version %lld is newer than "
		    "this quire-sim's", fleet->state->dir, (long long)v);
		sim_state_rollback(fleet);
		return -1;
	}
	return sim_state_commit(fleet, cause);
}

int
sim_state_open(struct sim_fleet *fleet, const char *dir, bool boot,
    char **cause)
{
	struct sim_state *st;
	char *path = xasprintf("%s/state.db", dir);
	int rc = -1;

	if (fleet->state != NULL) {
		*cause = xstrdup("the state is already open");
		free(path);
		return -1;
	}
	if (sim_state_create(dir, path, cause) != 0) {
		free(path);
		return -1;
	}
	st = xcalloc(1, sizeof *st);
	st->dir = xstrdup(dir);
	st->data_version = -1;
	pthread_mutex_init(&st->lock, NULL);
	fleet->state = st;
	if (sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
		*cause = xasprintf("%s: %s", path, st->db != NULL ?
		    sqlite3_errmsg(st->db) : "cannot open");
	else {
		sqlite3_busy_timeout(st->db, SIM_STATE_BUSY_MS);
		if (sim_state_schema_up(fleet, cause) == 0)
			rc = sim_state_rows(fleet, boot, cause);
	}
	if (rc != 0)
		sim_state_close(&fleet->state);
	free(path);
	return rc;
}

void
sim_state_close(struct sim_state **stp)
{
	struct sim_state *st = *stp;
	size_t i;

	if (st == NULL)
		return;
	for (i = 0; i < st->nstmts; i++)
		sqlite3_finalize(st->stmts[i].stmt);
	if (st->db != NULL && sqlite3_close(st->db) != SQLITE_OK)
		log_warn("state: %s", sqlite3_errmsg(st->db));
	pthread_mutex_destroy(&st->lock);
	free(st->dir);
	free(st);
	*stp = NULL;
}

int
sim_fleet_open_state(struct sim_fleet *fleet, const char *dir, char **cause)
{
	return sim_state_open(fleet, dir, true, cause);
}

int
sim_fleet_attach_state(struct sim_fleet *fleet, const char *dir,
    char **cause)
{
	return sim_state_open(fleet, dir, false, cause);
}
