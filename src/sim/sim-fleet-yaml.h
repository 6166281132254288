/*
 * The fleet file's reader, inside sim-fleet*.c: a loaded libyaml document
 * and typed accessors that name FILE:LINE:COLUMN of the node they refuse.
 */
#ifndef QUIRE_SIM_FLEET_YAML_H
#define QUIRE_SIM_FLEET_YAML_H

#include <stdbool.h>
#include <stddef.h>
#include <yaml.h>

struct sim_fleet;
struct sim_fleet_addressing;
struct sim_faults;

struct sim_yaml {
	const char		*path;
	struct sim_fleet	*fleet;
	yaml_document_t		 doc;
	bool			 loaded;
};

/* "PATH:LINE:COLUMN: reason" at node N (1-based); owned. */
char *sim_yaml_error(struct sim_yaml *, const yaml_node_t *n,
    const char *fmt, ...) __attribute__((format(printf, 3, 4)));
yaml_node_t *sim_yaml_node(struct sim_yaml *, int id);
/* The text of a scalar node, else NULL. */
const char *sim_yaml_scalar(const yaml_node_t *);
/* Sort MAP's values into OUT by NAMES; refuse unknown or repeated keys. */
int sim_yaml_fields(struct sim_yaml *, yaml_node_t *map, const char *what,
    const char *const *names, size_t nnames, yaml_node_t **out,
    char **cause);
/* Refuse a missing field V of MAP. */
int sim_yaml_require(struct sim_yaml *, yaml_node_t *map, yaml_node_t *v,
    const char *what, const char *field, char **cause);
/* Typed scalars; *OUT is replaced (strings: freed first). */
int sim_yaml_string(struct sim_yaml *, yaml_node_t *, const char *field,
    char **out, char **cause);
int sim_yaml_word(struct sim_yaml *, yaml_node_t *, const char *field,
    char **out, char **cause);
int sim_yaml_bool(struct sim_yaml *, yaml_node_t *, const char *field,
    bool *out, char **cause);
int sim_yaml_uint(struct sim_yaml *, yaml_node_t *, const char *field,
    unsigned long lo, unsigned long hi, unsigned *out, char **cause);

/* The sections (sim-fleet-models.c, sim-fleet-printers.c). */
int sim_yaml_addressing(struct sim_yaml *, yaml_node_t *,
    struct sim_fleet_addressing *, char **cause);
int sim_yaml_models(struct sim_yaml *, yaml_node_t *, char **cause);
/* Overwrite the fields of *F given in node N; OWN_LOCKED says whether
 * F->locked was replaced by one of our own. */
int sim_yaml_faults(struct sim_yaml *, yaml_node_t *, struct sim_faults *f,
    bool *own_locked, char **cause);
int sim_yaml_printers(struct sim_yaml *, yaml_node_t *, char **cause);

#endif
