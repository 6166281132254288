/*
 * The fleet: loading it, finding printers by name, their fixed identity and
 * credentials, and where they listen.
 */
#include "config.h"

#include "sim.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim-int.h"
#include "xmalloc.h"

static const char *const sim_fleet_default_base = "127.0.1.1";
static const unsigned sim_fleet_default_port[3] = { 161, 2022, 8443 };
static const unsigned sim_fleet_default_base_port[3] = {
	20000, 30000, 40000
};

uint64_t
sim_fleet_hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;	/* FNV-1a */

	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	return h;
}

char *
sim_fleet_make_serial(const char *name)
{
	return xasprintf("QS%010llX", (unsigned long long)(sim_fleet_hash(
	    name) & 0xffffffffffULL));
}

/* RFC 3411: enterprise 32473 with the high bit, format 5 (octets). */
void
sim_fleet_make_engine_id(struct sim_printer *p)
{
	static const unsigned char head[] = { 0x80, 0x00, 0x7e, 0xd9, 0x05 };
	uint64_t h = sim_fleet_hash(p->name);
	size_t i;

	memcpy(p->engine_id, head, sizeof head);
	for (i = 0; i < 8; i++)
		p->engine_id[sizeof head + i] = (unsigned char)(h >> (8 * i));
	p->engine_id_len = sizeof head + 8;
}

void
sim_fleet_index_init(struct sim_fleet *fleet, size_t n)
{
	fleet->printers = xcalloc(n, sizeof *fleet->printers);
	fleet->tablesize = 16;
	while (fleet->tablesize < 2 * n)
		fleet->tablesize *= 2;
	fleet->table = xcalloc(fleet->tablesize, sizeof *fleet->table);
}

void
sim_fleet_index_add(struct sim_fleet *fleet, struct sim_printer *p)
{
	size_t i = sim_fleet_hash(p->name) & (fleet->tablesize - 1);

	while (fleet->table[i] != NULL)
		i = (i + 1) & (fleet->tablesize - 1);
	fleet->table[i] = p;
}

struct sim_printer *
sim_fleet_find(struct sim_fleet *fleet, const char *name)
{
	size_t i;

	if (fleet->tablesize == 0)
		return NULL;
	i = sim_fleet_hash(name) & (fleet->tablesize - 1);
	for (; fleet->table[i] != NULL; i = (i + 1) & (fleet->tablesize - 1)) {
		if (strcmp(fleet->table[i]->name, name) == 0)
			return fleet->table[i];
	}
	return NULL;
}

static int
sim_fleet_cmp_ptr(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)*(const void *const *)a;
	uintptr_t y = (uintptr_t)*(const void *const *)b;

	return x < y ? -1 : x > y;
}

/* Every setting of the catalog, sorted by address for the lookups. */
static void
sim_fleet_settings(struct sim_fleet *fleet)
{
	const struct catalog *cat = fleet->catalog;
	const struct catalog_category *c;
	size_t i, j, n = 0;

	for (i = 0; i < catalog_ncategories(cat); i++)
		n += catalog_category_nsettings(catalog_category_at(cat, i));
	fleet->settings = xcalloc(n, sizeof *fleet->settings);
	for (i = 0; i < catalog_ncategories(cat); i++) {
		c = catalog_category_at(cat, i);
		for (j = 0; j < catalog_category_nsettings(c); j++)
			fleet->settings[fleet->nsettings++] =
			    catalog_category_setting_at(c, j);
	}
	qsort(fleet->settings, fleet->nsettings, sizeof *fleet->settings,
	    sim_fleet_cmp_ptr);
}

long
sim_fleet_setting_index(const struct sim_fleet *fleet,
    const struct catalog_setting *s)
{
	const struct catalog_setting *const *found;

	found = bsearch(&s, fleet->settings, fleet->nsettings,
	    sizeof *fleet->settings, sim_fleet_cmp_ptr);
	return found != NULL ? (long)(found - fleet->settings) : -1;
}

