/* password.c — the password policy (NIST SP 800-63B §5.1.1.2: length, a blocklist of common and
 * predictable passwords, no composition rules). */
#include "domain/password.h"

#include <string.h>
#include <strings.h>

#include "base/text.h"

/* Common passwords of ten or more characters, from the publicly known leak lists' top entries;
 * shorter ones are refused by length already. Compared case-insensitively. */
static const char *const common[] = {
	"1234567890", "12345678910", "123456789a", "1234567890a", "0123456789", "0987654321", "9876543210",
	"1111111111", "0000000000", "1122334455", "1234512345", "1234554321", "1q2w3e4r5t", "1qaz2wsx3edc",
	"qwertyuiop", "qwerty1234", "qwerty12345", "qwerty123456", "asdfghjkl;", "asdfghjkl1", "zxcvbnm123",
	"password12", "password123", "password1234", "password!1", "passw0rd12", "p@ssw0rd12", "p@ssword123",
	"iloveyou12", "iloveyou123", "princess123", "football123", "baseball123", "basketball", "superman123",
	"starwars123", "sunshine123", "trustno1234", "whatever123", "welcome123", "welcome1234", "letmein123",
	"letmein1234", "changeme123", "changeme1234", "administrator", "admin12345", "admin123456", "monkey12345",
	"dragon12345", "michael123", "jennifer123", "jordan2323", "liverpool1", "chocolate1", "abcdefghij",
	"abcdefg123", "abc1234567", "abcd123456", "a1b2c3d4e5", "qazwsxedc123", "qazwsxedcrfv", "1qazxsw23edc",
	"runner1234", "running123", "marathon123", "marathon2024", "marathon2025", "marathon2026", "runcare123",
	"hamstring1", "12qwaszx12", "987654321a", "passwordpassword", "iloveyouiloveyou", "qwertyqwerty",
	"aaaaaaaaaa", "computer123", "internet123", "samsung123", "google1234", "facebook123", "q1w2e3r4t5",
	"q1w2e3r4t5y6", "zaq12wsxcde3", "1q2w3e4r5t6y", "gfhjkmgfhjkm", "lovely1234", "blink18222",
};

static bool all_one_char(const char *s)
{
	for (const char *p = s; *p; p++)
		if (*p != *s)
			return false;
	return true;
}

/* "1234567890", "abcdefghijk", "9876543210": each character one step from the last. */
static bool sequential(const char *s)
{
	size_t n = strlen(s);
	int up = 1, down = 1;
	for (size_t i = 1; i < n; i++) {
		up &= s[i] == s[i - 1] + 1;
		down &= s[i] == s[i - 1] - 1;
	}
	return up || down;
}

rc_err rc_password_check(const char *pw, const char *email, char *why, size_t n)
{
	size_t len = strlen(pw);
	if (!rc_utf8_valid(pw, len))
		return rc_errf(why, n, RC_EINVAL, "The password has characters that are not valid text.");
	size_t chars = 0;
	for (const char *p = pw; *p; p++)
		chars += ((unsigned char)*p & 0xC0) != 0x80;
	if (chars < RC_PASSWORD_MIN)
		return rc_errf(why, n, RC_EINVAL, "Choose a password of at least %d characters; a few words together work well.",
		               RC_PASSWORD_MIN);
	if (len > RC_PASSWORD_MAX)
		return rc_errf(why, n, RC_EINVAL, "Choose a password of at most %d characters.", RC_PASSWORD_MAX);
	if (all_one_char(pw) || sequential(pw))
		return rc_errf(why, n, RC_EINVAL, "That password is too easy to guess: avoid repeated or sequential characters.");
	for (size_t i = 0; i < sizeof common / sizeof common[0]; i++)
		if (strcasecmp(pw, common[i]) == 0)
			return rc_errf(why, n, RC_EINVAL, "That password is one of the most common ones; choose another.");
	if (email && *email) {
		const char *at = strchr(email, '@');
		size_t local = at ? (size_t)(at - email) : strlen(email);
		if (strcasecmp(pw, email) == 0 || (local >= 4 && strncasecmp(pw, email, local) == 0 && len == local))
			return rc_errf(why, n, RC_EINVAL, "Do not use your email address as your password.");
	}
	return RC_OK;
}
