#include "config.h"

#include "demo.h"

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "credential.h"
#include "console.h"
#include "paths.h"
#include "printer.h"
#include "simctl.h"
#include "store.h"
#include "vault.h"
#include "xmalloc.h"

static int
demo_remove(const char *path, const struct stat *sb, int flag,
    struct FTW *ftw)
{
	if (remove(path) != 0 && errno != ENOENT)
		cmd_error(_("cannot remove %s: %s"), path, strerror(errno));
	return 0;
}

/* Remove the scratch directory: the database and the simulator's state. */
static void
demo_cleanup(const char *dir)
{
	nftw(dir, demo_remove, 16, FTW_DEPTH | FTW_PHYS);
}

/* The names of a printer's credentials, in the order to try. */
struct demo_names {
	char	*v[16];
	size_t	 n;
};

/* Add credential C as NAME-SUFFIX (taking its strings) to NAMES. */
static int
demo_credential(struct store *st, const struct vault *v,
    struct credential *c, const char *name, const char *suffix,
    struct demo_names *names, char **cause)
{
	int rc = -1;

	c->name = xasprintf("%s-%s", name, suffix);
	if (names->n == sizeof names->v / sizeof names->v[0])
		*cause = xstrdup(_("too many credentials"));
	else if (credential_add(st, v, c, cause) == 0) {
		names->v[names->n++] = c->name;
		c->name = NULL;
		rc = 0;
	}
	credential_wipe(c);
	free(c->name);
	free(c->user);
	free(c->domain);
	free(c->sysmgr_id);
	memset(c, 0, sizeof *c);
	return rc;
}

/* A login as quire-sim prints it ("user=NAME:PASSWORD"...) into C. */
static int
demo_login(const char *login, struct credential *c)
{
	const char *v = strchr(login, '='), *colon;

	if (v == NULL || (colon = strrchr(++v, ':')) == NULL)
		colon = v + strlen(v);
	if (strncmp(login, "password=", 9) == 0) {
		c->kind = CREDENTIAL_KIND_PASSWORD;
		c->secret[CREDENTIAL_SECRET_PASSWORD] = xstrdup(v);
		return 0;
	}
	if (*colon == '\0')
		return -1;
	if (strncmp(login, "sysmgr=", 7) == 0) {
		c->kind = CREDENTIAL_KIND_SYSMGR;
		c->sysmgr_id = xstrndup(v, colon - v);
		c->secret[CREDENTIAL_SECRET_PIN] = xstrdup(colon + 1);
		return 0;
	}
	c->kind = CREDENTIAL_KIND_USER;
	c->secret[CREDENTIAL_SECRET_PASSWORD] = xstrdup(colon + 1);
	if (strncmp(login, "domain=", 7) == 0 && strchr(v, '\\') != NULL) {
		c->kind = CREDENTIAL_KIND_DOMAIN;
		c->domain = xstrndup(v, strchr(v, '\\') - v);
		v = strchr(v, '\\') + 1;
	}
	c->user = xstrndup(v, colon - v);
	return 0;
}

/* The SNMP credentials of P: its community, then its v3 user. */
static int
demo_snmp(struct store *st, const struct vault *v,
    const struct simctl_printer *p, struct demo_names *names, char **cause)
{
	struct credential c = { 0 };

	if (p->community != NULL) {
		c.kind = CREDENTIAL_KIND_SNMP_COMMUNITY;
		c.secret[CREDENTIAL_SECRET_READ_COMMUNITY] =
		    xstrdup(p->community);
		if (p->write_community != NULL)
			c.secret[CREDENTIAL_SECRET_WRITE_COMMUNITY] =
			    xstrdup(p->write_community);
		if (demo_credential(st, v, &c, p->name, "snmp", names,
		    cause) != 0)
			return -1;
	}
	if (p->v3_user == NULL)
		return 0;
	c.kind = CREDENTIAL_KIND_SNMP_USM;
	c.user = xstrdup(p->v3_user);
	if (p->v3_auth != NULL && credential_auth_parse(p->v3_auth, &c.auth,
	    cause) != 0)
		return -1;
	if (p->v3_priv != NULL && credential_priv_parse(p->v3_priv, &c.priv,
	    cause) != 0)
		return -1;
	if (c.auth != CREDENTIAL_AUTH_NONE && p->v3_auth_pass != NULL)
		c.secret[CREDENTIAL_SECRET_AUTH_PASS] = xstrdup(p->v3_auth_pass);
	if (c.priv != CREDENTIAL_PRIV_NONE && p->v3_priv_pass != NULL)
		c.secret[CREDENTIAL_SECRET_PRIV_PASS] = xstrdup(p->v3_priv_pass);
	return demo_credential(st, v, &c, p->name, "v3", names, cause);
}

