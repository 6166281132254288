#include "config.h"

#include "sim-mib.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "sim-mib-int.h"
#include "xmalloc.h"

/* A text value longer than this is wrongLength whatever its type. */
#define SIM_MIB_TEXT_MAX	4096

/* prtGeneralReset (RFC 3805): what may be written. */
#define SIM_MIB_RESET_NONE	3	/* notResetting */
#define SIM_MIB_RESET_POWER	4	/* powerCycleReset */
#define SIM_MIB_RESET_NVRAM	5	/* resetToNVRAM */

/* The catalog text of an INTEGER written to a bool, int or enum setting. */
static enum sim_mib_error
sim_mib_set_number(const struct catalog_setting *s,
    const struct sim_mib_value *v, char **text)
{
	size_t	 i;

	if (v->type != SIM_BER_INTEGER)
		return SIM_MIB_WRONG_TYPE;
	switch (catalog_setting_type(s)) {
	case CATALOG_BOOL:		/* TruthValue */
		if (v->num != 1 && v->num != 2)
			return SIM_MIB_WRONG_VALUE;
		*text = xstrdup(v->num == 1 ? "true" : "false");
		return SIM_MIB_NO_ERROR;
	case CATALOG_INT:
		if (v->num < catalog_setting_min(s) ||
		    v->num > catalog_setting_max(s))
			return SIM_MIB_WRONG_VALUE;
		*text = xasprintf("%" PRId64, v->num);
		return SIM_MIB_NO_ERROR;
	default:
		for (i = 0; i < catalog_setting_nvalues(s); i++) {
			if (catalog_setting_code_at(s, i) == v->num) {
				*text = xstrdup(catalog_setting_value_at(s, i));
				return SIM_MIB_NO_ERROR;
			}
		}
		return SIM_MIB_WRONG_VALUE;
	}
}

/* The catalog text of an OCTET STRING written to a text setting. */
static enum sim_mib_error
sim_mib_set_text(const struct catalog_setting *s,
    const struct sim_mib_value *v, char **text)
{
	enum catalog_type	 type = catalog_setting_type(s);

	if (v->type != SIM_BER_OCTETS)
		return SIM_MIB_WRONG_TYPE;
	if (v->len > SIM_MIB_TEXT_MAX)
		return SIM_MIB_WRONG_LENGTH;
	if ((type == CATALOG_STRING || type == CATALOG_SECRET) &&
	    (v->len > catalog_setting_maxlen(s) ||
	    v->len < catalog_setting_minlen(s)))
		return SIM_MIB_WRONG_LENGTH;
	/* The state keeps C strings: a NUL inside is not a value. */
	if (memchr(v->str, '\0', v->len) != NULL)
		return SIM_MIB_WRONG_VALUE;
	*text = xstrndup((const char *)v->str, v->len);
	return SIM_MIB_NO_ERROR;
}

/* Check one varbind for setting S; the catalog text goes to *TEXT. */
static enum sim_mib_error
sim_mib_set_check(const struct catalog_setting *s,
    const struct sim_mib_value *v, char **text)
{
	enum sim_mib_error	 err;
	char			*cause = NULL;

	switch (catalog_setting_type(s)) {
	case CATALOG_BOOL:
	case CATALOG_INT:
	case CATALOG_ENUM:
		err = sim_mib_set_number(s, v, text);
		break;
	default:
		err = sim_mib_set_text(s, v, text);
		break;
	}
	if (err != SIM_MIB_NO_ERROR)
		return err;
	if (catalog_check_value(s, *text, &cause) != 0) {
		free(cause);
		xfree(text);
		return SIM_MIB_WRONG_VALUE;
	}
	return SIM_MIB_NO_ERROR;
}

