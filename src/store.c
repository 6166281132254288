#include "config.h"

#include "store.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "xmalloc.h"

#define STORE_BUSY_MS	10000
#define STORE_NCACHE	32

struct store_cached {
	const char	*sql;		/* the caller's literal, compared by address */
	sqlite3_stmt	*stmt;
};

struct store {
	sqlite3		*db;
	char		*path;
	int		 opened_version;
	struct store_cached cache[STORE_NCACHE];
	size_t		 ncache;
	int		 depth;		/* open store_begin()s */
	bool		 locked;	/* holds store_write_lock */
};

/*
 * The writers of one process queue on this lock rather than on SQLite's
 * busy handler, which sleeps 1, 2, 5, 10 ms... between tries: with the
 * engine's workers each on its own connection, that sleeping was most of
 * the time a check spent recording. Other processes still meet the busy
 * timeout. Recursive, so a thread opening a second connection's
 * transaction meets SQLite's timeout as before instead of hanging here.
 */
static pthread_once_t store_write_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t store_write_lock;

static void
store_write_init(void)
{
	pthread_mutexattr_t attr;

	pthread_mutexattr_init(&attr);
	pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
	pthread_mutex_init(&store_write_lock, &attr);
	pthread_mutexattr_destroy(&attr);
}

/* The transaction is over (committed, rolled back or lost): let go. */
static void
store_end(struct store *st)
{
	st->depth = 0;
	if (st->locked) {
		st->locked = false;
		pthread_mutex_unlock(&store_write_lock);
	}
}

/*
 * Migrations: entry N-1 takes a database from version N-1 to N. Never edit a
 * released entry; add a new one and raise STORE_VERSION.
 */
