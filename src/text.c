#include "config.h"

#include "text.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

size_t
text_utf8_decode(const unsigned char *s, size_t left, uint32_t *cpp)
{
	size_t n, i;
	uint32_t cp;

	if (s[0] < 0x80) {
		*cpp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (n > left)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	/* Overlong forms, surrogates and beyond U+10FFFF are invalid. */
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	*cpp = cp;
	return n;
}

size_t
text_utf8_len(const unsigned char *s, size_t left)
{
	uint32_t cp;
	size_t n;

	/* C1 controls (U+0080-U+009F) move terminals as much as C0 ones. */
	if ((n = text_utf8_decode(s, left, &cp)) == 0 ||
	    (cp >= 0x80 && cp <= 0x9f))
		return 0;
	return n;
}

static int
text_is_control(unsigned char c)
{
	return c < 0x20 || c == 0x7f;
}

char *
text_sanitize(const char *in, size_t len)
{
	const unsigned char *s = (const unsigned char *)in;
	char *out = xmalloc(len * 4 + 1), *o = out;
	size_t i = 0, n;

	while (i < len) {
		n = text_utf8_len(s + i, len - i);
		if (n == 0 || (n == 1 && text_is_control(s[i]))) {
			o += sprintf(o, "\\x%02x", s[i]);
			i++;
			continue;
		}
		memcpy(o, s + i, n);
		o += n;
		i += n;
	}
	*o = '\0';
	return out;
}

bool
text_is_clean(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t len = strlen(str), i = 0, n;

	while (i < len) {
		n = text_utf8_len(s + i, len - i);
		if (n == 0 || (n == 1 && text_is_control(s[i])))
			return false;
		i += n;
	}
	return true;
}

int
text_check_name(const char *what, const char *name, char **cause)
{
	size_t len = strlen(name), i;

	if (len == 0 || len > 64 || name[0] == '-') {
		*cause = xasprintf("invalid %s name '%s': 1 to 64 characters, "
		    "not starting with '-'", what, name);
		return -1;
	}
	for (i = 0; i < len; i++) {
		if (!isalnum((unsigned char)name[i]) && strchr("._-",
		    name[i]) == NULL) {
			*cause = xasprintf("invalid %s name '%s': only letters, "
			    "digits, '.', '_' and '-'", what, name);
			return -1;
		}
	}
	return 0;
}
