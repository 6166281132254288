/*
 * Command-line front end: one file per command family (cmd-printer.c, ...),
 * each exporting one const entry, found by name from main.c.
 */
#ifndef QUIRE_UI_CMD_H
#define QUIRE_UI_CMD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "i18n.h"

struct store;

/* Exit statuses: everything done, some targets failed, usage or input. */
#define CMD_OK		0
#define CMD_FAILED	1
#define CMD_USAGE	2

struct cmd_ctx {
	const char	*db_path;	/* resolved database path */
	int		 verbose;
	bool		 no_wait;	/* --no-wait: print the job id and return */
};

struct cmd_entry {
	const char	*name;
	const char	*usage;		/* after "quire NAME " */
	const char	*summary;
	int		(*exec)(struct cmd_ctx *, int argc, char **argv);
};

extern const struct cmd_entry cmd_printer_entry;
extern const struct cmd_entry cmd_catalog_entry;
extern const struct cmd_entry cmd_check_entry;
extern const struct cmd_entry cmd_backup_entry;
extern const struct cmd_entry cmd_job_entry;
extern const struct cmd_entry cmd_engine_entry;
extern const struct cmd_entry cmd_credential_entry;
extern const struct cmd_entry cmd_hostkey_entry;
extern const struct cmd_entry cmd_data_entry;
extern const struct cmd_entry cmd_distribute_entry;

/*
 * WHEN as ms since the epoch: relative ("45s", "30m", "2h", "3d", "2w"
 * ago) or local "YYYY-MM-DD[( |T)HH:MM[:SS]]"; -1 if it is neither.
 */
int64_t cmd_parse_when(const char *when);

/* MS since the epoch as local "YYYY-MM-DD HH:MM:SS" ("-" for none). */
#define CMD_TIME_LEN	32
void cmd_time(int64_t ms, char *buf, size_t len);

/* A job's or a backup's id from S; -1 after saying what is wrong. */
int cmd_job_id(const char *s, int64_t *id);
int cmd_backup_id(const char *s, int64_t *id);

/* Print "quire: " + message to stderr. */
void cmd_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print the usage line of ENTRY to stderr and return CMD_USAGE. */
int cmd_usage(const struct cmd_entry *entry);
/* Open the store, reporting failure; returns 0 or -1. */
int cmd_open_store(struct cmd_ctx *, struct store **);
/* Wait for JOB, drawing progress on a terminal; CMD_OK or CMD_FAILED. */
int cmd_wait_job(struct cmd_ctx *, struct store *, int64_t job_id);

#endif
