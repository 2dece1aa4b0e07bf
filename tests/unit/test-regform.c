/*
 * regform: registration forms shaped like the notices' own, built as the
 * walk of a Word document gives them (cells with their table, row,
 * column, span and vertical merge; paragraphs outside tables), read by
 * the labels the shipped campaigns map.
 */
#include <string.h>

#include <glib.h>

#include "normalize.h"
#include "regform.h"
#include "test.h"

#define VM_NONE		REGFORM_VMERGE_NONE
#define VM_TOP		REGFORM_VMERGE_RESTART
#define VM_CONT		REGFORM_VMERGE_CONTINUE

struct row_cell {
	unsigned span;
	enum regform_vmerge vm;
	const char *text;
};

/* One table row of up to 8 cells into c. */
static void
add_row(struct regform_cells *c, unsigned table, unsigned row,
    const struct row_cell *cells, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		struct regform_cell cell = { table, row, (unsigned)i,
		    cells[i].span, cells[i].vm, cells[i].text };

		regform_cells_add_cell(c, &cell);
	}
}

#define ROW(c, t, r, ...) do {						\
	const struct row_cell row_[] = { __VA_ARGS__ };			\
	add_row((c), (t), (r), row_, G_N_ELEMENTS(row_));		\
} while (0)
#define C(text)		{ 1, VM_NONE, (text) }
#define CS(n, text)	{ (n), VM_NONE, (text) }

/* The labels of dangjiao-changzhou-2024's [file 报名表] (附件2). */
static const char *const cz_pairs[] = {
	"名称", "作品名", "制作单位", "制作单位", "类别", "分类",
	"总集数", "集数", "每集时长", "每集时长", "主创人员", "主创人员",
	"报送单位", "报送单位", NULL,
};
/* fupin2020's (the notice's 征集报名表). */
static const char *const fp_pairs[] = {
	"作者姓名", "作者", "姓名", "作者", "工作单位", "工作单位",
	"联系电话", "联系电话", "作品名称", "作品名称", "作品类别", "类别",
	"推荐单位", "推荐单位", NULL,
};

static struct regform_label *
labels_of(const char *const *pairs, size_t *n_r)
{
	size_t n = 0, i;
	struct regform_label *l;

	while (pairs[2 * n] != NULL)
		n++;
	l = g_new0(struct regform_label, n);
	for (i = 0; i < n; i++) {
		l[i].label = pairs[2 * i];
		l[i].key = regform_label_key(pairs[2 * i]);
		l[i].field = pairs[2 * i + 1];
	}
	*n_r = n;
	return l;
}

static void
labels_free(struct regform_label *l, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		g_free((char *)l[i].key);
	g_free(l);
}

/* 附件2 报名表（一）, as Word lays it out: the 报送单位 line above the
 * table, 名称 and 制作单位 across the row, the 类别 row with its units. */
static void
cz_form(struct regform_cells *c, unsigned t, const char *unit,
    const char *title, const char *maker, const char *cat, const char *eps,
    const char *mins)
{
	g_autofree char *line = g_strdup_printf("报送单位：%s", unit);

	regform_cells_add_paragraph(c, t, "全市党员教育作品观摩交流活动报名表（一）");
	regform_cells_add_paragraph(c, t, line);
	ROW(c, t, 0, C("名 称"), CS(7, title));
	ROW(c, t, 1, C("制作单位"), CS(7, maker));
	ROW(c, t, 2, C("类 别"), C(cat), C("总 集 数"), C(eps), C("集"),
	    C("每集时长"), C(mins), C("分钟"));
	ROW(c, t, 3, C("主创人员"), CS(7, *title != '\0' ? "张三、李四" : ""));
	ROW(c, t, 4, C("内 容 简 介"), CS(7, "讲述一名老党员……"));
	ROW(c, t, 5, C("报送 单位 意见"), CS(7, "（盖章）\n年  月  日"));
	regform_cells_add_paragraph(c, t + 1, "注：本表纸质版报送 1 式 2 份。");
}

