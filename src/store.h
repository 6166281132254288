/*
 * The store: one SQLite file (WAL, foreign keys, busy timeout) holding
 * printers, groups, credentials, jobs and the audit trail. Each thread opens
 * its own store; connections are never shared between threads.
 */
#ifndef QUIRE_STORE_H
#define QUIRE_STORE_H

#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>
#include <sqlite3.h>

/* The schema version this build writes (PRAGMA user_version). */
#define STORE_VERSION 9

struct store;

/*
 * Open (creating with mode 0600, parents 0700) the database at PATH and
 * migrate it to STORE_VERSION. Refuses a database from a newer quire.
 * Returns 0, or -1 with *cause set (caller frees).
 */
int store_open(const char *path, struct store **out, char **cause);
void store_free(struct store **);

/* Borrowed handle for src/ modules; never hand it to ui/. */
sqlite3 *store_db(struct store *);
const char *store_path(const struct store *);
/* The user_version found on disk before migration (0 for a new file). */
int store_opened_version(const struct store *);

/* Milliseconds since the epoch, the unit of every time column. */
int64_t store_now_ms(void);

/*
 * Transactions: BEGIN IMMEDIATE so writers queue on the busy timeout. They
 * nest: a begin inside an open transaction is a savepoint, its commit joins
 * the outer transaction and its rollback undoes only its own work, so a
 * caller can gather many small writes into one commit.
 */
int store_begin(struct store *, char **cause);
/* Whether a transaction is open on this connection. */
bool store_in_transaction(struct store *);
int store_commit(struct store *, char **cause);
void store_rollback(struct store *);

/*
 * The config table: text under dotted keys. *VALUE is NULL when KEY is
 * unset (caller frees); a NULL VALUE removes KEY.
 */
int store_config_get(struct store *, const char *key, char **value,
    char **cause);
int store_config_set(struct store *, const char *key, const char *value,
    char **cause);
/* Integers: *V is DEF when KEY is unset or holds none within MIN..MAX. */
int store_config_get_int(struct store *, const char *key, int64_t def,
    int64_t min, int64_t max, int64_t *v, char **cause);
int store_config_set_int(struct store *, const char *key, int64_t v,
    char **cause);

/* Run SQL with no results; -1 with *cause on error. */
int store_exec(struct store *, const char *sql, char **cause);

/*
 * Prepare SQL or return -1 with *cause naming the statement's error.
 * Statements are cached per store and reset for reuse; do not finalize.
 */
int store_prepare(struct store *, const char *sql, sqlite3_stmt **stmt,
    char **cause);
/* A cause string from the connection's last error, prefixed by WHAT. */
char *store_cause(struct store *, const char *what);

/* Changes when another connection commits (PRAGMA data_version). */
int64_t store_data_version(struct store *);

/* Append to the audit trail: who, what, detail and the printers touched. */
int store_audit(struct store *, const char *who, const char *action,
    const char *detail, const char *const *printers, size_t nprinters,
    char **cause);

/* The operator's name for audit rows: $QUIRE_USER, $USER or the uid. */
const char *store_whoami(void);

#endif
