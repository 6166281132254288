#include "config.h"

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd.h"
#include "format.h"
#include "job.h"
#include "store.h"
#include "xmalloc.h"

static int cmd_job_exec(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_job_entry = {
	.name = "job",
	.usage = N_("list [--limit N] [--format F] | show ID [--format F] | "
	    "cancel ID | wait ID | prune --before WHEN [--dry-run]"),
	.summary = N_("list, show, cancel, wait for and prune jobs"),
	.exec = cmd_job_exec,
};

/* Parse [--format F] [--limit N]; returns the first operand or -1. */
static int
cmd_job_opts(int argc, char **argv, enum format_kind *kind, size_t *limit)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "limit", required_argument, NULL, 'l' },
		{ NULL, 0, NULL, 0 }
	};
	int ch;

	while ((ch = getopt_long(argc, argv, "f:l:", opts, NULL)) != -1) {
		if (ch == 'f' && format_parse(optarg, kind) == 0)
			continue;
		if (ch == 'l' && limit != NULL && atoi(optarg) > 0) {
			*limit = (size_t)atoi(optarg);
			continue;
		}
		return -1;
	}
	return optind;
}

static int
cmd_job_list(struct cmd_ctx *ctx, struct store *st, int argc, char **argv)
{
	static const char *const cols[] = { "id", "kind", "state", "targets",
	    "done", "failed", "cancelled", "by", "created" };
	enum format_kind kind = FORMAT_TABLE;
	struct job_info *v = NULL;
	struct format *f;
	char *cause = NULL, num[4][24], when[32];
	const char *cells[9];
	size_t limit = 20, n, i;

	if (cmd_job_opts(argc, argv, &kind, &limit) != argc)
		return cmd_usage(&cmd_job_entry);
	if (job_list(st, limit, &v, &n, &cause) != 0) {
		cmd_error("%s", cause);
		free(cause);
		return CMD_FAILED;
	}
	f = format_new(kind, cols, 9);
	for (i = 0; i < n; i++) {
		snprintf(num[0], sizeof num[0], "%lld", (long long)v[i].id);
		snprintf(num[1], sizeof num[1], "%zu", v[i].total);
		snprintf(num[2], sizeof num[2], "%zu", v[i].count[TARGET_DONE]);
		snprintf(num[3], sizeof num[3], "%zu", v[i].count[TARGET_FAILED]);
		cmd_time(v[i].created_at, when, sizeof when);
		cells[0] = num[0];
		cells[1] = v[i].kind;
		cells[2] = job_state_name(v[i].state);
		cells[3] = num[1];
		cells[4] = num[2];
		cells[5] = num[3];
		cells[6] = v[i].count[TARGET_CANCELLED] ? "yes" : "no";
		cells[7] = v[i].created_by;
		cells[8] = when;
		format_row(f, cells);
	}
	format_print(f, stdout);
	format_free(&f);
	job_list_free(&v, n);
	return CMD_OK;
}

static int
cmd_job_show(struct cmd_ctx *ctx, struct store *st, int argc, char **argv)
{
	static const char *const cols[] = { "printer", "state", "attempts",
	    "result", "reason" };
	enum format_kind kind = FORMAT_TABLE;
	struct job_target_info *v = NULL;
	struct job_info ji;
	struct format *f;
	int64_t id;
	char *cause = NULL, att[16];
	const char *cells[5];
	size_t n, i;
	int first;

	if ((first = cmd_job_opts(argc, argv, &kind, NULL)) != argc - 1 ||
	    cmd_job_id(argv[first], &id) != 0)
		return cmd_usage(&cmd_job_entry);
	if (job_get(st, id, &ji, &cause) != 0 ||
	    job_targets(st, id, &v, &n, &cause) != 0) {
		cmd_error("%s", cause);
		free(cause);
		return CMD_USAGE;
	}
	if (kind == FORMAT_TABLE)
		printf(_("job %lld %s: %s, %zu of %zu done, %zu failed\n\n"),
		    (long long)ji.id, ji.kind, job_state_name(ji.state),
		    ji.count[TARGET_DONE], ji.total, ji.count[TARGET_FAILED]);
	f = format_new(kind, cols, 5);
	for (i = 0; i < n; i++) {
		snprintf(att, sizeof att, "%d", v[i].attempts);
		cells[0] = v[i].printer_name;
		cells[1] = target_state_name(v[i].state);
		cells[2] = att;
		cells[3] = v[i].result;
		cells[4] = v[i].reason;
		format_row(f, cells);
	}
	format_print(f, stdout);
	format_free(&f);
	job_targets_free(&v, n);
	job_info_clear(&ji);
	return CMD_OK;
}

