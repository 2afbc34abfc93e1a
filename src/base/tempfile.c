/* tempfile.c — unnamed temporary files (see tempfile.h). */
#include "base/tempfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

int rc_temp_open(const char *dir)
{
	if (!dir || !dir[0])
		dir = getenv("TMPDIR");
	if (!dir || !dir[0])
		dir = "/tmp";
	int fd = open(dir, O_TMPFILE | O_RDWR | O_EXCL | O_CLOEXEC, 0600);
	if (fd >= 0 || (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL))
		return fd;
	char path[4096];
	if ((size_t)snprintf(path, sizeof path, "%s/runcare-tmp-XXXXXX", dir) >= sizeof path) {
		errno = ENAMETOOLONG;
		return -1;
	}
	fd = mkostemp(path, O_CLOEXEC);
	if (fd >= 0)
		unlink(path);
	return fd;
}

void rc_pages_drop(const void *p, size_t n)
{
	/* The mapping is private and read-only: dropped pages come back from the page cache when read. */
	long page = sysconf(_SC_PAGESIZE);
	uintptr_t from = (uintptr_t)p / (uintptr_t)page * (uintptr_t)page, to = (uintptr_t)p + n;
	if (page > 0 && to > from && madvise((void *)from, to - from, MADV_DONTNEED) != 0)
		errno = 0;
}
