#include "config.h"

#include "sim-mib.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim-mib-int.h"
#include "xmalloc.h"

/* Toner below this percentage raises lowToner and hrDeviceStatus warning. */
#define SIM_MIB_TONER_LOW	10

/* An object every printer has, whatever its model and catalog. */
struct sim_mib_fixed {
	const char		*oid;
	enum sim_mib_kind	 kind;
	unsigned		 type;
	int64_t			 arg;
	const char		*text;
};

#define SIM_MIB_CTR(o, f) { o, SIM_MIB_COUNTER, SIM_BER_COUNTER32, \
	offsetof(struct sim_mib_counters, f), NULL }
#define SIM_MIB_INT(o, v) { o, SIM_MIB_CONST, SIM_BER_INTEGER, v, NULL }
#define SIM_MIB_C32(o, v) { o, SIM_MIB_CONST, SIM_BER_COUNTER32, v, NULL }
#define SIM_MIB_STR(o, s) { o, SIM_MIB_CONST, SIM_BER_OCTETS, 0, s }
#define SIM_MIB_OIDV(o, s) { o, SIM_MIB_CONST, SIM_BER_OID, 0, s }
#define SIM_MIB_FN(o, k, t, a) { o, k, t, a, NULL }

/* sysContact, sysName, sysLocation and the writable prtGeneral columns
 * come from the catalog. hrDeviceIndex 1 is the printer. */