static int
cmd_job_cancel(struct cmd_ctx *ctx, struct store *st, int argc, char **argv)
{
	char *cause = NULL;
	int64_t id;

	if (argc != 2 || cmd_job_id(argv[1], &id) != 0)
		return cmd_usage(&cmd_job_entry);
	if (job_cancel(st, id, store_whoami(), &cause) != 0) {
		cmd_error("%s", cause);
		free(cause);
		return CMD_FAILED;
	}
	printf(_("job %lld cancelled\n"), (long long)id);
	return CMD_OK;
}

static int
cmd_job_wait(struct cmd_ctx *ctx, struct store *st, int argc, char **argv)
{
	struct job_info ji;
	char *cause = NULL;
	int64_t id;

	if (argc != 2 || cmd_job_id(argv[1], &id) != 0)
		return cmd_usage(&cmd_job_entry);
	if (job_get(st, id, &ji, &cause) != 0) {
		cmd_error("%s", cause);
		free(cause);
		return CMD_USAGE;
	}
	job_info_clear(&ji);
	ctx->no_wait = false;
	return cmd_wait_job(ctx, st, id);
}

/* `job prune --before WHEN [--dry-run]`: forget old finished jobs. */
static int
cmd_job_prune(struct cmd_ctx *ctx, struct store *st, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "before", required_argument, NULL, 'b' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 }
	};
	int64_t before = -1;
	char *cause = NULL;
	bool dry = false;
	size_t n;
	int ch;

	(void)ctx;
	while ((ch = getopt_long(argc, argv, "n", opts, NULL)) != -1) {
		if (ch == 'n')
			dry = true;
		else if (ch != 'b' || (before = cmd_parse_when(optarg)) < 0)
			return cmd_usage(&cmd_job_entry);
	}
	if (optind != argc || before < 0)
		return cmd_usage(&cmd_job_entry);
	if (job_prune(st, before, dry, store_whoami(), &n, &cause) != 0) {
		cmd_error("%s", cause);
		free(cause);
		return CMD_FAILED;
	}
	printf(dry ? _("would forget %zu finished job(s)\n") :
	    _("forgot %zu finished job(s)\n"), n);
	return CMD_OK;
}

static int
cmd_job_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct {
		const char	*name;
		int		(*fn)(struct cmd_ctx *, struct store *, int,
				    char **);
	} subs[] = {
		{ "list", cmd_job_list },
		{ "show", cmd_job_show },
		{ "cancel", cmd_job_cancel },
		{ "wait", cmd_job_wait },
		{ "prune", cmd_job_prune },
	};
	struct store *st;
	size_t i;
	int rc;

	if (argc < 2)
		return cmd_usage(&cmd_job_entry);
	for (i = 0; i < sizeof subs / sizeof subs[0]; i++) {
		if (strcmp(argv[1], subs[i].name) != 0)
			continue;
		if (cmd_open_store(ctx, &st) != 0)
			return CMD_FAILED;
		optind = 0;	/* GNU getopt: 0 re-initialises for a new argv */
		rc = subs[i].fn(ctx, st, argc - 1, argv + 1);
		store_free(&st);
		return rc;
	}
	cmd_error(_("unknown job command: %s"), argv[1]);
	return cmd_usage(&cmd_job_entry);
}
