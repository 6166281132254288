#include "config.h"

#include <stdio.h>

/* Placeholder until the simulator's core lands. */
int
main(void)
{
	fputs("quire-sim: not built yet\n", stderr);
	return 2;
}
