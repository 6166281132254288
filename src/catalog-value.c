#include "config.h"

#include "catalog-int.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "xmalloc.h"

#define CATALOG_VALUE_HOSTMAX	253
#define CATALOG_VALUE_LABELMAX	63

int
catalog_value_integer(const char *s, long long *out)
{
	const char *p = *s == '-' ? s + 1 : s;
	long long v;
	char *end;

	/* Canonical only: no sign but '-', no leading zeros, no "-0". */
	if (*p < '0' || *p > '9' || (*p == '0' && (p[1] != '\0' || p != s)))
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0')
		return -1;
	*out = v;
	return 0;
}

bool
catalog_value_oid(const char *s)
{
	unsigned long long arc;
	size_t narcs = 0;

	for (;;) {
		if (*s < '0' || *s > '9' || (*s == '0' && s[1] >= '0' &&
		    s[1] <= '9'))
			return false;
		for (arc = 0; *s >= '0' && *s <= '9'; s++) {
			arc = arc * 10 + (unsigned long long)(*s - '0');
			if (arc > 4294967295ULL)
				return false;
		}
		if (narcs++ == 0 && arc > 2)
			return false;
		if (*s == '\0')
			break;
		if (*s++ != '.')
			return false;
	}
	return narcs >= 2 && narcs <= 128;
}

/* The address family of VALUE if FAMILY allows it, else 0. */
static int
catalog_value_af(enum catalog_family family, const char *value)
{
	unsigned char buf[sizeof (struct in6_addr)];

	if (family != CATALOG_FAMILY_IPV6 && inet_pton(AF_INET, value, buf) == 1)
		return AF_INET;
	if (family != CATALOG_FAMILY_IPV4 && inet_pton(AF_INET6, value, buf) == 1)
		return AF_INET6;
	return 0;
}

int
catalog_value_ip(enum catalog_family family, bool prefix, const char *value,
    char **cause)
{
	static const char *const what[] = {
		"not an IP address", "not an IPv4 address", "not an IPv6 address"
	};
	const char *slash = strchr(value, '/');
	char addr[INET6_ADDRSTRLEN];
	size_t len = slash != NULL ? (size_t)(slash - value) : strlen(value);
	long long bits;
	int af = 0;

	if (len < sizeof addr) {
		memcpy(addr, value, len);
		addr[len] = '\0';
		af = catalog_value_af(family, addr);
	}
	if (af == 0) {
		*cause = xstrdup(what[family]);
		return -1;
	}
	if (slash != NULL && !prefix) {
		*cause = xstrdup("no /length allowed");
		return -1;
	}
	if (slash != NULL && (catalog_value_integer(slash + 1, &bits) != 0 ||
	    bits < 0 || bits > (af == AF_INET ? 32 : 128))) {
		*cause = xstrdup("bad prefix length");
		return -1;
	}
	return 0;
}

/* A DNS name of RFC 1123 labels; all-numeric names are IPv4 typos. */
static bool
catalog_value_hostname(const char *s)
{
	size_t label = 0;
	bool digits = true;
	const char *p;

	if (strlen(s) > CATALOG_VALUE_HOSTMAX)
		return false;
	for (p = s; *p != '\0'; p++) {
		if (*p == '.') {
			if (label == 0 || p[-1] == '-')
				return false;
			label = 0;
			continue;
		}
		if (strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "0123456789-", *p) == NULL)
			return false;
		if ((label == 0 && *p == '-') ||
		    ++label > CATALOG_VALUE_LABELMAX)
			return false;
		if (*p < '0' || *p > '9')
			digits = false;
	}
	return label > 0 && p[-1] != '-' && !digits;
}

int
catalog_value_host(const char *value, char **cause)
{
	if (*value == '\0' || catalog_value_af(CATALOG_FAMILY_ANY, value) != 0 ||
	    catalog_value_hostname(value))
		return 0;
	*cause = xstrdup("not a host name or IP address");
	return -1;
}

static int
catalog_value_text(size_t minlen, size_t maxlen, const char *value,
    char **cause)
{
	size_t len = strlen(value);

	if (len > maxlen)
		*cause = xasprintf("longer than %zu bytes", maxlen);
	else if (len < minlen)
		*cause = xasprintf("shorter than %zu bytes", minlen);
	else if (!text_is_clean(value))
		*cause = xstrdup("control characters or invalid UTF-8");
	else
		return 0;
	return -1;
}

