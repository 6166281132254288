/*
 * `quire distribute`: distribute registered setting data to TARGETS (or
 * roll back an earlier distribution). A preview job always runs first and
 * is printed per printer; then, once confirmed (a question on a terminal,
 * or --yes), the write job runs over the printers with something to write
 * and its results are printed per printer and setting. Also `show`,
 * `retry` and the bounds of concurrency and rate.
 */
#include "config.h"

#include "cmd-distribute.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "job.h"
#include "store.h"
#include "targets.h"
#include "xmalloc.h"

static int cmd_distribute_exec(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_distribute_entry = {
	.name = "distribute",
	.usage = N_("DATA TARGETS... [--dry-run] [--yes] [--reboot] "
	    "[--timeout MS] [--retries N]\n"
	    "       quire distribute --rollback JOB [--yes] [--reboot]\n"
	    "       quire distribute show JOB [--printer NAME] [--format F]\n"
	    "       quire distribute retry JOB\n"
	    "       quire distribute --set-concurrency N | --set-rate N "
	    "(0: no limit) | --limits"),
	.summary = N_("distribute setting data to printers, with a preview"),
	.exec = cmd_distribute_exec,
};

struct cmd_distribute_opts {
	bool		 dry_run;
	bool		 yes;
	bool		 reboot;
	bool		 limits;
	int64_t		 rollback;
	long		 concurrency;	/* -1: unchanged */
	long		 rate;
	unsigned long	 timeout;
	unsigned long	 retries;
};

static int
cmd_distribute_number(const char *s, unsigned long max, unsigned long *v)
{
	char *end;

	*v = strtoul(s, &end, 10);
	return *s != '\0' && *s != '-' && *end == '\0' && *v <= max ? 0 : -1;
}

static int
cmd_distribute_opt(int ch, struct cmd_distribute_opts *o)
{
	unsigned long v;

	switch (ch) {
	case 'n': o->dry_run = true; return 0;
	case 'y': o->yes = true; return 0;
	case 'R': o->reboot = true; return 0;
	case 'L': o->limits = true; return 0;
	case 'b':
		return cmd_job_id(optarg, &o->rollback);
	case 'c':
		if (cmd_distribute_number(optarg, DISTRIBUTE_CONCURRENCY_MAX,
		    &v) != 0 || v == 0)
			return -1;
		o->concurrency = (long)v;
		return 0;
	case 'r':
		if (cmd_distribute_number(optarg, DISTRIBUTE_RATE_MAX, &v) != 0)
			return -1;
		o->rate = (long)v;
		return 0;
	case 't':
		return cmd_distribute_number(optarg, 600000, &o->timeout) ==
		    0 && o->timeout > 0 ? 0 : -1;
	case 'N':
		return cmd_distribute_number(optarg, 10, &o->retries);
	default:
		return -1;
	}
}

static int
cmd_distribute_options(int argc, char **argv, struct cmd_distribute_opts *o)
{
	static const struct option opts[] = {
		{ "dry-run", no_argument, NULL, 'n' },
		{ "yes", no_argument, NULL, 'y' },
		{ "reboot", no_argument, NULL, 'R' },
		{ "rollback", required_argument, NULL, 'b' },
		{ "set-concurrency", required_argument, NULL, 'c' },
		{ "set-rate", required_argument, NULL, 'r' },
		{ "limits", no_argument, NULL, 'L' },
		{ "timeout", required_argument, NULL, 't' },
		{ "retries", required_argument, NULL, 'N' },
		{ NULL, 0, NULL, 0 }
	};
	int ch;

	while ((ch = getopt_long(argc, argv, "ny", opts, NULL)) != -1) {
		if (cmd_distribute_opt(ch, o) != 0)
			return -1;
	}
	return 0;
}

/* ---- Limits ---- */

static int
cmd_distribute_limits(struct cmd_ctx *ctx, const struct cmd_distribute_opts *o)
{
	unsigned conc, rate, *pc = NULL, *pr = NULL;
	struct store *st;
	char *cause = NULL;
	int rc = 0;

	if (cmd_open_store(ctx, &st) != 0)
		return CMD_FAILED;
	conc = (unsigned)o->concurrency;
	rate = (unsigned)o->rate;
	if (o->concurrency >= 0)
		pc = &conc;
	if (o->rate >= 0)
		pr = &rate;
	if ((pc != NULL || pr != NULL) && distribute_limits_set(st, pc, pr,
	    store_whoami(), &cause) != 0)
		rc = -1;
	if (rc == 0)
		rc = distribute_limits_get(st, &conc, &rate, &cause);
	if (rc != 0) {
		cmd_error("%s", cause);
		free(cause);
	} else if (rate == 0)
		printf(_("distribution: at most %u printers at once per job, "
		    "started as fast as they come\n"), conc);
	else
		printf(_("distribution: at most %u printers at once per job, "
		    "%u started per second\n"), conc, rate);
	store_free(&st);
	return rc == 0 ? CMD_OK : CMD_FAILED;
}

/* ---- Running ---- */

/* Whether the operator wants to write (a question on a terminal). */
static bool
cmd_distribute_confirm(const struct cmd_distribute_opts *o,
    const struct cmd_distribute_sum *sum)
{
	char answer[16];

	if (o->yes)
		return true;
	if (!isatty(STDIN_FILENO)) {
		cmd_error(_("nothing written: no terminal to confirm on; run "
		    "again with --yes to write"));
		return false;
	}
	fprintf(stderr, _("Write %zu settings to %zu printers? [y/N] "),
	    sum->counts[DISTRIBUTE_WOULD_CHANGE], sum->changing);
	if (fgets(answer, sizeof answer, stdin) == NULL)
		return false;
	return answer[0] == 'y' || answer[0] == 'Y';
}

/* Exit status from results: anything rejected or failed is a failure. */
static int
cmd_distribute_status(const struct cmd_distribute_sum *sum, int rc)
{
	if (sum->counts[DISTRIBUTE_REJECTED] > 0 ||
	    sum->counts[DISTRIBUTE_FAILED] > 0)
		return CMD_FAILED;
	return rc;
}

/* Run the write job over IDS and print its results. */
static int
cmd_distribute_write(struct cmd_ctx *ctx, struct store *st, const char *data,
    const int64_t *ids, size_t n, const struct cmd_distribute_opts *o)
{
	struct distribute_options dopt = { false, o->reboot, o->rollback };
	struct cmd_distribute_sum sum;
	char *cause = NULL;
	int64_t job;
	int rc;

	if (distribute_submit(st, data, ids, n, &dopt, (unsigned)o->timeout,
	    (unsigned)o->retries, store_whoami(), &job, &cause) != 0) {
		cmd_error("%s", cause);
		free(cause);
		return CMD_USAGE;
	}
	rc = cmd_wait_job(ctx, st, job);
	if (ctx->no_wait)
		return rc;
	printf(_("distribution job %lld:\n"), (long long)job);
	if (cmd_distribute_print_results(st, job, &sum) != 0)
		return CMD_FAILED;
	cmd_distribute_print_reboots(st, job);
	printf(_("%zu applied, %zu unchanged, %zu rejected, %zu unsupported, "
	    "%zu failed\n"), sum.counts[DISTRIBUTE_APPLIED],
	    sum.counts[DISTRIBUTE_UNCHANGED], sum.counts[DISTRIBUTE_REJECTED],
	    sum.counts[DISTRIBUTE_UNSUPPORTED], sum.counts[DISTRIBUTE_FAILED]);
	return cmd_distribute_status(&sum, rc);
}

/* The preview job over IDS, printed; *JOB is it. */
static int
cmd_distribute_preview(struct cmd_ctx *ctx, struct store *st,
    const char *data, const int64_t *ids, size_t n,
    const struct cmd_distribute_opts *o, struct cmd_distribute_sum *sum,
    int64_t *job)
{
	struct distribute_options dopt = { true, false, o->rollback };
	char *cause = NULL;
	bool no_wait = ctx->no_wait;
	int rc;

	if (distribute_submit(st, data, ids, n, &dopt, (unsigned)o->timeout,
	    (unsigned)o->retries, store_whoami(), job, &cause) != 0) {
		cmd_error("%s", cause);
		free(cause);
		return CMD_USAGE;
	}
	/* Only the dry run's job id is printed instead of waiting. */
	ctx->no_wait = no_wait && o->dry_run;
	rc = cmd_wait_job(ctx, st, *job);
	ctx->no_wait = no_wait;
	if (no_wait && o->dry_run)
		return rc;
	printf(_("preview (job %lld):\n"), (long long)*job);
	if (cmd_distribute_print_preview(st, *job, sum) != 0)
		return CMD_FAILED;
	printf(_("%zu settings would change on %zu printers; %zu already "
	    "hold the value, %zu not supported, %zu failed\n"),
	    sum->counts[DISTRIBUTE_WOULD_CHANGE], sum->changing,
	    sum->counts[DISTRIBUTE_UNCHANGED],
	    sum->counts[DISTRIBUTE_UNSUPPORTED],
	    sum->counts[DISTRIBUTE_FAILED]);
	return cmd_distribute_status(sum, rc);
}

static int
cmd_distribute_go(struct cmd_ctx *ctx, struct store *st, const char *data,
    const int64_t *ids, size_t n, const struct cmd_distribute_opts *o)
{
	struct cmd_distribute_sum sum;
	int64_t job, *wids = NULL;
	size_t nw = 0;
	int rc;

	rc = cmd_distribute_preview(ctx, st, data, ids, n, o, &sum, &job);
	if (o->dry_run || rc == CMD_USAGE || (ctx->no_wait && o->dry_run))
		return rc;
	if (sum.counts[DISTRIBUTE_WOULD_CHANGE] == 0 &&
	    sum.counts[DISTRIBUTE_FAILED] == 0) {
		printf(_("nothing to write\n"));
		return rc;
	}
	if (!cmd_distribute_confirm(o, &sum))
		return isatty(STDIN_FILENO) ? CMD_FAILED : CMD_USAGE;
	if (cmd_distribute_write_targets(st, job, &wids, &nw) != 0)
		return CMD_FAILED;
	rc = cmd_distribute_write(ctx, st, data, wids, nw, o);
	free(wids);
	return rc;
}

/* The printers of job JOB (those still registered). */
static int
cmd_distribute_job_printers(struct store *st, int64_t job, int64_t **ids,
    size_t *n)
{
	struct job_target_info *t = NULL;
	char *cause = NULL;
	size_t nt = 0, i;

	*ids = NULL;
	*n = 0;
	if (job_targets(st, job, &t, &nt, &cause) != 0) {
		cmd_error("%s", cause);
		free(cause);
		return -1;
	}
	for (i = 0; i < nt; i++) {
		if (t[i].printer_id == 0)
			continue;
		*ids = xreallocarray(*ids, *n + 1, sizeof **ids);
		(*ids)[(*n)++] = t[i].printer_id;
	}
	job_targets_free(&t, nt);
	return 0;
}

static int
cmd_distribute_run(struct cmd_ctx *ctx, const struct cmd_distribute_opts *o,
    char **argv, int argc)
{
	const char *data = o->rollback != 0 ? NULL : argv[0];
	struct store *st;
	int64_t *ids = NULL;
	size_t n = 0;
	char *cause = NULL;
	int rc;

	if (cmd_open_store(ctx, &st) != 0)
		return CMD_FAILED;
	if (o->rollback != 0)
		rc = cmd_distribute_job_printers(st, o->rollback, &ids, &n);
	else if ((rc = targets_resolve(st, argv + 1, (size_t)argc - 1, &ids,
	    &n, &cause)) != 0) {
		cmd_error("%s", cause);
		free(cause);
	}
	if (rc == 0 && n == 0)
		cmd_error(_("no printer to distribute to"));
	rc = rc != 0 || n == 0 ? CMD_USAGE :
	    cmd_distribute_go(ctx, st, data, ids, n, o);
	free(ids);
	store_free(&st);
	return rc;
}

static int
cmd_distribute_retry(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct cmd_distribute_sum sum;
	struct store *st;
	char *cause = NULL;
	int64_t of, job;
	int rc;

	if (argc != 2 || cmd_job_id(argv[1], &of) != 0)
		return cmd_usage(&cmd_distribute_entry);
	if (cmd_open_store(ctx, &st) != 0)
		return CMD_FAILED;
	if (distribute_retry(st, of, store_whoami(), &job, &cause) != 0) {
		cmd_error("%s", cause);
		free(cause);
		store_free(&st);
		return CMD_USAGE;
	}
	if (job == 0) {
		printf(_("nothing to retry: job %lld has no failure\n"),
		    (long long)of);
		store_free(&st);
		return CMD_OK;
	}
	rc = cmd_wait_job(ctx, st, job);
	if (!ctx->no_wait) {
		printf(_("distribution job %lld (retry of %lld):\n"),
		    (long long)job, (long long)of);
		rc = cmd_distribute_print_results(st, job, &sum) != 0 ?
		    CMD_FAILED : cmd_distribute_status(&sum, rc);
	}
	store_free(&st);
	return rc;
}

static int
cmd_distribute_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct cmd_distribute_opts o = { false, false, false, false, 0, -1,
	    -1, 1000, 1 };
	int rest;

	if (argc >= 2 && strcmp(argv[1], "show") == 0)
		return (rest = cmd_distribute_show(ctx, argc - 1, argv + 1)) ==
		    CMD_USAGE ? cmd_usage(&cmd_distribute_entry) : rest;
	if (argc >= 2 && strcmp(argv[1], "retry") == 0)
		return cmd_distribute_retry(ctx, argc - 1, argv + 1);
	if (cmd_distribute_options(argc, argv, &o) != 0)
		return cmd_usage(&cmd_distribute_entry);
	rest = argc - optind;
	if (o.limits || o.concurrency >= 0 || o.rate >= 0)
		return rest == 0 ? cmd_distribute_limits(ctx, &o) :
		    cmd_usage(&cmd_distribute_entry);
	if ((o.rollback != 0 && rest != 0) || (o.rollback == 0 && rest < 2))
		return cmd_usage(&cmd_distribute_entry);
	return cmd_distribute_run(ctx, &o, argv + optind, rest);
}