static const struct sim_mib_fixed sim_mib_fixed[] = {
	SIM_MIB_FN("1.3.6.1.2.1.1.1.0", SIM_MIB_DESCR, SIM_BER_OCTETS, 0),
	SIM_MIB_FN("1.3.6.1.2.1.1.2.0", SIM_MIB_OBJECT_ID, SIM_BER_OID, 0),
	SIM_MIB_FN("1.3.6.1.2.1.1.3.0", SIM_MIB_UPTIME, SIM_BER_TIMETICKS, 0),
	SIM_MIB_INT("1.3.6.1.2.1.1.7.0", 72),
	SIM_MIB_CTR("1.3.6.1.2.1.11.1.0", in_pkts),
	SIM_MIB_CTR("1.3.6.1.2.1.11.3.0", in_bad_versions),
	SIM_MIB_CTR("1.3.6.1.2.1.11.4.0", in_bad_community_names),
	SIM_MIB_CTR("1.3.6.1.2.1.11.5.0", in_bad_community_uses),
	SIM_MIB_CTR("1.3.6.1.2.1.11.6.0", in_asn_parse_errs),
	SIM_MIB_INT("1.3.6.1.2.1.11.30.0", 2),
	SIM_MIB_CTR("1.3.6.1.2.1.11.31.0", silent_drops),
	SIM_MIB_C32("1.3.6.1.2.1.11.32.0", 0),
	SIM_MIB_INT("1.3.6.1.2.1.25.3.2.1.1.1", 1),
	/* SNMP-FRAMEWORK-MIB snmpEngine, USM's usmStats. */
	SIM_MIB_FN("1.3.6.1.6.3.10.2.1.1.0", SIM_MIB_ENGINE_ID, SIM_BER_OCTETS, 0),
	SIM_MIB_FN("1.3.6.1.6.3.10.2.1.2.0", SIM_MIB_ENGINE_BOOTS,
	    SIM_BER_INTEGER, 0),
	SIM_MIB_FN("1.3.6.1.6.3.10.2.1.3.0", SIM_MIB_ENGINE_TIME,
	    SIM_BER_INTEGER, 0),
	SIM_MIB_INT("1.3.6.1.6.3.10.2.1.4.0", 65507),
	SIM_MIB_CTR("1.3.6.1.6.3.12.1.5.0", usm[SIM_MIB_UNKNOWN_CONTEXTS]),
	SIM_MIB_CTR("1.3.6.1.6.3.15.1.1.1.0", usm[SIM_MIB_UNSUPPORTED_SEC_LEVELS]),
	SIM_MIB_CTR("1.3.6.1.6.3.15.1.1.2.0", usm[SIM_MIB_NOT_IN_TIME_WINDOWS]),
	SIM_MIB_CTR("1.3.6.1.6.3.15.1.1.3.0", usm[SIM_MIB_UNKNOWN_USER_NAMES]),
	SIM_MIB_CTR("1.3.6.1.6.3.15.1.1.4.0", usm[SIM_MIB_UNKNOWN_ENGINE_IDS]),
	SIM_MIB_CTR("1.3.6.1.6.3.15.1.1.5.0", usm[SIM_MIB_WRONG_DIGESTS]),
	SIM_MIB_CTR("1.3.6.1.6.3.15.1.1.6.0", usm[SIM_MIB_DECRYPTION_ERRORS]),
	SIM_MIB_OIDV("1.3.6.1.2.1.25.3.2.1.2.1", "1.3.6.1.2.1.25.3.1.5"),
	SIM_MIB_FN("1.3.6.1.2.1.25.3.2.1.3.1", SIM_MIB_DESCR, SIM_BER_OCTETS, 0),
	SIM_MIB_OIDV("1.3.6.1.2.1.25.3.2.1.4.1", "0.0"),
	SIM_MIB_FN("1.3.6.1.2.1.25.3.2.1.5.1", SIM_MIB_DEVICE_STATUS,
	    SIM_BER_INTEGER, 0),
	SIM_MIB_C32("1.3.6.1.2.1.25.3.2.1.6.1", 0),
	SIM_MIB_FN("1.3.6.1.2.1.25.3.5.1.1.1", SIM_MIB_PRINTER_STATUS,
	    SIM_BER_INTEGER, 0),
	SIM_MIB_FN("1.3.6.1.2.1.25.3.5.1.2.1", SIM_MIB_ERROR_STATE,
	    SIM_BER_OCTETS, 0),
	SIM_MIB_FN("1.3.6.1.2.1.43.5.1.1.1.1", SIM_MIB_CONFIG_CHANGES,
	    SIM_BER_COUNTER32, 0),
	SIM_MIB_INT("1.3.6.1.2.1.43.5.1.1.2.1", 1),
	SIM_MIB_FN("1.3.6.1.2.1.43.5.1.1.3.1", SIM_MIB_RESET, SIM_BER_INTEGER, 0),
	SIM_MIB_INT("1.3.6.1.2.1.43.5.1.1.6.1", 1),
	SIM_MIB_INT("1.3.6.1.2.1.43.5.1.1.7.1", 1),
	SIM_MIB_INT("1.3.6.1.2.1.43.5.1.1.8.1", 1),
	SIM_MIB_INT("1.3.6.1.2.1.43.5.1.1.9.1", 1),
	SIM_MIB_INT("1.3.6.1.2.1.43.5.1.1.10.1", 1),
	SIM_MIB_INT("1.3.6.1.2.1.43.5.1.1.11.1", 4),
	SIM_MIB_INT("1.3.6.1.2.1.43.5.1.1.12.1", 40),
	SIM_MIB_FN("1.3.6.1.2.1.43.5.1.1.17.1", SIM_MIB_SERIAL, SIM_BER_OCTETS, 0),
	SIM_MIB_C32("1.3.6.1.2.1.43.5.1.1.18.1", 0),
	SIM_MIB_C32("1.3.6.1.2.1.43.5.1.1.19.1", 0),
	/* prtMarkerTable row 1.1: electrophotographic laser, impressions. */
	SIM_MIB_INT("1.3.6.1.2.1.43.10.2.1.2.1.1", 4),
	SIM_MIB_INT("1.3.6.1.2.1.43.10.2.1.3.1.1", 7),
	SIM_MIB_FN("1.3.6.1.2.1.43.10.2.1.4.1.1", SIM_MIB_LIFE_COUNT,
	    SIM_BER_COUNTER32, 0),
	/* prtMarkerSuppliesTable rows 1.1 (toner) and 1.2 (waste toner). */
	SIM_MIB_INT("1.3.6.1.2.1.43.11.1.1.2.1.1", 1),
	SIM_MIB_INT("1.3.6.1.2.1.43.11.1.1.2.1.2", 1),
	SIM_MIB_INT("1.3.6.1.2.1.43.11.1.1.4.1.1", 3),
	SIM_MIB_INT("1.3.6.1.2.1.43.11.1.1.4.1.2", 4),
	SIM_MIB_INT("1.3.6.1.2.1.43.11.1.1.5.1.1", 3),
	SIM_MIB_INT("1.3.6.1.2.1.43.11.1.1.5.1.2", 4),
	SIM_MIB_STR("1.3.6.1.2.1.43.11.1.1.6.1.1", "Black Toner"),
	SIM_MIB_STR("1.3.6.1.2.1.43.11.1.1.6.1.2", "Waste Toner Box"),
	SIM_MIB_INT("1.3.6.1.2.1.43.11.1.1.7.1.1", 19),
	SIM_MIB_INT("1.3.6.1.2.1.43.11.1.1.7.1.2", 19),
	SIM_MIB_INT("1.3.6.1.2.1.43.11.1.1.8.1.1", 100),
	SIM_MIB_INT("1.3.6.1.2.1.43.11.1.1.8.1.2", 100),
	SIM_MIB_FN("1.3.6.1.2.1.43.11.1.1.9.1.1", SIM_MIB_SUPPLY_LEVEL,
	    SIM_BER_INTEGER, 1),
	SIM_MIB_FN("1.3.6.1.2.1.43.11.1.1.9.1.2", SIM_MIB_SUPPLY_LEVEL,
	    SIM_BER_INTEGER, 2),
};

