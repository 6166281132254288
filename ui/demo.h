/* quire --demo: a scratch database (and, with quire-sim, a demo fleet). */
#ifndef QUIRE_UI_DEMO_H
#define QUIRE_UI_DEMO_H

struct cmd_ctx;

/* Set up the demo, run the console on it, tear it down. */
int demo_run(struct cmd_ctx *);

#endif
