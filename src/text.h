/* Text that came from outside (printers, files) made safe for a terminal. */
#ifndef QUIRE_TEXT_H
#define QUIRE_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Copy LEN bytes of IN as valid UTF-8 with no control characters: C0, DEL
 * and C1 controls and invalid UTF-8 bytes become \xNN. Caller frees.
 */
char *text_sanitize(const char *in, size_t len);

/*
 * The valid UTF-8 sequence at S (at most LEFT bytes; SIZE_MAX for a
 * NUL-terminated string, whose NUL ends any sequence): its length with its
 * code point in *CP, or 0 (overlong, surrogate, truncated, beyond U+10FFFF).
 */
size_t text_utf8_decode(const unsigned char *s, size_t left, uint32_t *cp);
/*
 * Length of the valid UTF-8 sequence at S (LEFT bytes there), or 0 when it
 * is invalid (overlong, surrogate, past U+10FFFF) or a C1 control.
 */
size_t text_utf8_len(const unsigned char *s, size_t left);

/*
 * Check an operator-chosen NAME of a WHAT ("printer", "credential"): 1 to
 * 64 characters of letters, digits, '.', '_' and '-', not starting with
 * '-'. Returns 0, or -1 with *cause (caller frees).
 */
int text_check_name(const char *what, const char *name, char **cause);

/* True when S is valid UTF-8 free of control characters. */
bool text_is_clean(const char *s);

#endif
