/*
 * quire-sim: a fleet of simulated printers in the foreground until SIGTERM,
 * its listing (--list), and `quire-sim shell`, one management-shell command
 * for sshd's ForceCommand.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "catalog.h"
#include "log.h"
#include "paths.h"
#include "sim-https.h"
#include "sim.h"
#include "xmalloc.h"

/*
 * The SNMP agent and the SSH server and shell are the other engineers'
 * parts. Weak references let this program build and run (without them)
 * before their sources are linked in.
 */
#if __has_include("sim-snmp.h")
#include "sim-snmp.h"
#else
struct sim_snmp;
int sim_snmp_start(struct sim_fleet *, struct sim_snmp **, char **);
void sim_snmp_stop(struct sim_snmp **);
#endif
#if __has_include("sim-ssh.h")
#include "sim-ssh.h"
#else
struct sim_ssh;
int sim_ssh_start(struct sim_fleet *, struct sim_ssh **, char **);
void sim_ssh_stop(struct sim_ssh **);
#endif
#if __has_include("sim-shell.h")
#include "sim-shell.h"
#else
int sim_shell_run(struct sim_fleet *, struct sim_printer *, const char *,
    int, int, int);
#endif
#pragma weak sim_snmp_start
#pragma weak sim_snmp_stop
#pragma weak sim_ssh_start
#pragma weak sim_ssh_stop
#pragma weak sim_shell_run

#define SIM_MAIN_OK	0
#define SIM_MAIN_FAILED	1
#define SIM_MAIN_USAGE	2

struct sim_main_args {
	const char		*fleet;
	const char		*state;
	const char		*printer;	/* shell */
	const char		*logfile;
	int			 verbose;
	bool			 list;
	struct sim_options	 opts;
};

struct sim_main_run {
	struct catalog		*catalog;
	struct sim_fleet	*fleet;
	struct sim_snmp		*snmp;
	struct sim_ssh		*ssh;
	struct sim_https	*https;
};

static void
sim_main_usage(FILE *fp)
{
	fputs("usage: quire-sim --fleet FILE [--state DIR] [--list] [-v] "
	    "[--log FILE]\n"
	    "         [--addressing loopback|ports|auto] [--base ADDR]\n"
	    "         [--snmp-port N] [--ssh-port N] [--https-port N]\n"
	    "       quire-sim shell --printer NAME --fleet FILE --state DIR "
	    "[addressing options] [COMMAND...]\n", fp);
}

static int
sim_main_port(const char *s, unsigned *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || *s == '\0' || *end != '\0' || v > 65535) {
		fprintf(stderr, "quire-sim: bad port %s\n", s);
		return -1;
	}
	*out = (unsigned)v;
	return 0;
}

static int
sim_main_addressing(const char *s, struct sim_options *o)
{
	if (strcmp(s, "loopback") == 0)
		o->addressing = SIM_ADDR_LOOPBACK;
	else if (strcmp(s, "ports") == 0)
		o->addressing = SIM_ADDR_PORTS;
	else if (strcmp(s, "auto") == 0)
		o->addressing = SIM_ADDR_AUTO_PORTS;
	else {
		fprintf(stderr, "quire-sim: --addressing takes loopback, "
		    "ports or auto\n");
		return -1;
	}
	o->addressing_set = true;
	return 0;
}

/* One option; -1 on a bad one. */
static int
sim_main_option(int ch, struct sim_main_args *a)
{
	switch (ch) {
	case 'f': a->fleet = optarg; return 0;
	case 's': a->state = optarg; return 0;
	case 'p': a->printer = optarg; return 0;
	case 'l': a->logfile = optarg; return 0;
	case 'L': a->list = true; return 0;
	case 'v': a->verbose++; return 0;
	case 'a': return sim_main_addressing(optarg, &a->opts);
	case 'b': a->opts.base = optarg; return 0;
	case '1': return sim_main_port(optarg, &a->opts.snmp_port);
	case '2': return sim_main_port(optarg, &a->opts.ssh_port);
	case '3': return sim_main_port(optarg, &a->opts.https_port);
	default: return -1;
	}
}

