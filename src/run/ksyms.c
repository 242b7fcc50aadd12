/* System.map lookups (ksyms.h). */
#include "ksyms.h"

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int vb_ksyms_find(const char *kernel, char *map, size_t len)
{
	const char *slash = strrchr(kernel, '/');
	const char *base = slash ? slash + 1 : kernel;
	int dir = slash ? (int)(slash - kernel + 1) : 0;
	int n;

	if (!strncmp(base, "vmlinuz-", 8)) {
		n = snprintf(map, len, "%.*sSystem.map-%s", dir, kernel, base + 8);
		if (n < 0 || (size_t)n >= len)
			return -ENAMETOOLONG;
		if (access(map, R_OK) == 0)
			return 0;
	}
	n = snprintf(map, len, "%.*sSystem.map", dir, kernel);
	if (n < 0 || (size_t)n >= len)
		return -ENAMETOOLONG;
	return access(map, R_OK) == 0 ? 0 : -ENOENT;
}

/* A map line: "ffffffff81000000 T _stext". */
static int parse_line(const char *line, uint64_t *addr, char *type, char *name, size_t len)
{
	char *end;
	int n;

	errno = 0;
	*addr = strtoull(line, &end, 16);
	if (end == line || *end != ' ' || errno)
		return -EINVAL;
	*type = end[1];
	if (!*type || end[2] != ' ')
		return -EINVAL;
	n = snprintf(name, len, "%s", end + 3);
	if (n <= 0)
		return -EINVAL;
	name[strcspn(name, "\n")] = '\0';
	return 0;
}

static bool is_text(char type)
{
	return type == 't' || type == 'T' || type == 'w' || type == 'W';
}

int vb_ksyms_lookup(const char *path, uint64_t addr, char *buf, size_t len)
{
	char line[512], name[256], best[256] = "", type;
	uint64_t a, best_addr = 0;
	bool found = false, text = false;
	FILE *f = fopen(path, "re");
	int r = 0;

	if (!f)
		return -errno;
	/* The closest symbol of any kind at or below @addr: an address in
	 * data must not read as far into the last function before it. Among
	 * aliases a text symbol, and a function's name before a marker's
	 * (_stext). Maps are sorted, but nothing here needs it. */
	while (!r && fgets(line, sizeof(line), f)) {
		r = parse_line(line, &a, &type, name, sizeof(name));
		if (r || a > addr || (found && a < best_addr))
			continue;
		if (found && a == best_addr && text &&
		    !(is_text(type) && best[0] == '_' && name[0] != '_'))
			continue;
		found = true;
		best_addr = a;
		text = is_text(type);
		snprintf(best, sizeof(best), "%s", name);
	}
	if (!r && ferror(f))
		r = -EIO;
	fclose(f);
	if (r)
		return r;
	if (!found || !text)
		return -ENOENT;
	snprintf(buf, len, "%s+0x%" PRIx64, best, addr - best_addr);
	return 0;
}
