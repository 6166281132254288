/*
 * The objects a simulated printer serves over SNMP: the system and snmp
 * groups, its HOST-RESOURCES-MIB device and printer rows, Printer-MIB
 * prtGeneral, marker and supplies rows, and every catalog setting with an
 * OID that the printer supports. One table, sorted by OID, is shared by the
 * fleet (read-only after sim_mib_new, so threads may share it); values are
 * read from the printer's state at each request.
 */
#ifndef QUIRE_SIM_MIB_H
#define QUIRE_SIM_MIB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim.h"
#include "sim-ber.h"

/* error-status of an SNMPv2 PDU (RFC 3416). */
enum sim_mib_error {
	SIM_MIB_NO_ERROR = 0,
	SIM_MIB_TOO_BIG = 1,
	SIM_MIB_NO_SUCH_NAME = 2,	/* v1 */
	SIM_MIB_BAD_VALUE = 3,		/* v1 */
	SIM_MIB_READ_ONLY = 4,		/* v1 */
	SIM_MIB_GEN_ERR = 5,
	SIM_MIB_NO_ACCESS = 6,
	SIM_MIB_WRONG_TYPE = 7,
	SIM_MIB_WRONG_LENGTH = 8,
	SIM_MIB_WRONG_ENCODING = 9,
	SIM_MIB_WRONG_VALUE = 10,
	SIM_MIB_NO_CREATION = 11,
	SIM_MIB_INCONSISTENT_VALUE = 12,
	SIM_MIB_RESOURCE_UNAVAILABLE = 13,
	SIM_MIB_COMMIT_FAILED = 14,
	SIM_MIB_UNDO_FAILED = 15,
	SIM_MIB_AUTHORIZATION_ERROR = 16,
	SIM_MIB_NOT_WRITABLE = 17,
	SIM_MIB_INCONSISTENT_NAME = 18,
};

/* usmStats (RFC 3414) and snmpUnknownContexts (RFC 3413) by their arc. */
enum sim_mib_usm_stat {
	SIM_MIB_UNSUPPORTED_SEC_LEVELS = 1,
	SIM_MIB_NOT_IN_TIME_WINDOWS,
	SIM_MIB_UNKNOWN_USER_NAMES,
	SIM_MIB_UNKNOWN_ENGINE_IDS,
	SIM_MIB_WRONG_DIGESTS,
	SIM_MIB_DECRYPTION_ERRORS,
	SIM_MIB_UNKNOWN_CONTEXTS,
	SIM_MIB_NSTATS
};

/* The snmp group's counters (RFC 3418) and USM's, kept per printer by the
 * agent. */
struct sim_mib_counters {
	uint32_t	 in_pkts;
	uint32_t	 in_bad_versions;
	uint32_t	 in_bad_community_names;
	uint32_t	 in_bad_community_uses;
	uint32_t	 in_asn_parse_errs;
	uint32_t	 silent_drops;
	uint32_t	 usm[SIM_MIB_NSTATS];
};

/* A value: TYPE is its BER tag (SIM_BER_*, or an exception 0x80..0x82). */
struct sim_mib_value {
	unsigned	 type;
	int64_t		 num;		/* INTEGER and the unsigned types */
	unsigned char	*str;		/* OCTET STRING, owned; may hold NULs */
	size_t		 len;
	uint32_t	*oid;		/* OBJECT IDENTIFIER, owned */
	size_t		 oidlen;
};

/* A name and its value, as requests carry them and responses return. */
struct sim_mib_varbind {
	uint32_t		 oid[SIM_BER_OID_MAX];
	size_t			 oidlen;
	struct sim_mib_value	 value;
};

/* What a printer is while the MIB answers for it. */
struct sim_mib_target {
	struct sim_printer		*printer;
	const struct sim_mib_counters	*counters;
};

struct sim_mib;

/*
 * Build the object table for FLEET (borrowed: it must outlive the table)
 * and which of its objects each printer has. 0, or -1 with *cause.
 */
int sim_mib_new(struct sim_fleet *, struct sim_mib **out, char **cause);
void sim_mib_free(struct sim_mib **);
/* How many objects printer P serves (for tests and logs). */
size_t sim_mib_count(const struct sim_mib *, const struct sim_printer *);

/*
 * GET: the value of exactly VB's OID into VB's value, or the exception
 * noSuchObject/noSuchInstance as its type.
 */
void sim_mib_get(const struct sim_mib *, const struct sim_mib_target *,
    struct sim_mib_varbind *vb);
/* GETNEXT: VB becomes the first object after its OID, or endOfMibView. */
void sim_mib_next(const struct sim_mib *, const struct sim_mib_target *,
    struct sim_mib_varbind *vb);
/*
 * SET of the N varbinds VBS, all or none (RFC 3416 4.2.5). Returns
 * SIM_MIB_NO_ERROR or the error with *bad the index of the varbind at
 * fault. *reboot tells that prtGeneralReset asked for a restart, which the
 * caller does after answering.
 */
enum sim_mib_error sim_mib_set(const struct sim_mib *,
    const struct sim_mib_target *, const struct sim_mib_varbind *vbs,
    size_t n, size_t *bad, bool *reboot);

void sim_mib_value_clear(struct sim_mib_value *);

#endif
