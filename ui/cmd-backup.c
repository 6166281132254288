/*
 * `quire backup`: back up TARGETS, set the retention, schedule backups for
 * `quire engine`; the history subcommands live in cmd-backup-history.c.
 */
#include "config.h"

#include "cmd-backup.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backup.h"
#include "store.h"
#include "targets.h"
#include "text.h"
#include "xmalloc.h"

static int cmd_backup_exec(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_backup_entry = {
	.name = "backup",
	.usage = N_("TARGETS... --category C[,C...]|all [--timeout MS] "
	    "[--retries N]\n"
	    "       quire backup list [TARGETS...] [--category C] "
	    "[--since WHEN] [--limit N] [--format F]\n"
	    "       quire backup show ID [--format F]\n"
	    "       quire backup diff ID1 ID2 [--format F]\n"
	    "       quire backup export ID|TARGETS... --out FILE|DIR "
	    "[--passphrase-file F]\n"
	    "       quire backup --keep N|all\n"
	    "       quire backup --schedule TARGETS --category C|all "
	    "--every SECONDS (0: off)\n"
	    "       quire backup --schedule-show"),
	.summary = N_("back up setting values; list, show, diff and export "
	    "backups"),
	.exec = cmd_backup_exec,
};

/* What the options asked for. */
struct cmd_backup_opts {
	const char	*category;
	unsigned long	 timeout;
	unsigned long	 retries;
	const char	*keep;
	const char	*schedule;
	long long	 every;
	bool		 show;
};

static int
cmd_backup_number(const char *s, unsigned long max, unsigned long *v)
{
	char *end;

	*v = strtoul(s, &end, 10);
	return *s != '\0' && *s != '-' && *end == '\0' && *v <= max ? 0 : -1;
}

/* Say what job JOB's snapshots did: new states, and those found again. */
static void
cmd_backup_summary(struct store *st, int64_t job)
{
	struct backup_counts c;
	char *cause = NULL;

	if (backup_job_counts(st, job, &c, &cause) != 0) {
		cmd_error("%s", cause);
		free(cause);
		return;
	}
	printf(_("backup job %lld: %zu snapshots: %zu stored (%zu changed, "
	    "%zu partial), %zu unchanged\n"), (long long)job, c.snapshots,
	    c.stored, c.changed, c.partial, c.confirmed);
}

static int
cmd_backup_run(struct cmd_ctx *ctx, const struct cmd_backup_opts *o,
    char **targets, int ntargets)
{
	struct store *st;
	int64_t *ids = NULL, job;
	size_t nids;
	char *cause = NULL;
	int rc;

	if (cmd_open_store(ctx, &st) != 0)
		return CMD_FAILED;
	if (targets_resolve(st, targets, (size_t)ntargets, &ids, &nids,
	    &cause) != 0 || backup_submit(st, ids, nids, o->category,
	    (unsigned)o->timeout, (unsigned)o->retries, store_whoami(), &job,
	    &cause) != 0) {
		cmd_error("%s", cause);
		free(cause);
		free(ids);
		store_free(&st);
		return CMD_USAGE;
	}
	rc = cmd_wait_job(ctx, st, job);
	if (!ctx->no_wait)
		cmd_backup_summary(st, job);
	free(ids);
	store_free(&st);
	return rc;
}

static int
cmd_backup_keep(struct cmd_ctx *ctx, const char *arg)
{
	struct store *st;
	unsigned long keep = BACKUP_KEEP_ALL;
	char *cause = NULL;

	if (strcmp(arg, "all") != 0 && (cmd_backup_number(arg, 1000000,
	    &keep) != 0 || keep == 0)) {
		cmd_error(_("--keep takes a number of states or \"all\""));
		return CMD_USAGE;
	}
	if (cmd_open_store(ctx, &st) != 0)
		return CMD_FAILED;
	if (backup_keep_set(st, keep, store_whoami(), &cause) != 0) {
		cmd_error("%s", cause);
		free(cause);
		store_free(&st);
		return CMD_FAILED;
	}
	if (keep == BACKUP_KEEP_ALL)
		printf(_("keeping every backup\n"));
	else
		printf(_("keeping the newest %lu states of each printer and "
		    "category (from the next backup on; a backup that finds "
		    "the newest state again adds none)\n"), keep);
	store_free(&st);
	return CMD_OK;
}

static void
cmd_backup_show_schedules(struct store *st)
{
	struct backup_schedule *v = NULL;
	char *cause = NULL, when[32];
	size_t i, n = 0, keep;

	if (backup_keep_get(st, &keep, &cause) != 0 ||
	    backup_schedule_list(st, &v, &n, &cause) != 0) {
		cmd_error("%s", cause);
		free(cause);
		return;
	}
	if (keep == BACKUP_KEEP_ALL)
		printf(_("retention: every backup is kept\n"));
	else
		printf(_("retention: the newest %zu states per printer and "
		    "category\n"), keep);
	if (n == 0)
		printf(_("no scheduled backup\n"));
	for (i = 0; i < n; i++) {
		if (v[i].last != 0)
			cmd_time(v[i].last, when, sizeof when);
		printf(_("scheduled backup of %s (%s): every %lld s, last "
		    "queued %s\n"), v[i].targets, v[i].categories,
		    (long long)v[i].every, v[i].last == 0 ? _("never") : when);
	}
	backup_schedules_free(&v, n);
}

static int
cmd_backup_schedule(struct cmd_ctx *ctx, const struct cmd_backup_opts *o)
{
	struct store *st;
	char *cause = NULL;
	int rc = 0;

	if (o->schedule != NULL && (o->every < 0 ||
	    (o->every > 0 && o->category == NULL))) {
		cmd_error(_("--schedule needs --every SECONDS and, unless 0, "
		    "--category"));
		return CMD_USAGE;
	}
	if (cmd_open_store(ctx, &st) != 0)
		return CMD_FAILED;
	if (o->schedule != NULL)
		rc = backup_schedule_set(st, o->schedule, o->category,
		    o->every, store_whoami(), &cause);
	if (rc != 0) {
		cmd_error("%s", cause);
		free(cause);
	} else
		cmd_backup_show_schedules(st);
	store_free(&st);
	return rc == 0 ? CMD_OK : CMD_USAGE;
}

/* Parse the options of the backup itself; -1 on a bad one. */
static int
cmd_backup_options(int argc, char **argv, struct cmd_backup_opts *o)
{
	static const struct option opts[] = {
		{ "category", required_argument, NULL, 'c' },
		{ "timeout", required_argument, NULL, 't' },
		{ "retries", required_argument, NULL, 'r' },
		{ "keep", required_argument, NULL, 'k' },
		{ "schedule", required_argument, NULL, 'S' },
		{ "every", required_argument, NULL, 'e' },
		{ "schedule-show", no_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 }
	};
	unsigned long every;
	int ch;

	while ((ch = getopt_long(argc, argv, "c:t:r:", opts, NULL)) != -1) {
		if (ch == 'c')
			o->category = optarg;
		else if (ch == 't' && cmd_backup_number(optarg, 600000,
		    &o->timeout) == 0 && o->timeout > 0)
			continue;
		else if (ch == 'r' && cmd_backup_number(optarg, 10,
		    &o->retries) == 0)
			continue;
		else if (ch == 'k')
			o->keep = optarg;
		else if (ch == 'S')
			o->schedule = optarg;
		else if (ch == 'e' && cmd_backup_number(optarg,
		    366UL * 86400, &every) == 0)
			o->every = (long long)every;
		else if (ch == 's')
			o->show = true;
		else
			return -1;
	}
	return 0;
}

static int
cmd_backup_history(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct {
		const char	*name;
		int		(*fn)(struct cmd_ctx *, struct store *, int,
				    char **);
	} subs[] = {
		{ "list", cmd_backup_list },
		{ "show", cmd_backup_show },
		{ "diff", cmd_backup_diff },
		{ "export", cmd_backup_export },
	};
	struct store *st;
	size_t i;
	int rc;

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
	return -1;
}

static int
cmd_backup_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct cmd_backup_opts o = { NULL, 1000, 1, NULL, NULL, -1, false };
	int rc;

	if (argc >= 2 && (rc = cmd_backup_history(ctx, argc, argv)) != -1)
		return rc;
	if (cmd_backup_options(argc, argv, &o) != 0)
		return cmd_usage(&cmd_backup_entry);
	if (o.keep != NULL)
		return optind == argc && o.schedule == NULL && !o.show ?
		    cmd_backup_keep(ctx, o.keep) : cmd_usage(&cmd_backup_entry);
	if (o.schedule != NULL || o.show)
		return optind == argc ? cmd_backup_schedule(ctx, &o) :
		    cmd_usage(&cmd_backup_entry);
	if (optind == argc || o.category == NULL) {
		if (optind < argc)
			cmd_error(_("which categories? --category C[,C...] "
			    "or --category all"));
		return cmd_usage(&cmd_backup_entry);
	}
	return cmd_backup_run(ctx, &o, argv + optind, argc - optind);
}