int
sim_fleet_load(const char *path, const struct catalog *catalog,
    const struct sim_options *opts, struct sim_fleet **out, char **cause)
{
	struct sim_fleet_addressing addr = { 0 };
	struct sim_fleet *fleet = xcalloc(1, sizeof *fleet);
	size_t i;
	int rc;

	fleet->path = xstrdup(path);
	fleet->catalog = catalog;
	sim_fleet_settings(fleet);
	rc = sim_fleet_parse(fleet, path, &addr, cause);
	if (rc == 0)
		rc = sim_fleet_layout(fleet, &addr, opts, cause);
	free(addr.base);
	if (rc != 0) {
		sim_fleet_free(&fleet);
		return -1;
	}
	for (i = 0; i < fleet->nprinters; i++)
		sim_fleet_make_engine_id(&fleet->printers[i]);
	*out = fleet;
	return 0;
}

void
sim_faults_free(struct sim_faults *f)
{
	size_t i;

	for (i = 0; i < f->nlocked; i++)
		free(f->locked[i]);
	free(f->locked);
	f->locked = NULL;
	f->nlocked = 0;
}

void
sim_printer_free_fields(struct sim_printer *p)
{
	size_t i;

	free(p->name);
	free(p->site);
	free(p->serial);
	if (p->own_locked)
		sim_faults_free(&p->faults);
	free(p->host);
	free(p->community_ro);
	free(p->community_rw);
	free(p->usm.user);
	free(p->usm.auth_pass);
	free(p->usm.priv_pass);
	for (i = 0; i < p->nlogins; i++) {
		free(p->logins[i].user);
		free(p->logins[i].domain);
		free(p->logins[i].id);
		free(p->logins[i].secret);
	}
	free(p->logins);
	free(p->policy_password);
	free(p->policy_current);
}

static void
sim_fleet_free_printer(struct sim_fleet *fleet, struct sim_printer *p)
{
	size_t i;

	sim_printer_free_fields(p);
	if (p->values != NULL) {
		for (i = 0; i < fleet->nsettings; i++)
			free(p->values[i]);
		free(p->values);
	}
	pthread_mutex_destroy(&p->lock);
}

void
sim_fleet_free(struct sim_fleet **fp)
{
	struct sim_fleet *fleet = *fp;
	struct sim_model *m;
	size_t i;

	if (fleet == NULL)
		return;
	sim_state_close(&fleet->state);
	for (i = 0; i < fleet->nprinters; i++)
		sim_fleet_free_printer(fleet, &fleet->printers[i]);
	free(fleet->printers);
	for (i = 0; i < fleet->nmodels; i++) {
		m = &fleet->models[i];
		free(m->name);
		free(m->descr);
		free(m->sys_object_id);
		free(m->firmware);
		sim_faults_free(&m->faults);
	}
	free(fleet->models);
	free(fleet->table);
	free(fleet->settings);
	free(fleet->path);
	free(fleet);
	*fp = NULL;
}

const struct catalog *
sim_fleet_catalog(const struct sim_fleet *fleet)
{
	return fleet->catalog;
}

size_t
sim_fleet_count(const struct sim_fleet *fleet)
{
	return fleet->nprinters;
}

struct sim_printer *
sim_fleet_printer(struct sim_fleet *fleet, size_t i)
{
	return i < fleet->nprinters ? &fleet->printers[i] : NULL;
}

const char *
sim_fleet_state_dir(const struct sim_fleet *fleet)
{
	return fleet->state != NULL ? sim_state_dir(fleet->state) : NULL;
}

/* Which of the three a printer serves at all. */
static bool
sim_fleet_serves(const struct sim_printer *p, enum sim_service s)
{
	return s == SIM_SNMP || (s == SIM_SSH && p->model->shell) ||
	    (s == SIM_HTTPS && p->model->https);
}

