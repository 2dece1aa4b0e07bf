/*
 * libFuzzer target: Outlook's winmail.dat (application/ms-tnef) from
 * untrusted bytes, through libytnef and our reading of it: every file's
 * names, type and content.  Nothing may crash, leak or hang.
 */
#include <stdint.h>
#include <stdlib.h>

#include <glib.h>

#include "tnef.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autoptr(GBytes) bytes = g_bytes_new(data, size);
	g_autofree char *error = NULL;
	struct tnef *tnef = NULL;
	size_t i;

	if (tnef_parse(bytes, NULL, &tnef, &error) < 0)
		return 0;
	for (i = 0; i < tnef_file_count(tnef); i++) {
		(void)tnef_file_long_name(tnef, i);
		(void)tnef_file_title(tnef, i);
		/* Every file lies inside the stream it came from. */
		if (tnef_file_offset(tnef, i) > size ||
		    tnef_file_size(tnef, i) > size - tnef_file_offset(tnef, i))
			abort();
	}
	(void)tnef_has_unextracted(tnef);
	tnef_free(&tnef);
	return 0;
}
