/* `quire distribute`, shared by ui/cmd-distribute*.c. */
#ifndef QUIRE_UI_CMD_DISTRIBUTE_H
#define QUIRE_UI_CMD_DISTRIBUTE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cmd.h"
#include "distribute.h"

struct store;

/* What a job's results add up to, per setting and per printer. */
struct cmd_distribute_sum {
	size_t	counts[DISTRIBUTE_NOUTCOMES];
	size_t	printers;	/* with at least one result */
	size_t	changing;	/* printers with a would-change setting */
};

/* Print the preview of JOB per printer; fill *SUM. -1 on a store error. */
int cmd_distribute_print_preview(struct store *, int64_t job,
    struct cmd_distribute_sum *sum);
/* Print the results of JOB per printer and setting; fill *SUM. */
int cmd_distribute_print_results(struct store *, int64_t job,
    struct cmd_distribute_sum *sum);
/* The printers of JOB worth writing to: some change, or a failure. */
int cmd_distribute_write_targets(struct store *, int64_t job, int64_t **ids,
    size_t *n);
/* "NAME: rebooted" (or why not) for the printers of JOB asked to reboot. */
void cmd_distribute_print_reboots(struct store *, int64_t job);
/* `quire distribute show JOB [--printer NAME] [--format F]`. */
int cmd_distribute_show(struct cmd_ctx *, int argc, char **argv);

#endif
