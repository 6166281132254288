/*
 * quire-sim's HTTPS ports: every printer whose model has https listens on
 * its host and port and presents its current certificate (sim.h's
 * sim_cert_current) at each TLS handshake, then answers one small status
 * page and closes. Nothing answers while a printer reboots.
 */
#ifndef QUIRE_SIM_HTTPS_H
#define QUIRE_SIM_HTTPS_H

struct sim_fleet;
struct sim_https;

/*
 * Bind every port (recording kernel-chosen ones with sim_printer_set_port)
 * and start serving in threads. Returns 0 with an owned *OUT, or -1 with
 * *CAUSE (caller frees) and nothing left running.
 */
int sim_https_start(struct sim_fleet *, struct sim_https **out,
    char **cause);
/* Stop serving, close every port and join the threads; accepts NULL. */
void sim_https_stop(struct sim_https **);

#endif