static void
test_changzhou(void)
{
	size_t n;
	struct regform_label *l = labels_of(cz_pairs, &n);
	struct regform_cells *c = regform_cells_new(400, 1 << 16);
	struct regform_result *r = NULL;

	cz_form(c, 0, "金坛区委组织部", "初心如磐", "金坛区融媒体中心", "微视频",
	    "1", "7");
	regform_read(c, l, n, NULL, NULL, &r);
	TEST_CHECK("003: found in table 0", regform_found(r) &&
	    regform_table(r) == 0);
	TEST_CHECK_STR("003: 名 称", regform_get(r, "作品名"), "初心如磐");
	TEST_CHECK_STR("003: 制作单位", regform_get(r, "制作单位"),
	    "金坛区融媒体中心");
	TEST_CHECK_STR("003: 类 别 beside 总 集 数", regform_get(r, "分类"),
	    "微视频");
	TEST_CHECK_STR("003: 总集数 before 集", regform_get(r, "集数"), "1");
	TEST_CHECK_STR("003: 每集时长 before 分钟", regform_get(r, "每集时长"),
	    "7");
	TEST_CHECK_STR("003: 主创人员", regform_get(r, "主创人员"), "张三、李四");
	TEST_CHECK_STR("003: 报送单位 from the line above",
	    regform_get(r, "报送单位"), "金坛区委组织部");
	TEST_CHECK("003: not blank", !regform_blank(r));
	TEST_CHECK("003: one value per field", regform_value_count(r) == 7);
	TEST_CHECK("003: 制作单位's cell", regform_value(r, 1)->table == 0 &&
	    regform_value(r, 1)->row == 1 && regform_value(r, 1)->col == 1);
	regform_result_free(&r);
	TEST_CHECK("result free nulls", r == NULL);
	regform_cells_free(&c);

	/* The template as it came: every value blank. */
	c = regform_cells_new(400, 1 << 16);
	cz_form(c, 0, "", "", "", "", "", "");
	regform_read(c, l, n, NULL, NULL, &r);
	TEST_CHECK("003 blank: found", regform_found(r));
	TEST_CHECK("003 blank: blank", regform_blank(r));
	TEST_CHECK_STR("003 blank: 类别 empty, not 总 集 数",
	    regform_get(r, "分类"), "");
	TEST_CHECK_STR("003 blank: 报送单位 empty", regform_get(r, "报送单位"),
	    "");
	regform_result_free(&r);
	regform_cells_free(&c);

	/* Two forms in one file: the one naming the work wins. */
	c = regform_cells_new(400, 1 << 16);
	cz_form(c, 0, "金坛区委组织部", "初心如磐", "金坛区融媒体中心", "微视频",
	    "1", "7");
	cz_form(c, 1, "溧阳市委组织部", "产业链上的党旗红", "溧阳市融媒体中心",
	    "纪录片", "5", "20");
	regform_read(c, l, n, "作品名", "产业链上的党旗红", &r);
	TEST_CHECK("003 (一)+(一): the second names the work",
	    regform_table(r) == 1);
	TEST_CHECK_STR("003 (一)+(一): its 制作单位", regform_get(r, "制作单位"),
	    "溧阳市融媒体中心");
	TEST_CHECK_STR("003 (一)+(一): its own 报送单位 line",
	    regform_get(r, "报送单位"), "溧阳市委组织部");
	regform_result_free(&r);
	regform_read(c, l, n, "作品名", "别的作品", &r);
	TEST_CHECK("003 (一)+(一): none names it: the first",
	    regform_table(r) == 0);
	regform_result_free(&r);
	regform_cells_free(&c);

	/* 报名表（二） (new media) holds too few of these labels. */
	c = regform_cells_new(400, 1 << 16);
	ROW(c, 0, 0, C("名 称"), C("龙城先锋H5"), C("(二维码)"));
	ROW(c, 0, 1, C("类 型"), C("H5"));
	ROW(c, 0, 2, C("制作单位"), C("常州广播电视台"));
	cz_form(c, 1, "市级机关工委", "初心如磐", "市委党校", "培训片", "6", "30");
	regform_read(c, l, n, NULL, NULL, &r);
	TEST_CHECK("003 (二)+(一): (二) is no form of these labels",
	    regform_table(r) == 1);
	TEST_CHECK_STR("003 (二)+(一): (一)'s 制作单位",
	    regform_get(r, "制作单位"), "市委党校");
	regform_result_free(&r);
	regform_cells_free(&c);
	labels_free(l, n);
}

/* The notice's 征集报名表: the 推荐/自荐 line above the table, rows of
 * label and value pairs, a photo cell merged down the right side. */
