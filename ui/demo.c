#include "config.h"

#include "demo.h"

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "console.h"
#include "paths.h"
#include "printer.h"
#include "simctl.h"
#include "store.h"
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

/* Register every printer of the fleet, its site as its group. */
static int
demo_register(struct cmd_ctx *ctx, const struct simctl *sim)
{
	const struct simctl_printer *p;
	struct store *store;
	char *cause = NULL;
	size_t i;
	int rc = 0;

	if (cmd_open_store(ctx, &store) != 0)
		return -1;
	for (i = 0; i < simctl_count(sim) && rc == 0; i++) {
		p = simctl_printer(sim, i);
		if (printer_add(store, p->name, p->snmp_host, p->snmp_port,
		    p->site, NULL, &cause) != 0) {
			cmd_error(_("cannot register %s: %s"), p->name, cause);
			free(cause);
			rc = -1;
		}
	}
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
