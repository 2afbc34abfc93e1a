/* expat_floor.c — make bench: how fast expat itself reads a file with handlers that do nothing,
 * fed exactly as runcare's reader feeds it, so that the two differ only in what the handlers do:
 * without namespace processing (XML_ParserCreate), start, end and character-data handlers set, the file
 * read with fread a megabyte at a time (runcare activity show, src/cli/activity.c) and handed to
 * XML_Parse in pieces of 64 KB (rc_xml_feed, src/formats/xml.c), the same libexpat, built by the same
 * meson build with the same flags. runcare's GPX speed cannot pass this floor. It prints MB/s timed
 * in-process (from the first read to the last parse); bench/formats.py also times it as a whole
 * process, as runcare is timed. */
#include <expat.h>
#include <stdio.h>
#include <time.h>

static void XMLCALL on_start(void *ud, const XML_Char *name, const XML_Char **attrs)
{
	(void)ud, (void)name, (void)attrs;
}

static void XMLCALL on_end(void *ud, const XML_Char *name)
{
	(void)ud, (void)name;
}

static void XMLCALL on_text(void *ud, const XML_Char *s, int len)
{
	(void)ud, (void)s, (void)len;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fputs("usage: bench-expat FILE\n", stderr);
		return 2;
	}
	FILE *f = fopen(argv[1], "rb");
	if (!f) {
		perror(argv[1]);
		return 2;
	}
	enum { READ = 1 << 20, PIECE = 64 * 1024 }; /* as src/cli/activity.c and src/formats/xml.c */
	static _Alignas(4096) char buf[READ];
	XML_Parser p = XML_ParserCreate(NULL);
	XML_SetElementHandler(p, on_start, on_end);
	XML_SetCharacterDataHandler(p, on_text);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	size_t n, total = 0;
	int ok = 1;
	while (ok && (n = fread(buf, 1, sizeof buf, f)) > 0) {
		for (size_t off = 0; off < n && ok; off += PIECE) {
			size_t k = n - off < PIECE ? n - off : PIECE;
			ok = XML_Parse(p, buf + off, (int)k, 0) == XML_STATUS_OK;
		}
		total += n;
	}
	(void)XML_Parse(p, "", 0, 1);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	XML_ParserFree(p);
	fclose(f);
	double sec = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("%.2f\n", (double)total / 1e6 / sec);
	return 0;
}
