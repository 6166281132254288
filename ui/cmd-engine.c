#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "backup.h"
#include "check-auto.h"
#include "cmd.h"
#include "engine.h"
#include "job-kinds.h"
#include "log.h"
#include "store.h"

/* How often the engine looks whether the scheduled check is due. */
#define CMD_ENGINE_TICK_S	30

static int cmd_engine_exec(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_engine_entry = {
	.name = "engine",
	.usage = N_("[--workers N]"),
	.summary = N_("run the job workers as a service until SIGTERM"),
	.exec = cmd_engine_exec,
};

/* Queue the scheduled check when due; a failure is logged, not fatal. */
static void
cmd_engine_schedule(struct store *st, struct engine *eng)
{
	char *cause = NULL;
	int64_t job;
	size_t nbackups;

	if (check_schedule_run(st, store_now_ms(), "engine", &job,
	    &cause) != 0) {
		log_error("scheduled check: %s", cause);
		free(cause);
		return;
	}
	if (job != 0) {
		log_info("scheduled check: job %lld", (long long)job);
		engine_kick(eng);
	}
	if (backup_schedule_run(st, store_now_ms(), "engine", &nbackups,
	    &cause) != 0) {
		log_error("scheduled backup: %s", cause);
		free(cause);
	} else if (nbackups > 0) {
		log_info("scheduled backups: %zu job(s)", nbackups);
		engine_kick(eng);
	}
}

/* Wait for a stop signal, running the schedule meanwhile; the signal. */
static int
cmd_engine_wait(struct store *st, struct engine *eng, const sigset_t *set)
{
	struct timespec tick = { CMD_ENGINE_TICK_S, 0 };
	int sig;

	for (;;) {
		cmd_engine_schedule(st, eng);
		sig = sigtimedwait(set, NULL, &tick);
		if (sig == SIGHUP)
			log_info("SIGHUP: nothing to reload yet");
		else if (sig > 0)
			return sig;
		else if (errno != EAGAIN && errno != EINTR)
			return SIGTERM;
	}
}

static int
cmd_engine_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct engine_config cfg = { .db_path = ctx->db_path };
	const struct engine_kind *const *kinds;
	struct engine *eng;
	struct store *st;
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
	if (cmd_open_store(ctx, &st) != 0)
		return CMD_FAILED;
	kinds = job_kinds(&nkinds);
	if (engine_start(&cfg, kinds, nkinds, &eng, &cause) != 0) {
		cmd_error("%s", cause);
		free(cause);
		store_free(&st);
		return CMD_FAILED;
	}
	fprintf(stderr, _("quire engine %s on %s\n"), engine_owner(eng),
	    ctx->db_path);
	sig = cmd_engine_wait(st, eng, &set);
	log_info("signal %d: stopping", sig);
	engine_stop(&eng);
	store_free(&st);
	return CMD_OK;
}
