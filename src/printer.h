/*
 * Printers and groups in the store, and what the identity check learnt of
 * them. Strings that came from a printer are already sanitised (text.h).
 */
#ifndef QUIRE_PRINTER_H
#define QUIRE_PRINTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store.h"

#define PRINTER_SNMP_PORT 161

enum printer_state {
	PRINTER_UNKNOWN,	/* never checked */
	PRINTER_REACHABLE,	/* answered the last check */
	PRINTER_UNREACHABLE,	/* did not answer, see reason */
};

struct printer {
	int64_t		 id;
	char		*name;
	char		*address;	/* host or IP literal, no brackets */
	unsigned	 port;		/* SNMP port */
	char		*group;		/* NULL when in no group */
	enum printer_state state;
	char		*reason;	/* why unreachable, or NULL */
	int64_t		 created_at;
	int64_t		 checked_at;	/* 0 when never checked */
	char		*sys_descr;
	char		*sys_object_id;
	char		*sys_name;
	char		*model;
	char		*serial;
	unsigned	 ssh_port;	/* 0: the default, 22 */
	unsigned	 https_port;	/* 0: the default, 443 */
	char		*firmware;
	char		*verdict;	/* "managed"...; NULL: never checked */
	char		*verdict_reason;
	char		*snmp_version;	/* "v1", "v2c", "v3" or NULL */
	char		*login_kind;	/* "user", "domain"... or NULL */
	int		 https_present;	/* -1 unknown, 0 no, 1 yes */
	char		*categories;	/* comma list, or NULL */
};

struct printer_set {
	struct printer	*v;
	size_t		 n;
};

/* What a check learnt; any field may be NULL. */
struct printer_identity {
	const char	*sys_descr;
	const char	*sys_object_id;
	const char	*sys_name;
	const char	*model;
	const char	*serial;
};

/* "host", "host:port", "[v6]:port" or a bare v6 literal; port defaults 161. */
int printer_parse_address(const char *s, char **host, unsigned *port,
    char **cause);
/* A name is 1-64 characters of [A-Za-z0-9._-], not starting with '-'. */
int printer_check_name(const char *name, char **cause);

/* Add a printer (creating GROUP if needed); fails if the name exists. */
int printer_add(struct store *, const char *name, const char *address,
    unsigned port, const char *group, int64_t *id, char **cause);
enum printer_upsert { PRINTER_UNCHANGED, PRINTER_ADDED, PRINTER_UPDATED };

/* Add NAME, or update its address, port and group if it exists; *ID. */
int printer_upsert(struct store *, const char *name, const char *address,
    unsigned port, const char *group, enum printer_upsert *outcome,
    int64_t *id, char **cause);

/* Remove printers by id; their job rows keep the name. */
int printer_remove(struct store *, const int64_t *ids, size_t n, char **cause);

/* All printers ordered by name; caller frees with printer_set_free. */
int printer_load_all(struct store *, struct printer_set **out, char **cause);
/* The printers with these ids, ordered by name. */
int printer_load_ids(struct store *, const int64_t *ids, size_t n,
    struct printer_set **out, char **cause);
void printer_set_free(struct printer_set **);

int printer_record_identity(struct store *, int64_t id,
    const struct printer_identity *, char **cause);
int printer_record_unreachable(struct store *, int64_t id, const char *reason,
    char **cause);

/* Everything a capability check found; NULL/0 for what it did not. */
struct printer_check {
	bool		 reachable;	/* SNMP or the shell answered */
	const char	*reason;	/* the verdict's reason (state reason too) */
	const char	*verdict;	/* "managed", "partly managed"... */
	const struct printer_identity *who;	/* NULL: keep the old one */
	const char	*firmware;
	const char	*snmp_version;	/* "v1", "v2c", "v3" */
	int64_t		 snmp_credential_id;	/* 0: none */
	const char	*login_kind;
	int64_t		 login_credential_id;	/* 0: none */
	bool		 https_present;
	const char	*categories;	/* comma list */
};

/*
 * Record a capability check of printer ID: state, identity, verdict and
 * every finding at once (the columns of what was not found are cleared).
 */
int printer_record_check(struct store *, int64_t id,
    const struct printer_check *, char **cause);

/* Set printer ID's SSH and HTTPS ports (0 each: back to the default). */
int printer_set_ports(struct store *, int64_t id, unsigned ssh_port,
    unsigned https_port, char **cause);

const char *printer_state_name(enum printer_state);

#endif
