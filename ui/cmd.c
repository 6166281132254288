#include "config.h"

#include "cmd.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "store.h"

void
cmd_error(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("quire: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int
cmd_usage(const struct cmd_entry *entry)
{
	fprintf(stderr, _("usage: quire %s %s\n"), entry->name,
	    _(entry->usage));
	return CMD_USAGE;
}

int
cmd_open_store(struct cmd_ctx *ctx, struct store **st)
{
	char *cause = NULL;

	if (store_open(ctx->db_path, st, &cause) != 0) {
		cmd_error("%s", cause);
		free(cause);
		return -1;
	}
	return 0;
}
