/* vcpubench guests: the built-in guests, their size and first exit. */
#include <stdio.h>

#include "cmd.h"
#include "guest.h"
#include "exit_reason.h"

int vb_cmd_guests(int argc, char **argv)
{
	(void)argv;
	if (argc > 1) {
		vb_error("guests: takes no arguments");
		return 2;
	}
	printf("%-10s %6s  %-10s %s\n", "guest", "bytes", "first exit", "what it does");
	for (size_t i = 0; i < vb_guest_builtin_count(); i++) {
		const struct vb_guest *g = vb_guest_builtin(i);

		printf("%-10s %6zu  %-10s %s\n", g->name, g->size,
		       vb_exit_reason_name(g->first_exit), g->summary);
	}
	printf("\nAny other --guest value is a flat binary file loaded at 0x100000.\n");
	return 0;
}
