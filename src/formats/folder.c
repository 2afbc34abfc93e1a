/* folder.c — a folder of training files, walked without following links (see folder.h). */
#include "formats/folder.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "formats/activity.h"
#include "formats/applehealth.h"
#include "formats/platforms.h"
#include "formats/polar.h"
#include "formats/zipentry.h"

typedef struct {
	rc_archive_budget *budget;
	rc_entry_fn fn;
	rc_folder_skip_fn skip;
	void *ctx;
	int files;
	bool halt;
} folder_walk;

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Whether the file's first bytes are something runcare reads: a training file, a .gz or zip, an
 * unzipped Apple Health export.xml. */
static bool readable(int fd, const char *name, const char **why)
{
	unsigned char head[16384];
	ssize_t n = pread(fd, head, sizeof head, 0);
	*why = "not a training file (runcare reads FIT, GPX, TCX, .gz and .zip exports)";
	if (n <= 0) {
		if (n == 0)
			*why = "an empty file";
		return false;
	}
	size_t len = (size_t)n;
	return rc_zipent_is_zip(head, len) || (len >= 2 && head[0] == 0x1f && head[1] == 0x8b) ||
	       rc_activity_kind(head, len) != RC_FILE_UNKNOWN || rc_applehealth_is_xml(head, len) ||
	       rc_polar_is_json(name, head, len);
}

static void walk_dir(folder_walk *w, int dfd, const char *path, int depth)
{
	DIR *d = fdopendir(dfd);
	if (!d) {
		close(dfd);
		w->skip(w->ctx, path, "a folder runcare cannot open");
		return;
	}
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			char **p = realloc(names, cap * sizeof *p);
			if (!p)
				break;
			names = p;
		}
		if (!(names[n] = strdup(de->d_name)))
			break;
		n++;
	}
	if (n) /* an empty folder: names is NULL, which qsort must not be handed */
		qsort(names, n, sizeof *names, by_name);
	for (size_t i = 0; i < n; i++) {
		char full[4096];
		snprintf(full, sizeof full, "%s/%s", path, names[i]);
		struct stat sb;
		if (w->halt || fstatat(dirfd(d), names[i], &sb, AT_SYMLINK_NOFOLLOW) != 0) {
			free(names[i]);
			continue;
		}
		if (S_ISLNK(sb.st_mode)) {
			w->skip(w->ctx, full, "a symbolic link: not followed (it could lead outside the folder)");
		} else if (S_ISDIR(sb.st_mode)) {
			if (depth >= RC_FOLDER_MAX_DEPTH) {
				w->skip(w->ctx, full, "a folder nested more than 16 deep: not read");
			} else {
				int sub = openat(dirfd(d), names[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
				if (sub < 0)
					w->skip(w->ctx, full, "a folder runcare cannot open");
				else
					walk_dir(w, sub, full, depth + 1);
			}
		} else if (!S_ISREG(sb.st_mode)) {
			w->skip(w->ctx, full, "not a regular file");
		} else if (++w->files > RC_FOLDER_MAX_FILES) {
			w->skip(w->ctx, full, "more than 200,000 files in the folder: the rest were left out");
			w->halt = true;
		} else if (names[i][0] == '.') {
			w->skip(w->ctx, full, "a hidden file");
		} else {
			/* Opened without following a link swapped in since it was listed. */
			int fd = openat(dirfd(d), names[i], O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
			const char *why = "cannot be opened";
			if (fd < 0 || !readable(fd, names[i], &why)) {
				w->skip(w->ctx, full, why);
			} else {
				char err[600];
				if (rc_platform_each_file(full, w->budget, w->fn, w->ctx, err, sizeof err))
					w->halt = w->fn(w->ctx, full, NULL, 0, err, 0) != 0;
			}
			if (fd >= 0)
				close(fd);
			if (w->budget->expanded > w->budget->max_expanded)
				w->halt = true;
		}
		free(names[i]);
	}
	free(names);
	closedir(d);
}

rc_err rc_folder_each(const char *dir, rc_archive_budget *budget, rc_entry_fn fn, rc_folder_skip_fn skip, void *ctx,
                      char *err, size_t errlen)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return rc_errf(err, errlen, RC_EINVAL, "%s: not a folder runcare can open", dir);
	folder_walk w = {.budget = budget, .fn = fn, .skip = skip, .ctx = ctx};
	size_t n = strlen(dir);
	char path[4096];
	snprintf(path, sizeof path, "%.*s", (int)(n > 1 && dir[n - 1] == '/' ? n - 1 : n), dir);
	walk_dir(&w, fd, path, 0);
	return RC_OK;
}
