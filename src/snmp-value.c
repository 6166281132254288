#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "snmp-int.h"
#include "text.h"
#include "xmalloc.h"

int
snmp_oid_parse(const char *text, oid *name, size_t *len)
{
	const char *p = text;
	unsigned long long v;
	char *end;
	size_t n = 0;

	if (p == NULL)
		return -1;
	if (*p == '.')
		p++;
	while (*p != '\0') {
		if (*p < '0' || *p > '9' || n == MAX_OID_LEN)
			return -1;
		errno = 0;
		v = strtoull(p, &end, 10);
		if (errno != 0 || v > 0xffffffffULL)
			return -1;
		name[n++] = (oid)v;
		p = end;
		if (*p == '.' && p[1] != '\0')
			p++;
		else if (*p != '\0')
			return -1;
	}
	if (n < 2)
		return -1;
	*len = n;
	return 0;
}

char *
snmp_oid_text(const oid *name, size_t len)
{
	/* By hand: snprintf() per arc was the check's hottest function. */
	char *s = xmalloc(len * 21 + 1), digits[20];
	unsigned long v;
	size_t i, n, off = 0;

	for (i = 0; i < len; i++) {
		if (i > 0)
			s[off++] = '.';
		v = (unsigned long)name[i];
		n = 0;
		do
			digits[n++] = (char)('0' + v % 10);
		while ((v /= 10) != 0);
		while (n > 0)
			s[off++] = digits[--n];
	}
	s[off] = '\0';
	return s;
}

/* LEN without the trailing NULs of OCTETS. */
static size_t
snmp_octets_trim(const unsigned char *octets, size_t len)
{
	while (len > 0 && octets[len - 1] == '\0')
		len--;
	return len;
}

/*
 * Text: once trailing NULs are dropped, valid UTF-8 with no C0 control but
 * TAB, LF and CR (which text_sanitize then shows as \xNN), no DEL and no
 * C1 control. Anything else is binary: a MAC address, a bit mask, a key.
 */
int
snmp_octets_are_text(const unsigned char *octets, size_t len)
{
	size_t i = 0, n;

	len = snmp_octets_trim(octets, len);
	while (i < len) {
		/* Invalid UTF-8 and C1 controls give 0. */
		if ((n = text_utf8_len(octets + i, len - i)) == 0)
			return 0;
		if (n == 1 && (octets[i] < 0x20 || octets[i] == 0x7f) &&
		    octets[i] != '\t' && octets[i] != '\n' &&
		    octets[i] != '\r')
			return 0;
		i += n;
	}
	return 1;
}

char *
snmp_display_text(const unsigned char *octets, size_t len)
{
	if (octets == NULL)
		return xstrdup("");
	return text_sanitize((const char *)octets,
	    snmp_octets_trim(octets, len));
}

/* "00 1B 2C": upper-case hex pairs, as net-snmp's tools show them. */
static char *
snmp_octets_hex(const unsigned char *octets, size_t len)
{
	static const char digits[] = "0123456789ABCDEF";
	char *s = xmalloc(len * 3 + 1), *p = s;
	size_t i;

	for (i = 0; i < len; i++) {
		if (i > 0)
			*p++ = ' ';
		*p++ = digits[octets[i] >> 4];
		*p++ = digits[octets[i] & 0xf];
	}
	*p = '\0';
	return s;
}

static void
snmp_varbind_octets(struct snmp_varbind *vb, const netsnmp_variable_list *v)
{
	size_t len = v->val.string != NULL ? v->val_len : 0;

	vb->octets = xmalloc(len + 1);
	if (len > 0)
		memcpy(vb->octets, v->val.string, len);
	vb->octets[len] = '\0';
	vb->len = len;
	if (snmp_octets_are_text(vb->octets, len))
		vb->text = snmp_display_text(vb->octets, len);
	else {
		vb->text = snmp_octets_hex(vb->octets, len);
		vb->hex = 1;
	}
}

static void
snmp_varbind_number(struct snmp_varbind *vb, const netsnmp_variable_list *v)
{
	uint64_t u;

	if (v->type == ASN_COUNTER64 && v->val.counter64 != NULL) {
		u = ((uint64_t)v->val.counter64->high << 32) |
		    (v->val.counter64->low & 0xffffffffUL);
		vb->integer = u > INT64_MAX ? INT64_MAX : (int64_t)u;
		vb->text = xasprintf("%" PRIu64, u);
		return;
	}
	if (v->val.integer == NULL)
		return;
	if (v->type == ASN_INTEGER)
		vb->integer = (int32_t)*v->val.integer;
	else
		vb->integer = (uint32_t)*v->val.integer;
	vb->text = xasprintf("%" PRId64, vb->integer);
}

