/*
 * The SSH side of quire-sim: every printer whose model has the management
 * shell gets its own SSH endpoint (libssh's server API) with its own
 * ed25519 host key, kept under STATE/hostkeys/NAME. Logins are the kinds
 * the printer is configured with: "password" for User, Domain (DOMAIN\user)
 * and Password Authentication, "keyboard-interactive" for System Manager ID
 * ("System Manager ID: " then "PIN: "). One exec request per channel runs
 * one shell command (sim-shell.h); PTY, shell and subsystems are refused.
 */
#ifndef QUIRE_SIM_SSH_H
#define QUIRE_SIM_SSH_H

#include "sim.h"

struct sim_ssh;

/*
 * Listen for every shell printer of FLEET (its state opened) at
 * sim_printer_host():sim_printer_ssh_port(), recording kernel-chosen ports
 * with sim_printer_set_port() before returning, and serve them on threads.
 * Returns 0 with *OUT (free with sim_ssh_stop) or -1 with *CAUSE.
 */
int sim_ssh_start(struct sim_fleet *fleet, struct sim_ssh **out,
    char **cause);
/* Stop listening, end every session and wait for their threads. Accepts
 * NULL; NULLs the pointer. */
void sim_ssh_stop(struct sim_ssh **);

#endif
