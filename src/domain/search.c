/* search.c — patient search's rules: folding, terms, keys, matching (see search.h). */
#include "domain/search.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- characters ------------------------------------------------------------------------------- */

/* What a character is to search: part of a word, a space between words, a mark between the parts of
 * one word (a hyphen, a dot: "Mary-Jane", "j.smith"), an apostrophe (joins: "O'Neil"), or nothing
 * (a combining accent, after the letter it sits on). */
enum { C_WORD, C_SPACE, C_PART, C_JOIN, C_DROP };

/* U+00C0..U+00FF and U+0100..U+017F folded to ASCII: a letter, or A "ae", T "th", S "ss", I "ij",
 * O "oe", '_' not a letter (× and ÷). */
static const char latin1[] = "aaaaaaAceeeeiiiidnooooo_ouuuuyTSaaaaaaAceeeeiiiidnooooo_ouuuuyTy";
static const char latin_a[] = "aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiiiIIjjkkkllllllllllnnnnnnnnnoooooo"
                              "OOrrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs";

/* Decodes one character of s[*i..n) and moves *i past it; a malformed byte is U+FFFD. */
static uint32_t decode(const unsigned char *s, size_t n, size_t *i)
{
	unsigned char c = s[*i];
	int len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
	if (len == 0 || *i + (size_t)len > n) {
		(*i)++;
		return 0xFFFD;
	}
	uint32_t cp = len == 1 ? c : len == 2 ? c & 0x1F : len == 3 ? c & 0x0F : c & 0x07;
	for (int k = 1; k < len; k++) {
		if ((s[*i + k] & 0xC0) != 0x80) {
			(*i)++;
			return 0xFFFD;
		}
		cp = cp << 6 | (s[*i + k] & 0x3F);
	}
	*i += (size_t)len;
	return cp;
}

/* The class of cp, and what a letter folds to (one or two characters in out). */
static int classify(uint32_t cp, uint32_t out[2], int *nout)
{
	*nout = 0;
	if (cp < 0x80) {
		if ((cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z')) {
			out[(*nout)++] = cp;
			return C_WORD;
		}
		if (cp >= 'A' && cp <= 'Z') {
			out[(*nout)++] = cp - 'A' + 'a';
			return C_WORD;
		}
		if (cp == '\'' || cp == '`')
			return C_JOIN;
		if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == ',' || cp == ';')
			return C_SPACE;
		return C_PART;
	}
	char f = 0;
	if (cp >= 0xC0 && cp <= 0xFF)
		f = latin1[cp - 0xC0];
	else if (cp >= 0x100 && cp <= 0x17F)
		f = latin_a[cp - 0x100];
	if (f) {
		if (f == '_')
			return C_PART;
		const char *two = f == 'A' ? "ae" : f == 'T' ? "th" : f == 'S' ? "ss" : f == 'I' ? "ij" : f == 'O' ? "oe" : NULL;
		if (two) {
			out[0] = (uint32_t)two[0], out[1] = (uint32_t)two[1], *nout = 2;
		} else {
			out[0] = (uint32_t)f, *nout = 1;
		}
		return C_WORD;
	}
	if (cp == 0x2019 || cp == 0x2018 || cp == 0x2BC)
		return C_JOIN;
	if (cp >= 0x300 && cp <= 0x36F)
		return C_DROP; /* a combining accent: "e" + U+0301 reads as "e" */
	if (cp < 0xC0 || (cp >= 0x2000 && cp <= 0x2BFF) || (cp >= 0x3000 && cp <= 0x303F) || cp == 0xFEFF ||
	    (cp >= 0xFF00 && cp <= 0xFF0F) || cp == 0xFFFD || (cp >= 0xE000 && cp <= 0xF8FF))
		return cp == 0xA0 || cp == 0x3000 || (cp >= 0x2000 && cp <= 0x200B) ? C_SPACE : C_PART;
	/* Greek and Cyrillic capitals to small letters; other scripts as they are. */
	if ((cp >= 0x391 && cp <= 0x3A9) || (cp >= 0x410 && cp <= 0x42F))
		cp += 0x20;
	else if (cp >= 0x400 && cp <= 0x40F)
		cp += 0x50;
	out[0] = cp, *nout = 1;
	return C_WORD;
}