#define SIM_MIB_NFIXED	(sizeof sim_mib_fixed / sizeof sim_mib_fixed[0])

static int
sim_mib_entry_cmp(const void *a, const void *b)
{
	const struct sim_mib_entry	*x = a, *y = b;
	int				 c;

	c = sim_ber_oid_cmp(x->oid, x->oidlen, y->oid, y->oidlen);
	if (c != 0)
		return c;
	/* The catalog's binding of an OID wins over a fixed object. */
	return (x->kind != SIM_MIB_SETTING) - (y->kind != SIM_MIB_SETTING);
}

/* Append the catalog's settings with an OID to the table. */
static int
sim_mib_add_settings(struct sim_mib *mib, const struct catalog *cat,
    size_t *cap, char **cause)
{
	const struct catalog_category	*c;
	const struct catalog_setting	*s;
	struct sim_mib_entry		*e;
	size_t				 i, j;

	for (i = 0; i < catalog_ncategories(cat); i++) {
		c = catalog_category_at(cat, i);
		for (j = 0; j < catalog_category_nsettings(c); j++) {
			s = catalog_category_setting_at(c, j);
			if (catalog_setting_oid(s) == NULL)
				continue;
			if (mib->n == *cap) {
				*cap *= 2;
				mib->entries = xreallocarray(mib->entries, *cap,
				    sizeof *mib->entries);
			}
			e = &mib->entries[mib->n];
			memset(e, 0, sizeof *e);
			if (sim_ber_oid_parse(catalog_setting_oid(s), e->oid,
			    SIM_MIB_OID_LEN, &e->oidlen) != 0) {
				*cause = xasprintf("%s: bad OID",
				    catalog_setting_key(s));
				return -1;
			}
			e->typelen = e->oidlen - 1;
			e->kind = SIM_MIB_SETTING;
			e->setting = s;
			mib->n++;
		}
	}
	return 0;
}

static void
sim_mib_add_fixed(struct sim_mib *mib)
{
	const struct sim_mib_fixed	*f;
	struct sim_mib_entry		*e;
	size_t				 i;

	for (i = 0; i < SIM_MIB_NFIXED; i++) {
		f = &sim_mib_fixed[i];
		e = &mib->entries[mib->n++];
		memset(e, 0, sizeof *e);
		if (sim_ber_oid_parse(f->oid, e->oid, SIM_MIB_OID_LEN,
		    &e->oidlen) != 0)
			abort();
		/* Marker and supplies rows are indexed by two arcs. */
		e->typelen = e->oidlen - (e->oidlen > 13 ? 2 : 1);
		e->kind = f->kind;
		e->type = f->type;
		e->arg = f->arg;
		e->text = f->text;
	}
}

/* Sort, drop fixed objects the catalog binds, and number the settings. */
static void
sim_mib_sort(struct sim_mib *mib)
{
	size_t	 i, k = 0;

	qsort(mib->entries, mib->n, sizeof *mib->entries, sim_mib_entry_cmp);
	for (i = 0; i < mib->n; i++) {
		if (k > 0 && sim_ber_oid_cmp(mib->entries[k - 1].oid,
		    mib->entries[k - 1].oidlen, mib->entries[i].oid,
		    mib->entries[i].oidlen) == 0)
			continue;
		mib->entries[k] = mib->entries[i];
		if (mib->entries[k].kind == SIM_MIB_SETTING)
			mib->entries[k].slot = mib->nslots++;
		k++;
	}
	mib->n = k;
}

