#include "config.h"

#include "cmd-check.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check-auto.h"
#include "cmd.h"
#include "job-kinds.h"
#include "job.h"
#include "store.h"
#include "targets.h"
#include "xmalloc.h"

static int cmd_check_exec(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_check_entry = {
	.name = "check",
	.usage = N_("TARGETS... [--timeout MS] [--retries N] | "
	    "--schedule SECONDS | --schedule-show"),
	.summary = N_("the capability check: what SNMP, the shell and HTTPS can do"),
	.exec = cmd_check_exec,
};

int
cmd_check_queue(struct store *st, const int64_t *ids, size_t n)
{
	int64_t job;
	char *cause = NULL;

	if (check_queue(st, ids, n, NULL, store_whoami(), &job, &cause) != 0) {
		cmd_error(_("queuing the check: %s"), cause);
		free(cause);
		return CMD_FAILED;
	}
	if (job != 0)
		printf(_("check job %lld queued\n"), (long long)job);
	return CMD_OK;
}

static int
cmd_check_number(const char *s, unsigned long max, unsigned long *v)
{
	char *end;

	*v = strtoul(s, &end, 10);
	return *s != '\0' && *end == '\0' && *v <= max ? 0 : -1;
}

/* Set the schedule to INTERVAL seconds, or show it when INTERVAL < 0. */
static int
cmd_check_schedule(struct cmd_ctx *ctx, long long interval)
{
	struct store *st;
	int64_t every, last;
	char *cause = NULL, when[CMD_TIME_LEN];
	int rc;

	if (cmd_open_store(ctx, &st) != 0)
		return CMD_FAILED;
	if (interval >= 0)
		rc = check_schedule_set(st, interval, store_whoami(), &cause);
	else
		rc = check_schedule_get(st, &every, &last, &cause);
	if (rc != 0) {
		cmd_error("%s", cause);
		free(cause);
	} else if (interval < 0 && every == 0)
		printf(_("scheduled check: off\n"));
	else if (interval < 0) {
		cmd_time(last, when, sizeof when);
		printf(_("scheduled check: every %lld s, last queued %s\n"),
		    (long long)every, last == 0 ? _("never") : when);
	}
	else
		printf(_("scheduled check: every %lld s\n"), interval);
	store_free(&st);
	return rc == 0 ? CMD_OK : CMD_FAILED;
}

static int
cmd_check_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "timeout", required_argument, NULL, 't' },
		{ "retries", required_argument, NULL, 'r' },
		{ "schedule", required_argument, NULL, 'S' },
		{ "schedule-show", no_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 }
	};
	unsigned long timeout = 1000, retries = 1, every;
	long long schedule = -2;
	struct store *st;
	int64_t *ids = NULL, job_id;
	size_t nids;
	char *cause = NULL, *params;
	int ch, rc;

	while ((ch = getopt_long(argc, argv, "t:r:", opts, NULL)) != -1) {
		if ((ch == 't' && cmd_check_number(optarg, 600000, &timeout) ==
		    0 && timeout > 0) || (ch == 'r' &&
		    cmd_check_number(optarg, 10, &retries) == 0))
			continue;
		if (ch == 'S' && cmd_check_number(optarg, 366UL * 86400,
		    &every) == 0)
			schedule = (long long)every;
		else if (ch == 's')
			schedule = -1;
		else
			return cmd_usage(&cmd_check_entry);
	}
	if (schedule != -2)
		return optind == argc ? cmd_check_schedule(ctx, schedule) :
		    cmd_usage(&cmd_check_entry);
	if (optind == argc)
		return cmd_usage(&cmd_check_entry);
	if (cmd_open_store(ctx, &st) != 0)
		return CMD_FAILED;
	if (targets_resolve(st, argv + optind, argc - optind, &ids, &nids,
	    &cause) != 0) {
		cmd_error("%s", cause);
		free(cause);
		store_free(&st);
		return CMD_USAGE;
	}
	params = xasprintf("timeout=%lu retries=%lu", timeout, retries);
	if (job_submit(st, JOB_KIND_CHECK, params, ids, nids, store_whoami(),
	    &job_id, &cause) != 0) {
		cmd_error("%s", cause);
		free(cause);
		rc = CMD_FAILED;
	} else
		rc = cmd_wait_job(ctx, st, job_id);
	free(params);
	free(ids);
	store_free(&st);
	return rc;
}
