/* libFuzzer: `run` option parsing (argv from NUL-separated input), the
 * --sweep and --pin sub-parsers. Any input must give 0, 1 or 2 and, on 2,
 * a one-line message naming an option. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct vb_run_config cfg;
	char *buf = malloc(size + 1), *argv[64], err[512];
	unsigned cpus[VB_PIN_MAX];
	struct vb_sweep sw;
	size_t n;
	int argc = 0, r;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	argv[argc++] = "run";
	for (char *p = buf; p < buf + size && argc < 63; p += strlen(p) + 1)
		argv[argc++] = p;
	argv[argc] = NULL;
	r = vb_run_options_parse(&cfg, argc, argv, err, sizeof(err));
	if (r != 0 && r != 1 && r != 2)
		abort();
	if (r == 2 && (strchr(err, '\n') || !err[0]))
		abort(); /* one line, never empty */
	vb_sweep_parse(buf, &sw, err, sizeof(err));
	vb_cpulist_parse(buf, cpus, VB_PIN_MAX, &n);
	free(buf);
	return 0;
}
