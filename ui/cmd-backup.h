/*
 * `quire backup`: cmd-backup.c runs backups, retention and schedules;
 * cmd-backup-history.c lists, shows, diffs and exports them.
 */
#ifndef QUIRE_CMD_BACKUP_H
#define QUIRE_CMD_BACKUP_H

#include <stddef.h>
#include <stdint.h>

#include "cmd.h"

struct store;

/* The subcommands, on ARGV after "backup" (ARGV[0] is their name). */
int cmd_backup_list(struct cmd_ctx *, struct store *, int argc, char **argv);
int cmd_backup_show(struct cmd_ctx *, struct store *, int argc, char **argv);
int cmd_backup_diff(struct cmd_ctx *, struct store *, int argc, char **argv);
int cmd_backup_export(struct cmd_ctx *, struct store *, int argc,
    char **argv);


#endif
