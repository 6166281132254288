/*
 * The fleet file's printers: one entry is one printer, or COUNT printers
 * from a name pattern ("bench-%05d"), with their credentials and faults.
 */
#include "config.h"

#include "sim-fleet-yaml.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim-int.h"
#include "xmalloc.h"

/* The policy password of a printer whose entry gives none. */
#define SIM_FLEET_POLICY_PASSWORD "policy"
#define SIM_FLEET_MAXCOUNT 65536

enum {
	SIM_P_NAME, SIM_P_COUNT, SIM_P_START, SIM_P_MODEL, SIM_P_SITE,
	SIM_P_SERIAL, SIM_P_COMMUNITIES, SIM_P_V3, SIM_P_LOGINS,
	SIM_P_POLICY, SIM_P_FAULTS, SIM_P_N
};
static const char *const sim_yaml_printer_fields[] = {
	"name", "count", "start", "model", "site", "serial", "communities",
	"v3", "logins", "policy_password", "faults"
};

/* A name pattern: exactly one %d or %0Nd. */
struct sim_yaml_pattern {
	char		*prefix;
	const char	*suffix;
	int		 width;
};

static int
sim_yaml_pattern(struct sim_yaml *y, yaml_node_t *n, const char *s,
    struct sim_yaml_pattern *p, char **cause)
{
	const char *pct = strchr(s, '%'), *q;

	if (pct == NULL)
		goto bad;
	q = pct + 1;
	p->width = 0;
	if (*q == '0') {
		q++;
		if (*q < '1' || *q > '9')
			goto bad;
		p->width = *q++ - '0';
	}
	if (*q != 'd' || strchr(q, '%') != NULL)
		goto bad;
	p->prefix = xstrndup(s, (size_t)(pct - s));
	p->suffix = q + 1;
	return 0;
bad:
	*cause = sim_yaml_error(y, n, "name: with count, expected a pattern "
	    "with one %%d or %%0Nd, e.g. bench-%%05d");
	return -1;
}