/* Which settings each printer has. */
static void
sim_mib_mark(struct sim_mib *mib)
{
	struct sim_printer	*p;
	size_t			 count = sim_fleet_count(mib->fleet), i, j;
	unsigned char		*row;

	mib->stride = (mib->nslots + 7) / 8;
	mib->have = xcalloc(count == 0 ? 1 : count, mib->stride + 1);
	for (i = 0; i < count; i++) {
		p = sim_fleet_printer(mib->fleet, i);
		row = mib->have + sim_printer_index(p) * mib->stride;
		for (j = 0; j < mib->n; j++) {
			const struct sim_mib_entry *e = &mib->entries[j];

			if (e->kind == SIM_MIB_SETTING &&
			    sim_printer_supports(p, e->setting))
				row[e->slot / 8] |= 1u << (e->slot % 8);
		}
	}
}

int
sim_mib_new(struct sim_fleet *fleet, struct sim_mib **out, char **cause)
{
	struct sim_mib	*mib = xcalloc(1, sizeof *mib);
	size_t		 cap = SIM_MIB_NFIXED + 64;

	mib->fleet = fleet;
	mib->entries = xreallocarray(NULL, cap, sizeof *mib->entries);
	sim_mib_add_fixed(mib);
	if (sim_mib_add_settings(mib, sim_fleet_catalog(fleet), &cap,
	    cause) != 0) {
		sim_mib_free(&mib);
		return -1;
	}
	sim_mib_sort(mib);
	sim_mib_mark(mib);
	*out = mib;
	return 0;
}

void
sim_mib_free(struct sim_mib **mibp)
{
	struct sim_mib	*mib = *mibp;

	if (mib == NULL)
		return;
	free(mib->entries);
	free(mib->have);
	free(mib);
	*mibp = NULL;
}

static bool
sim_mib_has(const struct sim_mib *mib, const struct sim_printer *p,
    const struct sim_mib_entry *e)
{
	const unsigned char	*row;

	if (e->kind != SIM_MIB_SETTING)
		return true;
	row = mib->have + sim_printer_index(p) * mib->stride;
	return (row[e->slot / 8] >> (e->slot % 8)) & 1;
}

size_t
sim_mib_count(const struct sim_mib *mib, const struct sim_printer *p)
{
	size_t	 i, n = 0;

	for (i = 0; i < mib->n; i++)
		n += sim_mib_has(mib, p, &mib->entries[i]);
	return n;
}

/* The index of the first entry whose OID is greater than (or, with
 * INCLUSIVE, equal to) OID. */
