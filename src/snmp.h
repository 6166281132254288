/*
 * The SNMP transport, through net-snmp's single-session API (thread-safe).
 * Knows OIDs and PDUs, nothing of jobs or the store.
 */
#ifndef QUIRE_SNMP_H
#define QUIRE_SNMP_H

#include <stddef.h>

/*
 * Initialise net-snmp once per process (no MIB files, no config or
 * persistent files, its log lines go to log_debug). Idempotent and safe
 * from any thread; snmp_identify() calls it too.
 */
void snmp_transport_init(void);
/*
 * Release net-snmp's process-wide state at process end (tests, leak
 * checks). No other snmp_* function may be called afterwards.
 */
void snmp_transport_shutdown(void);

struct snmp_target {
	const char	*host;		/* IPv4/IPv6 literal or host name */
	unsigned	 port;		/* 0 means 161 */
	const char	*community;	/* v2c community */
	unsigned	 timeout_ms;	/* per attempt; 0 means 1000 */
	unsigned	 retries;
};

/* What a printer says of itself; absent objects stay NULL. Sanitised text. */
struct snmp_identity {
	char	*sys_descr;		/* 1.3.6.1.2.1.1.1.0 */
	char	*sys_object_id;		/* 1.3.6.1.2.1.1.2.0, dotted */
	char	*sys_name;		/* 1.3.6.1.2.1.1.5.0 */
	char	*hr_device_descr;	/* hrDeviceDescr of the printer device */
	char	*serial;		/* prtGeneralSerialNumber */
};

/*
 * Ask TARGET for its identity over SNMP v2c, filling *ID (overwritten; free
 * it with snmp_identity_clear). Returns 0, or -1 with *ID empty and *cause
 * ("no answer (wrong community or unreachable): timeout after 3 attempts of
 * 1000 ms", "the system group request was refused: authorizationError ...");
 * the cause never holds the community. Never waits longer than
 * timeout_ms * (retries + 1) per request.
 */
int snmp_identify(const struct snmp_target *, struct snmp_identity *id,
    char **cause);
/* Free the strings of ID and set them to NULL; ID itself is the caller's. */
void snmp_identity_clear(struct snmp_identity *id);

#endif