/* 127.0.x.y from BASE, skipping .0 and .255; all inside 127.0.0.0/8. */
static int
sim_fleet_loopback(struct sim_fleet *fleet, const char *base, char **cause)
{
	struct in_addr in;
	uint32_t a;
	size_t i;
	char buf[INET_ADDRSTRLEN];

	if (inet_pton(AF_INET, base, &in) != 1 ||
	    (ntohl(in.s_addr) >> 24) != 127) {
		*cause = xasprintf("%s: base address %s is not in "
		    "127.0.0.0/8", fleet->path, base);
		return -1;
	}
	a = ntohl(in.s_addr);
	for (i = 0; i < fleet->nprinters; i++, a++) {
		while ((a & 0xff) == 0 || (a & 0xff) == 255)
			a++;
		if ((a >> 24) != 127) {
			*cause = xasprintf("%s: %zu printers from %s run out "
			    "of 127.0.0.0/8", fleet->path, fleet->nprinters,
			    base);
			return -1;
		}
		in.s_addr = htonl(a);
		inet_ntop(AF_INET, &in, buf, sizeof buf);
		fleet->printers[i].host = xstrdup(buf);
	}
	return 0;
}

/* Ports mode: the three ranges must fit and not overlap. */
static int
sim_fleet_ranges(struct sim_fleet *fleet, const unsigned *base,
    char **cause)
{
	size_t n = fleet->nprinters, i, j;

	for (i = 0; i < 3; i++) {
		if (base[i] + n - 1 > 65535) {
			*cause = xasprintf("%s: %zu printers from port %u go "
			    "past 65535", fleet->path, n, base[i]);
			return -1;
		}
		for (j = 0; j < i; j++) {
			if (base[i] < base[j] + n && base[j] < base[i] + n) {
				*cause = xasprintf("%s: the port ranges from "
				    "%u and %u overlap", fleet->path, base[j],
				    base[i]);
				return -1;
			}
		}
	}
	return 0;
}

static enum sim_addressing
sim_fleet_mode(const struct sim_fleet_addressing *a,
    const struct sim_options *o)
{
	if (o != NULL && o->addressing_set)
		return o->addressing;
	if (a->mode_set)
		return a->mode;
	return geteuid() == 0 ? SIM_ADDR_LOOPBACK : SIM_ADDR_PORTS;
}

int
sim_fleet_layout(struct sim_fleet *fleet, const struct sim_fleet_addressing *a,
    const struct sim_options *o, char **cause)
{
	const unsigned opt[3] = { o != NULL ? o->snmp_port : 0,
	    o != NULL ? o->ssh_port : 0, o != NULL ? o->https_port : 0 };
	const char *base = o != NULL && o->base != NULL ? o->base :
	    a->base != NULL ? a->base : sim_fleet_default_base;
	unsigned port[3];
	size_t i, s;

	fleet->addressing = sim_fleet_mode(a, o);
	for (s = 0; s < 3; s++) {
		port[s] = opt[s] != 0 ? opt[s] : fleet->addressing ==
		    SIM_ADDR_LOOPBACK ? (a->port[s] != 0 ? a->port[s] :
		    sim_fleet_default_port[s]) : (a->base_port[s] != 0 ?
		    a->base_port[s] : sim_fleet_default_base_port[s]);
	}
	if (fleet->addressing == SIM_ADDR_LOOPBACK) {
		if (sim_fleet_loopback(fleet, base, cause) != 0)
			return -1;
	} else if (fleet->addressing == SIM_ADDR_PORTS &&
	    sim_fleet_ranges(fleet, port, cause) != 0)
		return -1;
	for (i = 0; i < fleet->nprinters; i++) {
		if (fleet->printers[i].host == NULL)
			fleet->printers[i].host = xstrdup("127.0.0.1");
		for (s = 0; s < 3; s++) {
			fleet->printers[i].port[s] = !sim_fleet_serves(
			    &fleet->printers[i], s) || fleet->addressing ==
			    SIM_ADDR_AUTO_PORTS ? 0 : fleet->addressing ==
			    SIM_ADDR_LOOPBACK ? port[s] : port[s] + i;
		}
	}
	return 0;
}
