/*
 * Inside the simulator's core: the fleet and printer structures and the
 * state store, shared by sim-fleet*.c, sim-state*.c and sim-cert.c only.
 * Other parts of quire-sim use sim.h.
 *
 * Locks: a printer's lock guards its mutable fields (marked below); the
 * state lock guards the SQLite connection. Take a printer's lock before the
 * state lock, never the other way round.
 */
#ifndef QUIRE_SIM_INT_H
#define QUIRE_SIM_INT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sqlite3.h>

#include "sim.h"

#define SIM_ENGINE_ID_MAX 32

struct sim_printer {
	struct sim_fleet	*fleet;
	size_t			 index;
	char			*name;
	char			*site;
	char			*serial;
	const struct sim_model	*model;
	struct sim_faults	 faults;	/* the model's, overridden */
	bool			 own_locked;	/* faults.locked is ours */
	char			*host;
	_Atomic unsigned	 port[3];	/* by enum sim_service */
	char			*community_ro;
	char			*community_rw;
	bool			 v1;
	struct sim_usm		 usm;
	struct sim_login	*logins;
	size_t			 nlogins;
	char			*policy_password; /* the fleet file's, initial */
	unsigned char		 engine_id[SIM_ENGINE_ID_MAX];
	size_t			 engine_id_len;

	pthread_mutex_t		 lock;
	atomic_bool		 stale;		/* another process wrote it */
	/* Guarded by lock: */
	bool			 loaded;	/* the fields below are valid */
	int64_t			 db_id;
	char			**values;	/* by setting index; NULL: seed */
	uint32_t		 config_changes;
	uint32_t		 boots;
	uint32_t		 sets;
	uint32_t		 policy_applied;
	char			*policy_current; /* NULL: policy_password */
	int64_t			 booted_ms;	/* wall clock, ms */
	int64_t			 down_until_ms;
	bool			 cert_made;
};

struct sim_state;

struct sim_fleet {
	char			*path;
	const struct catalog	*catalog;
	const struct catalog_setting **settings; /* sorted by address */
	size_t			 nsettings;
	struct sim_model	*models;
	size_t			 nmodels;
	struct sim_printer	*printers;
	size_t			 nprinters;
	struct sim_printer	**table;	/* hash of names */
	size_t			 tablesize;
	enum sim_addressing	 addressing;
	struct sim_state	*state;
};

/* The fleet file's own addressing, before the options override it. */
struct sim_fleet_addressing {
	bool		 mode_set;
	enum sim_addressing mode;
	char		*base;
	unsigned	 port[3];	/* loopback: the ports */
	unsigned	 base_port[3];	/* ports: the first port of each */
};

/* sim-fleet-yaml.c: read PATH into FLEET's models and printers. */
int sim_fleet_parse(struct sim_fleet *, const char *path,
    struct sim_fleet_addressing *, char **cause);
/* sim-fleet.c */
void sim_faults_free(struct sim_faults *);
void sim_printer_free_fields(struct sim_printer *);
int sim_fleet_layout(struct sim_fleet *, const struct sim_fleet_addressing *,
    const struct sim_options *, char **cause);
/* The name table: sized for N printers, then filled one by one. */
void sim_fleet_index_init(struct sim_fleet *, size_t n);
void sim_fleet_index_add(struct sim_fleet *, struct sim_printer *);
/* The index of SETTING in the fleet's table, or -1 if not in the catalog. */
long sim_fleet_setting_index(const struct sim_fleet *,
    const struct catalog_setting *);
/* A deterministic serial and engine ID from the name. */
char *sim_fleet_make_serial(const char *name);
void sim_fleet_make_engine_id(struct sim_printer *);
uint64_t sim_fleet_hash(const char *s);

/* sim-state.c: the store. */
int sim_state_open(struct sim_fleet *, const char *dir, bool boot,
    char **cause);
void sim_state_close(struct sim_state **);
/* The connection, with the state lock held until sim_state_unlock. */
sqlite3 *sim_state_lock(struct sim_fleet *);
void sim_state_unlock(struct sim_fleet *);
/* Prepared statement for SQL (cached); call with the state lock held. */
sqlite3_stmt *sim_state_stmt(struct sim_fleet *, const char *sql,
    char **cause);
/* Begin, commit and roll back a write; the state lock held. */
int sim_state_begin(struct sim_fleet *, char **cause);
int sim_state_commit(struct sim_fleet *, char **cause);
void sim_state_rollback(struct sim_fleet *);
/* Mark P changed for the other processes, inside a write. */
int sim_state_touch(struct sim_fleet *, struct sim_printer *, char **cause);
/* "WHAT: sqlite's message", owned. */
char *sim_state_cause(struct sim_fleet *, const char *what);
/* Bring P's cached fields up to date; P's lock held. 0 or -1. */
int sim_state_sync(struct sim_printer *, char **cause);
/* (Re)load P's row and values; P's lock and the state lock held. */
int sim_state_load_printer(struct sim_printer *, char **cause);
/* Milliseconds since the epoch. */
int64_t sim_state_now_ms(void);
/* The directory; the database, for tests. */
const char *sim_state_dir(const struct sim_state *);

/* sim-state-printer.c: whether P is rebooting; P's lock held. */
bool sim_state_is_down(const struct sim_printer *);

/* sim-cert.c, P's lock held: whether NAME is a certificate with its key
 * (making the default one first if due); and, inside a write with the
 * state lock held, make NAME the one in use. */
bool sim_cert_usable(struct sim_printer *, const char *name);
int sim_cert_mark_in_use(struct sim_printer *, const char *name,
    char **cause);

/* sim-state-seed.c: the value a printer starts with (owned). */
char *sim_state_seed(const struct sim_printer *,
    const struct catalog_setting *);

#endif
