/* The curses console. */
#ifndef QUIRE_UI_CONSOLE_H
#define QUIRE_UI_CONSOLE_H

struct cmd_ctx;

/* Run the console on the context's database until the operator quits. */
int console_run(struct cmd_ctx *);

#endif
