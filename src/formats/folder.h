/* folder.h — `runcare import DIR`: a folder of files from any watch (FIT, GPX, TCX, .gz, zips and the
 * platforms' exports), walked in name order. Symbolic links are not followed (a link could lead out of
 * the folder, or round in a loop), nor folders nested deeper than RC_FOLDER_MAX_DEPTH; files that are
 * not training files (photos, notes, CSV) are named as skipped with why, not failures. */
#ifndef RC_FOLDER_H
#define RC_FOLDER_H

#include "formats/archive.h"

enum {
	RC_FOLDER_MAX_DEPTH = 16,      /* folders inside the one named */
	RC_FOLDER_MAX_FILES = 200000,  /* files read from one folder, all levels */
};

/* Told of each file or folder left out, with why ("a symbolic link: not followed"). */
typedef void (*rc_folder_skip_fn)(void *ctx, const char *path, const char *why);

/* Walks dir: each file is read as formats/platforms.h reads a path (fn, budget as archive.h's). RC_EINVAL
 * with err when dir itself cannot be opened. */
RC_WUR rc_err rc_folder_each(const char *dir, rc_archive_budget *budget, rc_entry_fn fn, rc_folder_skip_fn skip,
                             void *ctx, char *err, size_t errlen);

#endif
