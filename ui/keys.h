/*
 * Keys, neomutt-style: ops have names (name -> op, for ':' commands and
 * bindings), each key context has default bindings (op -> key), and the
 * modules that own a context map ops to handlers (op -> handler: console.c,
 * pane.c). The '?' help is generated from these tables.
 */
#ifndef QUIRE_UI_KEYS_H
#define QUIRE_UI_KEYS_H

#include <stddef.h>

enum keys_op {
	KEYS_OP_NONE,
	/* moving in a list */
	KEYS_OP_UP,
	KEYS_OP_DOWN,
	KEYS_OP_PAGE_UP,
	KEYS_OP_PAGE_DOWN,
	KEYS_OP_TOP,
	KEYS_OP_BOTTOM,
	/* lists */
	KEYS_OP_FILTER,
	KEYS_OP_MARK,
	KEYS_OP_MARK_ALL,
	KEYS_OP_INVERT,
	KEYS_OP_UNMARK_ALL,
	KEYS_OP_SORT,
	KEYS_OP_REVERSE,
	KEYS_OP_OPEN,
	/* the console */
	KEYS_OP_COMMAND,
	KEYS_OP_HELP,
	KEYS_OP_REDRAW,
	KEYS_OP_CLOSE,
	KEYS_OP_QUIT,
	/* switching views */
	KEYS_OP_CREDENTIALS,
	KEYS_OP_PRINTERS,
	KEYS_OP_HISTORY,
	KEYS_OP_HISTORY_ALL,
	/* actions on printers */
	KEYS_OP_CHECK,
	KEYS_OP_BACKUP,
	/* backups */
	KEYS_OP_DIFF,
	/* setting data (the configurator) */
	KEYS_OP_SETDATA,
	KEYS_OP_NEW,
	KEYS_OP_EDIT,
	KEYS_OP_DELETE,
	KEYS_OP_UNSET,
	KEYS_OP_SAVE,
	/* distribution (pane-distribute.h) */
	KEYS_OP_DISTRIBUTE,
	KEYS_OP_JOBS,
	KEYS_OP_CANCEL_JOB,
	KEYS_OP_RETRY,
	KEYS_OP_ROLLBACK,
	KEYS_OP_YES,
	KEYS_OP_NO,
	/* editing a prompt line */
	KEYS_OP_ACCEPT,
	KEYS_OP_CANCEL,
	KEYS_OP_BACKSPACE,
	KEYS_OP_KILL_LINE,
	KEYS_OP_KILL_WORD,
	KEYS_NOPS
};

enum keys_context {
	KEYS_LIST,		/* a list of printers (or jobs, ...) */
	KEYS_VIEW,		/* a detail or help view */
	KEYS_CREDS,		/* the list of credentials */
	KEYS_BACKUPS,		/* the backup history */
	KEYS_SETDATA,		/* the list of setting data */
	KEYS_SDEDIT,		/* the editor's categories and settings */
	KEYS_CHOICE,		/* choosing one of an enum's values */
	KEYS_DIST_JOBS,		/* distribution jobs, a job's printers */
	KEYS_DIST_CHOOSE,	/* which setting data to distribute */
	KEYS_DIST_ASK,		/* a question: y or n */
	KEYS_EDIT,		/* the filter or command prompt */
	KEYS_NCONTEXTS
};

/* A key: a character, or SCREEN_KEY_FN | a curses KEY_* code. */
struct keys_binding {
	int		 key;
	enum keys_op	 op;
};

/* The op bound to KEY in CONTEXT, or KEYS_OP_NONE. */
enum keys_op keys_lookup(enum keys_context, int key);
/* The op's name ("mark-all"), or NULL for KEYS_OP_NONE. */
const char *keys_op_name(enum keys_op);
/* The op named NAME (or a short alias such as "q"), or KEYS_OP_NONE. */
enum keys_op keys_op_find(const char *name);
/* One line on what the op does, translated. */
const char *keys_op_help(enum keys_op);
/* The default bindings of CONTEXT, in table order. */
const struct keys_binding *keys_bindings(enum keys_context, size_t *n);
/* The first key bound to OP in CONTEXT, or -1. */
int keys_default(enum keys_context, enum keys_op);

#define KEYS_NAME_MAX 16
/* A key's name for help and hints ("Up", "^L", "Space", "k") in BUF. */
const char *keys_key_name(int key, char *buf, size_t len);

/*
 * Call ADD once per op bound in CONTEXT, in op order, with the names of all
 * its keys ("k, Up"), its name and its help: the source of the '?' view.
 */
void keys_help(enum keys_context, void (*add)(void *arg, const char *keys,
    const char *name, const char *help), void *arg);

#endif
