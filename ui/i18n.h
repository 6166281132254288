/* gettext for the words an operator reads; they live in ui/ only. */
#ifndef QUIRE_UI_I18N_H
#define QUIRE_UI_I18N_H

#if ENABLE_NLS
#include <libintl.h>
#define _(s) gettext(s)
/* ONE or MANY by N, as the language counts. */
#define P_(one, many, n) ngettext(one, many, n)
#else
#define _(s) (s)
#define P_(one, many, n) ((n) == 1 ? (one) : (many))
#endif
#define N_(s) (s)

#endif
