/*
 * Printers and groups in the store, and what the identity check learnt of
 * them. Strings that came from a printer are already sanitised (text.h).
 */
#ifndef QUIRE_PRINTER_H
#define QUIRE_PRINTER_H

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

/* Add NAME, or update its address, port and group if it exists. */
int printer_upsert(struct store *, const char *name, const char *address,
    unsigned port, const char *group, enum printer_upsert *outcome,
    char **cause);

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

const char *printer_state_name(enum printer_state);

#endif