/* A word of a name or an email as characters. */
typedef struct {
	uint32_t cp[RC_SEARCH_TOKEN_MAX];
	int n;
} token;

static void token_add(token *t, const uint32_t *cp, int n)
{
	for (int i = 0; i < n && t->n < RC_SEARCH_TOKEN_MAX; i++)
		t->cp[t->n++] = cp[i];
}

static bool token_eq(const token *a, const token *b)
{
	return a->n == b->n && memcmp(a->cp, b->cp, sizeof a->cp[0] * (size_t)a->n) == 0;
}

/* Adds t to the set v[0..*n) unless it is empty or there already. */
static void token_keep(token *v, int *n, int max, const token *t)
{
	if (t->n == 0 || *n >= max)
		return;
	for (int i = 0; i < *n; i++)
		if (token_eq(&v[i], t))
			return;
	v[(*n)++] = *t;
}

/* The words of s[0..len): for each run between spaces, the whole run with the marks taken out
 * ("nunezobrien" of "Núñez-O'Brien"), and when parts is set its parts between hyphens and dots with
 * apostrophes taken out ("nunez", "obrien") and its pieces between any marks ("o", "brien"). Returns
 * how many distinct words (at most max). */
static int words_of(const char *s, size_t len, token *v, int max, bool parts)
{
	int n = 0;
	token whole = {.n = 0}, seg = {.n = 0}, piece = {.n = 0};
	size_t i = 0;
	const unsigned char *u = (const unsigned char *)s;
	for (;;) {
		int cls = C_SPACE, k = 0;
		uint32_t f[2];
		if (i < len)
			cls = classify(decode(u, len, &i), f, &k);
		if (cls == C_WORD) {
			token_add(&whole, f, k);
			token_add(&seg, f, k);
			token_add(&piece, f, k);
			continue;
		}
		if (cls == C_DROP)
			continue;
		if (parts)
			token_keep(v, &n, max, &piece);
		piece.n = 0;
		if (cls == C_JOIN)
			continue;
		if (parts)
			token_keep(v, &n, max, &seg);
		seg.n = 0;
		if (cls == C_PART)
			continue;
		token_keep(v, &n, max, &whole);
		whole.n = 0;
		if (i >= len)
			break;
	}
	return n;
}

int rc_search_fold_word(const char *s, uint32_t *out, int max)
{
	int n = 0;
	size_t i = 0, len = s ? strlen(s) : 0;
	while (i < len) {
		uint32_t f[2];
		int k = 0;
		if (classify(decode((const unsigned char *)s, len, &i), f, &k) == C_WORD)
			for (int j = 0; j < k && n < max; j++)
				out[n++] = f[j];
	}
	return n;
}

/* The UTF-8 bytes of one character; how many. */
static int utf8_put(uint32_t c, unsigned char b[4])
{
	if (c < 0x80) {
		b[0] = (unsigned char)c;
		return 1;
	}
	if (c < 0x800) {
		b[0] = (unsigned char)(0xC0 | c >> 6), b[1] = (unsigned char)(0x80 | (c & 0x3F));
		return 2;
	}
	if (c < 0x10000) {
		b[0] = (unsigned char)(0xE0 | c >> 12), b[1] = (unsigned char)(0x80 | (c >> 6 & 0x3F));
		b[2] = (unsigned char)(0x80 | (c & 0x3F));
		return 3;
	}
	b[0] = (unsigned char)(0xF0 | c >> 18), b[1] = (unsigned char)(0x80 | (c >> 12 & 0x3F));
	b[2] = (unsigned char)(0x80 | (c >> 6 & 0x3F)), b[3] = (unsigned char)(0x80 | (c & 0x3F));
	return 4;
}