static const char *const store_migrations[] = {
	/* 1: printers, groups and the audit trail. */
	"CREATE TABLE groups ("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL UNIQUE,"
	"  created_at INTEGER NOT NULL);"
	"CREATE TABLE printers ("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL UNIQUE,"
	"  address TEXT NOT NULL,"
	"  port INTEGER NOT NULL DEFAULT 161,"
	"  group_id INTEGER REFERENCES groups(id) ON DELETE SET NULL,"
	"  created_at INTEGER NOT NULL,"
	"  state TEXT NOT NULL DEFAULT 'unknown',"
	"  reason TEXT,"
	"  checked_at INTEGER,"
	"  sys_descr TEXT, sys_object_id TEXT, sys_name TEXT);"
	"CREATE INDEX printers_group ON printers(group_id);"
	"CREATE TABLE audit ("
	"  id INTEGER PRIMARY KEY,"
	"  at INTEGER NOT NULL,"
	"  who TEXT NOT NULL,"
	"  action TEXT NOT NULL,"
	"  detail TEXT,"
	"  printers TEXT);",

	/* 2: the job queue, a row per job and per target; model and serial. */
	"ALTER TABLE printers ADD COLUMN model TEXT;"
	"ALTER TABLE printers ADD COLUMN serial TEXT;"
	"CREATE TABLE jobs ("
	"  id INTEGER PRIMARY KEY,"
	"  kind TEXT NOT NULL,"
	"  params TEXT,"
	"  state TEXT NOT NULL DEFAULT 'queued',"
	"  created_by TEXT NOT NULL,"
	"  created_at INTEGER NOT NULL,"
	"  finished_at INTEGER);"
	"CREATE INDEX jobs_state ON jobs(state);"
	"CREATE TABLE job_targets ("
	"  id INTEGER PRIMARY KEY,"
	"  job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,"
	"  printer_id INTEGER REFERENCES printers(id) ON DELETE SET NULL,"
	"  printer_name TEXT NOT NULL,"
	"  state TEXT NOT NULL DEFAULT 'pending',"
	"  owner TEXT,"
	"  lease_until INTEGER,"
	"  attempts INTEGER NOT NULL DEFAULT 0,"
	"  result TEXT,"
	"  reason TEXT,"
	"  started_at INTEGER,"
	"  finished_at INTEGER,"
	"  UNIQUE (job_id, printer_name));"
	"CREATE INDEX job_targets_claim ON job_targets(state, lease_until);",

	/* 3: credentials (ciphertext only) and each printer's ordered list. */
	"CREATE TABLE credentials ("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL UNIQUE,"
	"  kind TEXT NOT NULL,"
	"  attrs TEXT,"
	"  nonce BLOB,"
	"  ciphertext BLOB NOT NULL,"
	"  created_at INTEGER NOT NULL);"
	"CREATE TABLE printer_credentials ("
	"  printer_id INTEGER NOT NULL REFERENCES printers(id) ON DELETE CASCADE,"
	"  credential_id INTEGER NOT NULL"
	"    REFERENCES credentials(id) ON DELETE CASCADE,"
	"  position INTEGER NOT NULL,"
	"  PRIMARY KEY (printer_id, position));",

	/* 4: the capability check's findings, group credentials, SSH host
	 * keys (trust on first use) and operator settings. */
	"ALTER TABLE printers ADD COLUMN ssh_port INTEGER;"
	"ALTER TABLE printers ADD COLUMN https_port INTEGER;"
	"ALTER TABLE printers ADD COLUMN firmware TEXT;"
	"ALTER TABLE printers ADD COLUMN verdict TEXT;"
	"ALTER TABLE printers ADD COLUMN verdict_reason TEXT;"
	"ALTER TABLE printers ADD COLUMN snmp_version TEXT;"
	"ALTER TABLE printers ADD COLUMN snmp_credential_id INTEGER"
	"  REFERENCES credentials(id) ON DELETE SET NULL;"
	"ALTER TABLE printers ADD COLUMN login_kind TEXT;"
	"ALTER TABLE printers ADD COLUMN login_credential_id INTEGER"
	"  REFERENCES credentials(id) ON DELETE SET NULL;"
	"ALTER TABLE printers ADD COLUMN https_present INTEGER;"
	"ALTER TABLE printers ADD COLUMN categories TEXT;"
	"CREATE TABLE group_credentials ("
	"  group_id INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,"
	"  credential_id INTEGER NOT NULL"
	"    REFERENCES credentials(id) ON DELETE CASCADE,"
	"  position INTEGER NOT NULL,"
	"  PRIMARY KEY (group_id, position));"
	"CREATE TABLE known_hosts ("
	"  id INTEGER PRIMARY KEY,"
	"  host TEXT NOT NULL,"
	"  port INTEGER NOT NULL,"
	"  key_type TEXT NOT NULL,"
	"  fingerprint TEXT NOT NULL,"
	"  key BLOB NOT NULL,"
	"  first_seen INTEGER NOT NULL,"
	"  UNIQUE (host, port));"
	"CREATE TABLE config ("
	"  key TEXT PRIMARY KEY,"
	"  value TEXT NOT NULL);",

	/* 5: a job's targets by state: settling a job and sharing out its
	 * work no longer walk every target of the job (quadratic at 10,000). */
	"CREATE INDEX job_targets_job_state ON job_targets(job_id, state);",

	/* 6: backups: each distinct content once (backup_blobs), one row per
	 * distinct state of a printer's category pointing at it (a backup
	 * that finds the newest state again updates last_seen_at, last_job
	 * and seen in place), the snapshots a job asked to be linked to it
	 * (backup_runs), and the secrets of contents sealed through the vault
	 * (backup_secrets). */
	"CREATE TABLE backup_blobs ("
	"  id INTEGER PRIMARY KEY,"
	"  hash BLOB NOT NULL UNIQUE,"
	"  body BLOB NOT NULL);"
	"CREATE TABLE backups ("
	"  id INTEGER PRIMARY KEY,"
	"  printer_id INTEGER REFERENCES printers(id) ON DELETE SET NULL,"
	"  printer_name TEXT NOT NULL,"
	"  category TEXT NOT NULL,"
	"  job_id INTEGER REFERENCES jobs(id) ON DELETE SET NULL,"
	"  taken_at INTEGER NOT NULL,"
	"  last_seen_at INTEGER NOT NULL,"
	"  last_job INTEGER REFERENCES jobs(id) ON DELETE SET NULL,"
	"  seen INTEGER NOT NULL DEFAULT 1,"
	"  blob INTEGER NOT NULL REFERENCES backup_blobs(id),"
	"  nsettings INTEGER NOT NULL,"
	"  changed INTEGER NOT NULL,"
	"  partial TEXT);"
	"CREATE INDEX backups_history ON backups(printer_name, category,"
	"  taken_at);"
	"CREATE INDEX backups_job ON backups(job_id);"
	"CREATE INDEX backups_last_job ON backups(last_job);"
	"CREATE INDEX backups_blob ON backups(blob);"
	"CREATE INDEX backups_printer ON backups(printer_id);"
	"CREATE TABLE backup_runs ("
	"  job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,"
	"  backup_id INTEGER NOT NULL REFERENCES backups(id) ON DELETE CASCADE,"
	"  PRIMARY KEY (job_id, backup_id)) WITHOUT ROWID;"
	"CREATE INDEX backup_runs_backup ON backup_runs(backup_id);"
	"CREATE TABLE backup_secrets ("
	"  id INTEGER PRIMARY KEY,"
	"  key TEXT NOT NULL,"
	"  nonce BLOB NOT NULL,"
	"  ciphertext BLOB NOT NULL);",

	/* 7: setting data registered in quire (imported, prepared, from a
	 * backup); a secret is sealed through the vault, never in clear. */
	"CREATE TABLE setting_data ("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL UNIQUE,"
	"  model TEXT NOT NULL DEFAULT 'any',"
	"  source TEXT,"
	"  created_by TEXT NOT NULL,"
	"  created_at INTEGER NOT NULL);"
	"CREATE TABLE setting_data_entries ("
	"  data_id INTEGER NOT NULL"
	"    REFERENCES setting_data(id) ON DELETE CASCADE,"
	"  position INTEGER NOT NULL,"
	"  key TEXT NOT NULL,"
	"  value TEXT,"
	"  nonce BLOB,"
	"  ciphertext BLOB,"
	"  CHECK ((value IS NULL) = (ciphertext IS NOT NULL)),"
	"  PRIMARY KEY (data_id, key));",

	/* 8: the open jobs, so that looking for work never walks the
	 * finished ones. */
	"CREATE INDEX jobs_open ON jobs(id) WHERE finished_at IS NULL;",

	/* 9: what a distribution did, per job, printer and setting; a
	 * secret's values are never stored (NULL). */
	"CREATE TABLE distribute_results ("
	"  id INTEGER PRIMARY KEY,"
	"  job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,"
	"  printer_id INTEGER REFERENCES printers(id) ON DELETE SET NULL,"
	"  printer_name TEXT NOT NULL,"
	"  key TEXT NOT NULL,"
	"  outcome TEXT NOT NULL,"
	"  old_value TEXT,"
	"  new_value TEXT,"
	"  reason TEXT,"
	"  restart INTEGER NOT NULL DEFAULT 0,"
	"  secret INTEGER NOT NULL DEFAULT 0,"
	"  at INTEGER NOT NULL,"
	"  UNIQUE (job_id, printer_name, key));",
};

