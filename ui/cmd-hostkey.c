#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd.h"
#include "format.h"
#include "hostkey.h"
#include "store.h"
#include "targets.h"
#include "xmalloc.h"

static int cmd_hostkey_exec(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_hostkey_entry = {
	.name = "hostkey",
	.usage = N_("list [--format table|csv|yaml|json] | accept TARGETS... | "
	    "forget TARGETS..."),
	.summary = N_("show, accept and forget printers' SSH host keys"),
	.exec = cmd_hostkey_exec,
};

static void
cmd_hostkey_print(const struct hostkey_set *set, enum format_kind kind)
{
	static const char *const cols[] = { "host", "port", "type",
	    "fingerprint", "first_seen", "printers", "accept" };
	const struct hostkey_entry *e;
	struct format *f = format_new(kind, cols, 7);
	char port[8], when[32];
	const char *cells[7];
	size_t i;

	for (i = 0; i < set->n; i++) {
		e = &set->v[i];
		snprintf(port, sizeof port, "%u", e->port);
		cmd_time(e->first_seen, when, sizeof when);
		cells[0] = e->host;
		cells[1] = port;
		cells[2] = e->key_type;
		cells[3] = e->fingerprint;
		cells[4] = when;
		cells[5] = e->printers;
		cells[6] = e->accept_pending ? "pending" : NULL;
		format_row(f, cells);
	}
	format_print(f, stdout);
	format_free(&f);
}

static int
cmd_hostkey_list(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 }
	};
	enum format_kind kind = FORMAT_TABLE;
	struct hostkey_set *set = NULL;
	struct store *st;
	char *cause = NULL;
	int ch, rc = CMD_OK;

	while ((ch = getopt_long(argc, argv, "f:", opts, NULL)) != -1) {
		if (ch != 'f' || format_parse(optarg, &kind) != 0)
			return cmd_usage(&cmd_hostkey_entry);
	}
	if (optind != argc)
		return cmd_usage(&cmd_hostkey_entry);
	if (cmd_open_store(ctx, &st) != 0)
		return CMD_FAILED;
	if (hostkey_list(st, &set, &cause) == 0)
		cmd_hostkey_print(set, kind);
	else {
		cmd_error("%s", cause);
		free(cause);
		rc = CMD_FAILED;
	}
	hostkey_set_free(&set);
	store_free(&st);
	return rc;
}

/* Accept or forget each target's key; one audit row for the command. */
static int
cmd_hostkey_apply(struct store *st, struct hostkey_target *t, size_t n,
    int accept, bool *found, char **cause)
{
	const char **names = xcalloc(n ? n : 1, sizeof *names);
	char *detail = xstrdup(""), *next;
	size_t i;
	int rc = 0;

	for (i = 0; i < n && rc == 0; i++) {
		rc = accept ? hostkey_accept(st, t[i].host, t[i].port,
		    &found[i], cause) : hostkey_forget(st, t[i].host,
		    t[i].port, &found[i], cause);
		names[i] = t[i].name;
		next = xasprintf("%s%s%s:%u", detail, i > 0 ? " " : "",
		    t[i].host, t[i].port);
		free(detail);
		detail = next;
	}
	if (rc == 0)
		rc = store_audit(st, store_whoami(), accept ? "hostkey accept" :
		    "hostkey forget", detail, names, n, cause);
	free(detail);
	free(names);
	return rc;
}

static void
cmd_hostkey_report(const struct hostkey_target *t, size_t n,
    const bool *found, int accept)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (!found[i])
			printf(_("%s (%s:%u): no host key on record; the next "
			    "connection records it\n"), t[i].name, t[i].host,
			    t[i].port);
		else if (accept)
			printf(_("%s (%s:%u): the next connection records the "
			    "key it offers\n"), t[i].name, t[i].host, t[i].port);
		else
			printf(_("%s (%s:%u): host key forgotten\n"), t[i].name,
			    t[i].host, t[i].port);
	}
}

static int
cmd_hostkey_change(struct cmd_ctx *ctx, int argc, char **argv, int accept)
{
	struct hostkey_target *t = NULL;
	struct store *st;
	int64_t *ids = NULL;
	size_t nids = 0, n = 0;
	bool *found = NULL;
	char *cause = NULL;
	int rc = CMD_USAGE;

	if (argc < 2)
		return cmd_usage(&cmd_hostkey_entry);
	if (cmd_open_store(ctx, &st) != 0)
		return CMD_FAILED;
	if (targets_resolve(st, argv + 1, argc - 1, &ids, &nids, &cause) != 0 ||
	    hostkey_targets(st, ids, nids, &t, &n, &cause) != 0)
		goto out;
	found = xcalloc(n ? n : 1, sizeof *found);
	rc = CMD_FAILED;
	if (store_begin(st, &cause) != 0)
		goto out;
	if (cmd_hostkey_apply(st, t, n, accept, found, &cause) != 0 ||
	    store_commit(st, &cause) != 0) {
		store_rollback(st);
		goto out;
	}
	cmd_hostkey_report(t, n, found, accept);
	rc = CMD_OK;
out:
	if (cause != NULL) {
		cmd_error("%s", cause);
		free(cause);
	}
	hostkey_targets_free(&t, n);
	free(found);
	free(ids);
	store_free(&st);
	return rc;
}

static int
cmd_hostkey_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	if (argc < 2)
		return cmd_usage(&cmd_hostkey_entry);
	optind = 0;	/* GNU getopt: 0 re-initialises for a new argv */
	if (strcmp(argv[1], "list") == 0 || strcmp(argv[1], "ls") == 0)
		return cmd_hostkey_list(ctx, argc - 1, argv + 1);
	if (strcmp(argv[1], "accept") == 0)
		return cmd_hostkey_change(ctx, argc - 1, argv + 1, 1);
	if (strcmp(argv[1], "forget") == 0)
		return cmd_hostkey_change(ctx, argc - 1, argv + 1, 0);
	cmd_error(_("unknown hostkey command: %s"), argv[1]);
	return cmd_usage(&cmd_hostkey_entry);
}