/* UTF-8 of cp[0..n) after prefix, into out (RC_SEARCH_KEY_MAX + 1 bytes); false when it does not fit. */
static bool encode(const char *prefix, const uint32_t *cp, int n, char *out)
{
	size_t k = strlen(prefix);
	memcpy(out, prefix, k);
	for (int i = 0; i < n; i++) {
		unsigned char b[4];
		int len = utf8_put(cp[i], b);
		if (k + (size_t)len > RC_SEARCH_KEY_MAX)
			return false;
		memcpy(out + k, b, (size_t)len);
		k += (size_t)len;
	}
	out[k] = '\0';
	return true;
}

_Static_assert(sizeof latin1 == 0x40 + 1, "one letter for each of U+00C0..U+00FF");
_Static_assert(sizeof latin_a == 0x80 + 1, "one letter for each of U+0100..U+017F");

/* --- keys ------------------------------------------------------------------------------------- */

typedef struct {
	char (*v)[RC_SEARCH_KEY_MAX + 1];
	size_t n, max;
} keyset;

static void key_put(keyset *ks, const char *key)
{
	if (ks->n >= ks->max)
		return;
	for (size_t i = 0; i < ks->n; i++)
		if (strcmp(ks->v[i], key) == 0)
			return;
	snprintf(ks->v[ks->n++], RC_SEARCH_KEY_MAX + 1, "%s", key);
}

static void key_cp(keyset *ks, const uint32_t *cp, int n)
{
	char k[RC_SEARCH_KEY_MAX + 1];
	if (encode("n:", cp, n, k))
		key_put(ks, k);
}

/* Every deletion of one character from cp[0..n). */
static void key_deletions(keyset *ks, const uint32_t *cp, int n)
{
	uint32_t d[RC_SEARCH_TOKEN_MAX];
	for (int skip = 0; skip < n; skip++) {
		int k = 0;
		for (int i = 0; i < n; i++)
			if (i != skip)
				d[k++] = cp[i];
		key_cp(ks, d, k);
	}
}

/* A word is stored under its first 1 to 6 characters and, for the typo allowance, under every deletion
 * of one of its first 4 characters and of its first 5. A typed word w of 4 letters or more that is one
 * edit from the start of a stored word t looks up its first k characters and their deletions, k being
 * 5 when w is that long (keys of 4 and 5 letters: few patients share them), else 4; they meet t's:
 * w's first k are one edit from t's first k-1, k or k+1. From k-1: a deletion of w's first k is t's
 * first k-1, a prefix key. From k, equal: t's first k is a prefix key; with a letter replaced or two
 * swapped: deleting the same letter from both leaves the same k-1, one of t's deletions. From k+1 (a
 * letter of t missing in w): w's first k is t's first k+1 with that letter deleted; when it is the
 * last, that is t's first k, else w's first k-1 (a deletion of w's first k) is t's first k with it
 * deleted. tests/unit/test_search.c checks this on random words. */
static void word_keys(keyset *ks, const token *t)
{
	for (int k = 1; k <= t->n && k <= RC_SEARCH_PREFIX_KEY; k++)
		key_cp(ks, t->cp, k);
	if (t->n >= 4)
		key_deletions(ks, t->cp, 4);
	if (t->n >= 5)
		key_deletions(ks, t->cp, 5);
}

static void text_key(keyset *ks, const char *prefix, const char *s, size_t n)
{
	char k[RC_SEARCH_KEY_MAX + 1];
	size_t p = strlen(prefix);
	if (p + n > RC_SEARCH_KEY_MAX)
		return;
	memcpy(k, prefix, p);
	memcpy(k + p, s, n);
	k[p + n] = '\0';
	key_put(ks, k);
}

/* The local part of an email (before the '@'): where its words are. */
static size_t local_len(const char *email)
{
	const char *at = email ? strchr(email, '@') : NULL;
	return at ? (size_t)(at - email) : email ? strlen(email) : 0;
}

enum { MAX_WORDS = 24 };

/* The words of a patient's name and the local part of their email. */
static int patient_words(const rc_search_patient *p, token *v)
{
	int n = 0;
	if (p->name && *p->name)
		n = words_of(p->name, strlen(p->name), v, MAX_WORDS, true);
	if (p->email && *p->email) {
		token more[MAX_WORDS];
		int m = words_of(p->email, local_len(p->email), more, MAX_WORDS, true);
		for (int i = 0; i < m; i++)
			token_keep(v, &n, MAX_WORDS, &more[i]);
	}
	return n;
}

