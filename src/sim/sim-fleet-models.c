/* The fleet file's addressing, models and fault knobs. */
#include "config.h"

#include "sim-fleet-yaml.h"

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "sim-int.h"
#include "xmalloc.h"

/* How long a printer is away when it reboots, unless the file says. */
#define SIM_FLEET_REBOOT_MS 3000

enum {
	SIM_ADDR_F_MODE, SIM_ADDR_F_BASE,
	SIM_ADDR_F_SNMP, SIM_ADDR_F_SSH, SIM_ADDR_F_HTTPS,
	SIM_ADDR_F_SNMP_BASE, SIM_ADDR_F_SSH_BASE, SIM_ADDR_F_HTTPS_BASE,
	SIM_ADDR_NFIELDS
};

static int
sim_yaml_mode(struct sim_yaml *y, yaml_node_t *n, enum sim_addressing *out,
    char **cause)
{
	const char *s = sim_yaml_scalar(n);

	if (s != NULL && strcmp(s, "loopback") == 0)
		*out = SIM_ADDR_LOOPBACK;
	else if (s != NULL && strcmp(s, "ports") == 0)
		*out = SIM_ADDR_PORTS;
	else {
		*cause = sim_yaml_error(y, n, "mode: expected loopback or "
		    "ports");
		return -1;
	}
	return 0;
}

int
sim_yaml_addressing(struct sim_yaml *y, yaml_node_t *map,
    struct sim_fleet_addressing *a, char **cause)
{
	static const char *const names[] = {
		"mode", "base", "snmp_port", "ssh_port", "https_port",
		"snmp_base", "ssh_base", "https_base"
	};
	yaml_node_t *v[SIM_ADDR_NFIELDS];
	size_t i;

	if (sim_yaml_fields(y, map, "addressing", names, SIM_ADDR_NFIELDS, v,
	    cause) != 0)
		return -1;
	if (v[SIM_ADDR_F_MODE] != NULL) {
		if (sim_yaml_mode(y, v[SIM_ADDR_F_MODE], &a->mode, cause) != 0)
			return -1;
		a->mode_set = true;
	}
	if (v[SIM_ADDR_F_BASE] != NULL && sim_yaml_word(y, v[SIM_ADDR_F_BASE],
	    "base", &a->base, cause) != 0)
		return -1;
	for (i = 0; i < 3; i++) {
		if (v[SIM_ADDR_F_SNMP + i] != NULL && sim_yaml_uint(y,
		    v[SIM_ADDR_F_SNMP + i], names[SIM_ADDR_F_SNMP + i], 1,
		    65535, &a->port[i], cause) != 0)
			return -1;
		if (v[SIM_ADDR_F_SNMP_BASE + i] != NULL && sim_yaml_uint(y,
		    v[SIM_ADDR_F_SNMP_BASE + i],
		    names[SIM_ADDR_F_SNMP_BASE + i], 1, 65535,
		    &a->base_port[i], cause) != 0)
			return -1;
	}
	return 0;
}

/* A glob that locks nothing is a typing error. */
static int
sim_yaml_glob(struct sim_yaml *y, yaml_node_t *n, char **out, char **cause)
{
	const struct catalog *cat = y->fleet->catalog;
	const struct catalog_category *c;
	size_t i, j;

	if (sim_yaml_word(y, n, "locked", out, cause) != 0)
		return -1;
	for (i = 0; i < catalog_ncategories(cat); i++) {
		c = catalog_category_at(cat, i);
		for (j = 0; j < catalog_category_nsettings(c); j++) {
			if (fnmatch(*out, catalog_setting_key(
			    catalog_category_setting_at(c, j)), 0) == 0)
				return 0;
		}
	}
	*cause = sim_yaml_error(y, n, "locked: %s matches no setting", *out);
	xfree(out);
	return -1;
}