_Static_assert(sizeof store_migrations / sizeof store_migrations[0] ==
    STORE_VERSION, "one migration per schema version");

char *
store_cause(struct store *st, const char *what)
{
	return xasprintf("%s: %s", what, sqlite3_errmsg(st->db));
}

int64_t
store_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Create each missing parent of PATH with mode 0700. */
static int
store_make_parents(const char *path, char **cause)
{
	char *copy = xstrdup(path), *p;

	for (p = copy + 1; (p = strchr(p, '/')) != NULL; p++) {
		*p = '\0';
		if (mkdir(copy, 0700) == -1 && errno != EEXIST) {
			*cause = xasprintf("%s: %s", copy, strerror(errno));
			free(copy);
			return -1;
		}
		*p = '/';
	}
	free(copy);
	return 0;
}

/*
 * Create the file 0600 ourselves so SQLite never makes it world-readable.
 * Only a file this call creates is ever closed here: closing any descriptor
 * of a database drops every POSIX lock the process holds on it, and other
 * threads' connections (the engine's workers) rely on those locks to keep
 * the WAL index shared with other processes.
 */
static int
store_create_file(const char *path, char **cause)
{
	int fd;

	if (store_make_parents(path, cause) != 0)
		return -1;
	do
		fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	while (fd == -1 && errno == EINTR);
	if (fd == -1 && errno == EEXIST)
		return 0;
	if (fd == -1) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		return -1;
	}
	close(fd);
	return 0;
}

