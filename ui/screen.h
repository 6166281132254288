/*
 * The terminal under the console: curses set up and torn down, semantic
 * colour roles with a monochrome fallback (NO_COLOR or no colours), a UTF-8
 * or ASCII glyph table chosen from the locale's codeset, keys, signals and
 * resize. The only ui/ module that talks to curses' setup and terminfo.
 */
#ifndef QUIRE_UI_SCREEN_H
#define QUIRE_UI_SCREEN_H

#include <stdbool.h>

/* What a piece of text is, not how it looks; screen.c picks the look. */
enum screen_role {
	SCREEN_NORMAL,
	SCREEN_SELECTED,	/* the row under the cursor */
	SCREEN_MARKED,		/* a marked row */
	SCREEN_HEADER,		/* column titles */
	SCREEN_STATUS,		/* title bar and pane footer */
	SCREEN_OK,
	SCREEN_WARN,
	SCREEN_ERROR,
	SCREEN_NROLES
};

enum screen_glyph {
	SCREEN_GLYPH_MARK,	/* ● or * */
	SCREEN_GLYPH_SELECT,	/* ▶ or > */
	SCREEN_GLYPH_BAR_FULL,	/* █ or # */
	SCREEN_GLYPH_BAR_EMPTY,	/* ░ or - */
	SCREEN_GLYPH_SEPARATOR,	/* · or - */
	SCREEN_NGLYPHS
};

/* What screen_signals() found. */
#define SCREEN_RESIZED	0x1
#define SCREEN_QUIT	0x2	/* SIGINT, SIGTERM or SIGHUP */

struct screen;

/*
 * Take the terminal (which must be one): curses on, keys without delay,
 * signals routed to screen_signal_fd(), stderr sent to /dev/null until
 * screen_close(). Returns 0, or -1 with *cause set.
 */
int screen_open(struct screen **out, char **cause);
/* Give the terminal back as it was found; accepts NULL. */
void screen_close(struct screen **);

/* Readable when a signal came in; then call screen_signals(). */
int screen_signal_fd(const struct screen *);
/* Drain the signals: SCREEN_RESIZED (curses already resized) | SCREEN_QUIT. */
int screen_signals(struct screen *);

/*
 * The next key without waiting: a character, or SCREEN_KEY_FN | a curses
 * KEY_* code. Returns 0, or -1 when no key is waiting.
 */
#define SCREEN_KEY_FN	0x40000000
int screen_getkey(struct screen *, int *key);

/* The terminal's size now. */
int screen_lines(const struct screen *);
int screen_cols(const struct screen *);
/* True when the locale's codeset is UTF-8 (else glyphs are ASCII). */
bool screen_is_utf8(const struct screen *);
/* True unless NO_COLOR is set or the terminal has too few colours. */
bool screen_has_colour(const struct screen *);
/* A glyph from the table of the locale: "●" or "*", borrowed. */
const char *screen_glyph(const struct screen *, enum screen_glyph);

/*
 * Write TEXT at Y, X in ROLE, cut to WIDTH columns (never wrapped) and, when
 * PAD, padded with blanks to WIDTH. Characters a terminal would act on are
 * shown as '?'. Returns the columns written.
 */
int screen_put(struct screen *, int y, int x, int width, enum screen_role,
    const char *text, bool pad);
/* Blank WIDTH columns at Y, X in ROLE. */
void screen_blank(struct screen *, int y, int x, int width, enum screen_role);
/* The columns TEXT takes under the same rules as screen_put(). */
int screen_width(const struct screen *, const char *text);

/* Wipe everything at the next update (after a resize or ^L). */
void screen_clear(struct screen *);
/* Show the cursor at Y, X, or hide it when Y is negative. */
void screen_cursor(struct screen *, int y, int x);
/* Send what changed to the terminal. */
void screen_update(struct screen *);

#endif
