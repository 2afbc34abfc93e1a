/* smtp.c — an RFC 5322 / MIME message (text, and a text/calendar part when there is one), handed
 * to libcurl's SMTP client. */
#include "mail/smtp.h"
#include "base/crypto.h"

#include <curl/curl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/buf.h"

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
	CURL *c = curl_easy_init();
	if (!c) {
		rc_buf_free(&m);
		return rc_errf(err, errlen, RC_ENOMEM, "libcurl could not start");
	}
	char from_env[300], to_env[300];
	snprintf(from_env, sizeof from_env, "<%s>", from);
	snprintf(to_env, sizeof to_env, "<%s>", to);
	struct curl_slist *rcpt = curl_slist_append(NULL, to_env);
	payload p = {m.data, m.len, 0};
	curl_easy_setopt(c, CURLOPT_URL, relay);
	curl_easy_setopt(c, CURLOPT_MAIL_FROM, from_env);
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, reader);
	curl_easy_setopt(c, CURLOPT_READDATA, &p);
	curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	CURLcode rc = curl_easy_perform(c);
	curl_slist_free_all(rcpt);
	curl_easy_cleanup(c);
	rc_buf_free(&m);
	if (rc != CURLE_OK)
		return rc_errf(err, errlen, RC_EIO, "SMTP delivery failed: %s", curl_easy_strerror(rc));
	return RC_OK;
}