int
store_exec(struct store *st, const char *sql, char **cause)
{
	char *err = NULL;

	if (sqlite3_exec(st->db, sql, NULL, NULL, &err) != SQLITE_OK) {
		*cause = xasprintf("%s: %s", st->path, err ? err :
		    sqlite3_errmsg(st->db));
		sqlite3_free(err);
		return -1;
	}
	return 0;
}

static int
store_user_version(struct store *st, int *version, char **cause)
{
	sqlite3_stmt *stmt;
	int rc;

	if (sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &stmt,
	    NULL) != SQLITE_OK) {
		*cause = store_cause(st, st->path);
		return -1;
	}
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		*version = sqlite3_column_int(stmt, 0);
	sqlite3_finalize(stmt);
	if (rc != SQLITE_ROW) {
		*cause = store_cause(st, st->path);
		return -1;
	}
	return 0;
}

/* Bring the schema to STORE_VERSION, one transaction per step. */
static int
store_migrate(struct store *st, char **cause)
{
	char *sql;
	int v;

	/* The common case, an up-to-date file, takes no write lock. */
	if (store_user_version(st, &v, cause) != 0)
		return -1;
	st->opened_version = v;
	if (v == STORE_VERSION)
		return 0;
	if (store_begin(st, cause) != 0)
		return -1;
	if (store_user_version(st, &v, cause) != 0)
		goto fail;
	st->opened_version = v;
	if (v > STORE_VERSION) {
		*cause = xasprintf("%s: database version %d is newer than this "
		    "quire understands (%d)", st->path, v, STORE_VERSION);
		goto fail;
	}
	for (; v < STORE_VERSION; v++) {
		log_info("%s: migrating schema %d -> %d", st->path, v, v + 1);
		if (store_exec(st, store_migrations[v], cause) != 0)
			goto fail;
		sql = xasprintf("PRAGMA user_version = %d", v + 1);
		if (store_exec(st, sql, cause) != 0) {
			free(sql);
			goto fail;
		}
		free(sql);
	}
	return store_commit(st, cause);
fail:
	store_rollback(st);
	return -1;
}

int
store_open(const char *path, struct store **out, char **cause)
{
	struct store *st;
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;

	*out = NULL;
	if (store_create_file(path, cause) != 0)
		return -1;
	st = xcalloc(1, sizeof *st);
	st->path = xstrdup(path);
	if (sqlite3_open_v2(path, &st->db, flags, NULL) != SQLITE_OK) {
		*cause = st->db ? store_cause(st, path) :
		    xasprintf("%s: cannot open", path);
		store_free(&st);
		return -1;
	}
	sqlite3_busy_timeout(st->db, STORE_BUSY_MS);
	sqlite3_extended_result_codes(st->db, 1);
	if (store_exec(st, "PRAGMA journal_mode = WAL;"
	    "PRAGMA foreign_keys = ON;"
	    "PRAGMA synchronous = NORMAL;", cause) != 0 ||
	    store_migrate(st, cause) != 0) {
		store_free(&st);
		return -1;
	}
	/* WAL and shm files follow the database's mode; keep them private. */
	chmod(path, 0600);
	*out = st;
	return 0;
}

void
store_free(struct store **stp)
{
	struct store *st = *stp;
	size_t i;

	if (st == NULL)
		return;
	for (i = 0; i < st->ncache; i++)
		sqlite3_finalize(st->cache[i].stmt);
	if (st->db != NULL)
		sqlite3_close(st->db);
	store_end(st);
	free(st->path);
	free(st);
	*stp = NULL;
}

