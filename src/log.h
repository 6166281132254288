/*
 * Logging: off until log_open() names a file (or stderr with -v). One write()
 * per line so lines from threads and processes never interleave. Never pass a
 * secret to these functions.
 */
#ifndef QUIRE_LOG_H
#define QUIRE_LOG_H

enum log_level { LOG_LEVEL_ERROR, LOG_LEVEL_WARN, LOG_LEVEL_INFO, LOG_LEVEL_DEBUG };

/* Log to PATH (appended, mode 0600), or to stderr when PATH is "-". */
int log_open(const char *path, enum log_level level, char **cause);
void log_close(void);
/* Stop writing to stderr (the console owns the terminal). */
void log_mute_stderr(void);

void log_emit(enum log_level level, const char *func, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#define log_error(...) log_emit(LOG_LEVEL_ERROR, __func__, __VA_ARGS__)
#define log_warn(...) log_emit(LOG_LEVEL_WARN, __func__, __VA_ARGS__)
#define log_info(...) log_emit(LOG_LEVEL_INFO, __func__, __VA_ARGS__)
#define log_debug(...) log_emit(LOG_LEVEL_DEBUG, __func__, __VA_ARGS__)

#endif
