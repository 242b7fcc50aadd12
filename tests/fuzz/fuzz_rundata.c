/* libFuzzer: loading a results directory whose meta.json (first input byte
 * even) or phases.csv (odd) is the rest of the input, the other file being
 * valid. Loading either succeeds or fails with a message; never crashes. */
#include <errno.h>
#include <stdint.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rundata.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char valid_phases[] =
	"iteration,vm,vcpu,tid,cpu,phase,start_ns,duration_ns,status\n"
	",,,1,0,kvm_open,100,10,ok\n"
	"0,0,0,2,1,vcpu_create,200,30,ok\n"
	"0,0,0,2,1,first_run,300,50,EINTR\n";
static const char valid_meta[] = "{\"complete\": true, \"config\": {\"vms\": 1, \"vcpus\": 1}}\n";

static void put(const char *dir, const char *name, const void *p, size_t n)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f || fwrite(p, 1, n, f) != n)
		abort();
	fclose(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char dir[64];
	struct vb_rundata rd;
	char err[1024];

	if (!dir[0]) {
		snprintf(dir, sizeof(dir), "/tmp/vb-fuzz-rundata-%d", (int)getpid());
		if (mkdir(dir, 0700) && errno != EEXIST)
			abort();
	}
	if (size < 1)
		return 0;
	if (data[0] % 2) {
		put(dir, "meta.json", valid_meta, sizeof(valid_meta) - 1);
		put(dir, "phases.csv", data + 1, size - 1);
	} else {
		put(dir, "meta.json", data + 1, size - 1);
		put(dir, "phases.csv", valid_phases, sizeof(valid_phases) - 1);
	}
	err[0] = '\0';
	if (vb_rundata_load(&rd, dir, err, sizeof(err)) == 0)
		vb_rundata_release(&rd);
	else if (!err[0])
		abort(); /* a failure always says why */
	return 0;
}