sqlite3 *
store_db(struct store *st)
{
	return st->db;
}

const char *
store_path(const struct store *st)
{
	return st->path;
}

int
store_opened_version(const struct store *st)
{
	return st->opened_version;
}

int
store_begin(struct store *st, char **cause)
{
	char sql[32];

	if (st->depth == 0 || sqlite3_get_autocommit(st->db)) {
		store_end(st);
		pthread_once(&store_write_once, store_write_init);
		pthread_mutex_lock(&store_write_lock);
		st->locked = true;
		if (store_exec(st, "BEGIN IMMEDIATE", cause) != 0) {
			store_end(st);
			return -1;
		}
	} else {
		snprintf(sql, sizeof sql, "SAVEPOINT store_%d", st->depth);
		if (store_exec(st, sql, cause) != 0)
			return -1;
	}
	st->depth++;
	return 0;
}

bool
store_in_transaction(struct store *st)
{
	return !sqlite3_get_autocommit(st->db);
}

int
store_commit(struct store *st, char **cause)
{
	char sql[32];

	if (st->depth > 1) {
		/* An inner begin: its work joins the outer transaction. */
		snprintf(sql, sizeof sql, "RELEASE store_%d", st->depth - 1);
		if (store_exec(st, sql, cause) != 0)
			return -1;
		st->depth--;
		return 0;
	}
	if (store_exec(st, "COMMIT", cause) != 0) {
		store_rollback(st);
		return -1;
	}
	store_end(st);
	return 0;
}

