/* Shared between cmd-data.c and cmd-data-store.c (quire data ...). */
#ifndef QUIRE_UI_CMD_DATA_H
#define QUIRE_UI_CMD_DATA_H

#include <stdbool.h>

#include "cmd.h"

struct catalog;
struct store;
struct vault;

extern const struct cmd_entry cmd_data_entry;

/* The settings catalog of the data directory; reports its own failure. */
int cmd_data_catalog(struct catalog **);
/* The passphrase of --passphrase-file FILE; reports its own failure. */
int cmd_data_passphrase(const char *file, char **pass);
/* The store's vault (prompting on a terminal); reports its own failure. */
int cmd_data_vault(struct store *, struct vault **);

int cmd_data_list(struct cmd_ctx *, int argc, char **argv);
int cmd_data_show(struct cmd_ctx *, int argc, char **argv);
int cmd_data_rm(struct cmd_ctx *, int argc, char **argv);
int cmd_data_export(struct cmd_ctx *, int argc, char **argv);

#endif
