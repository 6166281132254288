#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd-check.h"
#include "cmd.h"
#include "credential.h"
#include "format.h"
#include "printer-import.h"
#include "printer.h"
#include "store.h"
#include "targets.h"
#include "xmalloc.h"

static int cmd_printer_exec(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_printer_entry = {
	.name = "printer",
	.usage = N_("add NAME ADDRESS[:PORT] [--group G] [--credential C]... "
	    "[--ssh-port N] [--https-port N] [--no-check] | "
	    "import FILE [--dry-run] [--no-check] | "
	    "list [TARGETS...] [--format F] | "
	    "set TARGETS... --credential C [--credential C]... [--no-check] | "
	    "set TARGETS... --no-credentials | "
	    "rm TARGETS... [--dry-run] [--yes]"),
	.summary = N_("add, import, list, set and remove printers"),
	.exec = cmd_printer_exec,
};

/* Names of the printers IDS, for the audit trail; caller frees. */
static char **
cmd_printer_names(struct printer_set *set)
{
	char **names = xcalloc(set->n ? set->n : 1, sizeof *names);
	size_t i;

	for (i = 0; i < set->n; i++)
		names[i] = set->v[i].name;
	return names;
}

/* Add printer NAME with its credential list, in one transaction. */
static int
cmd_printer_insert(struct store *st, const char *name, const char *address,
    const char *host, unsigned port, const char *group,
    const char *const *creds, size_t ncreds, const unsigned *ports,
    int64_t *idp, char **cause)
{
	const char *names[1] = { name };
	int64_t id;

	if (store_begin(st, cause) == 0 && printer_add(st, name, host, port,
	    group, &id, cause) == 0 && ((ports[0] == 0 && ports[1] == 0) ||
	    printer_set_ports(st, id, ports[0], ports[1], cause) == 0) &&
	    (ncreds == 0 ||
	    credential_set_printer(st, id, creds, ncreds, cause) == 0) &&
	    store_audit(st, store_whoami(), "printer add", address, names, 1,
	    cause) == 0 && store_commit(st, cause) == 0) {
		*idp = id;
		return 0;
	}
	store_rollback(st);
	return -1;
}

/* A port number 1-65535 into *PORT; -1 with *cause otherwise. */
static int
cmd_printer_port(const char *what, const char *s, unsigned *port,
    char **cause)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v == 0 || v > 65535) {
		*cause = xasprintf(_("%s: not a port number: %s"), what, s);
		return -1;
	}
	*port = (unsigned)v;
	return 0;
}

static int
cmd_printer_add(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "credential", required_argument, NULL, 'c' },
		{ "group", required_argument, NULL, 'g' },
		{ "ssh-port", required_argument, NULL, 'S' },
		{ "https-port", required_argument, NULL, 'H' },
		{ "no-check", no_argument, NULL, 'C' },
		{ NULL, 0, NULL, 0 }
	};
	unsigned ports[2] = { 0, 0 };
	struct store *st;
	int64_t id;
	bool check = true;
	const char *group = NULL, **creds;
	char *host = NULL, *cause = NULL;
	size_t ncreds = 0;
	unsigned port;
	int ch, rc = CMD_USAGE;

	creds = xcalloc(argc, sizeof *creds);
	while ((ch = getopt_long(argc, argv, "c:g:", opts, NULL)) != -1) {
		if (ch == 'c')
			creds[ncreds++] = optarg;
		else if (ch == 'g')
			group = optarg;
		else if (ch == 'C')
			check = false;
		else if (ch == 'S' || ch == 'H') {
			if (cmd_printer_port(ch == 'S' ? "--ssh-port" :
			    "--https-port", optarg, &ports[ch == 'H'],
			    &cause) != 0)
				goto out;
		} else
			goto out;
	}
	if (argc - optind != 2)
		goto out;
	if (printer_check_name(argv[optind], &cause) != 0 ||
	    printer_parse_address(argv[optind + 1], &host, &port, &cause) != 0)
		goto out;
	rc = CMD_FAILED;
	if (cmd_open_store(ctx, &st) != 0)
		goto out;
	if (cmd_printer_insert(st, argv[optind], argv[optind + 1], host, port,
	    group, creds, ncreds, ports, &id, &cause) == 0)
		rc = check ? cmd_check_queue(st, &id, 1) : CMD_OK;
	store_free(&st);
