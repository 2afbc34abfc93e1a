/* tempfile.h — an unnamed temporary file: what an upload is spooled to while it arrives, and where the
 * import worker and the archive reader keep a file they read from disk rather than memory. */
#ifndef RC_TEMPFILE_H
#define RC_TEMPFILE_H

/* A file in dir (NULL or "": $TMPDIR, else /tmp) that has no name, mode 0600: opened with O_TMPFILE,
 * or on a file system without it made by mkstemp and unlinked at once. Nobody else can open it, and it
 * is gone when closed or when the process ends. A descriptor (caller closes), or -1 with errno. */
int rc_temp_open(const char *dir);

#include <stddef.h>

/* Hands back the pages of a read-only private mapping over [p, p + n) that will not be read again
 * soon (read again, they come from the page cache), so reading a mapped file of gigabytes does not
 * make it resident. */
void rc_pages_drop(const void *p, size_t n);

#endif