/* Register P: the printer, its ports and its credentials, in order. */
static int
demo_printer(struct store *st, const struct vault *v,
    const struct simctl_printer *p, char **cause)
{
	struct demo_names names = { .n = 0 };
	struct credential c = { 0 };
	char suffix[32];
	int64_t id;
	size_t i;
	int rc = -1;

	if (printer_add(st, p->name, p->snmp_host, p->snmp_port, p->site,
	    &id, cause) != 0 || printer_set_ports(st, id, p->ssh_port,
	    p->https_port, cause) != 0 || demo_snmp(st, v, p, &names,
	    cause) != 0)
		goto out;
	for (i = 0; i < p->nlogins; i++) {
		snprintf(suffix, sizeof suffix, "login%zu", i + 1);
		if (demo_login(p->logins[i], &c) == 0 && demo_credential(st,
		    v, &c, p->name, suffix, &names, cause) != 0)
			goto out;
	}
	rc = credential_set_printer(st, id, (const char *const *)names.v,
	    names.n, cause);
out:
	for (i = 0; i < names.n; i++)
		free(names.v[i]);
	return rc;
}

/* Register every printer of the fleet, its site as its group. */
static int
demo_register(struct cmd_ctx *ctx, const struct simctl *sim)
{
	struct vault_source src = { NULL, NULL, NULL };
	const struct simctl_printer *p;
	struct vault *v = NULL;
	struct store *store;
	char *cause = NULL;
	size_t i;
	int rc = 0;

	if (cmd_open_store(ctx, &store) != 0)
		return -1;
	if (vault_open(store, &src, &v, &cause) != 0) {
		cmd_error(_("cannot open the vault: %s"), cause);
		free(cause);
		store_free(&store);
		return -1;
	}
	for (i = 0; i < simctl_count(sim) && rc == 0; i++) {
		p = simctl_printer(sim, i);
		if (demo_printer(store, v, p, &cause) != 0) {
			cmd_error(_("cannot register %s: %s"), p->name, cause);
			free(cause);
			rc = -1;
		}
	}
	vault_free(&v);
	store_free(&store);
	return rc;
}

/* Start quire-sim on the demo fleet, its state and log in DIR. */
static int
demo_start(const char *dir, struct simctl **sim)
{
	struct simctl_options o = { .addressing = "auto" };
	char *data = paths_data_dir(), *cause = NULL;
	char *fleet, *state, *errlog;
	int rc;

	fleet = xasprintf("%s/demo-fleet.yaml", data);
	state = xasprintf("%s/sim", dir);
	errlog = xasprintf("%s/quire-sim.log", dir);
	o.fleet = fleet;
	o.state_dir = state;
	o.stderr_path = errlog;
	fprintf(stderr, _("Starting the demo fleet (%s)...\n"), fleet);
	if ((rc = simctl_start(&o, sim, &cause)) != 0) {
		cmd_error(_("cannot start the simulator: %s (see %s)"), cause,
		    errlog);
		free(cause);
	}
	free(errlog);
	free(state);
	free(fleet);
	free(data);
	return rc;
}

int
demo_run(struct cmd_ctx *ctx)
{
	const char *tmp = getenv("TMPDIR");
	struct simctl *sim = NULL;
	char *dir, *db;
	int rc = CMD_FAILED;

	dir = xasprintf("%s/quire-demo.XXXXXX", tmp != NULL && *tmp == '/' ?
	    tmp : "/tmp");
	if (mkdtemp(dir) == NULL) {
		cmd_error(_("cannot create a scratch directory %s: %s"), dir,
		    strerror(errno));
		free(dir);
		return CMD_FAILED;
	}
	db = xasprintf("%s/quire.db", dir);
	ctx->db_path = db;
	if (demo_start(dir, &sim) == 0 && demo_register(ctx, sim) == 0)
		rc = console_run(ctx);
	simctl_stop(&sim);
	demo_cleanup(dir);
	free(db);
	free(dir);
	return rc;
}
