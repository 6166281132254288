/*
 * Running quire-sim as a child process: used by `quire --demo`, tests and
 * benchmarks. Start it with its stdout on a pipe, read the line it prints
 * for each printer up to "# ready N printers", and stop it by its PID.
 */
#ifndef QUIRE_SIMCTL_H
#define QUIRE_SIMCTL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* One printer as quire-sim prints it; any field may be NULL or 0. */
struct simctl_printer {
	char		*name;
	char		*model;
	char		*site;
	char		*serial;
	char		*snmp_host;
	unsigned	 snmp_port;
	char		*ssh_host;	/* NULL: no shell */
	unsigned	 ssh_port;
	char		*https_host;	/* NULL: no HTTPS */
	unsigned	 https_port;
	char		*community;	/* v1/v2c read community */
	char		*write_community;
	char		*v3_user;
	char		*v3_auth;	/* "MD5", "SHA", "SHA-256", "none" */
	char		*v3_auth_pass;
	char		*v3_priv;	/* "DES", "AES", "none" */
	char		*v3_priv_pass;
	char		*policy_password;
	/* Logins as printed: "user=NAME:PASSWORD", "domain=D\\U:PASSWORD",
	 * "sysmgr=ID:PIN", "password=PASSWORD". */
	char		**logins;
	size_t		 nlogins;
	char		*faults;	/* "latency_ms:150,timeout", or NULL */
};

struct simctl_options {
	const char	*fleet;		/* the fleet file */
	const char	*state_dir;
	const char	*addressing;	/* NULL: "auto" */
	const char	*log_path;	/* quire-sim's --log, or NULL */
	const char	*stderr_path;	/* NULL: inherit stderr */
	unsigned	 timeout_ms;	/* to get ready; 0: 30 s */
};

struct simctl;

/*
 * The quire-sim program to run: $QUIRE_SIM, else quire-sim beside the
 * running program, else the installed one. Owned by the caller.
 */
char *simctl_program(void);

/*
 * Start quire-sim on OPTS and read its printers until it is ready. Returns
 * 0 with an owned *OUT, or -1 with *CAUSE (caller frees) when it cannot
 * start, exits or is not ready in time (it is stopped then).
 */
int simctl_start(const struct simctl_options *, struct simctl **out,
    char **cause);
/* Stop it (SIGTERM, then SIGKILL after a grace period), reap it, free all.
 * Returns its exit status, or -1 if killed. Accepts NULL; NULLs it. */
int simctl_stop(struct simctl **);

pid_t simctl_pid(const struct simctl *);
size_t simctl_count(const struct simctl *);
/* Borrowed, valid until simctl_stop. */
const struct simctl_printer *simctl_printer(const struct simctl *, size_t);
const struct simctl_printer *simctl_find(const struct simctl *,
    const char *name);

/* Parse one printer line into P (fields owned; free with
 * simctl_printer_clear). 0, or -1 with *CAUSE on a malformed line. */
int simctl_parse_line(const char *line, struct simctl_printer *p,
    char **cause);
void simctl_printer_clear(struct simctl_printer *);

#endif