static void
snmp_varbind_address(struct snmp_varbind *vb, const netsnmp_variable_list *v)
{
	const unsigned char *a = v->val.string;

	if (a == NULL || v->val_len != 4) {
		vb->text = a == NULL ? NULL : snmp_octets_hex(a, v->val_len);
		vb->hex = 1;
		return;
	}
	vb->text = xasprintf("%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
}

void
snmp_varbind_fill(struct snmp_varbind *vb, const netsnmp_variable_list *v)
{
	memset(vb, 0, sizeof *vb);
	vb->oid = snmp_oid_text(v->name, v->name_length);
	switch (v->type) {
	case ASN_OCTET_STR:
		vb->type = SNMP_TYPE_OCTETS;
		snmp_varbind_octets(vb, v);
		break;
	case ASN_OPAQUE:
		vb->type = SNMP_TYPE_OPAQUE;
		snmp_varbind_octets(vb, v);
		break;
	case ASN_OBJECT_ID:
		vb->type = SNMP_TYPE_OID;
		vb->text = snmp_oid_text(v->val.objid, v->val.objid == NULL ?
		    0 : v->val_len / sizeof (oid));
		break;
	case ASN_IPADDRESS:
		vb->type = SNMP_TYPE_IPADDR;
		snmp_varbind_address(vb, v);
		break;
	case ASN_INTEGER:
	case ASN_COUNTER:
	case ASN_GAUGE:
	case ASN_TIMETICKS:
	case ASN_COUNTER64:
		vb->type = v->type == ASN_INTEGER ? SNMP_TYPE_INTEGER :
		    v->type == ASN_COUNTER ? SNMP_TYPE_COUNTER32 :
		    v->type == ASN_GAUGE ? SNMP_TYPE_GAUGE32 :
		    v->type == ASN_TIMETICKS ? SNMP_TYPE_TIMETICKS :
		    SNMP_TYPE_COUNTER64;
		snmp_varbind_number(vb, v);
		break;
	case SNMP_NOSUCHOBJECT:
		vb->type = SNMP_TYPE_NO_SUCH_OBJECT;
		break;
	case SNMP_NOSUCHINSTANCE:
		vb->type = SNMP_TYPE_NO_SUCH_INSTANCE;
		break;
	case SNMP_ENDOFMIBVIEW:
		vb->type = SNMP_TYPE_END_OF_MIB;
		break;
	default:
		vb->type = SNMP_TYPE_NULL;
		break;
	}
}

void
snmp_varbind_exception(struct snmp_varbind *vb, const oid *name, size_t len,
    enum snmp_type type)
{
	memset(vb, 0, sizeof *vb);
	vb->oid = snmp_oid_text(name, len);
	vb->type = type;
}

void
snmp_varbind_clear(struct snmp_varbind *vb)
{
	free(vb->oid);
	free(vb->text);
	free(vb->octets);
	memset(vb, 0, sizeof *vb);
}

int
snmp_varbind_is_exception(const struct snmp_varbind *vb)
{
	return vb->type == SNMP_TYPE_NO_SUCH_OBJECT ||
	    vb->type == SNMP_TYPE_NO_SUCH_INSTANCE ||
	    vb->type == SNMP_TYPE_END_OF_MIB;
}

/* The ASN.1 type and the encoded value of an integer SV in *L. */
static int
snmp_setvar_integer(const struct snmp_setvar *sv, u_char *type, long *l)
{
	if (sv->type == SNMP_TYPE_INTEGER) {
		if (sv->integer < INT32_MIN || sv->integer > INT32_MAX)
			return -1;
		*type = ASN_INTEGER;
	} else {
		if (sv->integer < 0 || sv->integer > UINT32_MAX)
			return -1;
		*type = sv->type == SNMP_TYPE_COUNTER32 ? ASN_COUNTER :
		    sv->type == SNMP_TYPE_GAUGE32 ? ASN_GAUGE : ASN_TIMETICKS;
	}
	*l = (long)sv->integer;
	return 0;
}

/* Add SV's value to PDU under NAME; -1 when it cannot be encoded. */
static int
snmp_setvar_value(netsnmp_pdu *pdu, const oid *name, size_t nlen,
    const struct snmp_setvar *sv)
{
	oid value[MAX_OID_LEN];
	struct in_addr in;
	size_t vlen;
	u_char type;
	long l;

	switch (sv->type) {
	case SNMP_TYPE_INTEGER:
	case SNMP_TYPE_COUNTER32:
	case SNMP_TYPE_GAUGE32:
	case SNMP_TYPE_TIMETICKS:
		if (snmp_setvar_integer(sv, &type, &l) != 0)
			return -1;
		return snmp_pdu_add_variable(pdu, name, nlen, type, &l,
		    sizeof l) == NULL ? -1 : 0;
	case SNMP_TYPE_OCTETS:
		if (sv->string == NULL)
			return -1;
		vlen = sv->len != 0 ? sv->len : strlen(sv->string);
		return snmp_pdu_add_variable(pdu, name, nlen, ASN_OCTET_STR,
		    sv->string, vlen) == NULL ? -1 : 0;
	case SNMP_TYPE_OID:
		if (snmp_oid_parse(sv->string, value, &vlen) != 0)
			return -1;
		return snmp_pdu_add_variable(pdu, name, nlen, ASN_OBJECT_ID,
		    value, vlen * sizeof (oid)) == NULL ? -1 : 0;
	case SNMP_TYPE_IPADDR:
		if (sv->string == NULL || inet_pton(AF_INET, sv->string,
		    &in) != 1)
			return -1;
		return snmp_pdu_add_variable(pdu, name, nlen, ASN_IPADDRESS,
		    &in.s_addr, 4) == NULL ? -1 : 0;
	default:
		return -1;
	}
}

int
snmp_setvar_add(netsnmp_pdu *pdu, const struct snmp_setvar *sv, char **cause)
{
	oid name[MAX_OID_LEN];
	size_t nlen;
	char *safe;

	if (snmp_oid_parse(sv->oid, name, &nlen) != 0) {
		safe = sv->oid != NULL ? text_sanitize(sv->oid,
		    strlen(sv->oid)) : xstrdup("(none)");
		*cause = xasprintf("invalid OID '%s'", safe);
		free(safe);
		return -1;
	}
	if (snmp_setvar_value(pdu, name, nlen, sv) != 0) {
		*cause = xasprintf("invalid value for %s", sv->oid);
		return -1;
	}
	return 0;
}