/* A fixed object: only prtGeneralReset may be written. */
static enum sim_mib_error
sim_mib_set_fixed(const struct sim_mib_entry *e,
    const struct sim_mib_value *v, bool *reboot)
{
	if (e->kind != SIM_MIB_RESET)
		return SIM_MIB_NOT_WRITABLE;
	if (v->type != SIM_BER_INTEGER)
		return SIM_MIB_WRONG_TYPE;
	/* resetToFactoryDefaults(6) would lose the state: refused. */
	if (v->num != SIM_MIB_RESET_NONE && v->num != SIM_MIB_RESET_POWER &&
	    v->num != SIM_MIB_RESET_NVRAM)
		return SIM_MIB_WRONG_VALUE;
	if (v->num != SIM_MIB_RESET_NONE)
		*reboot = true;
	return SIM_MIB_NO_ERROR;
}

/*
 * How the state's refusal reads over SNMP. A setting locked by policy is
 * noAccess: the object exists and is writable in the MIB, but the
 * printer's access policy forbids writing it now (RFC 3416 4.2.5 (1)),
 * which notWritable (never writable) would misstate.
 */
static enum sim_mib_error
sim_mib_set_status(enum sim_set_status st)
{
	switch (st) {
	case SIM_SET_OK:
		return SIM_MIB_NO_ERROR;
	case SIM_SET_UNSUPPORTED:
		return SIM_MIB_NO_CREATION;
	case SIM_SET_NOT_WRITABLE:
		return SIM_MIB_NOT_WRITABLE;
	case SIM_SET_WRONG_VALUE:
		return SIM_MIB_WRONG_VALUE;
	case SIM_SET_LOCKED:
		return SIM_MIB_NO_ACCESS;
	case SIM_SET_DOWN:
		return SIM_MIB_RESOURCE_UNAVAILABLE;
	case SIM_SET_FAILED:
		return SIM_MIB_COMMIT_FAILED;
	}
	return SIM_MIB_GEN_ERR;
}

/* Commit the NCH collected changes; WHERE maps them back to varbinds. */
static enum sim_mib_error
sim_mib_set_commit(struct sim_printer *p, const struct sim_change *ch,
    size_t nch, const size_t *where, size_t *bad)
{
	enum sim_set_status	 st;
	size_t			 fault = 0;
	char			*cause = NULL;

	if (nch == 0)
		return SIM_MIB_NO_ERROR;
	st = sim_values_set(p, ch, nch, &fault, &cause);
	free(cause);
	if (st == SIM_SET_OK)
		return SIM_MIB_NO_ERROR;
	*bad = fault < nch ? where[fault] : 0;
	return sim_mib_set_status(st);
}

enum sim_mib_error
sim_mib_set(const struct sim_mib *mib, const struct sim_mib_target *t,
    const struct sim_mib_varbind *vbs, size_t n, size_t *bad, bool *reboot)
{
	const struct sim_mib_entry	*e;
	struct sim_change		*ch = xcalloc(n + 1, sizeof *ch);
	size_t				*where = xcalloc(n + 1, sizeof *where);
	char				**text = xcalloc(n + 1, sizeof *text);
	enum sim_mib_error		 err = SIM_MIB_NO_ERROR;
	size_t				 i, nch = 0;
	bool				 rb = false;

	*bad = 0;
	for (i = 0; i < n && err == SIM_MIB_NO_ERROR; i++) {
		e = sim_mib_find(mib, t->printer, vbs[i].oid, vbs[i].oidlen);
		if (e == NULL)
			err = SIM_MIB_NO_CREATION;
		else if (e->kind != SIM_MIB_SETTING)
			err = sim_mib_set_fixed(e, &vbs[i].value, &rb);
		else
			err = sim_mib_set_check(e->setting, &vbs[i].value,
			    &text[nch]);
		if (err != SIM_MIB_NO_ERROR)
			*bad = i;
		else if (e->kind == SIM_MIB_SETTING) {
			ch[nch].setting = e->setting;
			ch[nch].value = text[nch];
			where[nch++] = i;
		}
	}
	if (err == SIM_MIB_NO_ERROR)
		err = sim_mib_set_commit(t->printer, ch, nch, where, bad);
	for (i = 0; i < nch; i++)
		free(text[i]);
	free(text);
	free(where);
	free(ch);
	*reboot = err == SIM_MIB_NO_ERROR && rb;
	return err;
}
