/*
 * Shared by the distribution panes: the jobs list and a job's printers
 * (pane-distribute-jobs.c), the console action's chooser, preview and
 * questions (pane-distribute-flow.c), and the hook (pane-distribute.c).
 * Every one of them is a "view": rows of cells the view owns, each cell
 * with its own role, over one generic pane owner.
 */
#ifndef QUIRE_UI_PANE_DISTRIBUTE_INT_H
#define QUIRE_UI_PANE_DISTRIBUTE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "distribute.h"
#include "keys.h"
#include "pane-distribute.h"
#include "pane.h"
#include "screen.h"

struct status;
struct store;

/* Columns a view has at most. */
#define PANE_DISTRIBUTE_MAXCOLS	8

/* The console's state for distributing (pane-distribute.h). */
struct pane_distribute {
	struct store		*st;
	const struct screen	*scr;
	struct status		*status;
};

enum pane_distribute_kind {
	PANE_DISTRIBUTE_JOBS,		/* the distribution jobs */
	PANE_DISTRIBUTE_JOB,		/* one job's printers */
	PANE_DISTRIBUTE_SETTINGS,	/* one printer's settings in a job */
	PANE_DISTRIBUTE_CHOOSE,		/* which setting data to distribute */
	PANE_DISTRIBUTE_PREVIEW,	/* what a dry run found */
	PANE_DISTRIBUTE_ASK,		/* cancel or roll back a job? */
};

/* What an ASK view asks. */
enum pane_distribute_ask {
	PANE_DISTRIBUTE_ASK_CANCEL,
	PANE_DISTRIBUTE_ASK_ROLLBACK,
};

struct pane_distribute_row {
	int64_t		 key;
	char		*name;		/* a printer or data name, or NULL */
	char		*cells[PANE_DISTRIBUTE_MAXCOLS];
	enum screen_role roles[PANE_DISTRIBUTE_MAXCOLS];
};

/* The ARG of every distribution pane. */
struct pane_distribute_view {
	struct pane_owner	 owner;
	enum pane_distribute_kind kind;
	struct pane_distribute	*pd;		/* borrowed */
	const char		*empty;		/* translated, static */
	struct pane_distribute_row *rows;
	size_t			 nrows;

	int64_t			 job;		/* all but JOBS and CHOOSE */
	bool			 preview;	/* JOB, SETTINGS: a dry run */
	char			*printer;	/* SETTINGS */
	char			*data;		/* PREVIEW */
	int64_t			*ids;		/* CHOOSE: the chosen printers;
						   PREVIEW: those to write to */
	size_t			 nids;
	bool			 final;		/* PREVIEW: its job has ended */
	size_t			 nchange;	/* PREVIEW: settings to write */
	enum pane_distribute_ask ask;		/* ASK */
};

/* ---- pane-distribute.c ---- */

/*
 * A new view of KIND over COLUMNS (static, NCOLUMNS at most
 * PANE_DISTRIBUTE_MAXCOLS); ONE/MANY are N_() nouns, EMPTY a translated
 * static line. Its pane is made by pane_distribute_view_pane().
 */
struct pane_distribute_view *pane_distribute_view_new(struct pane_distribute *,
    enum pane_distribute_kind, const struct pane_column *, size_t ncolumns,
    const char *one, const char *many, const char *empty);
/* A pane (context CTX, titled TITLE) owning V, loaded. */
struct pane *pane_distribute_view_pane(struct pane_distribute_view *v,
    const char *title, enum keys_context ctx);
/* Drop every row (before filling again). */
void pane_distribute_view_clear(struct pane_distribute_view *);
/* Add a row of copies of CELLS (NULL: ""), all in NORMAL; returns it. */
struct pane_distribute_row *pane_distribute_view_add(
    struct pane_distribute_view *, int64_t key, const char *const *cells);
/* The view of P if P is a distribution pane, else NULL. */
struct pane_distribute_view *pane_distribute_view_of(struct pane *p);
/* The row under P's cursor, or NULL. */
struct pane_distribute_row *pane_distribute_view_current(struct pane *p);

/* S (NULL: "") made safe for the terminal; caller frees. */
char *pane_distribute_clean(const char *s);
/* MS since the epoch as local "YYYY-MM-DD HH:MM:SS"; caller frees. */
char *pane_distribute_time(int64_t ms);
/* An outcome as the operator reads it, and its role. */
const char *pane_distribute_outcome(enum distribute_outcome, bool preview,
    enum screen_role *role);
/* "old -> new", the value alone, or "(secret)"; caller frees. */
char *pane_distribute_change(const struct distribute_result *);

/* ---- pane-distribute-jobs.c ---- */

/* The distribution jobs, loaded; NULL with *cause on failure. */
struct pane *pane_distribute_jobs_open(struct pane_distribute *,
    char **cause);
/* JOB's printers with their outcome counts. */
struct pane *pane_distribute_job_open(struct pane_distribute *, int64_t job,
    char **cause);
/* The settings of PRINTER in JOB. */
struct pane *pane_distribute_settings_open(struct pane_distribute *,
    int64_t job, const char *printer, bool preview, char **cause);
/* Read a JOBS, JOB or PREVIEW view's rows again (P's). */
int pane_distribute_jobs_reload(struct pane *p, char **cause);
int pane_distribute_job_reload(struct pane *p, char **cause);
/* A question about JOB (ASK view): cancel it, or roll it back. */
struct pane *pane_distribute_ask_open(struct pane_distribute *, int64_t job,
    enum pane_distribute_ask, char **cause);
/* The ops of a JOBS, JOB or ASK view on top (TOP); false if not one. */
bool pane_distribute_jobs_op(struct pane_distribute *, struct pane *top,
    enum keys_op, struct pane_distribute_do *);

/* ---- pane-distribute-flow.c ---- */

/* The chooser of setting data for the printers IDS (copied). */
struct pane *pane_distribute_choose_open(struct pane_distribute *,
    const int64_t *ids, size_t n, char **cause);
/*
 * The preview of the dry run JOB of DATA; FINAL once the job has ended:
 * then its title asks whether to write.
 */
struct pane *pane_distribute_preview_open(struct pane_distribute *,
    int64_t job, const char *data, bool final, char **cause);
/* Read a PREVIEW view's results again; *ENDED when its job has ended. */
int pane_distribute_preview_reload(struct pane *p, bool *ended,
    char **cause);
/* The console action: the chooser for the printers of INV (the inventory). */
void pane_distribute_flow_start(struct pane_distribute *, struct pane *inv,
    struct pane_distribute_do *);
/* The ops of a CHOOSE or PREVIEW view on top (TOP); false if not one. */
bool pane_distribute_flow_op(struct pane_distribute *, struct pane *top,
    enum keys_op, struct pane_distribute_do *);
/*
 * If TOP is a preview whose dry run has ended since it opened, replace it
 * by the preview with the question (in *D) and return true.
 */
bool pane_distribute_flow_ended(struct pane_distribute *, struct pane *top,
    struct pane_distribute_do *);

#endif
