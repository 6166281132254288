#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "console.h"
#include "demo.h"
#include "log.h"
#include "paths.h"
#include "xmalloc.h"

static const struct cmd_entry *const main_commands[] = {
	&cmd_printer_entry,
	&cmd_check_entry,
	&cmd_backup_entry,
	&cmd_job_entry,
	&cmd_engine_entry,
	&cmd_catalog_entry,
	&cmd_credential_entry,
	&cmd_hostkey_entry,
	&cmd_data_entry,
	&cmd_distribute_entry,
	NULL,
};
#define MAIN_NCOMMANDS (sizeof main_commands / sizeof main_commands[0])

static void
main_usage(FILE *fp)
{
	size_t i;

	fprintf(fp, _("usage: quire [--db FILE] [-v] [--log FILE] [--demo] "
	    "[COMMAND [ARGS...]]\n"));
	fprintf(fp, _("\nWithout a command, quire opens the console.\n\n"
	    "Commands:\n"));
	for (i = 0; i < MAIN_NCOMMANDS && main_commands[i]; i++) {
		fprintf(fp, "  %-11s %s\n", main_commands[i]->name,
		    _(main_commands[i]->summary));
	}
	fprintf(fp, _("\nTARGETS: names, globs (lab-*), group:NAME, "
	    "model:PATTERN, all, @FILE.\n"
	    "Exit status: 0 all done, 1 some targets failed, "
	    "2 usage or input error.\n"));
}

static const struct cmd_entry *
main_find(const char *name)
{
	size_t i;

	for (i = 0; i < MAIN_NCOMMANDS && main_commands[i]; i++) {
		if (strcmp(main_commands[i]->name, name) == 0)
			return main_commands[i];
	}
	return NULL;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "demo", no_argument, NULL, 'D' },
		{ "help", no_argument, NULL, 'h' },
		{ "log", required_argument, NULL, 'l' },
		{ "no-wait", no_argument, NULL, 'n' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct cmd_ctx ctx = { 0 };
	const struct cmd_entry *entry;
	const char *db = NULL, *logfile = NULL;
	char *path, *cause = NULL;
	int ch, demo = 0, rc;

	setlocale(LC_ALL, "");
#if ENABLE_NLS
	bindtextdomain(PACKAGE, LOCALEDIR);
	textdomain(PACKAGE);
#endif
	/* Options stop at the command so each command parses its own. */
	while ((ch = getopt_long(argc, argv, "+hvV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			db = optarg;
			break;
		case 'D':
			demo = 1;
			break;
		case 'h':
			main_usage(stdout);
			return CMD_OK;
		case 'l':
			logfile = optarg;
			break;
		case 'n':
			ctx.no_wait = true;
			break;
		case 'v':
			ctx.verbose++;
			break;
		case 'V':
			printf("quire %s\n", PACKAGE_VERSION);
			return CMD_OK;
		default:
			main_usage(stderr);
			return CMD_USAGE;
		}
	}
	argc -= optind;
	argv += optind;

	if (logfile != NULL || ctx.verbose > 0) {
		if (log_open(logfile != NULL ? logfile : "-", ctx.verbose > 1 ?
		    LOG_LEVEL_DEBUG : LOG_LEVEL_INFO, &cause) != 0) {
			cmd_error("%s", cause);
			free(cause);
			return CMD_USAGE;
		}
	}
	if (demo) {
		if (argc > 0) {
			cmd_error(_("--demo takes no command"));
			return CMD_USAGE;
		}
		return demo_run(&ctx);
	}

	path = paths_database(db);
	ctx.db_path = path;
	if (argc == 0) {
		rc = console_run(&ctx);
	} else if ((entry = main_find(argv[0])) != NULL) {
		optind = 0;	/* GNU getopt: 0 re-initialises for a new argv */
		rc = entry->exec(&ctx, argc, argv);
	} else if (strcmp(argv[0], "help") == 0) {
		main_usage(stdout);
		rc = CMD_OK;
	} else {
		cmd_error(_("unknown command: %s (see quire --help)"), argv[0]);
		rc = CMD_USAGE;
	}
	free(path);
	log_close();
	return rc;
}
