/* html.h — the only way runcare writes HTML: text and attributes are escaped by default, and
 * unescaped output is limited to string literals and cmark's safe rendering. */
#ifndef RC_HTML_H
#define RC_HTML_H

#include <stddef.h>

#include "base/buf.h"

/* Escapes & < > " ' so the text is safe in element content and in quoted attributes. */
void rc_html_text(rc_buf *b, const char *s);
void rc_html_textn(rc_buf *b, const char *s, size_t n);
/* <time datetime="RFC 3339">t in the clinic's zone through a strftime pattern</time>: every time a
 * person reads on a page goes through here, so none is in UTC by accident. */
#include <stdint.h>
void rc_html_time(rc_buf *b, int64_t t, const char *fmt);
/* Formats, then escapes the result. */
void rc_html_printf(rc_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Percent-encodes for use inside a URL path segment or query value. */
void rc_html_url_arg(rc_buf *b, const char *s);
/* A phone number as a tel: URI body: digits and a leading '+' only ("(619) 555-0142" → 6195550142). */
void rc_html_tel(rc_buf *b, const char *phone);
/* Markup known at compile time: only a string literal compiles here. */
#define rc_html_lit(b, s) ((void)rc_buf_lit((b), s))
/* HTML produced by cmark with its safe default (no raw HTML, no javascript: links). */
void rc_html_cmark(rc_buf *b, const char *rendered);

#endif
