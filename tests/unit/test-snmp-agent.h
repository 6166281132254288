/*
 * A real net-snmp snmpd for the SNMP transport's tests: started on free
 * loopback ports (127.0.0.1, and ::1 where it can be bound) from a
 * generated configuration in a fresh directory, stopped by PID.
 */
#ifndef QUIRE_TEST_SNMP_AGENT_H
#define QUIRE_TEST_SNMP_AGENT_H

#include <sys/types.h>

#include <limits.h>
#include <stddef.h>

#include "snmp.h"

#define TEST_SNMP_DESCR		"quire test agent 1.0 (net-snmp)"

/* One snmpd a test started. */
struct test_snmpd {
	char		 dir[PATH_MAX];
	pid_t		 pid;
	unsigned	 port;
	unsigned	 port6;		/* 0 when ::1 cannot be bound */
};

/* Leave sysContact and sysLocation out of snmpd.conf: then SET works. */
#define TEST_SNMPD_WRITABLE	0x1

/*
 * Start snmpd with sysName SYS_NAME, communities public (ro) and private
 * (rw), and the EXTRA configuration lines (or NULL); wait (a hang guard of
 * ~15 s) until it answers. A port taken meanwhile is retried. 0 or -1.
 */
int test_snmpd_start(struct test_snmpd *d, const char *sys_name,
    const char *extra, int flags);
/* Stop the agent by PID (TERM, then KILL) and remove its directory. */
void test_snmpd_stop(struct test_snmpd *d);

/* What a callback saw, copied out of the borrowed result. */
struct test_snmp_seen {
	int			 calls;
	enum snmp_fail		 fail;
	char			*cause;
	long			 error_status;
	long			 error_index;
	size_t			 nvbs;
	char			*oids[64];
	char			*texts[64];
	enum snmp_type		 types[64];
	int			 hex[64];
};

/* A key for C, failing the test if it cannot be made. */
struct snmp_key *test_snmp_key(const struct snmp_cred *c);
struct snmp_key *test_snmp_community(enum snmp_version v,
    const char *community);
void test_snmp_seen_clear(struct test_snmp_seen *s);
/* A snmp_done_cb that copies the result into ARG (a test_snmp_seen). */
void test_snmp_record(const struct snmp_result *r, void *arg);
/* A request to 127.0.0.1:PORT (2000 ms, 1 retry) recording into S. */
void test_snmp_request(struct snmp_request *r, unsigned port,
    struct snmp_key *key, enum snmp_op op, const char * const *oids,
    size_t n, struct test_snmp_seen *s);
/* Run R alone in a new pool, to the end. */
void test_snmp_run_one(struct snmp_request *r);
/* GET sysName and sysDescr of the agent at PORT: NAME and the test descr. */
void test_snmp_get_name(unsigned port, struct snmp_key *key,
    const char *name);

#endif