size_t rc_search_patient_keys(const rc_search_patient *p, char (*keys)[RC_SEARCH_KEY_MAX + 1], size_t max)
{
	keyset ks = {keys, 0, max};
	token words[MAX_WORDS];
	int nw = patient_words(p, words);
	for (int i = 0; i < nw; i++)
		word_keys(&ks, &words[i]);
	const char *d = p->phone_digits ? p->phone_digits : "";
	size_t len = strlen(d);
	if (len > RC_SEARCH_PHONE_MAX)
		len = RC_SEARCH_PHONE_MAX;
	if (len >= RC_SEARCH_PHONE_MIN) {
		for (size_t k = RC_SEARCH_PHONE_MIN; k <= len; k++) {
			text_key(&ks, "p:", d, k);
			text_key(&ks, "s:", d + len - k, k);
		}
		if (len >= RC_SEARCH_PHONE_SAME)
			text_key(&ks, "f:", d, len);
	}
	if (p->dob && strlen(p->dob) == 10)
		text_key(&ks, "d:", p->dob, 10);
	return ks.n;
}

size_t rc_search_term_keys(const rc_search_term *t, char (*keys)[RC_SEARCH_KEY_MAX + 1], size_t max)
{
	keyset ks = {keys, 0, max};
	switch (t->kind) {
	case RC_TERM_WORD:
		key_cp(&ks, t->cp, t->ncp < RC_SEARCH_PREFIX_KEY ? t->ncp : RC_SEARCH_PREFIX_KEY);
		if (t->fuzzy) {
			int k = t->ncp >= 5 ? 5 : 4; /* see word_keys */
			key_cp(&ks, t->cp, k);
			key_deletions(&ks, t->cp, k);
		}
		break;
	case RC_TERM_EMAIL: {
		uint32_t cp[RC_SEARCH_TOKEN_MAX];
		char local[256];
		snprintf(local, sizeof local, "%.*s", (int)local_len(t->text), t->text);
		int n = rc_search_fold_word(local, cp, RC_SEARCH_TOKEN_MAX);
		if (n)
			key_cp(&ks, cp, n < RC_SEARCH_PREFIX_KEY ? n : RC_SEARCH_PREFIX_KEY);
		break;
	}
	case RC_TERM_PHONE: {
		size_t len = strlen(t->text);
		text_key(&ks, "p:", t->text, len);
		text_key(&ks, "s:", t->text, len);
		for (size_t k = RC_SEARCH_PHONE_SAME; k < len; k++)
			text_key(&ks, "f:", t->text + len - k, k);
		break;
	}
	case RC_TERM_DATE:
		text_key(&ks, "d:", t->text, strlen(t->text));
		if (t->alt[0])
			text_key(&ks, "d:", t->alt, strlen(t->alt));
		break;
	}
	return ks.n;
}

int rc_search_pick(const rc_search_query *q)
{
	/* The longer the shortest key a term looks up, the fewer patients share it. */
	int best = -1, best_rank = -1;
	for (int i = 0; i < q->n; i++) {
		const rc_search_term *t = &q->t[i];
		int rank = 0;
		switch (t->kind) {
		case RC_TERM_DATE: rank = 100; break;
		case RC_TERM_PHONE: rank = strlen(t->text) >= RC_SEARCH_PHONE_SAME ? 90 : 45; break;
		case RC_TERM_EMAIL: {
			uint32_t cp[RC_SEARCH_TOKEN_MAX];
			char local[256];
			snprintf(local, sizeof local, "%.*s", (int)local_len(t->text), t->text);
			int n = rc_search_fold_word(local, cp, RC_SEARCH_TOKEN_MAX);
			rank = n ? 10 * (n < RC_SEARCH_PREFIX_KEY ? n : RC_SEARCH_PREFIX_KEY) + 5 : 0;
			break;
		}
		case RC_TERM_WORD:
			/* A word with the typo allowance looks up keys one shorter than its first 4 or 5. */
			rank = t->fuzzy ? (t->ncp >= 5 ? 40 : 30)
			                : 10 * (t->ncp < RC_SEARCH_PREFIX_KEY ? t->ncp : RC_SEARCH_PREFIX_KEY) + 5;
			break;
		}
		if (rank > best_rank)
			best = i, best_rank = rank;
	}
	return best;
}

