/* Where quire keeps its files. Returned strings are owned by the caller. */
#ifndef QUIRE_PATHS_H
#define QUIRE_PATHS_H

/* --db, else $QUIRE_DB, else $XDG_DATA_HOME/quire/quire.db (~/.local/share). */
char *paths_database(const char *option);
/* $XDG_CONFIG_HOME/quire (~/.config/quire). */
char *paths_config_dir(void);
/*
 * The data directory (catalog, demo fleet): $QUIRE_DATADIR, else data/ beside
 * the running program (a build tree), else the source tree's data/, else the
 * installed one.
 */
char *paths_data_dir(void);

#endif
