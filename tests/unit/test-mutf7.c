/* mutf7: mailbox names as IMAP servers want them (RFC 3501 5.1.3). */
#include <glib.h>

#include "mutf7.h"
#include "test.h"

static const struct {
	const char *in, *want;
} cases[] = {
	{ "INBOX", "INBOX" },
	{ "A&B", "A&-B" },
	/* RFC 3501's own example. */
	{ "~peter/mail/台北/日本語", "~peter/mail/&U,BTFw-/&ZeVnLIqe-" },
	{ "投稿", "&YpV6Pw-" },
	{ "已处理", "&XfJZBHQG-" },
	{ "subgate/已处理", "subgate/&XfJZBHQG-" },
	{ "Ä", "&AMQ-" },
	{ "😀", "&2D3eAA-" },
	{ "", "" },
};

int
main(void)
{
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *got = mutf7_encode(cases[i].in);
		g_autofree char *name = g_strdup_printf("mutf7 \"%s\"",
		    cases[i].in);

		TEST_CHECK_STR(name, got, cases[i].want);
	}
	TEST_CHECK("mutf7 invalid utf-8", mutf7_encode("\xff\xfe") == NULL);
	return TEST_EXIT();
}