out:
	if (rc == CMD_USAGE && cause == NULL)
		cmd_usage(&cmd_printer_entry);
	if (cause != NULL) {
		cmd_error("%s", cause);
		free(cause);
	}
	free(creds);
	free(host);
	return rc;
}

/* The capability check's columns of P (9 cells; ports into SPORT, HPORT,
 * 16 bytes each). */
static void
cmd_printer_findings(const struct printer *p, char *sport, char *hport,
    const char **cells)
{
	snprintf(sport, 16, "%u", p->ssh_port != 0 ? p->ssh_port : 22);
	snprintf(hport, 16, "%u", p->https_port != 0 ? p->https_port : 443);
	cells[0] = p->verdict;
	cells[1] = p->verdict_reason;
	cells[2] = p->firmware;
	cells[3] = p->snmp_version;
	cells[4] = p->login_kind;
	cells[5] = p->https_present < 0 ? NULL : p->https_present ? "yes" :
	    "no";
	cells[6] = p->categories;
	cells[7] = sport;
	cells[8] = hport;
}

static void
cmd_printer_print(struct printer_set *set, enum format_kind kind)
{
	static const char *const cols[] = { "name", "address", "port", "group",
	    "state", "model", "serial", "sys_name", "checked", "reason",
	    "verdict", "verdict_reason", "firmware", "snmp", "login", "https",
	    "categories", "ssh_port", "https_port" };
	struct format *f = format_new(kind, cols, 19);
	const struct printer *p;
	char port[8], when[32], sport[16], hport[16];
	const char *cells[19];
	size_t i;

	for (i = 0; i < set->n; i++) {
		p = &set->v[i];
		snprintf(port, sizeof port, "%u", p->port);
		cmd_time(p->checked_at, when, sizeof when);
		cells[0] = p->name;
		cells[1] = p->address;
		cells[2] = port;
		cells[3] = p->group;
		cells[4] = printer_state_name(p->state);
		cells[5] = p->model;
		cells[6] = p->serial;
		cells[7] = p->sys_name;
		cells[8] = p->checked_at ? when : NULL;
		cells[9] = p->reason;
		cmd_printer_findings(p, sport, hport, &cells[10]);
		format_row(f, cells);
	}
	format_print(f, stdout);
	format_free(&f);
}

static int
cmd_printer_list(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 }
	};
	enum format_kind kind = FORMAT_TABLE;
	struct printer_set *set = NULL;
	struct store *st;
	int64_t *ids = NULL;
	size_t nids;
	char *cause = NULL;
	int ch, rc;

	while ((ch = getopt_long(argc, argv, "f:", opts, NULL)) != -1) {
		if (ch != 'f' || format_parse(optarg, &kind) != 0)
			return cmd_usage(&cmd_printer_entry);
	}
	if (cmd_open_store(ctx, &st) != 0)
		return CMD_FAILED;
	if (optind == argc)
		rc = printer_load_all(st, &set, &cause);
	else if ((rc = targets_resolve(st, argv + optind, argc - optind, &ids,
	    &nids, &cause)) == 0)
		rc = printer_load_ids(st, ids, nids, &set, &cause);
	if (rc == 0)
		cmd_printer_print(set, kind);
	else {
		cmd_error("%s", cause);
		free(cause);
	}
	printer_set_free(&set);
	free(ids);
	store_free(&st);
	return rc == 0 ? CMD_OK : CMD_USAGE;
}

