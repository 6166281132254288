/* Inside the MIB: the object table that sim-mib.c builds and reads and
 * sim-mib-set.c writes through. */
#ifndef QUIRE_SIM_MIB_INT_H
#define QUIRE_SIM_MIB_INT_H

#include "sim-mib.h"

/* The longest OID of an object in the table (prtMarkerSupplies: 14). */
#define SIM_MIB_OID_LEN		32

enum sim_mib_kind {
	SIM_MIB_SETTING,	/* a catalog setting */
	SIM_MIB_CONST,		/* TYPE with ARG (numbers) or TEXT */
	SIM_MIB_DESCR,		/* the model's description */
	SIM_MIB_OBJECT_ID,	/* the model's sysObjectID */
	SIM_MIB_UPTIME,
	SIM_MIB_COUNTER,	/* snmp group: ARG is the offset in counters */
	SIM_MIB_DEVICE_STATUS,
	SIM_MIB_PRINTER_STATUS,
	SIM_MIB_ERROR_STATE,
	SIM_MIB_CONFIG_CHANGES,
	SIM_MIB_RESET,		/* prtGeneralReset, writable */
	SIM_MIB_SERIAL,
	SIM_MIB_LIFE_COUNT,
	SIM_MIB_SUPPLY_LEVEL,	/* ARG: the supplies row */
	SIM_MIB_ENGINE_ID,
	SIM_MIB_ENGINE_BOOTS,
	SIM_MIB_ENGINE_TIME,
};

struct sim_mib_entry {
	uint32_t			 oid[SIM_MIB_OID_LEN];
	size_t				 oidlen;
	size_t				 typelen; /* the object type, sans index */
	enum sim_mib_kind		 kind;
	unsigned			 type;	/* SIM_BER_* */
	int64_t				 arg;
	const char			*text;
	const struct catalog_setting	*setting;
	size_t				 slot;	/* settings: bit in sim_mib.have */
};

struct sim_mib {
	struct sim_fleet	*fleet;
	struct sim_mib_entry	*entries;	/* sorted by OID */
	size_t			 n;
	size_t			 nslots;	/* setting entries */
	size_t			 stride;	/* bytes of have per printer */
	unsigned char		*have;		/* printer x slot bits */
};

/* The entry of exactly OID that printer P has, or NULL. */
const struct sim_mib_entry *sim_mib_find(const struct sim_mib *,
    const struct sim_printer *, const uint32_t *oid, size_t n);

#endif