/* --- matching ---------------------------------------------------------------------------------- */

/* The optimal string alignment table of a[0..na) against b[0..nb): d[i][j] edits between a[0..i) and
 * b[0..j) (insert, delete, replace, swap two neighbours). */
static void osa(const uint32_t *a, int na, const uint32_t *b, int nb, int d[][RC_SEARCH_TOKEN_MAX + 2])
{
	for (int i = 0; i <= na; i++)
		d[i][0] = i;
	for (int j = 0; j <= nb; j++)
		d[0][j] = j;
	for (int i = 1; i <= na; i++)
		for (int j = 1; j <= nb; j++) {
			int cost = a[i - 1] != b[j - 1];
			int v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (d[i - 1][j - 1] + cost < v)
				v = d[i - 1][j - 1] + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
}

int rc_search_prefix_distance(const uint32_t *a, int na, const uint32_t *b, int nb)
{
	if (na > RC_SEARCH_TOKEN_MAX)
		na = RC_SEARCH_TOKEN_MAX;
	/* Only prefixes of b within one character of a's length can be one edit away. */
	if (nb > na + 1)
		nb = na + 1;
	int d[RC_SEARCH_TOKEN_MAX + 1][RC_SEARCH_TOKEN_MAX + 2];
	osa(a, na, b, nb, d);
	int best = 2;
	for (int j = na - 1 < 0 ? 0 : na - 1; j <= nb; j++)
		if (d[na][j] < best)
			best = d[na][j];
	return best;
}

/* The edits between the whole of a and the whole of b, stopping at 2. */
static int whole_distance(const token *a, const token *b)
{
	if (abs(a->n - b->n) > 1)
		return 2;
	int d[RC_SEARCH_TOKEN_MAX + 1][RC_SEARCH_TOKEN_MAX + 2];
	osa(a->cp, a->n, b->cp, b->n, d);
	return d[a->n][b->n] < 2 ? d[a->n][b->n] : 2;
}

static int word_score(const rc_search_term *t, const token *words, int nw)
{
	int best = 0;
	for (int i = 0; i < nw && best < 3; i++) {
		const token *w = &words[i];
		if (w->n >= t->ncp && memcmp(w->cp, t->cp, sizeof t->cp[0] * (size_t)t->ncp) == 0) {
			int s = w->n == t->ncp ? 3 : 2;
			if (s > best)
				best = s;
		} else if (t->fuzzy && best < 1 && rc_search_prefix_distance(t->cp, t->ncp, w->cp, w->n) <= 1) {
			best = 1;
		}
	}
	return best;
}

static bool starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static bool ends(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return k <= n && strcmp(s + n - k, suffix) == 0;
}

static int phone_score(const char *q, const char *digits)
{
	char p[RC_SEARCH_PHONE_MAX + 1];
	snprintf(p, sizeof p, "%s", digits ? digits : "");
	if (!p[0])
		return 0;
	if (strcmp(p, q) == 0)
		return 3;
	if (starts(p, q) || ends(p, q) || (strlen(p) >= RC_SEARCH_PHONE_SAME && ends(q, p)))
		return 2;
	return 0;
}

int rc_search_score(const rc_search_query *q, const rc_search_patient *p)
{
	token words[MAX_WORDS];
	int nw = -1, total = 0;
	for (int i = 0; i < q->n; i++) {
		const rc_search_term *t = &q->t[i];
		int s = 0;
		switch (t->kind) {
		case RC_TERM_WORD:
			if (nw < 0)
				nw = patient_words(p, words);
			s = word_score(t, words, nw);
			break;
		case RC_TERM_EMAIL:
			if (p->email && *p->email)
				s = strcmp(p->email, t->text) == 0 ? 3 : starts(p->email, t->text) ? 2 : 0;
			break;
		case RC_TERM_PHONE:
			s = phone_score(t->text, p->phone_digits);
			break;
		case RC_TERM_DATE:
			s = p->dob && *p->dob && (strcmp(p->dob, t->text) == 0 || (t->alt[0] && strcmp(p->dob, t->alt) == 0)) ? 3 : 0;
			break;
		}
		if (!s)
			return 0;
		total += s;
	}
	return total;
}

size_t rc_search_sort_key(const char *name, char *out, size_t n)
{
	token words[MAX_WORDS];
	int nw = name ? words_of(name, strlen(name), words, MAX_WORDS, false) : 0;
	size_t k = 0;
	if (n == 0)
		return 0;
	for (int i = 0; i < nw; i++)
		for (int c = -1; c < words[i].n; c++) {
			unsigned char b[4] = {' '};
			int len = c < 0 ? (i > 0) : utf8_put(words[i].cp[c], b);
			if (k + (size_t)len >= n)
				goto done;
			memcpy(out + k, b, (size_t)len);
			k += (size_t)len;
		}
done:
	out[k] = '\0';
	return k;
}

/* --- the details themselves -------------------------------------------------------------------- */

bool rc_search_phone_ok(const char *s)
{
	int digits = 0;
	if (!s || strlen(s) > 40)
		return false;
	for (const char *c = s; *c; c++) {
		if (*c >= '0' && *c <= '9')
			digits++;
		else if (!strchr(" +-().", *c))
			return false;
	}
	return digits >= 7 && digits <= RC_SEARCH_PHONE_MAX;
}

size_t rc_search_phone_digits(const char *s, char *out, size_t n)
{
	size_t k = 0;
	for (; s && *s && k + 1 < n; s++)
		if (*s >= '0' && *s <= '9')
			out[k++] = *s;
	if (n)
		out[k] = '\0';
	return k;
}

bool rc_search_same_phone(const char *a, const char *b)
{
	if (!a || !b)
		return false;
	const char *shorter = strlen(a) <= strlen(b) ? a : b, *longer = shorter == a ? b : a;
	return strlen(shorter) >= RC_SEARCH_PHONE_SAME && ends(longer, shorter);
}

static bool same_word(const token *a, const token *b)
{
	if (token_eq(a, b))
		return true;
	if (a->n < RC_SEARCH_FUZZY_MIN && b->n < RC_SEARCH_FUZZY_MIN)
		return false;
	return whole_distance(a, b) <= 1;
}

bool rc_search_same_name(const char *a, const char *b)
{
	token wa[MAX_WORDS], wb[MAX_WORDS];
	int na = a ? words_of(a, strlen(a), wa, MAX_WORDS, false) : 0;
	int nb = b ? words_of(b, strlen(b), wb, MAX_WORDS, false) : 0;
	if (!na || !nb)
		return false;
	token *few = na <= nb ? wa : wb, *many = few == wa ? wb : wa;
	int nfew = few == wa ? na : nb, nmany = few == wa ? nb : na;
	bool used[MAX_WORDS] = {false};
	for (int i = 0; i < nfew; i++) {
		bool found = false;
		for (int j = 0; j < nmany && !found; j++)
			if (!used[j] && same_word(&few[i], &many[j]))
				used[j] = found = true;
		if (!found)
			return false;
	}
	return true;
}

/* --- dates people type -------------------------------------------------------------------------- */

static bool real_date(int y, int m, int d, int this_year)
{
	static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (y < 1900 || y > this_year || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return false;
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return !(m == 2 && d == 29 && !leap);
}

/* A two-digit year: this century's when it has come, else the last one's. */
static int full_year(int yy, int digits, int this_year)
{
	if (digits == 4)
		return yy;
	int century = this_year - this_year % 100;
	return yy <= this_year % 100 ? century + yy : century - 100 + yy;
}

/* Splits s into numbers separated by one of "-/." (the same each time): at most 3; each number's digit
 * count in len[]. False when anything else is in it. */
static int numbers(const char *s, int v[3], int len[3])
{
	int n = 0;
	char sep = 0;
	while (*s) {
		if (n == 3 || !isdigit((unsigned char)*s))
			return 0;
		int x = 0, l = 0;
		while (isdigit((unsigned char)*s) && l < 5)
			x = x * 10 + (*s++ - '0'), l++;
		if (isdigit((unsigned char)*s))
			return 0;
		v[n] = x, len[n] = l, n++;
		if (!*s)
			break;
		if (!strchr("-/.", *s) || (sep && *s != sep))
			return 0;
		sep = *s++;
		if (!*s)
			return 0;
	}
	return n;
}

static void ymd(int y, int m, int d, char out[11])
{
	char buf[32];
	snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
	memcpy(out, buf, 10);
	out[10] = '\0';
}

/* Day and month in either order: the US reading first, the other as alt when it is a date too. */
static bool either_order(int y, int a, int b, int this_year, char out[11], char alt[11])
{
	bool us = real_date(y, a, b, this_year), other = a != b && real_date(y, b, a, this_year);
	if (us)
		ymd(y, a, b, out);
	if (other)
		ymd(y, b, a, us ? alt : out);
	return us || other;
}

static int month_of(const char *w)
{
	static const char *const names[] = {"january", "february", "march", "april", "may", "june", "july",
	                                    "august", "september", "october", "november", "december"};
	char low[16];
	size_t n = 0;
	for (; *w && *w != '.' && n < sizeof low - 1; w++)
		low[n++] = (char)tolower((unsigned char)*w);
	low[n] = '\0';
	if (*w && strcmp(w, ".") != 0)
		return 0;
	/* The name, its first three letters, or "sept": not any prefix ("Marc" is a name). */
	for (int m = 0; m < 12; m++)
		if (strcmp(names[m], low) == 0 || (n == 3 && strncmp(names[m], low, 3) == 0) ||
		    (m == 8 && strcmp(low, "sept") == 0))
			return m + 1;
	return 0;
}

static bool day_of(const char *w, int *d)
{
	char *end;
	long v = strtol(w, &end, 10);
	if (end == w || end - w > 2 || (*end && strcmp(end, ".") != 0 && strcmp(end, "st") != 0 && strcmp(end, "nd") != 0 &&
	                                  strcmp(end, "rd") != 0 && strcmp(end, "th") != 0))
		return false;
	*d = (int)v;
	return true;
}

bool rc_search_date(const char *typed, int this_year, char out[11], char alt[11])
{
	out[0] = alt[0] = '\0';
	char buf[64];
	size_t n = 0;
	if (!typed)
		return false;
	while (*typed == ' ')
		typed++;
	for (; *typed && n < sizeof buf - 1; typed++)
		if (*typed != ',')
			buf[n++] = *typed;
	while (n && buf[n - 1] == ' ')
		n--;
	buf[n] = '\0';
	int v[3], len[3];
	if (numbers(buf, v, len) == 3) {
		if (len[0] == 4 && len[1] <= 2 && len[2] <= 2)
			return real_date(v[0], v[1], v[2], this_year) && (ymd(v[0], v[1], v[2], out), true);
		if (len[0] <= 2 && len[1] <= 2 && (len[2] == 4 || len[2] == 2))
			return either_order(full_year(v[2], len[2], this_year), v[0], v[1], this_year, out, alt);
		return false;
	}
	/* "Mar 14 1985", "March 14, 1985", "14 Mar 1985", "14. März"-free: English month names. */
	char *w[4] = {0};
	int nw = 0;
	char *save = NULL;
	for (char *tok = strtok_r(buf, " ", &save); tok && nw < 4; tok = strtok_r(NULL, " ", &save))
		w[nw++] = tok;
	if (nw != 3)
		return false;
	int m, d, y = 0;
	size_t yl = strlen(w[2]);
	for (size_t i = 0; i < yl; i++)
		if (!isdigit((unsigned char)w[2][i]))
			return false;
	if (yl != 4 && yl != 2)
		return false;
	y = full_year(atoi(w[2]), (int)yl, this_year);
	if ((m = month_of(w[0])) && day_of(w[1], &d))
		;
	else if (!((m = month_of(w[1])) && day_of(w[0], &d)))
		return false;
	if (!real_date(y, m, d, this_year))
		return false;
	ymd(y, m, d, out);
	return true;
}

/* --- reading what was typed ---------------------------------------------------------------------- */

/* A piece of a phone number as typed: digits, spaces between groups, "+", "-", ".", brackets. */
static bool phoneish(const char *w)
{
	bool digit = false;
	for (; *w; w++) {
		if (isdigit((unsigned char)*w))
			digit = true;
		else if (!strchr("+-.()", *w))
			return false;
	}
	return digit;
}

static bool has_letter(const char *w)
{
	for (; *w; w++)
		if (isalpha((unsigned char)*w))
			return true;
	return false;
}

static void add_word(rc_search_query *q, const char *w)
{
	if (q->n >= RC_SEARCH_TERMS_MAX)
		return;
	rc_search_term *t = &q->t[q->n];
	memset(t, 0, sizeof *t);
	t->kind = RC_TERM_WORD;
	t->ncp = rc_search_fold_word(w, t->cp, RC_SEARCH_TOKEN_MAX);
	if (!t->ncp)
		return;
	bool digit = false;
	for (int i = 0; i < t->ncp; i++)
		digit |= t->cp[i] >= '0' && t->cp[i] <= '9';
	t->fuzzy = t->ncp >= RC_SEARCH_FUZZY_MIN && !digit;
	q->n++;
}

int rc_search_parse(const char *typed, int this_year, rc_search_query *out)
{
	memset(out, 0, sizeof *out);
	char buf[256];
	snprintf(buf, sizeof buf, "%s", typed ? typed : "");
	/* Words: split at spaces and commas (a comma may end a word: "Smith, John"). */
	char *w[32];
	int nw = 0;
	for (char *p = buf; *p && nw < 32;) {
		while (*p == ' ' || *p == ',' || *p == '\t')
			*p++ = '\0';
		if (!*p)
			break;
		w[nw++] = p;
		while (*p && *p != ' ' && *p != ',' && *p != '\t')
			p++;
	}
	for (int i = 0; i < nw && out->n < RC_SEARCH_TERMS_MAX;) {
		rc_search_term *t = &out->t[out->n];
		memset(t, 0, sizeof *t);
		/* A date in words over three of them. */
		if (i + 2 < nw && (has_letter(w[i]) || has_letter(w[i + 1]))) {
			char three[128];
			snprintf(three, sizeof three, "%s %s %s", w[i], w[i + 1], w[i + 2]);
			if (rc_search_date(three, this_year, t->text, t->alt)) {
				t->kind = RC_TERM_DATE;
				out->n++;
				i += 3;
				continue;
			}
		}
		if (rc_search_date(w[i], this_year, t->text, t->alt)) {
			t->kind = RC_TERM_DATE;
			out->n++;
			i++;
			continue;
		}
		if (phoneish(w[i])) {
			/* The groups of one number: "(619) 555-0173" is one term. */
			char digits[64];
			size_t nd = 0;
			int j = i;
			for (; j < nw && phoneish(w[j]); j++) {
				char dd[11], da[11];
				if (j > i && rc_search_date(w[j], this_year, dd, da))
					break;
				for (const char *c = w[j]; *c && nd < sizeof digits - 1; c++)
					if (isdigit((unsigned char)*c))
						digits[nd++] = *c;
			}
			digits[nd] = '\0';
			if (nd >= RC_SEARCH_PHONE_MIN && nd <= RC_SEARCH_PHONE_MAX) {
				t->kind = RC_TERM_PHONE;
				snprintf(t->text, sizeof t->text, "%s", digits);
				out->n++;
				i = j;
				continue;
			}
			for (; i < j; i++)
				add_word(out, w[i]);
			continue;
		}
		if (strchr(w[i], '@')) {
			t->kind = RC_TERM_EMAIL;
			size_t k = 0;
			for (const char *c = w[i]; *c && k < sizeof t->text - 1; c++)
				t->text[k++] = (char)tolower((unsigned char)*c);
			t->text[k] = '\0';
			out->n++;
			i++;
			continue;
		}
		add_word(out, w[i]);
		i++;
	}
	return out->n;
}