void
store_rollback(struct store *st)
{
	char sql[64];

	if (st->depth > 1 && !sqlite3_get_autocommit(st->db)) {
		/* Undo the inner begin's work only; the outer goes on. */
		snprintf(sql, sizeof sql, "ROLLBACK TO store_%d; "
		    "RELEASE store_%d", st->depth - 1, st->depth - 1);
		sqlite3_exec(st->db, sql, NULL, NULL, NULL);
		st->depth--;
		return;
	}
	if (!sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	store_end(st);
}

int
store_prepare(struct store *st, const char *sql, sqlite3_stmt **stmt,
    char **cause)
{
	size_t i;

	for (i = 0; i < st->ncache; i++) {
		if (st->cache[i].sql == sql) {
			sqlite3_reset(st->cache[i].stmt);
			sqlite3_clear_bindings(st->cache[i].stmt);
			*stmt = st->cache[i].stmt;
			return 0;
		}
	}
	if (sqlite3_prepare_v2(st->db, sql, -1, stmt, NULL) != SQLITE_OK) {
		*cause = store_cause(st, "prepare");
		return -1;
	}
	if (st->ncache < STORE_NCACHE) {
		st->cache[st->ncache].sql = sql;
		st->cache[st->ncache++].stmt = *stmt;
	} else {
		/* Evict the oldest; the caller's statement stays valid. */
		sqlite3_finalize(st->cache[0].stmt);
		memmove(&st->cache[0], &st->cache[1],
		    (STORE_NCACHE - 1) * sizeof st->cache[0]);
		st->cache[STORE_NCACHE - 1].sql = sql;
		st->cache[STORE_NCACHE - 1].stmt = *stmt;
	}
	return 0;
}

int64_t
store_data_version(struct store *st)
{
	sqlite3_stmt *stmt;
	char *cause = NULL;
	int64_t v = -1;

	if (store_prepare(st, "PRAGMA data_version", &stmt, &cause) != 0) {
		free(cause);
		return -1;
	}
	if (sqlite3_step(stmt) == SQLITE_ROW)
		v = sqlite3_column_int64(stmt, 0);
	sqlite3_reset(stmt);
	return v;
}

int
store_audit(struct store *st, const char *who, const char *action,
    const char *detail, const char *const *printers, size_t nprinters,
    char **cause)
{
	static const char sql[] = "INSERT INTO audit "
	    "(at, who, action, detail, printers) VALUES (?, ?, ?, ?, ?)";
	sqlite3_stmt *stmt;
	char *list = NULL;
	size_t i, len = 0, off = 0;
	int rc;

	for (i = 0; i < nprinters; i++)
		len += strlen(printers[i]) + 1;
	if (nprinters > 0) {
		list = xmalloc(len);
		for (i = 0; i < nprinters; i++) {
			len = strlen(printers[i]);
			memcpy(list + off, printers[i], len);
			off += len;
			list[off++] = i + 1 < nprinters ? '\n' : '\0';
		}
	}
	if (store_prepare(st, sql, &stmt, cause) != 0) {
		free(list);
		return -1;
	}
	sqlite3_bind_int64(stmt, 1, store_now_ms());
	sqlite3_bind_text(stmt, 2, who, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, action, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 4, detail, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 5, list, -1, SQLITE_STATIC);
	rc = sqlite3_step(stmt);
	sqlite3_reset(stmt);
	free(list);
	if (rc != SQLITE_DONE) {
		*cause = store_cause(st, "audit");
		return -1;
	}
	return 0;
}

const char *
store_whoami(void)
{
	static __thread char buf[64];
	const char *s;
	struct passwd *pw;

	if ((s = getenv("QUIRE_USER")) != NULL && *s != '\0')
		return s;
	if ((pw = getpwuid(getuid())) != NULL) {
		snprintf(buf, sizeof buf, "%s", pw->pw_name);
		return buf;
	}
	if ((s = getenv("USER")) != NULL && *s != '\0')
		return s;
	snprintf(buf, sizeof buf, "uid%u", (unsigned)getuid());
	return buf;
}

int
store_config_get_int(struct store *st, const char *key, int64_t def,
    int64_t min, int64_t max, int64_t *v, char **cause)
{
	static const char sql[] = "SELECT value FROM config WHERE key = ?1";
	sqlite3_stmt *stmt;
	const char *s;
	char *end;
	long long x;
	int rc;

	*v = def;
	if (store_prepare(st, sql, &stmt, cause) != 0)
		return -1;
	sqlite3_bind_text(stmt, 1, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW &&
	    (s = (const char *)sqlite3_column_text(stmt, 0)) != NULL) {
		errno = 0;
		x = strtoll(s, &end, 10);
		if (*s != '\0' && *end == '\0' && errno == 0 && x >= min &&
		    x <= max)
			*v = x;
	}
	sqlite3_reset(stmt);
	if (rc == SQLITE_ROW || rc == SQLITE_DONE)
		return 0;
	*cause = store_cause(st, key);
	return -1;
}

int
store_config_set_int(struct store *st, const char *key, int64_t v,
    char **cause)
{
	char buf[32];

	snprintf(buf, sizeof buf, "%lld", (long long)v);
	return store_config_set(st, key, buf, cause);
}

int
store_config_get(struct store *st, const char *key, char **value,
    char **cause)
{
	static const char sql[] = "SELECT value FROM config WHERE key = ?1";
	sqlite3_stmt *stmt;
	int rc;

	*value = NULL;
	if (store_prepare(st, sql, &stmt, cause) != 0)
		return -1;
	sqlite3_bind_text(stmt, 1, key, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		*value = xstrdup((const char *)sqlite3_column_text(stmt, 0));
	sqlite3_reset(stmt);
	if (rc == SQLITE_ROW || rc == SQLITE_DONE)
		return 0;
	*cause = store_cause(st, key);
	return -1;
}

int
store_config_set(struct store *st, const char *key, const char *value,
    char **cause)
{
	static const char put[] = "INSERT INTO config (key, value) "
	    "VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = ?2";
	static const char del[] = "DELETE FROM config WHERE key = ?1";
	sqlite3_stmt *stmt;
	int rc;

	if (store_prepare(st, value != NULL ? put : del, &stmt, cause) != 0)
		return -1;
	sqlite3_bind_text(stmt, 1, key, -1, SQLITE_STATIC);
	if (value != NULL)
		sqlite3_bind_text(stmt, 2, value, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(stmt);
	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE) {
		*cause = store_cause(st, key);
		return -1;
	}
	return 0;
}