#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "engine.h"
#include "job-kinds.h"
#include "log.h"

static int cmd_engine_exec(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_engine_entry = {
	.name = "engine",
	.usage = N_("[--workers N]"),
	.summary = N_("run the job workers as a service until SIGTERM"),
	.exec = cmd_engine_exec,
};

static int
cmd_engine_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct engine_config cfg = { .db_path = ctx->db_path };
	const struct engine_kind *const *kinds;
	struct engine *eng;
	sigset_t set;
	char *cause = NULL;
	size_t nkinds;
	int sig;

	if (argc == 3 && strcmp(argv[1], "--workers") == 0 &&
	    atoi(argv[2]) > 0 && atoi(argv[2]) <= 256)
		cfg.workers = (unsigned)atoi(argv[2]);
	else if (argc != 1)
		return cmd_usage(&cmd_engine_entry);
	/* Block the stop signals in every thread; wait for them here. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	kinds = job_kinds(&nkinds);
	if (engine_start(&cfg, kinds, nkinds, &eng, &cause) != 0) {
		cmd_error("%s", cause);
		free(cause);
		return CMD_FAILED;
	}
	fprintf(stderr, _("quire engine %s on %s\n"), engine_owner(eng),
	    ctx->db_path);
	while (sigwait(&set, &sig) == 0 && sig == SIGHUP)
		log_info("SIGHUP: nothing to reload yet");
	log_info("signal %d: stopping", sig);
	engine_stop(&eng);
	return CMD_OK;
}