static int
sim_yaml_locked(struct sim_yaml *y, yaml_node_t *n, struct sim_faults *f,
    char **cause)
{
	yaml_node_item_t *it;
	size_t i = 0, count;

	if (n->type != YAML_SEQUENCE_NODE) {
		*cause = sim_yaml_error(y, n, "locked: expected a list of "
		    "setting keys or globs");
		return -1;
	}
	count = (size_t)(n->data.sequence.items.top -
	    n->data.sequence.items.start);
	f->locked = xcalloc(count, sizeof *f->locked);
	f->nlocked = 0;
	for (it = n->data.sequence.items.start;
	    it < n->data.sequence.items.top; it++, i++) {
		if (sim_yaml_glob(y, sim_yaml_node(y, *it), &f->locked[i],
		    cause) != 0)
			return -1;
		f->nlocked++;
	}
	return 0;
}

enum {
	SIM_F_LATENCY, SIM_F_LOSS, SIM_F_TIMEOUT, SIM_F_REFUSE, SIM_F_LOCKED,
	SIM_F_REBOOT_AFTER, SIM_F_REBOOT_MS, SIM_F_HOSTILE, SIM_F_N
};

int
sim_yaml_faults(struct sim_yaml *y, yaml_node_t *map, struct sim_faults *f,
    bool *own_locked, char **cause)
{
	static const char *const names[] = {
		"latency_ms", "loss_pct", "timeout", "refuse_login", "locked",
		"reboot_after_sets", "reboot_ms", "hostile"
	};
	yaml_node_t *v[SIM_F_N];

	if (sim_yaml_fields(y, map, "faults", names, SIM_F_N, v, cause) != 0)
		return -1;
	if ((v[SIM_F_LATENCY] != NULL && sim_yaml_uint(y, v[SIM_F_LATENCY],
	    names[SIM_F_LATENCY], 0, 60000, &f->latency_ms, cause) != 0) ||
	    (v[SIM_F_LOSS] != NULL && sim_yaml_uint(y, v[SIM_F_LOSS],
	    names[SIM_F_LOSS], 0, 100, &f->loss_pct, cause) != 0) ||
	    (v[SIM_F_TIMEOUT] != NULL && sim_yaml_bool(y, v[SIM_F_TIMEOUT],
	    names[SIM_F_TIMEOUT], &f->timeout, cause) != 0) ||
	    (v[SIM_F_REFUSE] != NULL && sim_yaml_bool(y, v[SIM_F_REFUSE],
	    names[SIM_F_REFUSE], &f->refuse_login, cause) != 0) ||
	    (v[SIM_F_REBOOT_AFTER] != NULL && sim_yaml_uint(y,
	    v[SIM_F_REBOOT_AFTER], names[SIM_F_REBOOT_AFTER], 0, 1000000,
	    &f->reboot_after_sets, cause) != 0) ||
	    (v[SIM_F_REBOOT_MS] != NULL && sim_yaml_uint(y, v[SIM_F_REBOOT_MS],
	    names[SIM_F_REBOOT_MS], 0, 600000, &f->reboot_ms, cause) != 0) ||
	    (v[SIM_F_HOSTILE] != NULL && sim_yaml_bool(y, v[SIM_F_HOSTILE],
	    names[SIM_F_HOSTILE], &f->hostile, cause) != 0))
		return -1;
	if (v[SIM_F_LOCKED] == NULL)
		return 0;
	/* The model's list is shared: a printer's own replaces it. */
	if (*own_locked)
		sim_faults_free(f);
	f->locked = NULL;
	f->nlocked = 0;
	*own_locked = true;
	return sim_yaml_locked(y, v[SIM_F_LOCKED], f, cause);
}

/* A dotted numeric OID such as 1.3.6.1.4.1.32473.2.1. */
static int
sim_yaml_oid(struct sim_yaml *y, yaml_node_t *n, char **out, char **cause)
{
	const char *s;
	size_t arcs = 1;
	bool digit = false;

	if (sim_yaml_word(y, n, "sys_object_id", out, cause) != 0)
		return -1;
	for (s = *out; *s != '\0'; s++) {
		if (*s == '.' && digit) {
			arcs++;
			digit = false;
		} else if (*s >= '0' && *s <= '9')
			digit = true;
		else
			break;
	}
	if (*s == '\0' && digit && arcs >= 2 && arcs <= 128)
		return 0;
	*cause = sim_yaml_error(y, n, "sys_object_id: expected a numeric "
	    "OID such as 1.3.6.1.4.1.32473.2.1");
	xfree(out);
	return -1;
}

