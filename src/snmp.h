/*
 * The SNMP transport, through net-snmp's single-session API (thread-safe).
 * Knows OIDs and PDUs, nothing of jobs or the store.
 */
#ifndef QUIRE_SNMP_H
#define QUIRE_SNMP_H

#include <stddef.h>

/* Initialise net-snmp once per process, before any thread uses it. */
void snmp_transport_init(void);

struct snmp_target {
	const char	*host;		/* IPv4/IPv6 literal or host name */
	unsigned	 port;
	const char	*community;	/* v2c community */
	unsigned	 timeout_ms;	/* per attempt */
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
 * Ask TARGET for its identity over SNMP v2c. Returns 0, or -1 with *cause
 * ("timeout after 3 attempts of 1000 ms", "authorization error", ...).
 * Never waits longer than timeout_ms * (retries + 1) per request.
 */
int snmp_identify(const struct snmp_target *, struct snmp_identity *,
    char **cause);
void snmp_identity_clear(struct snmp_identity *);

#endif
