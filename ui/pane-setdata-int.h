/* Shared by the setting-data list (pane-setdata.c) and its editor. */
#ifndef QUIRE_UI_PANE_SETDATA_INT_H
#define QUIRE_UI_PANE_SETDATA_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "keys.h"

struct catalog;
struct catalog_category;
struct catalog_setting;
struct pane;
struct screen;
struct setdata;
struct setdata_info;
struct status;
struct store;

/* The list, the categories, the settings, and a choice list or help. */
#define PANE_SETDATA_DEPTH	5

/* What the status line is asking, and where the answer goes. */
enum pane_setdata_ask {
	PANE_SETDATA_ASK_NONE,
	PANE_SETDATA_ASK_FILTER,
	PANE_SETDATA_ASK_COMMAND,
	PANE_SETDATA_ASK_NAME,		/* save as */
	PANE_SETDATA_ASK_REPLACE,	/* y/n: save over an existing name */
	PANE_SETDATA_ASK_DELETE,	/* y/n: remove the data */
	PANE_SETDATA_ASK_DISCARD,	/* y/n: leave without saving */
	PANE_SETDATA_ASK_QUIT,		/* y/n: quit without saving */
};

/* One row of the settings view, its texts kept until the next rebuild. */
struct pane_setdata_row {
	const struct catalog_setting *s;
	char		*value;
	char		*syntax;
	bool		 set;
};

struct pane_setdata {
	struct store	*st;
	struct status	*status;	/* the console's, borrowed */
	struct catalog	*cat;

	/* the registered data */
	struct setdata_info *infos;
	size_t		 ninfos;
	char		*(*cells)[5];

	/* the data being edited: NULL at the list */
	struct setdata	*sd;
	char		*name;		/* its registered name; NULL when new */
	bool		 dirty;
	const struct catalog_category *category;
	char		**counts;	/* per category: settings set */
	struct pane_setdata_row *rows;	/* the category's settings */
	size_t		 nrows;

	/* the value being typed: LINE's prompt holds it */
	struct status	*line;
	const struct catalog_setting *field;
	char		*error;		/* why the value is refused, or NULL */

	struct pane	*stack[PANE_SETDATA_DEPTH];
	size_t		 depth;
	enum pane_setdata_ask ask;
	char		*pending;	/* the name a y/n question is about */
	int		 status_cursor;	/* the prompt's cursor column */
	bool		 all;		/* repaint everything */
	bool		 closed;	/* leave the editor after this key */
	bool		 quit;		/* and quire */
};

/* The pane on top, and its key context. */
struct pane *pane_setdata_top(struct pane_setdata *);
/* Put P on top (placed at the next draw); the oldest goes if full. */
void pane_setdata_push(struct pane_setdata *, struct pane *);
/* Close the pane on top (never the list). */
void pane_setdata_pop(struct pane_setdata *);
/* Ask a question on the status line (y/n, or a line when ASK_NAME). */
void pane_setdata_ask(struct pane_setdata *, enum pane_setdata_ask,
    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* ---- pane-setdata-edit.c: the editor ---- */

/*
 * Edit SD (taken), registered as NAME (NULL: new): push the categories.
 */
void pane_setdata_edit_start(struct pane_setdata *, struct setdata *sd,
    const char *name);
/* Drop the data being edited and its panes, back to the list. */
void pane_setdata_edit_end(struct pane_setdata *);
/* The editor's ops (KEYS_SDEDIT, KEYS_CHOICE); -1 when not one of them. */
int pane_setdata_edit_op(struct pane_setdata *, enum keys_op);
/* A key while a value is typed (KEYS_EDIT). */
void pane_setdata_edit_key(struct pane_setdata *, int key);
/* True while a value is being typed. */
bool pane_setdata_editing(const struct pane_setdata *);
/* Lines the editor takes under the settings list. */
#define PANE_SETDATA_FIELD_LINES 3
/* Paint the field lines from line Y; returns the cursor column or -1. */
int pane_setdata_edit_draw(struct pane_setdata *, struct screen *, int y,
    int width);
/* Save the data as NAME (REPLACE an existing one); says how it went. */
void pane_setdata_edit_save(struct pane_setdata *, const char *name,
    bool replace);
/* The title of the editor's panes: "office · device (modified)". */
char *pane_setdata_edit_title(const struct pane_setdata *);

#endif