static size_t
sim_mib_bound(const struct sim_mib *mib, const uint32_t *oid, size_t n,
    bool inclusive)
{
	size_t	 lo = 0, hi = mib->n, mid;
	int	 c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = sim_ber_oid_cmp(mib->entries[mid].oid,
		    mib->entries[mid].oidlen, oid, n);
		if (c < 0 || (c == 0 && !inclusive))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

const struct sim_mib_entry *
sim_mib_find(const struct sim_mib *mib, const struct sim_printer *p,
    const uint32_t *oid, size_t n)
{
	size_t				 i = sim_mib_bound(mib, oid, n, true);
	const struct sim_mib_entry	*e;

	if (i >= mib->n)
		return NULL;
	e = &mib->entries[i];
	if (sim_ber_oid_cmp(e->oid, e->oidlen, oid, n) != 0)
		return NULL;
	return sim_mib_has(mib, p, e) ? e : NULL;
}

void
sim_mib_value_clear(struct sim_mib_value *v)
{
	free(v->str);
	free(v->oid);
	memset(v, 0, sizeof *v);
}

static void
sim_mib_set_str(struct sim_mib_value *v, const char *s, size_t len)
{
	v->type = SIM_BER_OCTETS;
	v->str = xmalloc(len + 1);
	memcpy(v->str, s, len);
	v->str[len] = '\0';
	v->len = len;
}

static void
sim_mib_set_num(struct sim_mib_value *v, unsigned type, int64_t num)
{
	v->type = type;
	v->num = num;
}

static int
sim_mib_set_oid(struct sim_mib_value *v, const char *dotted)
{
	uint32_t	 arcs[SIM_MIB_OID_LEN];
	size_t		 n;

	if (dotted == NULL ||
	    sim_ber_oid_parse(dotted, arcs, SIM_MIB_OID_LEN, &n) != 0)
		return -1;
	v->type = SIM_BER_OID;
	v->oid = xreallocarray(NULL, n, sizeof *v->oid);
	memcpy(v->oid, arcs, n * sizeof *arcs);
	v->oidlen = n;
	return 0;
}

/* A setting's catalog text as the SNMP type the catalog says it is. */
static int
sim_mib_setting_value(const struct catalog_setting *s,
    struct sim_printer *p, struct sim_mib_value *v)
{
	char	*text;
	size_t	 i;

	if (sim_value_get(p, s, &text) != 0)
		return -1;
	switch (catalog_setting_type(s)) {
	case CATALOG_BOOL:
		sim_mib_set_num(v, SIM_BER_INTEGER,
		    strcmp(text, "true") == 0 ? 1 : 2);
		break;
	case CATALOG_INT:
		sim_mib_set_num(v, SIM_BER_INTEGER, strtoll(text, NULL, 10));
		break;
	case CATALOG_ENUM:
		sim_mib_set_num(v, SIM_BER_INTEGER, 0);
		for (i = 0; i < catalog_setting_nvalues(s); i++) {
			if (strcmp(catalog_setting_value_at(s, i), text) == 0)
				v->num = catalog_setting_code_at(s, i);
		}
		break;
	default:
		/* A secret reads as empty: it may be written, never read. */
		if (catalog_setting_secret(s))
			sim_mib_set_str(v, "", 0);
		else
			sim_mib_set_str(v, text, strlen(text));
		break;
	}
	free(text);
	return 0;
}

/* A stable number from the serial, so that a printer's supplies and
 * counters look the same at each start. */
static uint32_t
sim_mib_hash(const struct sim_printer *p)
{
	const char	*s = sim_printer_serial(p);
	uint32_t	 h = 2166136261u;

	for (; s != NULL && *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static int64_t
sim_mib_supply(const struct sim_printer *p, int64_t row)
{
	uint32_t	 h = sim_mib_hash(p);

	if (row == 1)
		return 3 + h % 98;
	return (h / 101) % 90;
}

/* snmpEngine: the printer's own SNMP engine (RFC 3411). */
static int
sim_mib_engine(const struct sim_mib_entry *e, struct sim_printer *p,
    struct sim_mib_value *v)
{
	const unsigned char	*eid;
	size_t			 elen;

	switch (e->kind) {
	case SIM_MIB_ENGINE_ID:
		eid = sim_printer_engine_id(p, &elen);
		sim_mib_set_str(v, (const char *)eid, elen);
		return 0;
	case SIM_MIB_ENGINE_BOOTS:
		sim_mib_set_num(v, e->type, sim_printer_engine_boots(p));
		return 0;
	case SIM_MIB_ENGINE_TIME:
		sim_mib_set_num(v, e->type, sim_printer_uptime(p) / 100);
		return 0;
	default:
		return -1;
	}
}

static int
sim_mib_derived(const struct sim_mib_entry *e,
    const struct sim_mib_target *t, struct sim_mib_value *v)
{
	struct sim_printer	*p = t->printer;
	bool			 low = sim_mib_supply(p, 1) < SIM_MIB_TONER_LOW;
	unsigned char		 err[2] = { low ? 0x40 : 0x00, 0x00 };

	switch (e->kind) {
	case SIM_MIB_DEVICE_STATUS:	/* running(2), warning(3) */
		sim_mib_set_num(v, e->type, low ? 3 : 2);
		return 0;
	case SIM_MIB_PRINTER_STATUS:	/* idle(3) */
		sim_mib_set_num(v, e->type, 3);
		return 0;
	case SIM_MIB_ERROR_STATE:	/* bit 1 lowToner */
		sim_mib_set_str(v, (const char *)err, sizeof err);
		return 0;
	case SIM_MIB_LIFE_COUNT:	/* a page a minute since boot */
		sim_mib_set_num(v, e->type, (int64_t)(10000 +
		    sim_mib_hash(p) % 90000 + sim_printer_uptime(p) / 6000));
		return 0;
	case SIM_MIB_SUPPLY_LEVEL:
		sim_mib_set_num(v, e->type, sim_mib_supply(p, e->arg));
		return 0;
	default:
		return sim_mib_engine(e, p, v);
	}
}

static int
sim_mib_value(const struct sim_mib_entry *e, const struct sim_mib_target *t,
    struct sim_mib_value *v)
{
	const struct sim_model	*m = sim_printer_model(t->printer);
	const char		*s;

	switch (e->kind) {
	case SIM_MIB_SETTING:
		return sim_mib_setting_value(e->setting, t->printer, v);
	case SIM_MIB_CONST:
		if (e->type == SIM_BER_OID)
			return sim_mib_set_oid(v, e->text);
		if (e->type == SIM_BER_OCTETS)
			sim_mib_set_str(v, e->text, strlen(e->text));
		else
			sim_mib_set_num(v, e->type, e->arg);
		return 0;
	case SIM_MIB_DESCR:
		s = m->descr != NULL ? m->descr : "";
		sim_mib_set_str(v, s, strlen(s));
		return 0;
	case SIM_MIB_OBJECT_ID:
		return sim_mib_set_oid(v, m->sys_object_id != NULL ?
		    m->sys_object_id : "1.3.6.1.4.1.32473");
	case SIM_MIB_UPTIME:
		sim_mib_set_num(v, e->type, sim_printer_uptime(t->printer));
		return 0;
	case SIM_MIB_COUNTER:
		sim_mib_set_num(v, e->type, *(const uint32_t *)(const void *)
		    ((const char *)t->counters + e->arg));
		return 0;
	case SIM_MIB_CONFIG_CHANGES:
		sim_mib_set_num(v, e->type,
		    sim_printer_config_changes(t->printer));
		return 0;
	case SIM_MIB_RESET:		/* notResetting(3) */
		sim_mib_set_num(v, e->type, 3);
		return 0;
	case SIM_MIB_SERIAL:
		s = sim_printer_serial(t->printer);
		sim_mib_set_str(v, s, strlen(s));
		return 0;
	default:
		return sim_mib_derived(e, t, v);
	}
}

/* noSuchInstance when the printer has an object of the type OID names
 * (its column or scalar), else noSuchObject. */
static unsigned
sim_mib_missing(const struct sim_mib *mib, const struct sim_printer *p,
    const uint32_t *oid, size_t n)
{
	const struct sim_mib_entry	*e;
	size_t				 i;

	for (i = 0; i < mib->n; i++) {
		e = &mib->entries[i];
		if (e->typelen <= n && sim_ber_oid_cmp(e->oid, e->typelen, oid,
		    e->typelen) == 0 && sim_mib_has(mib, p, e))
			return SIM_BER_NO_SUCH_INSTANCE;
	}
	return SIM_BER_NO_SUCH_OBJECT;
}

void
sim_mib_get(const struct sim_mib *mib, const struct sim_mib_target *t,
    struct sim_mib_varbind *vb)
{
	const struct sim_mib_entry	*e;

	sim_mib_value_clear(&vb->value);
	e = sim_mib_find(mib, t->printer, vb->oid, vb->oidlen);
	if (e == NULL) {
		vb->value.type = sim_mib_missing(mib, t->printer, vb->oid,
		    vb->oidlen);
		return;
	}
	if (sim_mib_value(e, t, &vb->value) != 0) {
		sim_mib_value_clear(&vb->value);
		vb->value.type = SIM_BER_NO_SUCH_INSTANCE;
	}
}

void
sim_mib_next(const struct sim_mib *mib, const struct sim_mib_target *t,
    struct sim_mib_varbind *vb)
{
	const struct sim_mib_entry	*e;
	size_t				 i;

	sim_mib_value_clear(&vb->value);
	i = sim_mib_bound(mib, vb->oid, vb->oidlen, false);
	for (; i < mib->n; i++) {
		e = &mib->entries[i];
		if (!sim_mib_has(mib, t->printer, e))
			continue;
		if (sim_mib_value(e, t, &vb->value) != 0) {
			sim_mib_value_clear(&vb->value);
			continue;
		}
		memcpy(vb->oid, e->oid, e->oidlen * sizeof *e->oid);
		vb->oidlen = e->oidlen;
		return;
	}
	vb->value.type = SIM_BER_END_OF_MIB;
}
