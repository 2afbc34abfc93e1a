/* expat_floor.c — make bench: how fast expat itself reads a file with handlers that do nothing,
 * namespaces on, as runcare's reader uses it. runcare's GPX speed cannot pass this floor. */
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
	static char buf[1 << 20];
	XML_Parser p = XML_ParserCreateNS(NULL, '|');
	XML_SetElementHandler(p, on_start, on_end);
	XML_SetCharacterDataHandler(p, on_text);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	size_t n, total = 0;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
		if (XML_Parse(p, buf, (int)n, 0) != XML_STATUS_OK)
			break;
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