/* Ask on a terminal before removing; scripts pass --yes. */
static int
cmd_printer_confirm(size_t n)
{
	char answer[16];

	if (!isatty(STDIN_FILENO)) {
		cmd_error(_("not removing %zu printer(s) without --yes"), n);
		return 0;
	}
	fprintf(stderr, _("Remove %zu printer(s)? [y/N] "), n);
	if (fgets(answer, sizeof answer, stdin) == NULL)
		return 0;
	return answer[0] == 'y' || answer[0] == 'Y';
}

static int
cmd_printer_remove(struct store *st, struct printer_set *set,
    const int64_t *ids, size_t n, char **cause)
{
	char **names = cmd_printer_names(set);
	int rc = -1;

	if (store_begin(st, cause) == 0) {
		if (printer_remove(st, ids, n, cause) == 0 && store_audit(st,
		    store_whoami(), "printer rm", NULL,
		    (const char *const *)names, set->n, cause) == 0)
			rc = store_commit(st, cause);
		else
			store_rollback(st);
	}
	free(names);
	return rc;
}

static int
cmd_printer_rm(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "dry-run", no_argument, NULL, 'n' },
		{ "yes", no_argument, NULL, 'y' },
		{ NULL, 0, NULL, 0 }
	};
	struct printer_set *set = NULL;
	struct store *st;
	int64_t *ids = NULL;
	size_t nids, i;
	char *cause = NULL;
	int ch, dry = 0, yes = 0, rc = CMD_USAGE;

	while ((ch = getopt_long(argc, argv, "ny", opts, NULL)) != -1) {
		if (ch == 'n')
			dry = 1;
		else if (ch == 'y')
			yes = 1;
		else
			return cmd_usage(&cmd_printer_entry);
	}
	if (optind == argc)
		return cmd_usage(&cmd_printer_entry);
	if (cmd_open_store(ctx, &st) != 0)
		return CMD_FAILED;
	if (targets_resolve(st, argv + optind, argc - optind, &ids, &nids,
	    &cause) != 0 || printer_load_ids(st, ids, nids, &set, &cause) != 0)
		goto out;
	if (dry || !yes) {
		for (i = 0; i < set->n; i++)
			printf(_("would remove %s\n"), set->v[i].name);
	}
	if (dry || (!yes && !cmd_printer_confirm(set->n))) {
		rc = dry ? CMD_OK : CMD_FAILED;
		goto out;
	}
	rc = cmd_printer_remove(st, set, ids, nids, &cause) == 0 ? CMD_OK :
	    CMD_FAILED;
	for (i = 0; rc == CMD_OK && i < set->n; i++)
		printf(_("removed %s\n"), set->v[i].name);
out:
	if (cause != NULL) {
		cmd_error("%s", cause);
		free(cause);
	}
	printer_set_free(&set);
	free(ids);
	store_free(&st);
	return rc;
}

/* Give each printer of SET the credential list CREDS (N may be 0). */
static int
cmd_printer_set_credentials(struct store *st, struct printer_set *set,
    const char *const *creds, size_t n, char **cause)
{
	size_t i;

	if (store_begin(st, cause) != 0)
		return -1;
	for (i = 0; i < set->n; i++) {
		if (credential_set_printer(st, set->v[i].id, creds, n,
		    cause) != 0) {
			store_rollback(st);
			return -1;
		}
	}
	return store_commit(st, cause);
}