enum {
	SIM_M_NAME, SIM_M_DESCR, SIM_M_OID, SIM_M_FIRMWARE, SIM_M_VENDOR,
	SIM_M_SHELL, SIM_M_HTTPS, SIM_M_FAULTS, SIM_M_N
};

static int
sim_yaml_model(struct sim_yaml *y, yaml_node_t *map, struct sim_model *m,
    char **cause)
{
	static const char *const names[] = {
		"name", "descr", "sys_object_id", "firmware",
		"vendor_subtree", "shell", "https", "faults"
	};
	yaml_node_t *v[SIM_M_N];
	bool own = true;
	size_t i;

	m->vendor_subtree = m->shell = m->https = true;
	m->faults.reboot_ms = SIM_FLEET_REBOOT_MS;
	if (sim_yaml_fields(y, map, "model", names, SIM_M_N, v, cause) != 0)
		return -1;
	for (i = 0; i <= SIM_M_FIRMWARE; i++) {
		if (sim_yaml_require(y, map, v[i], "model", names[i],
		    cause) != 0)
			return -1;
	}
	if (sim_yaml_word(y, v[SIM_M_NAME], "name", &m->name, cause) != 0 ||
	    sim_yaml_string(y, v[SIM_M_DESCR], "descr", &m->descr,
	    cause) != 0 || sim_yaml_oid(y, v[SIM_M_OID], &m->sys_object_id,
	    cause) != 0 || sim_yaml_string(y, v[SIM_M_FIRMWARE], "firmware",
	    &m->firmware, cause) != 0)
		return -1;
	if ((v[SIM_M_VENDOR] != NULL && sim_yaml_bool(y, v[SIM_M_VENDOR],
	    names[SIM_M_VENDOR], &m->vendor_subtree, cause) != 0) ||
	    (v[SIM_M_SHELL] != NULL && sim_yaml_bool(y, v[SIM_M_SHELL],
	    names[SIM_M_SHELL], &m->shell, cause) != 0) ||
	    (v[SIM_M_HTTPS] != NULL && sim_yaml_bool(y, v[SIM_M_HTTPS],
	    names[SIM_M_HTTPS], &m->https, cause) != 0))
		return -1;
	if (v[SIM_M_FAULTS] != NULL)
		return sim_yaml_faults(y, v[SIM_M_FAULTS], &m->faults, &own,
		    cause);
	return 0;
}

int
sim_yaml_models(struct sim_yaml *y, yaml_node_t *n, char **cause)
{
	struct sim_fleet *fleet = y->fleet;
	yaml_node_item_t *it;
	yaml_node_t *item;
	size_t count, i;

	if (n->type != YAML_SEQUENCE_NODE || n->data.sequence.items.top ==
	    n->data.sequence.items.start) {
		*cause = sim_yaml_error(y, n, "models: expected a list of "
		    "models");
		return -1;
	}
	count = (size_t)(n->data.sequence.items.top -
	    n->data.sequence.items.start);
	fleet->models = xcalloc(count, sizeof *fleet->models);
	for (it = n->data.sequence.items.start;
	    it < n->data.sequence.items.top; it++) {
		item = sim_yaml_node(y, *it);
		if (sim_yaml_model(y, item, &fleet->models[fleet->nmodels++],
		    cause) != 0)
			return -1;
		for (i = 0; i + 1 < fleet->nmodels; i++) {
			if (strcmp(fleet->models[i].name,
			    fleet->models[fleet->nmodels - 1].name) == 0) {
				*cause = sim_yaml_error(y, item, "model %s "
				    "is defined twice", fleet->models[i].name);
				return -1;
			}
		}
	}
	return 0;
}
