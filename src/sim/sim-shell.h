/*
 * The management shell of a simulated printer, modelled on the command
 * shells printers have (Ricoh's msh and the like), with YAML payloads. One
 * command line per call (words split as a POSIX shell would, quotes and
 * backslashes included). Served by sim-ssh (one exec channel per command)
 * and by `quire-sim shell` under sshd's ForceCommand.
 *
 *   settings export [CATEGORY...]   setting data (DESIGN.md section 2) of
 *                                   every supported setting with a shell
 *                                   key; secrets are left out (write-only)
 *   settings import < DATA          per-setting results: applied,
 *                                   unchanged, corrected (with the value
 *                                   held; see sim-shell-value.c), rejected
 *                                   or unsupported (with a reason); exit 1
 *                                   when any was rejected. Name and model
 *                                   of the data are not checked.
 *   settings get KEY...             KEY: value; unknown keys and secrets
 *                                   are errors
 *   cert list | show NAME | csr NAME SUBJECT | use NAME | delete NAME
 *   cert import NAME < PEM          certificate (+ chain) + unencrypted key,
 *                                   or no key for a CSR made here
 *   cert import NAME --p12 < P12    first line the password, then the DER
 *   policy show                     the security category, password_set,
 *                                   applied (times the policy was applied)
 *   policy apply < PASSWORD DATA    security settings only, all or none
 *   policy passwd < OLD NEW         one line each
 *   device info | device reboot | help
 *
 * The payload is at most SIM_SHELL_PAYLOAD_MAX bytes; a YAML error names
 * stdin:LINE:COLUMN. `cert csr` writes PEM, every other reply YAML.
 */
#ifndef QUIRE_SIM_SHELL_H
#define QUIRE_SIM_SHELL_H

#include "sim.h"

/* The most a payload on stdin may hold. */
#define SIM_SHELL_PAYLOAD_MAX	(1024 * 1024)

/*
 * Run COMMAND on printer P of FLEET: read a payload from IN_FD when the
 * command takes one, write YAML to OUT_FD and an error message to ERR_FD.
 * Returns the exit status: 0 done, 1 failed (or some settings rejected), 2
 * usage. Closes no descriptor. Thread-safe (one call per thread).
 */
int sim_shell_run(struct sim_fleet *fleet, struct sim_printer *p,
    const char *command, int in_fd, int out_fd, int err_fd);

#endif
