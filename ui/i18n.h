/* gettext for the words an operator reads; they live in ui/ only. */
#ifndef QUIRE_UI_I18N_H
#define QUIRE_UI_I18N_H

#if ENABLE_NLS
#include <libintl.h>
#define _(s) gettext(s)
#else
#define _(s) (s)
#endif
#define N_(s) (s)

#endif
