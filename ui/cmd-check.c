#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "job-kinds.h"
#include "job.h"
#include "store.h"
#include "targets.h"
#include "xmalloc.h"

static int cmd_check_exec(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_check_entry = {
	.name = "check",
	.usage = N_("TARGETS... [--timeout MS] [--retries N]"),
	.summary = N_("reach printers over SNMP and record their identity"),
	.exec = cmd_check_exec,
};

static int
cmd_check_number(const char *s, unsigned long max, unsigned long *v)
{
	char *end;

	*v = strtoul(s, &end, 10);
	return *s != '\0' && *end == '\0' && *v <= max ? 0 : -1;
}

static int
cmd_check_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "timeout", required_argument, NULL, 't' },
		{ "retries", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 }
	};
	unsigned long timeout = 1000, retries = 1;
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
		return cmd_usage(&cmd_check_entry);
	}
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
