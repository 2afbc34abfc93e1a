/* smtp.c — an RFC 5322 / MIME message (text, and a text/calendar part when there is one), handed
 * to libcurl's SMTP client. */
#include "mail/smtp.h"
#include "base/crypto.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/buf.h"
#include "base/dl.h"

/* libcurl, opened by rc_smtp_init (base/dl.h): the functions this file calls. curl_easy_setopt's
 * type-checking macro applies to calls by that name only; through the pointer it is the variadic
 * function itself, so every value below is given in the type its option takes (long, a pointer). */
#define CURL_FUNCTIONS(X) \
	X(easy_init, curl_easy_init) \
	X(easy_setopt, curl_easy_setopt) \
	X(easy_perform, curl_easy_perform) \
	X(easy_cleanup, curl_easy_cleanup) \
	X(easy_strerror, curl_easy_strerror) \
	X(slist_append, curl_slist_append) \
	X(slist_free_all, curl_slist_free_all) \
	X(global_init, curl_global_init)
static struct {
	CURL_FUNCTIONS(RC_DL_POINTER)
} curl;
#define CURL_SYM(member, fn) {#fn, (void **)&curl.member},
static const rc_dl_sym curl_syms[] = {CURL_FUNCTIONS(CURL_SYM)};
static rc_dl_lib libcurl = RC_DL_LIB("libcurl.so.4", "sending mail to an SMTP relay (--smtp)", "libcurl4", curl_syms);

rc_err rc_smtp_init(char *err, size_t errlen)
{
	static atomic_bool started;
	rc_err e = rc_dl_load(&libcurl, err, errlen);
	if (e || atomic_load(&started))
		return e;
	/* Once, before any message: libcurl's own start (its TLS library's), which runcare serve calls
	 * before its threads start. */
	static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	pthread_mutex_lock(&lock);
	if (!atomic_load(&started)) {
		CURLcode c = curl.global_init(CURL_GLOBAL_DEFAULT);
		if (c != CURLE_OK)
			e = rc_errf(err, errlen, RC_EIO, "libcurl could not start: %s", curl.easy_strerror(c));
		else
			atomic_store(&started, true);
	}
	pthread_mutex_unlock(&lock);
	return e;
}

typedef struct {
	const char *data;
	size_t len, off;
} payload;

static size_t reader(char *ptr, size_t size, size_t nmemb, void *userp)
{
	payload *p = userp;
	size_t room = size * nmemb, left = p->len - p->off;
	size_t n = left < room ? left : room;
	memcpy(ptr, p->data + p->off, n);
	p->off += n;
	return n;
}

static bool header_safe(const char *s)
{
	return s && !strpbrk(s, "\r\n") && strlen(s) < 900;
}

rc_err rc_smtp_send(const char *relay, const char *from, const char *to, const char *subject, const char *body,
                    const char *attachment, long message_no, char *err, size_t errlen)
{
	if (!header_safe(from) || !header_safe(to) || !header_safe(subject) || strpbrk(to, "<>,;"))
		return rc_errf(err, errlen, RC_EINVAL, "a header value holds a line break or an address is malformed");
	rc_err started = rc_smtp_init(err, errlen);
	if (started)
		return started;
	char date[64], msgid[128];
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
	const char *at = strchr(from, '@');
	snprintf(msgid, sizeof msgid, "<runcare.%ld.%ld@%s>", (long)now, message_no, at ? at + 1 : "localhost");
	rc_buf m;
	rc_buf_init(&m, 4 * 1024 * 1024);
	/* A random boundary: no text in a body (a name, a note) can close a part and start one of its own. */
	char token[RC_TOKEN_CHARS + 1], boundary[RC_TOKEN_CHARS + 16];
	rc_crypto_token(token);
	snprintf(boundary, sizeof boundary, "=_runcare_%s", token);
	rc_buf_printf(&m, "Date: %s\r\nFrom: %s\r\nTo: %s\r\nSubject: %s\r\nMessage-ID: %s\r\nMIME-Version: 1.0\r\n", date,
	              from, to, subject, msgid);
	rc_buf_printf(&m, "Content-Type: multipart/mixed; boundary=\"%s\"\r\n\r\n--%s\r\n", boundary, boundary);
	rc_buf_lit(&m, "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n");
	for (const char *p = body; *p; p++) {
		if (*p == '\n' && (p == body || p[-1] != '\r'))
			rc_buf_putc(&m, '\r');
		rc_buf_putc(&m, *p);
	}
	rc_buf_lit(&m, "\r\n");
	if (attachment) {
		rc_buf_printf(&m, "--%s\r\nContent-Type: text/calendar; charset=utf-8; method=PUBLISH; name=\"visit.ics\"\r\n"
		                  "Content-Disposition: attachment; filename=\"visit.ics\"\r\nContent-Transfer-Encoding: 8bit\r\n\r\n",
		              boundary);
		rc_buf_puts(&m, attachment);
	}
	rc_buf_printf(&m, "--%s--\r\n", boundary);
	if (m.failed) {
		rc_buf_free(&m);
		return rc_errf(err, errlen, RC_ETOOBIG, "message too large");
	}
	CURL *c = curl.easy_init();
	if (!c) {
		rc_buf_free(&m);
		return rc_errf(err, errlen, RC_ENOMEM, "libcurl could not start");
	}
	char from_env[300], to_env[300];
	snprintf(from_env, sizeof from_env, "<%s>", from);
	snprintf(to_env, sizeof to_env, "<%s>", to);
	struct curl_slist *rcpt = curl.slist_append(NULL, to_env);
	payload p = {m.data, m.len, 0};
	curl.easy_setopt(c, CURLOPT_URL, relay);
	curl.easy_setopt(c, CURLOPT_MAIL_FROM, from_env);
	curl.easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
	curl.easy_setopt(c, CURLOPT_READFUNCTION, reader);
	curl.easy_setopt(c, CURLOPT_READDATA, &p);
	curl.easy_setopt(c, CURLOPT_UPLOAD, 1L);
	curl.easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
	curl.easy_setopt(c, CURLOPT_TIMEOUT, 30L);
	curl.easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	CURLcode rc = curl.easy_perform(c);
	curl.slist_free_all(rcpt);
	curl.easy_cleanup(c);
	rc_buf_free(&m);
	if (rc != CURLE_OK)
		return rc_errf(err, errlen, RC_EIO, "SMTP delivery failed: %s", curl.easy_strerror(rc));
	return RC_OK;
}