/* The enum's values joined with '|'. */
static char *
catalog_value_enum_list(const struct catalog_setting *s)
{
	size_t i, len = 1;
	char *out;

	for (i = 0; i < s->nvalues; i++)
		len += strlen(s->values[i]) + 1;
	out = xcalloc(1, len);
	for (i = 0; i < s->nvalues; i++) {
		if (i > 0)
			strcat(out, "|");
		strcat(out, s->values[i]);
	}
	return out;
}

static int
catalog_value_enum(const struct catalog_setting *s, const char *value,
    char **cause)
{
	char *list;
	size_t i;

	for (i = 0; i < s->nvalues; i++) {
		if (strcmp(s->values[i], value) == 0)
			return 0;
	}
	list = catalog_value_enum_list(s);
	*cause = xasprintf("expected one of %s", list);
	free(list);
	return -1;
}

static int
catalog_value_item(const struct catalog_setting *s, const char *item,
    char **cause)
{
	switch (s->item) {
	case CATALOG_IP:
		return catalog_value_ip(s->family, s->prefix, item, cause);
	case CATALOG_HOST:
		return catalog_value_host(item, cause);
	default:
		return catalog_value_text(s->minlen, s->maxlen, item, cause);
	}
}

/* Comma-separated items, none empty; "" is the empty list. */
static int
catalog_value_list(const struct catalog_setting *s, const char *value,
    char **cause)
{
	char *copy, *item, *next, *why = NULL;
	size_t n = 0;
	int rc = 0;

	if (*value == '\0')
		return 0;
	copy = xstrdup(value);
	for (item = copy; rc == 0 && item != NULL; item = next) {
		if ((next = strchr(item, ',')) != NULL)
			*next++ = '\0';
		if (++n > s->max_items) {
			*cause = xasprintf("more than %zu items", s->max_items);
			rc = -1;
		} else if (*item == '\0') {
			*cause = xasprintf("item %zu: empty", n);
			rc = -1;
		} else if (catalog_value_item(s, item, &why) != 0) {
			*cause = xasprintf("item %zu: %s", n, why);
			free(why);
			rc = -1;
		}
	}
	free(copy);
	return rc;
}

int
catalog_check_value(const struct catalog_setting *s, const char *value,
    char **cause)
{
	long long v;

	switch (s->type) {
	case CATALOG_BOOL:
		if (strcmp(value, "true") == 0 || strcmp(value, "false") == 0)
			return 0;
		*cause = xstrdup("expected true or false");
		return -1;
	case CATALOG_INT:
		if (catalog_value_integer(value, &v) != 0) {
			*cause = xstrdup("not an integer");
			return -1;
		}
		if (v >= s->min && v <= s->max)
			return 0;
		*cause = xasprintf("out of range %lld..%lld", s->min, s->max);
		return -1;
	case CATALOG_ENUM:
		return catalog_value_enum(s, value, cause);
	case CATALOG_IP:
		return catalog_value_ip(s->family, s->prefix, value, cause);
	case CATALOG_HOST:
		return catalog_value_host(value, cause);
	case CATALOG_LIST:
		return catalog_value_list(s, value, cause);
	default:
		return catalog_value_text(s->minlen, s->maxlen, value, cause);
	}
}

static char *
catalog_value_syntax_of(const struct catalog_setting *s, enum catalog_type t)
{
	static const char *const ip[] = { "ip", "ipv4", "ipv6" };
	char *list, *out;

	switch (t) {
	case CATALOG_INT:
		return xasprintf("int %lld..%lld", s->min, s->max);
	case CATALOG_ENUM:
		list = catalog_value_enum_list(s);
		out = xasprintf("enum %s", list);
		free(list);
		return out;
	case CATALOG_STRING:
	case CATALOG_SECRET:
		if (s->minlen == 0)
			return xasprintf("%s <=%zu", catalog_type_name(t), s->maxlen);
		return xasprintf("%s %zu..%zu", catalog_type_name(t), s->minlen,
		    s->maxlen);
	case CATALOG_IP:
		return xasprintf("%s%s", ip[s->family], s->prefix ? "[/len]" : "");
	case CATALOG_LIST:
		list = catalog_value_syntax_of(s, s->item);
		out = xasprintf("list of %s, max %zu", list, s->max_items);
		free(list);
		return out;
	default:
		return xstrdup(catalog_type_name(t));
	}
}

char *
catalog_setting_syntax(const struct catalog_setting *s)
{
	return catalog_value_syntax_of(s, s->type);
}