static int
cmd_printer_set(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "credential", required_argument, NULL, 'c' },
		{ "no-credentials", no_argument, NULL, 'N' },
		{ "no-check", no_argument, NULL, 'C' },
		{ NULL, 0, NULL, 0 }
	};
	struct printer_set *set = NULL;
	struct store *st;
	const char **creds;
	int64_t *ids = NULL;
	size_t ncreds = 0, nids, i;
	char *cause = NULL;
	int ch, none = 0, bad = 0, check = 1, rc = CMD_USAGE;

	creds = xcalloc(argc, sizeof *creds);
	while ((ch = getopt_long(argc, argv, "c:", opts, NULL)) != -1) {
		if (ch == 'c')
			creds[ncreds++] = optarg;
		else if (ch == 'N')
			none = 1;
		else if (ch == 'C')
			check = 0;
		else
			bad = 1;
	}
	if (bad || optind == argc || (ncreds == 0) == (none == 0)) {
		free(creds);
		return cmd_usage(&cmd_printer_entry);
	}
	if (cmd_open_store(ctx, &st) != 0) {
		free(creds);
		return CMD_FAILED;
	}
	if (targets_resolve(st, argv + optind, argc - optind, &ids, &nids,
	    &cause) == 0 && printer_load_ids(st, ids, nids, &set,
	    &cause) == 0)
		rc = cmd_printer_set_credentials(st, set, creds, ncreds,
		    &cause) == 0 ? CMD_OK : CMD_FAILED;
	for (i = 0; rc == CMD_OK && i < set->n; i++)
		printf(_("%s: %zu credential(s)\n"), set->v[i].name, ncreds);
	if (rc == CMD_OK && check)
		rc = cmd_check_queue(st, ids, nids);
	if (cause != NULL) {
		cmd_error("%s", cause);
		free(cause);
	}
	printer_set_free(&set);
	free(ids);
	free(creds);
	store_free(&st);
	return rc;
}

static int
cmd_printer_import(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "dry-run", no_argument, NULL, 'n' },
		{ "no-check", no_argument, NULL, 'C' },
		{ NULL, 0, NULL, 0 }
	};
	struct printer_import_result res;
	struct store *st;
	const char *file[1];
	char *cause = NULL;
	int ch, dry = 0, check = 1, rc;

	while ((ch = getopt_long(argc, argv, "n", opts, NULL)) != -1) {
		if (ch == 'n')
			dry = 1;
		else if (ch == 'C')
			check = 0;
		else
			return cmd_usage(&cmd_printer_entry);
	}
	if (argc - optind != 1)
		return cmd_usage(&cmd_printer_entry);
	if (cmd_open_store(ctx, &st) != 0)
		return CMD_FAILED;
	file[0] = argv[optind];
	rc = printer_import_file(st, argv[optind], dry, &res, &cause);
	if (rc == 0 && !dry)
		rc = store_audit(st, store_whoami(), "printer import",
		    argv[optind], file, 0, &cause);
	if (rc != 0) {
		cmd_error("%s", cause);
		free(cause);
		printer_import_result_clear(&res);
		store_free(&st);
		return CMD_USAGE;
	}
	printf(_("%s%zu added, %zu updated, %zu unchanged\n"),
	    dry ? _("dry run: ") : "", res.added, res.updated, res.unchanged);
	/* One check for every printer added or moved, not one each. */
	rc = check ? cmd_check_queue(st, res.changed, res.nchanged) : CMD_OK;
	printer_import_result_clear(&res);
	store_free(&st);
	return rc;
}

static int
cmd_printer_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct {
		const char	*name;
		int		(*fn)(struct cmd_ctx *, int, char **);
	} subs[] = {
		{ "add", cmd_printer_add },
		{ "import", cmd_printer_import },
		{ "list", cmd_printer_list },
		{ "ls", cmd_printer_list },
		{ "rm", cmd_printer_rm },
		{ "set", cmd_printer_set },
	};
	size_t i;

	if (argc < 2)
		return cmd_usage(&cmd_printer_entry);
	for (i = 0; i < sizeof subs / sizeof subs[0]; i++) {
		if (strcmp(argv[1], subs[i].name) == 0) {
			optind = 0;	/* GNU getopt: 0 re-initialises for a new argv */
			return subs[i].fn(ctx, argc - 1, argv + 1);
		}
	}
	cmd_error(_("unknown printer command: %s"), argv[1]);
	return cmd_usage(&cmd_printer_entry);
}
