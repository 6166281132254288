/* Text that came from outside (printers, files) made safe for a terminal. */
#ifndef QUIRE_TEXT_H
#define QUIRE_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Copy LEN bytes of IN as valid UTF-8 with no control characters: C0, DEL
 * and C1 controls and invalid UTF-8 bytes become \xNN. Caller frees.
 */
char *text_sanitize(const char *in, size_t len);

/* True when S is valid UTF-8 free of control characters. */
bool text_is_clean(const char *s);

#endif
