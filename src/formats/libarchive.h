/* libarchive.h — libarchive, opened when the first archive is read or written (base/dl.h): a command
 * that never meets a .zip or a .gz does not map it and the compression libraries it brings. */
#ifndef RC_LIBARCHIVE_H
#define RC_LIBARCHIVE_H

#include <archive.h>
#include <archive_entry.h>

#include "base/dl.h"

/* The functions runcare calls, as libarchive.NAME for archive_NAME. */
#define RC_LIBARCHIVE_FUNCTIONS(X) \
	X(entry_filetype, archive_entry_filetype) \
	X(entry_free, archive_entry_free) \
	X(entry_new, archive_entry_new) \
	X(entry_pathname, archive_entry_pathname) \
	X(entry_set_filetype, archive_entry_set_filetype) \
	X(entry_set_mtime, archive_entry_set_mtime) \
	X(entry_set_pathname_utf8, archive_entry_set_pathname_utf8) \
	X(entry_set_perm, archive_entry_set_perm) \
	X(entry_set_size, archive_entry_set_size) \
	X(entry_size, archive_entry_size) \
	X(entry_size_is_set, archive_entry_size_is_set) \
	X(error_string, archive_error_string) \
	X(filter_bytes, archive_filter_bytes) \
	X(read_data_block, archive_read_data_block) \
	X(read_free, archive_read_free) \
	X(read_new, archive_read_new) \
	X(read_next_header, archive_read_next_header) \
	X(read_open1, archive_read_open1) \
	X(read_open_filename, archive_read_open_filename) \
	X(read_open_memory, archive_read_open_memory) \
	X(read_set_callback_data, archive_read_set_callback_data) \
	X(read_set_read_callback, archive_read_set_read_callback) \
	X(read_set_seek_callback, archive_read_set_seek_callback) \
	X(read_set_skip_callback, archive_read_set_skip_callback) \
	X(read_support_filter_gzip, archive_read_support_filter_gzip) \
	X(read_support_format_raw, archive_read_support_format_raw) \
	X(read_support_format_zip_seekable, archive_read_support_format_zip_seekable) \
	X(read_support_format_zip_streamable, archive_read_support_format_zip_streamable) \
	X(set_error, archive_set_error) \
	X(write_close, archive_write_close) \
	X(write_data, archive_write_data) \
	X(write_finish_entry, archive_write_finish_entry) \
	X(write_free, archive_write_free) \
	X(write_header, archive_write_header) \
	X(write_new, archive_write_new) \
	X(write_open2, archive_write_open2) \
	X(write_set_bytes_in_last_block, archive_write_set_bytes_in_last_block) \
	X(write_set_format_zip, archive_write_set_format_zip)
extern struct rc_libarchive {
	RC_LIBARCHIVE_FUNCTIONS(RC_DL_POINTER)
} libarchive;

/* archive_read_new and archive_write_new, the library opened first if it was not: NULL when it cannot
 * be opened (the reason is logged once, as a warning: the package libarchive13 is missing) or when
 * memory is short. Every other libarchive.NAME is called on what these return. */
struct archive *rc_archive_read_new(void);
struct archive *rc_archive_write_new(void);

#endif