static int
sim_main_parse(int argc, char **argv, struct sim_main_args *a)
{
	static const struct option longopts[] = {
		{ "fleet", required_argument, NULL, 'f' },
		{ "state", required_argument, NULL, 's' },
		{ "printer", required_argument, NULL, 'p' },
		{ "log", required_argument, NULL, 'l' },
		{ "list", no_argument, NULL, 'L' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "addressing", required_argument, NULL, 'a' },
		{ "base", required_argument, NULL, 'b' },
		{ "snmp-port", required_argument, NULL, '1' },
		{ "ssh-port", required_argument, NULL, '2' },
		{ "https-port", required_argument, NULL, '3' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int ch;

	while ((ch = getopt_long(argc, argv, "+hv", longopts, NULL)) != -1) {
		if (ch == 'h') {
			sim_main_usage(stdout);
			exit(SIM_MAIN_OK);
		}
		if (sim_main_option(ch, a) != 0) {
			sim_main_usage(stderr);
			return -1;
		}
	}
	if (a->fleet == NULL) {
		fputs("quire-sim: --fleet FILE is required\n", stderr);
		return -1;
	}
	return 0;
}

/* Load the catalog and the fleet; 0 or -1 (reported). */
static int
sim_main_load(const struct sim_main_args *a, struct sim_main_run *r)
{
	char *data = paths_data_dir(), *dir, *cause = NULL;
	int rc;

	dir = xasprintf("%s/catalog", data);
	free(data);
	rc = catalog_load_dir(dir, &r->catalog, &cause);
	free(dir);
	if (rc == 0)
		rc = sim_fleet_load(a->fleet, r->catalog, &a->opts, &r->fleet,
		    &cause);
	if (rc != 0) {
		fprintf(stderr, "quire-sim: %s\n", cause);
		free(cause);
	}
	return rc;
}

static void
sim_main_unload(struct sim_main_run *r)
{
	sim_fleet_free(&r->fleet);
	catalog_free(&r->catalog);
}

static int
sim_main_log(const struct sim_main_args *a)
{
	char *cause = NULL;

	if (a->logfile == NULL && a->verbose == 0)
		return 0;
	if (log_open(a->logfile != NULL ? a->logfile : "-", a->verbose > 1 ?
	    LOG_LEVEL_DEBUG : LOG_LEVEL_INFO, &cause) == 0)
		return 0;
	fprintf(stderr, "quire-sim: %s\n", cause);
	free(cause);
	return -1;
}

/* Print every printer's line; with READY, the final "# ready" line. */
static int
sim_main_print(struct sim_fleet *fleet, bool ready)
{
	size_t i, n = sim_fleet_count(fleet);
	char *line;

	for (i = 0; i < n; i++) {
		line = sim_printer_describe(sim_fleet_printer(fleet, i));
		puts(line);
		free(line);
	}
	if (ready)
		printf("# ready %zu printers\n", n);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "quire-sim: stdout: %s\n", strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * 10,000 printers need some 30,000 descriptors (SNMP, SSH, HTTPS): raise
 * the soft limit to the hard one, and as root the hard one as well.
 */
static void
sim_main_nofile(size_t nprinters)
{
	rlim_t want = (rlim_t)nprinters * 3 + 1024;
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return;
	if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < want) {
		struct rlimit more = { want, want };

		if (setrlimit(RLIMIT_NOFILE, &more) == 0)
			return;
	}
	if (rl.rlim_cur == rl.rlim_max)
		return;
	rl.rlim_cur = rl.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
		log_warn("setrlimit: %s", strerror(errno));
}

/* Start what is built; 0 or -1 with *cause. */
static int
sim_main_start(struct sim_main_run *r, char **cause)
{
	if (sim_snmp_start != NULL) {
		if (sim_snmp_start(r->fleet, &r->snmp, cause) != 0)
			return -1;
	} else
		fputs("quire-sim: built without the SNMP agent\n", stderr);
	if (sim_ssh_start != NULL) {
		if (sim_ssh_start(r->fleet, &r->ssh, cause) != 0)
			return -1;
	} else
		fputs("quire-sim: built without the SSH server\n", stderr);
	return sim_https_start(r->fleet, &r->https, cause);
}

static void
sim_main_stop(struct sim_main_run *r)
{
	sim_https_stop(&r->https);
	if (r->ssh != NULL && sim_ssh_stop != NULL)
		sim_ssh_stop(&r->ssh);
	if (r->snmp != NULL && sim_snmp_stop != NULL)
		sim_snmp_stop(&r->snmp);
}

/* Serve until SIGTERM or SIGINT (blocked in every thread, taken here). */
static int
sim_main_serve(const struct sim_main_args *a, struct sim_main_run *r)
{
	char *cause = NULL;
	sigset_t set;
	int sig, rc = SIM_MAIN_FAILED;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	sim_main_nofile(sim_fleet_count(r->fleet));
	if (sim_fleet_open_state(r->fleet, a->state, &cause) != 0 ||
	    sim_main_start(r, &cause) != 0) {
		fprintf(stderr, "quire-sim: %s\n", cause);
		free(cause);
		sim_main_stop(r);
		return SIM_MAIN_FAILED;
	}
	if (sim_main_print(r->fleet, true) == 0) {
		log_info("ready: %zu printers", sim_fleet_count(r->fleet));
		while (sigwait(&set, &sig) != 0)
			;
		log_info("stopping on signal %d", sig);
		rc = SIM_MAIN_OK;
	}
	sim_main_stop(r);
	return rc;
}

/* The command: the arguments joined, else what sshd was asked to run. */
static char *
sim_main_command(int argc, char **argv)
{
	const char *env = getenv("SSH_ORIGINAL_COMMAND");
	size_t len = 0;
	char *s;
	int i;

	if (argc == 0)
		return env != NULL ? xstrdup(env) : NULL;
	for (i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	s = xcalloc(1, len + 1);
	for (i = 0; i < argc; i++) {
		if (i > 0)
			strcat(s, " ");
		strcat(s, argv[i]);
	}
	return s;
}

static int
sim_main_shell_run(const struct sim_main_args *a, struct sim_main_run *r,
    const char *command)
{
	struct sim_printer *p;
	char *cause = NULL;

	if ((p = sim_fleet_find(r->fleet, a->printer)) == NULL) {
		fprintf(stderr, "quire-sim: no printer %s in %s\n",
		    a->printer, a->fleet);
		return SIM_MAIN_USAGE;
	}
	if (sim_fleet_attach_state(r->fleet, a->state, &cause) != 0) {
		fprintf(stderr, "quire-sim: %s\n", cause);
		free(cause);
		return SIM_MAIN_FAILED;
	}
	if (sim_shell_run == NULL) {
		fputs("quire-sim: built without the shell\n", stderr);
		return SIM_MAIN_FAILED;
	}
	return sim_shell_run(r->fleet, p, command, STDIN_FILENO,
	    STDOUT_FILENO, STDERR_FILENO);
}

/* quire-sim shell --printer NAME --fleet FILE --state DIR [COMMAND...] */
static int
sim_main_shell(int argc, char **argv)
{
	struct sim_main_args a = { 0 };
	struct sim_main_run r = { 0 };
	char *command;
	int rc;

	if (sim_main_parse(argc, argv, &a) != 0)
		return SIM_MAIN_USAGE;
	if (a.printer == NULL || a.state == NULL || a.list) {
		fputs("quire-sim: shell needs --printer NAME and --state DIR\n",
		    stderr);
		return SIM_MAIN_USAGE;
	}
	if ((command = sim_main_command(argc - optind, argv + optind)) ==
	    NULL) {
		fputs("quire-sim: shell: no command (nor "
		    "SSH_ORIGINAL_COMMAND)\n", stderr);
		return SIM_MAIN_USAGE;
	}
	if (sim_main_log(&a) != 0 || sim_main_load(&a, &r) != 0)
		rc = SIM_MAIN_FAILED;
	else
		rc = sim_main_shell_run(&a, &r, command);
	sim_main_unload(&r);
	free(command);
	log_close();
	return rc;
}

int
main(int argc, char **argv)
{
	struct sim_main_args a = { 0 };
	struct sim_main_run r = { 0 };
	int rc;

	signal(SIGPIPE, SIG_IGN);
	if (argc > 1 && strcmp(argv[1], "shell") == 0)
		return sim_main_shell(argc - 1, argv + 1);
	if (sim_main_parse(argc, argv, &a) != 0)
		return SIM_MAIN_USAGE;
	if (optind != argc || (!a.list && a.state == NULL)) {
		fputs("quire-sim: --state DIR is required (or --list)\n",
		    stderr);
		return SIM_MAIN_USAGE;
	}
	if (sim_main_log(&a) != 0)
		return SIM_MAIN_USAGE;
	if (sim_main_load(&a, &r) != 0)
		rc = SIM_MAIN_FAILED;
	else if (a.list)
		rc = sim_main_print(r.fleet, false) == 0 ? SIM_MAIN_OK :
		    SIM_MAIN_FAILED;
	else
		rc = sim_main_serve(&a, &r);
	sim_main_unload(&r);
	log_close();
	return rc;
}
