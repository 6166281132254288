/*
 * quire-sim's SNMP agent: one UDP socket per printer, each printer its own
 * SNMP engine (engine ID, boots, time) with its own communities and USM
 * user, served by worker threads over epoll. v1, v2c and v3 (USM: MD5, SHA,
 * SHA-256; DES, AES); the objects are those of sim-mib.h. Honours the
 * printer's fault knobs: latency, loss, timeout, down while rebooting.
 */
#ifndef QUIRE_SIM_SNMP_H
#define QUIRE_SIM_SNMP_H

#include "sim.h"

struct sim_snmp;

/*
 * Bind every printer of FLEET (borrowed: it must outlive the agent) at
 * sim_printer_host():sim_printer_snmp_port() (port 0: the kernel chooses,
 * recorded with sim_printer_set_port before this returns) and start
 * serving. Returns 0 with an owned agent in *OUT, or -1 with *CAUSE
 * (caller frees) and nothing left open.
 */
int sim_snmp_start(struct sim_fleet *, struct sim_snmp **out, char **cause);
/* Stop the threads and close every socket; accepts NULL, NULLs it. */
void sim_snmp_stop(struct sim_snmp **);

#endif