/* Printer names as quire takes them: [A-Za-z0-9._-], 1-64, no leading -. */
static int
sim_yaml_check_name(struct sim_yaml *y, yaml_node_t *n, const char *name,
    char **cause)
{
	size_t len = strlen(name);

	if (len > 0 && len <= 64 && name[0] != '-' &&
	    strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789._-") == len)
		return 0;
	*cause = sim_yaml_error(y, n, "name: %s is not 1-64 characters of "
	    "A-Z a-z 0-9 . _ -", name);
	return -1;
}

enum { SIM_C_RO, SIM_C_RW, SIM_C_V1, SIM_C_N };

static int
sim_yaml_communities(struct sim_yaml *y, yaml_node_t *map,
    struct sim_printer *p, char **cause)
{
	static const char *const names[] = { "ro", "rw", "v1" };
	yaml_node_t *v[SIM_C_N];

	if (sim_yaml_fields(y, map, "communities", names, SIM_C_N, v,
	    cause) != 0)
		return -1;
	if ((v[SIM_C_RO] != NULL && sim_yaml_word(y, v[SIM_C_RO], "ro",
	    &p->community_ro, cause) != 0) || (v[SIM_C_RW] != NULL &&
	    sim_yaml_word(y, v[SIM_C_RW], "rw", &p->community_rw,
	    cause) != 0) || (v[SIM_C_V1] != NULL && sim_yaml_bool(y,
	    v[SIM_C_V1], "v1", &p->v1, cause) != 0))
		return -1;
	return 0;
}

static int
sim_yaml_protocol(struct sim_yaml *y, yaml_node_t *n, const char *field,
    const char *const *names, size_t nnames, int *out, char **cause)
{
	const char *s = sim_yaml_scalar(n);
	size_t i;

	for (i = 0; s != NULL && i < nnames; i++) {
		if (strcasecmp(s, names[i]) == 0) {
			*out = (int)i;
			return 0;
		}
	}
	*cause = sim_yaml_error(y, n, "%s: expected one of %s", field,
	    nnames == 4 ? "none, MD5, SHA, SHA-256" : "none, DES, AES");
	return -1;
}

/* net-snmp refuses pass phrases shorter than 8. */
static int
sim_yaml_passphrase(struct sim_yaml *y, yaml_node_t *map, yaml_node_t *n,
    const char *field, char **out, char **cause)
{
	if (sim_yaml_require(y, map, n, "v3", field, cause) != 0 ||
	    sim_yaml_word(y, n, field, out, cause) != 0)
		return -1;
	if (strlen(*out) >= 8)
		return 0;
	*cause = sim_yaml_error(y, n, "%s: at least 8 characters", field);
	return -1;
}

enum { SIM_U_USER, SIM_U_AUTH, SIM_U_AUTHPASS, SIM_U_PRIV, SIM_U_PRIVPASS,
	SIM_U_N };

static int
sim_yaml_v3(struct sim_yaml *y, yaml_node_t *map, struct sim_usm *u,
    char **cause)
{
	static const char *const names[] = {
		"user", "auth", "auth_pass", "priv", "priv_pass"
	};
	static const char *const auths[] = { "none", "MD5", "SHA", "SHA-256" };
	static const char *const privs[] = { "none", "DES", "AES" };
	yaml_node_t *v[SIM_U_N];
	int auth = SIM_AUTH_NONE, priv = SIM_PRIV_NONE;

	if (sim_yaml_fields(y, map, "v3", names, SIM_U_N, v, cause) != 0 ||
	    sim_yaml_require(y, map, v[SIM_U_USER], "v3", "user",
	    cause) != 0 || sim_yaml_word(y, v[SIM_U_USER], "user", &u->user,
	    cause) != 0)
		return -1;
	if ((v[SIM_U_AUTH] != NULL && sim_yaml_protocol(y, v[SIM_U_AUTH],
	    "auth", auths, 4, &auth, cause) != 0) || (v[SIM_U_PRIV] != NULL &&
	    sim_yaml_protocol(y, v[SIM_U_PRIV], "priv", privs, 3, &priv,
	    cause) != 0))
		return -1;
	u->auth = (enum sim_auth)auth;
	u->priv = (enum sim_priv)priv;
	if (u->priv != SIM_PRIV_NONE && u->auth == SIM_AUTH_NONE) {
		*cause = sim_yaml_error(y, v[SIM_U_PRIV], "priv: needs auth");
		return -1;
	}
	if (u->auth != SIM_AUTH_NONE && sim_yaml_passphrase(y, map,
	    v[SIM_U_AUTHPASS], "auth_pass", &u->auth_pass, cause) != 0)
		return -1;
	if (u->priv != SIM_PRIV_NONE && sim_yaml_passphrase(y, map,
	    v[SIM_U_PRIVPASS], "priv_pass", &u->priv_pass, cause) != 0)
		return -1;
	return 0;
}

/* One login: which fields each kind needs (1) and forbids (0). */
enum { SIM_L_KIND, SIM_L_USER, SIM_L_DOMAIN, SIM_L_ID, SIM_L_PASSWORD,
	SIM_L_PIN, SIM_L_N };
static const char *const sim_yaml_login_fields[] = {
	"kind", "user", "domain", "id", "password", "pin"
};
static const struct {
	const char		*name;
	enum sim_login_kind	 kind;
	bool			 need[SIM_L_N];
} sim_yaml_login_kinds[] = {
	{ "user", SIM_LOGIN_USER, { 1, 1, 0, 0, 1, 0 } },
	{ "domain", SIM_LOGIN_DOMAIN, { 1, 1, 1, 0, 1, 0 } },
	{ "sysmgr", SIM_LOGIN_SYSMGR, { 1, 0, 0, 1, 0, 1 } },
	{ "password", SIM_LOGIN_PASSWORD, { 1, 0, 0, 0, 1, 0 } },
};

static int
sim_yaml_login_kind(struct sim_yaml *y, yaml_node_t *n, size_t *k,
    char **cause)
{
	const char *s = sim_yaml_scalar(n);

	for (*k = 0; s != NULL && *k < 4; (*k)++) {
		if (strcmp(s, sim_yaml_login_kinds[*k].name) == 0)
			return 0;
	}
	*cause = sim_yaml_error(y, n, "kind: expected user, domain, sysmgr "
	    "or password");
	return -1;
}

static int
sim_yaml_login(struct sim_yaml *y, yaml_node_t *map, struct sim_login *l,
    char **cause)
{
	yaml_node_t *v[SIM_L_N];
	char **dst[SIM_L_N] = { NULL, &l->user, &l->domain, &l->id,
	    &l->secret, &l->secret };
	size_t k, i;

	if (sim_yaml_fields(y, map, "login", sim_yaml_login_fields, SIM_L_N,
	    v, cause) != 0 || sim_yaml_require(y, map, v[SIM_L_KIND], "login",
	    "kind", cause) != 0 || sim_yaml_login_kind(y, v[SIM_L_KIND], &k,
	    cause) != 0)
		return -1;
	l->kind = sim_yaml_login_kinds[k].kind;
	for (i = 1; i < SIM_L_N; i++) {
		if (sim_yaml_login_kinds[k].need[i] && v[i] == NULL) {
			*cause = sim_yaml_error(y, map, "login: a %s login "
			    "needs %s", sim_yaml_login_kinds[k].name,
			    sim_yaml_login_fields[i]);
			return -1;
		}
		if (!sim_yaml_login_kinds[k].need[i] && v[i] != NULL) {
			*cause = sim_yaml_error(y, v[i], "%s: not used by a "
			    "%s login", sim_yaml_login_fields[i],
			    sim_yaml_login_kinds[k].name);
			return -1;
		}
		if (v[i] != NULL && sim_yaml_word(y, v[i],
		    sim_yaml_login_fields[i], dst[i], cause) != 0)
			return -1;
	}
	if (l->id != NULL && strspn(l->id, "0123456789") != strlen(l->id)) {
		*cause = sim_yaml_error(y, v[SIM_L_ID], "id: expected digits");
		return -1;
	}
	return 0;
}

static int
sim_yaml_logins(struct sim_yaml *y, yaml_node_t *n, struct sim_printer *p,
    char **cause)
{
	yaml_node_item_t *it;

	if (n->type != YAML_SEQUENCE_NODE) {
		*cause = sim_yaml_error(y, n, "logins: expected a list");
		return -1;
	}
	p->logins = xcalloc((size_t)(n->data.sequence.items.top -
	    n->data.sequence.items.start), sizeof *p->logins);
	for (it = n->data.sequence.items.start;
	    it < n->data.sequence.items.top; it++) {
		if (sim_yaml_login(y, sim_yaml_node(y, *it),
		    &p->logins[p->nlogins++], cause) != 0)
			return -1;
	}
	return 0;
}

static const struct sim_model *
sim_yaml_find_model(struct sim_fleet *fleet, const char *name)
{
	size_t i;

	for (i = 0; i < fleet->nmodels; i++) {
		if (strcmp(fleet->models[i].name, name) == 0)
			return &fleet->models[i];
	}
	return NULL;
}

/* Everything of one entry but the name, into the template T. */
static int
sim_yaml_template(struct sim_yaml *y, yaml_node_t *map, yaml_node_t **v,
    struct sim_printer *t, char **cause)
{
	char *model = NULL;

	if (sim_yaml_require(y, map, v[SIM_P_MODEL], "printer", "model",
	    cause) != 0 || sim_yaml_word(y, v[SIM_P_MODEL], "model", &model,
	    cause) != 0)
		return -1;
	t->model = sim_yaml_find_model(y->fleet, model);
	free(model);
	if (t->model == NULL) {
		*cause = sim_yaml_error(y, v[SIM_P_MODEL], "model: no such "
		    "model in models");
		return -1;
	}
	t->fleet = y->fleet;
	t->faults = t->model->faults;
	t->v1 = true;
	t->community_ro = xstrdup("public");
	t->policy_password = xstrdup(SIM_FLEET_POLICY_PASSWORD);
	t->site = xstrdup("default");
	if ((v[SIM_P_SITE] != NULL && sim_yaml_word(y, v[SIM_P_SITE], "site",
	    &t->site, cause) != 0) || (v[SIM_P_SERIAL] != NULL &&
	    sim_yaml_word(y, v[SIM_P_SERIAL], "serial", &t->serial,
	    cause) != 0) || (v[SIM_P_COMMUNITIES] != NULL &&
	    sim_yaml_communities(y, v[SIM_P_COMMUNITIES], t, cause) != 0) ||
	    (v[SIM_P_V3] != NULL && sim_yaml_v3(y, v[SIM_P_V3], &t->usm,
	    cause) != 0) || (v[SIM_P_LOGINS] != NULL && sim_yaml_logins(y,
	    v[SIM_P_LOGINS], t, cause) != 0) || (v[SIM_P_POLICY] != NULL &&
	    sim_yaml_word(y, v[SIM_P_POLICY], "policy_password",
	    &t->policy_password, cause) != 0))
		return -1;
	if (v[SIM_P_FAULTS] != NULL)
		return sim_yaml_faults(y, v[SIM_P_FAULTS], &t->faults,
		    &t->own_locked, cause);
	return 0;
}

static char *
sim_yaml_dup_or_null(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

/* Copy template T into a new printer named NAME. */
static void
sim_yaml_clone(struct sim_printer *p, const struct sim_printer *t,
    char *name)
{
	size_t i;

	p->name = name;
	p->site = xstrdup(t->site);
	p->serial = t->serial != NULL ? xstrdup(t->serial) :
	    sim_fleet_make_serial(name);
	p->model = t->model;
	p->faults = t->faults;
	p->own_locked = t->own_locked;
	if (t->own_locked) {
		p->faults.locked = xcalloc(t->faults.nlocked,
		    sizeof *p->faults.locked);
		for (i = 0; i < t->faults.nlocked; i++)
			p->faults.locked[i] = xstrdup(t->faults.locked[i]);
	}
	p->community_ro = sim_yaml_dup_or_null(t->community_ro);
	p->community_rw = sim_yaml_dup_or_null(t->community_rw);
	p->v1 = t->v1;
	p->usm = t->usm;
	p->usm.user = sim_yaml_dup_or_null(t->usm.user);
	p->usm.auth_pass = sim_yaml_dup_or_null(t->usm.auth_pass);
	p->usm.priv_pass = sim_yaml_dup_or_null(t->usm.priv_pass);
	p->logins = xcalloc(t->nlogins, sizeof *p->logins);
	p->nlogins = t->nlogins;
	for (i = 0; i < t->nlogins; i++) {
		p->logins[i].kind = t->logins[i].kind;
		p->logins[i].user = sim_yaml_dup_or_null(t->logins[i].user);
		p->logins[i].domain = sim_yaml_dup_or_null(
		    t->logins[i].domain);
		p->logins[i].id = sim_yaml_dup_or_null(t->logins[i].id);
		p->logins[i].secret = sim_yaml_dup_or_null(
		    t->logins[i].secret);
	}
	p->policy_password = xstrdup(t->policy_password);
	p->fleet = t->fleet;
	pthread_mutex_init(&p->lock, NULL);
}

/* How many printers an entry makes: its count, else 1. */
static int
sim_yaml_count(struct sim_yaml *y, yaml_node_t *map, yaml_node_t **v,
    unsigned *count, unsigned *start, char **cause)
{
	*count = 1;
	*start = 1;
	if (sim_yaml_fields(y, map, "printer", sim_yaml_printer_fields,
	    SIM_P_N, v, cause) != 0 || sim_yaml_require(y, map, v[SIM_P_NAME],
	    "printer", "name", cause) != 0)
		return -1;
	if ((v[SIM_P_COUNT] != NULL && sim_yaml_uint(y, v[SIM_P_COUNT],
	    "count", 1, SIM_FLEET_MAXCOUNT, count, cause) != 0) ||
	    (v[SIM_P_START] != NULL && sim_yaml_uint(y, v[SIM_P_START],
	    "start", 0, 1000000000, start, cause) != 0))
		return -1;
	if (v[SIM_P_START] != NULL && v[SIM_P_COUNT] == NULL) {
		*cause = sim_yaml_error(y, v[SIM_P_START], "start: only with "
		    "count");
		return -1;
	}
	if (v[SIM_P_SERIAL] != NULL && *count > 1) {
		*cause = sim_yaml_error(y, v[SIM_P_SERIAL], "serial: %u "
		    "printers cannot share one; leave it out to generate "
		    "them", *count);
		return -1;
	}
	return 0;
}

/* Add the printers of one entry to the fleet. */
static int
sim_yaml_entry(struct sim_yaml *y, yaml_node_t *map, char **cause)
{
	struct sim_fleet *fleet = y->fleet;
	struct sim_yaml_pattern pat = { 0 };
	struct sim_printer t = { 0 };
	yaml_node_t *v[SIM_P_N];
	unsigned count, start, i;
	const char *name;
	char *pname;
	int rc = -1;

	if (sim_yaml_count(y, map, v, &count, &start, cause) != 0 ||
	    sim_yaml_template(y, map, v, &t, cause) != 0)
		goto out;
	if ((name = sim_yaml_scalar(v[SIM_P_NAME])) == NULL)
		name = "";
	if (v[SIM_P_COUNT] != NULL && sim_yaml_pattern(y, v[SIM_P_NAME],
	    name, &pat, cause) != 0)
		goto out;
	for (i = 0; i < count; i++) {
		pname = v[SIM_P_COUNT] == NULL ? xstrdup(name) :
		    xasprintf("%s%0*u%s", pat.prefix, pat.width, start + i,
		    pat.suffix);
		if (sim_yaml_check_name(y, v[SIM_P_NAME], pname, cause) != 0) {
			free(pname);
			goto out;
		}
		if (sim_fleet_find(fleet, pname) != NULL) {
			*cause = sim_yaml_error(y, v[SIM_P_NAME], "name: "
			    "printer %s is defined twice", pname);
			free(pname);
			goto out;
		}
		sim_yaml_clone(&fleet->printers[fleet->nprinters], &t, pname);
		fleet->printers[fleet->nprinters].index = fleet->nprinters;
		sim_fleet_index_add(fleet, &fleet->printers[fleet->nprinters]);
		fleet->nprinters++;
	}
	rc = 0;
out:
	free(pat.prefix);
	sim_printer_free_fields(&t);
	return rc;
}

int
sim_yaml_printers(struct sim_yaml *y, yaml_node_t *n, char **cause)
{
	yaml_node_t *v[SIM_P_N];
	yaml_node_item_t *it;
	size_t total = 0;
	unsigned count, start;

	if (n->type != YAML_SEQUENCE_NODE || n->data.sequence.items.top ==
	    n->data.sequence.items.start) {
		*cause = sim_yaml_error(y, n, "printers: expected a list of "
		    "printers");
		return -1;
	}
	/* Count first, so the printers never move once made. */
	for (it = n->data.sequence.items.start;
	    it < n->data.sequence.items.top; it++) {
		if (sim_yaml_count(y, sim_yaml_node(y, *it), v, &count,
		    &start, cause) != 0)
			return -1;
		total += count;
		if (total > SIM_FLEET_MAXCOUNT) {
			*cause = sim_yaml_error(y, n, "printers: more than "
			    "%d", SIM_FLEET_MAXCOUNT);
			return -1;
		}
	}
	sim_fleet_index_init(y->fleet, total);
	for (it = n->data.sequence.items.start;
	    it < n->data.sequence.items.top; it++) {
		if (sim_yaml_entry(y, sim_yaml_node(y, *it), cause) != 0)
			return -1;
	}
	return 0;
}
