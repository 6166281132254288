#include "config.h"

#include "console.h"

#include <stdio.h>

#include "cmd.h"

/* Placeholder until the console lands. */
int
console_run(struct cmd_ctx *ctx)
{
	cmd_error("the console is not built yet");
	return CMD_FAILED;
}
