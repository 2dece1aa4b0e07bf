/* replygist: the lines of a reply that say what was decided. */
#include <glib.h>

#include "replygist.h"
#include "test.h"

static const struct {
	const char *name, *body, *want;
} rows[] = {
	{ "notice-reason",
	  "某县扶贫办您好：\n\n我们收到了您发往“扶贫征集”的邮件，但未能登记为投稿。"
	  "\n\n收到时间：2020-09-01 10:00\n邮件主题：扶贫征集-推荐-文字类-甲\n"
	  "\n原因：本次征集已于2020-08-30 24:00（北京时间）截止。\n"
	  "\n如有疑问，请联系：x\n",
	  "本次征集已于2020-08-30 24:00（北京时间）截止。" },
	{ "works-notice-paragraph",
	  "您好：\n\n原因：本邮件包含 2 件作品（《甲》、《乙》），均未能登记：\n"
	  "《甲》：名额已满。\n《乙》：名额已满。\n\n如有疑问，请联系：x\n",
	  "本邮件包含 2 件作品（《甲》、《乙》），均未能登记：\n《甲》：名额已满。\n"
	  "《乙》：名额已满。" },
	{ "correction-problems",
	  "您好：\n\n收到时间：2020-09-01 10:00\n邮件主题：投稿\n\n问题：\n"
	  "邮件主题“投稿”：\n邮件主题应以“扶贫征集-”开头。\n缺少“方式”。\n"
	  "缺少“类别”。\n缺少“作品名称”。\n",
	  "邮件主题应以“扶贫征集-”开头。\n缺少“方式”。\n缺少“类别”。" },
	{ "receipt-no-anchor",
	  "张三您好：\n\n您向“扶贫征集”的投稿已收到并登记。\n\n回执编号：FUPIN-00001\n"
	  "收到时间：2020-08-03 09:30\n",
	  "您向“扶贫征集”的投稿已收到并登记。\n回执编号：FUPIN-00001" },
	{ "full-width-spaces", "　原因：　名额已满。　\n", "名额已满。" },
	{ "crlf", "您好：\r\n\r\n原因：逾期。\r\n", "逾期。" },
	{ "empty", "", "" },
	{ "null", NULL, "" },
};

int
main(void)
{
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(rows); i++) {
		g_autofree char *got = replygist_lines(rows[i].body,
		    REPLYGIST_LINES);

		TEST_CHECK_STR(rows[i].name, got, rows[i].want);
	}
	{
		g_autofree char *one = replygist_lines("原因：甲\n乙\n", 1);

		TEST_CHECK_STR("max-lines", one, "甲");
	}
	return TEST_EXIT();
}