static void
fp_form(struct regform_cells *c, const char *line, const char *name,
    const char *unit, const char *phone, const char *kinds,
    const char *title)
{
	regform_cells_add_paragraph(c, 0, "“我所经历的脱贫攻坚故事”征集报名表");
	regform_cells_add_paragraph(c, 0, line);
	ROW(c, 0, 0, C("作者姓名"), C(name), C("性    别"), C("男"),
	    { 1, VM_TOP, "照片" });
	ROW(c, 0, 1, C("民    族"), C("汉"), C("出生年月"), C("1980.01"),
	    { 1, VM_CONT, "" });
	ROW(c, 0, 2, C("工作单位"), C(unit), C("职    务"), C(""),
	    { 1, VM_CONT, "" });
	ROW(c, 0, 3, C("通讯地址"), CS(3, ""));
	ROW(c, 0, 4, C("邮    编"), C(""), C("邮    箱"), C(""));
	ROW(c, 0, 5, C("身份证号"), C(""), C("联系电话"), C(phone));
	ROW(c, 0, 6, C("作品类别"), CS(3, kinds));
	ROW(c, 0, 7, C("作品名称"), CS(3, title));
	ROW(c, 0, 8, CS(4, "作品内容概要（500字以内）"));
	ROW(c, 0, 9, CS(4, "推荐单位意见：（自主报名无需填写）\n签字（盖章）  "
	    "2020年    月     日"));
}

static void
test_fupin(void)
{
	size_t n;
	struct regform_label *l = labels_of(fp_pairs, &n);
	struct regform_cells *c = regform_cells_new(400, 1 << 16);
	struct regform_result *r = NULL;

	fp_form(c, "☑推荐（推荐单位:湘西州人社局推荐时间：2020年8月3日） □自荐",
	    "张三", "湘西州就业服务中心", "13800000000",
	    "□文学类  □图片类 ☑视频类（微视频/微电影）", "星城大爱");
	regform_read(c, l, n, NULL, NULL, &r);
	TEST_CHECK("004: found", regform_found(r) && regform_table(r) == 0);
	TEST_CHECK_STR("004: 作者姓名", regform_get(r, "作者"), "张三");
	TEST_CHECK_STR("004: 工作单位", regform_get(r, "工作单位"),
	    "湘西州就业服务中心");
	TEST_CHECK_STR("004: 联系电话 after 身份证号's blank",
	    regform_get(r, "联系电话"), "13800000000");
	TEST_CHECK_STR("004: 作品名称", regform_get(r, "作品名称"), "星城大爱");
	TEST_CHECK_STR("004: the ticked 作品类别", regform_get(r, "类别"),
	    "视频类（微视频/微电影）");
	TEST_CHECK_STR("004: 推荐单位 up to 推荐时间",
	    regform_get(r, "推荐单位"), "湘西州人社局");
	regform_result_free(&r);
	regform_cells_free(&c);

	/* Self-nominated: the 推荐单位 blank stays underscores; a tick as
	 * √ before two options. */
	c = regform_cells_new(400, 1 << 16);
	fp_form(c, "□推荐（推荐单位:___________推荐时间：______） ☑自荐",
	    "李四", "", "", "√文学类  √图片类 □视频类（微视频/微电影）", "山村新貌");
	regform_read(c, l, n, NULL, NULL, &r);
	TEST_CHECK_STR("004 自荐: underscores are empty",
	    regform_get(r, "推荐单位"), "");
	TEST_CHECK_STR("004 自荐: two ticks", regform_get(r, "类别"),
	    "文学类;图片类");
	TEST_CHECK("004 自荐: not blank", !regform_blank(r));
	regform_result_free(&r);
	regform_cells_free(&c);

	/* The template: boxes unticked, underscores, hints. */
	c = regform_cells_new(400, 1 << 16);
	fp_form(c, "□推荐（推荐单位:___________推荐时间：______） □自荐", "", "",
	    "", "□文学类  □图片类 □视频类（微视频/微电影）", "");
	regform_read(c, l, n, NULL, NULL, &r);
	TEST_CHECK_STR("004 blank: no box ticked", regform_get(r, "类别"), "");
	TEST_CHECK("004 blank: blank", regform_blank(r));
	regform_result_free(&r);
	regform_cells_free(&c);
	labels_free(l, n);
}

