/* unit_minimum: see include/unit_minimum.h. */
#include <stddef.h>

#include "campaign.h"
#include "unit_minimum.h"

size_t
unit_minimum_shortfalls(const struct campaign_unit *u,
    unit_minimum_count_fn *count, void *ctx, struct unit_shortfall *out)
{
	size_t i, n = 0;

	for (i = 0; u != NULL && i < u->nmins; i++) {
		unsigned have = count(u->name, u->mins[i].category, ctx);

		/* min.CATEGORY = 0 is dropped when the campaign loads; a
		 * zero here would still be met. */
		if (have >= u->mins[i].n)
			continue;
		if (out != NULL)
			out[n] = (struct unit_shortfall){
				.category = u->mins[i].category,
				.min = u->mins[i].n,
				.have = have,
			};
		n++;
	}
	return n;
}