static void
test_rules(void)
{
	static const char *const pairs[] = {
		"制作单位", "制作单位", "监制单位", "监制单位", "作者姓名", "作者",
		"职业", "职业", "工作单位", "工作单位", "联系电话", "联系电话",
		NULL,
	};
	size_t n;
	struct regform_label *l = labels_of(pairs, &n);
	struct regform_cells *c = regform_cells_new(400, 1 << 16);
	struct regform_result *r = NULL;
	g_autofree char *k1 = regform_label_key("名　称：");
	g_autofree char *k2 = regform_label_key("*联系电话（必填）:");
	g_autofree char *k3 = regform_label_key("名 称");

	TEST_CHECK_STR("key: full-width space and colon", k1, "名称");
	TEST_CHECK_STR("key: *, （必填） and :", k2, "联系电话");
	TEST_CHECK_STR("key: spaced", k3, "名称");

	/* vMerge: 监制单位's cell continues 制作单位's. */
	ROW(c, 0, 0, C("制作单位"), { 1, VM_TOP, "金坛区融媒体中心" },
	    C("作者姓名"), C("王五"));
	ROW(c, 0, 1, C("监制单位"), { 1, VM_CONT, "" }, C("职业"),
	    C("XXX"));
	regform_read(c, l, n, NULL, NULL, &r);
	TEST_CHECK_STR("vMerge: the cell above's text",
	    regform_get(r, "监制单位"), "金坛区融媒体中心");
	TEST_CHECK_STR("sample XXX is blank", regform_get(r, "职业"), "");
	regform_result_free(&r);
	regform_cells_free(&c);

	/* gridSpan: a continued cell is found by grid column, not by its
	 * place in the row. */
	c = regform_cells_new(400, 1 << 16);
	ROW(c, 0, 0, CS(2, "作者姓名"), C("王五"), { 1, VM_TOP, "朔州一中" });
	ROW(c, 0, 1, C("职业"), C("教师"), C("工作单位"), { 1, VM_CONT, "" });
	regform_read(c, l, n, NULL, NULL, &r);
	TEST_CHECK_STR("gridSpan: merged down by grid column",
	    regform_get(r, "工作单位"), "朔州一中");
	regform_result_free(&r);
	regform_cells_free(&c);

	/* A form of paragraphs only (作者信息 in the mail's Word file). */
	c = regform_cells_new(400, 1 << 16);
	regform_cells_add_paragraph(c, 0, "作者信息");
	regform_cells_add_paragraph(c, 0, "作者姓名：王五    职业：教师");
	regform_cells_add_paragraph(c, 0, "工作单位：朔州市第一中学");
	regform_cells_add_paragraph(c, 0, "联系电话（必填）：13900000000");
	regform_read(c, l, n, NULL, NULL, &r);
	TEST_CHECK("paragraphs: found, no table", regform_found(r) &&
	    regform_table(r) == -1);
	TEST_CHECK_STR("paragraphs: two on a line", regform_get(r, "作者"),
	    "王五");
	TEST_CHECK_STR("paragraphs: the second", regform_get(r, "职业"), "教师");
	TEST_CHECK_STR("paragraphs: （必填）", regform_get(r, "联系电话"),
	    "13900000000");
	TEST_CHECK("paragraphs: kept only with a colon or box",
	    regform_cells_paragraph_count(c) == 3);
	regform_result_free(&r);
	regform_cells_free(&c);

	/* A value run into a known label. */
	c = regform_cells_new(400, 1 << 16);
	regform_cells_add_paragraph(c, 0,
	    "制作单位:金坛区融媒体中心监制单位：金坛区委组织部");
	regform_cells_add_paragraph(c, 0, "作者姓名：王五");
	regform_read(c, l, n, NULL, NULL, &r);
	TEST_CHECK_STR("run together: up to the known label",
	    regform_get(r, "制作单位"), "金坛区融媒体中心");
	TEST_CHECK_STR("run together: the known label's value",
	    regform_get(r, "监制单位"), "金坛区委组织部");
	regform_result_free(&r);
	regform_cells_free(&c);

	/* No form: a letter named 报名表. */
	c = regform_cells_new(400, 1 << 16);
	regform_cells_add_paragraph(c, 0, "尊敬的评委：您好！");
	ROW(c, 0, 0, C("序号"), C("作品名称"));
	regform_read(c, l, n, NULL, NULL, &r);
	TEST_CHECK("no form: not found, not blank", !regform_found(r) &&
	    !regform_blank(r) && regform_value_count(r) == 0);
	regform_result_free(&r);
	regform_cells_free(&c);

	/* Bounds. */
	c = regform_cells_new(2, 1 << 16);
	TEST_CHECK("bound: 1st", regform_cells_add_paragraph(c, 0, "a：b"));
	TEST_CHECK("bound: 2nd", regform_cells_add_paragraph(c, 0, "c：d"));
	TEST_CHECK("bound: 3rd refused", !regform_cells_add_paragraph(c, 0,
	    "e：f") && regform_cells_cut(c));
	regform_cells_free(&c);
	c = regform_cells_new(10, 8);
	TEST_CHECK("bytes: refused", !regform_cells_add_paragraph(c, 0,
	    "制作单位：金坛") && regform_cells_cut(c));
	regform_cells_free(&c);
	TEST_CHECK("free nulls", c == NULL);
	labels_free(l, n);
}

int
main(void)
{
	test_changzhou();
	test_fupin();
	test_rules();
	return TEST_EXIT();
}
