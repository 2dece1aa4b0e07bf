/*
 * mailplan_text: each problem in one line of Chinese, addressed to the
 * clerk who sent the mail: what was found, what is missing, and what to
 * send instead.  The names quoted are the submitter's own, as typed.
 */
#include <string.h>

#include "archivelist.h"
#include "cloudlink.h"
#include "grammar.h"
#include "mailplan-private.h"
#include "timetext.h"

/* A name as typed, made valid UTF-8 for the reply and the database. */
static const char *
in_name(struct mailplan *p, size_t file)
{
	return plan_own(p, g_utf8_make_valid(p->in->files[file].name, -1));
}

static const char *
work_title(struct mailplan *p, size_t w)
{
	const struct mailplan_work *work = mailplan_work(p, w);

	return work->title != NULL ? work->title : "本作品";
}

/* Work w as a sentence names it: 作品《初心如磐》, or where people are put
 * forward ([campaign] submission = 报名) 张三的报名, since a name is no
 * title in 《》 (g_free). */
static char *
work_named(struct mailplan *p, size_t w)
{
	const struct mailplan_work *work = mailplan_work(p, w);

	if (campaign_is_nomination(p->c))
		return work->title != NULL ?
		    g_strdup_printf("%s的报名", work->title) : g_strdup("该报名");
	return g_strdup_printf("作品《%s》", work_title(p, w));
}

/* 《A》、《B》: the works of the mail, as a list. */
static char *
work_titles(struct mailplan *p)
{
	GString *titles = g_string_new(NULL);
	size_t i;

	for (i = 0; i < mailplan_work_count(p); i++)
		g_string_append_printf(titles, "%s《%s》", i > 0 ? "、" : "",
		    work_title(p, i));
	return g_string_free(titles, FALSE);
}

/* What a warning adds about the work it is about: registered, and
 * where nothing may be added later (freeze), that it cannot be. */
static const char *
accepted_tail(struct mailplan *p)
{
	if (campaign_resubmission(p->c) == CAMPAIGN_RESUBMISSION_FREEZE)
		return "作品已登记；按本次征集的规定，报送后不再补报，如确需补充，"
		    "请联系征集方。";
	return "已先行登记。";
}

/* "mp4、jpg"; NULL for any. */
static char *
types_text(const char *const *types)
{
	return types != NULL ? g_strjoinv("、", (char **)types) : NULL;
}

/* The types every work kind takes together, "doc、jpg、mp4" (a campaign
 * may give each category its own kind); NULL when one takes any. */
static char *
work_types_text(struct mailplan *p)
{
	GPtrArray *all = g_ptr_array_new();
	char *text;
	size_t i, j;

	for (i = 0; i < campaign_file_kind_count(p->c); i++) {
		const struct campaign_file_kind *k = campaign_file_kind(p->c, i);

		if (k->role != CAMPAIGN_FILE_WORK)
			continue;
		if (k->types == NULL) {
			g_ptr_array_free(all, TRUE);
			return NULL;
		}
		for (j = 0; k->types[j] != NULL; j++)
			if (!g_ptr_array_find_with_equal_func(all, k->types[j],
			    g_str_equal, NULL))
				g_ptr_array_add(all, (gpointer)k->types[j]);
	}
	g_ptr_array_add(all, NULL);
	text = all->len > 1 ? g_strjoinv("、", (char **)all->pdata) : NULL;
	g_ptr_array_free(all, TRUE);
	return text;
}

/* The file-name convention, said where it helps. */
static void
append_format(struct mailplan *p, GString *s)
{
	const struct grammar *g = campaign_grammar(p->c, GRAMMAR_FILENAME);

	if (g != NULL && campaign_scope(p->c) != CONVENTION_SUBJECT)
		g_string_append_printf(s, "作品文件名的格式：%s", grammar_format(g));
}

/* The companions a campaign requires, "报名表、照片", or NULL. */
static char *
required_kinds(struct mailplan *p)
{
	GString *s = NULL;
	size_t i;

	for (i = 0; i < campaign_file_kind_count(p->c); i++) {
		const struct campaign_file_kind *k = campaign_file_kind(p->c, i);

		if (k->role != CAMPAIGN_FILE_COMPANION ||
		    k->required != CAMPAIGN_NEED_YES)
			continue;
		if (s == NULL)
			s = g_string_new(NULL);
		else
			g_string_append(s, "、");
		g_string_append(s, k->name);
	}
	return s != NULL ? g_string_free(s, FALSE) : NULL;
}

void
plan_text_no_attachment(struct mailplan *p)
{
	GString *s = g_string_new("邮件中没有附件。请把作品文件作为附件发送");
	g_autofree char *kinds = required_kinds(p);

	if (kinds != NULL)
		g_string_append_printf(s, "，%s一并附上", kinds);
	g_string_append(s, "。");
	if (campaign_grammar(p->c, GRAMMAR_FILENAME) != NULL &&
	    campaign_scope(p->c) != CONVENTION_SUBJECT) {
		g_string_append_c(s, '\n');
		append_format(p, s);
	}
	plan_problem(p, "no-attachment", PLAN_REFUSE, -1, -1,
	    g_string_free(s, FALSE));
}

void
plan_text_no_work(struct mailplan *p)
{
	GString *s = g_string_new(NULL), *kinds = g_string_new(NULL);
	GString *names = g_string_new(NULL);
	g_autofree char *types = work_types_text(p);
	bool companions_only = true, unit_only = true;
	size_t i;

	for (i = 0; i < mailplan_file_count(p); i++) {
		const struct mailplan_file *f = mailplan_file(p, i);
		const char *label = mailplan_file_label(p, i);

		companions_only &= f->role == PLAN_COMPANION;
		unit_only &= f->role == PLAN_COMPANION && f->shared;
		if (f->role == PLAN_COMPANION && strstr(kinds->str, label) == NULL)
			g_string_append_printf(kinds, "%s%s",
			    kinds->len > 0 ? "、" : "", label);
		g_string_append_printf(names, "%s“%s”",
		    names->len > 0 ? "、" : "", in_name(p, i));
	}
	if (unit_only)
		/* A unit's 汇总表 often comes last, alone: it is kept for
		 * staff, and the clerk is not told to send it again. */
		g_string_append_printf(s, "本邮件只有%s（%s），已随邮件保存，供工作人员"
		    "核对；本邮件中没有作品，未登记新的作品。如还需报送作品，请把作品"
		    "文件与其材料放在同一封邮件中发送。", kinds->str, names->str);
	else if (companions_only)
		/* A form forgotten with its work, or sent after it: either
		 * way it is kept, and nothing is registered. */
		g_string_append_printf(s, "本邮件只有%s（%s），没有找到作品文件，未登记"
		    "作品；所附材料已随邮件保存，供工作人员核对。如作品尚未报送，请把"
		    "作品文件与%s放在同一封邮件中发送。", kinds->str, names->str,
		    kinds->str);
	else
		g_string_append_printf(s, "本邮件的附件（%s）中没有找到作品文件。"
		    "请把作品文件作为附件重新发送。", names->str);
	if (types != NULL)
		g_string_append_printf(s, "作品文件接受的格式：%s。", types);
	if (campaign_grammar(p->c, GRAMMAR_FILENAME) != NULL &&
	    campaign_scope(p->c) != CONVENTION_SUBJECT) {
		g_string_append_c(s, '\n');
		append_format(p, s);
	}
	g_string_free(kinds, TRUE);
	g_string_free(names, TRUE);
	plan_problem(p, "no-work", PLAN_REFUSE, -1, -1, g_string_free(s, FALSE));
}

void
plan_text_naming(struct mailplan *p, size_t file, const char *why)
{
	if (file == (size_t)-1) {
		plan_problem(p, "naming", PLAN_REFUSE, -1, -1, g_strdup(why));
		return;
	}
	plan_problem(p, "naming", PLAN_REFUSE, -1, (int)file, g_strdup_printf(
	    "%s“%s”看起来是作品，但文件名不符合要求：\n%s",
	    mailplan_file(p, file)->link ? "云附件" : "附件", in_name(p, file),
	    why));
}

void
plan_text_subject(struct mailplan *p, const char *why)
{
	plan_problem(p, "naming", PLAN_REFUSE, -1, -1, g_strdup_printf(
	    "邮件主题“%s”：\n%s", plan_own(p, g_utf8_make_valid(p->in->subject ?
	    p->in->subject : "", -1)), why));
}

void
plan_text_type(struct mailplan *p, size_t file)
{
	g_autofree char *t = work_types_text(p);

	plan_problem(p, "type", PLAN_REFUSE, -1, (int)file, g_strdup_printf(
	    "附件“%s”的文件类型不在本次征集接受的范围内（接受：%s）。",
	    in_name(p, file), t != NULL ? t : "任何类型"));
}

void
plan_text_empty(struct mailplan *p, size_t file)
{
	plan_problem(p, "empty-file", PLAN_REFUSE, -1, (int)file,
	    g_strdup_printf("附件“%s”大小为 0 字节，可能没有上传成功，"
	    "请重新添加附件后发送。", in_name(p, file)));
}

void
plan_text_other(struct mailplan *p, size_t file)
{
	enum campaign_need n = campaign_works(p->c)->other_files;

	if (n == CAMPAIGN_NEED_YES)
		plan_problem(p, "other-file", PLAN_REFUSE, -1, (int)file,
		    g_strdup_printf("附件“%s”不是作品，也不是本次征集要求的材料，"
		    "请删去后重新发送。", in_name(p, file)));
	else
		plan_problem(p, "other-file", n == CAMPAIGN_NEED_WARN ?
		    PLAN_WARN : PLAN_NOTE, -1, (int)file, g_strdup_printf(
		    "附件“%s”不是作品，也不是本次征集要求的材料，已随案卷保存。",
		    in_name(p, file)));
}

void
plan_text_orphan(struct mailplan *p, size_t file, const char *kind)
{
	plan_problem(p, "work-without-file", PLAN_REFUSE, -1, (int)file,
	    g_strdup_printf("附件“%s”按文件名是另一件作品的%s，但本邮件中没有那件"
	    "作品的文件本身。请把作品文件与%s放在同一封邮件中重新发送。",
	    in_name(p, file), kind, kind));
}

void
plan_text_program(struct mailplan *p, size_t file)
{
	plan_problem(p, "program", PLAN_REFUSE, -1, (int)file, g_strdup_printf(
	    "附件“%s”是可执行程序，为安全起见不予接收。请删去后重新发送；"
	    "作品请使用通知要求的格式。", in_name(p, file)));
}

void
plan_text_content(struct mailplan *p, size_t file,
    enum content_verdict verdict, const char *mime, const char *const *types,
    bool warn)
{
	const struct mailplan_file *f = mailplan_file(p, file);
	g_autofree char *first = contentrule_text(verdict, p->in->files[file].name,
	    mime, types, mailplan_file_label(p, file));

	if (verdict == CONTENT_PROGRAM) {
		plan_problem(p, "content-program", PLAN_REFUSE, -1, (int)file,
		    g_strdup_printf("%s为安全起见，本邮件不予登记；请删去该附件后"
		    "重新发送。", first));
		return;
	}
	plan_problem(p, "content-type", warn ? PLAN_WARN : PLAN_REFUSE,
	    f->work, (int)file, g_strdup_printf("%s%s", first, warn ?
	    accepted_tail(p) : "请按通知要求的格式重新导出后发送。"));
}

/* ---- archives ---- */

static const char *
entry_name(struct mailplan *p, size_t file, size_t entry)
{
	return mailplan_file(p, file)->media->archive->items[entry].name;
}

void
plan_text_archive(struct mailplan *p, size_t file, const char *code,
    enum mailplan_severity s)
{
	const struct mailplan_file *f = mailplan_file(p, file);
	g_autofree char *over = f->media->archive != NULL ?
	    archivelist_over_text(f->media->archive) : NULL;
	const char *tail = s == PLAN_REFUSE ? "" : s == PLAN_WARN ?
	    "已随案卷保存。" : "已随案卷保存，由工作人员核对。";
	char *text;

	if (strcmp(code, "inspect-failed") == 0)
		text = g_strdup_printf("附件“%s”：未能检查压缩包中的文件。%s",
		    in_name(p, file), tail);
	else if (strcmp(code, "archive-limit") == 0)
		text = g_strdup_printf("压缩包“%s”解压后超过%s，可能已损坏或不是"
		    "正常作品，%s", in_name(p, file), over, s == PLAN_REFUSE ?
		    "请检查后重新压缩发送，或直接发送作品文件。" : tail);
	else if (strcmp(code, "archive-encrypted") == 0)
		text = g_strdup_printf("压缩包“%s”有密码，无法检查其中的文件，"
		    "%s", in_name(p, file), s == PLAN_REFUSE ?
		    "请不加密重新压缩后发送。" : tail);
	else
		text = g_strdup_printf("压缩包“%s”无法打开，可能上传不完整或"
		    "已损坏，%s", in_name(p, file), s == PLAN_REFUSE ?
		    "请重新压缩后发送。" : tail);
	plan_problem(p, code, s, f->work, (int)file, text);
}

void
plan_text_entry_program(struct mailplan *p, size_t file, size_t entry,
    bool by_content)
{
	const struct archive_item *it =
	    &mailplan_file(p, file)->media->archive->items[entry];
	g_autofree char *first = NULL;

	if (by_content) {
		first = contentrule_text_in(CONTENT_PROGRAM, in_name(p, file),
		    it->name, it->mime, NULL, NULL);
		plan_problem_entry(p, "content-program", PLAN_REFUSE, -1,
		    (int)file, (int)entry, g_strdup_printf("%s为安全起见，本"
		    "邮件不予登记；请从压缩包中删去该文件后重新发送。", first));
		return;
	}
	plan_problem_entry(p, "archive-program", PLAN_REFUSE, -1, (int)file,
	    (int)entry, g_strdup_printf("压缩包“%s”中的“%s”是可执行程序，为"
	    "安全起见不予接收。请从压缩包中删去后重新发送；作品请使用通知要求的"
	    "格式。", in_name(p, file), it->name));
}

/* A note for staff only: the sender has nothing to mend that matters. */
void
plan_text_entry_path(struct mailplan *p, size_t file, size_t entry)
{
	plan_problem_staff(p, "archive-path", mailplan_file(p, file)->work,
	    (int)file, g_strdup_printf("压缩包“%s”中的“%s”的路径指向解压目录"
	    "之外；解压时请用 7-Zip 或 WinRAR，勿直接覆盖已有文件。",
	    in_name(p, file), entry_name(p, file, entry)));
}

void
plan_text_entry_nested(struct mailplan *p, size_t file, size_t entry)
{
	plan_problem_entry(p, "archive-nested", PLAN_REFUSE,
	    mailplan_file(p, file)->work, (int)file, (int)entry,
	    g_strdup_printf("压缩包“%s”中又有压缩包“%s”。请不要把压缩包再放进"
	    "压缩包：把文件直接打包成一个压缩包后重新发送。", in_name(p, file),
	    entry_name(p, file, entry)));
}

void
plan_text_entry_content(struct mailplan *p, size_t file, size_t entry,
    const char *const *types, const char *kind, bool warn)
{
	const struct mailplan_file *f = mailplan_file(p, file);
	const struct archive_item *it = &f->media->archive->items[entry];
	const char *category = f->work >= 0 ?
	    mailplan_work(p, (size_t)f->work)->category : NULL;
	g_autofree char *label = kind != NULL ? g_strdup(kind) :
	    category != NULL ? g_strdup_printf("%s作品", category) :
	    g_strdup("作品文件");
	g_autofree char *first = contentrule_text_in(CONTENT_MISFIT,
	    in_name(p, file), it->name, it->mime, types, label);

	plan_problem_entry(p, "content-type", warn ? PLAN_WARN : PLAN_REFUSE,
	    f->work, (int)file, (int)entry, g_strdup_printf("%s%s", first,
	    warn ? accepted_tail(p) : "请按通知要求的格式重新压缩后发送。"));
}

/* What is asked of the submitter after a media finding. */
static const char *
media_tail(struct mailplan *p, const char *code,
    enum mailplan_severity sev)
{
	if (sev == PLAN_WARN)
		return accepted_tail(p);
	if (sev == PLAN_NOTE)
		return "已随案卷保存，由工作人员核对。";
	if (strcmp(code, "media-duration") == 0)
		return "请剪辑后重新发送。";
	/* too short: a cut would make it worse */
	if (strcmp(code, "media-too-short") == 0)
		return "请补充完善、达到时长要求后重新发送。";
	if (strcmp(code, "media-no-video") == 0)
		return "请发送带画面的视频文件。";
	if (strcmp(code, "text-characters") == 0)
		return "请修改后重新发送。";
	return "请按通知要求重新导出后发送。";
}

/*
 * Whether pr, a finding of another version of file's work, says what
 * text says of file (作品《初心如磐》（有字幕）：时长… beside …（无字幕）：
 * 时长…): then pr is made the work's (作品《初心如磐》：时长…), said once.
 */
static bool
media_other_version(struct mailplan *p, const struct mailplan_problem *pr,
    size_t file, const char *text)
{
	const struct mailplan_file *f = mailplan_file(p, file);
	const struct mailplan_file *g = pr->file >= 0 &&
	    (size_t)pr->file < mailplan_file_count(p) ?
	    mailplan_file(p, (size_t)pr->file) : NULL;
	g_autofree char *work = work_named(p, (size_t)f->work);
	g_autofree char *mine = g_strdup_printf("%s（%s）", work, f->marker);
	g_autofree char *theirs = NULL, *expect = NULL;
	size_t i;

	if (g == NULL || g->marker == NULL || (size_t)pr->file == file ||
	    !g_str_has_prefix(text, mine))
		return false;
	theirs = g_strdup_printf("%s（%s）", work, g->marker);
	expect = g_strconcat(theirs, text + strlen(mine), NULL);
	if (strcmp(pr->text, expect) != 0)
		return false;
	for (i = 0; i < p->problems->len; i++) {
		struct mailplan_problem *q = &g_array_index(p->problems,
		    struct mailplan_problem, i);

		if (q == pr)
			q->text = plan_own(p, g_strconcat(work,
			    text + strlen(mine), NULL));
	}
	return true;
}

void
plan_text_media(struct mailplan *p, size_t file,
    const struct media_finding *m)
{
	const struct mailplan_file *f = mailplan_file(p, file);
	bool incomplete = strcmp(m->code, "media-incomplete") == 0;
	bool unreadable = incomplete ||
	    strcmp(m->code, "media-unreadable") == 0;
	enum mailplan_severity sev = m->severity == MEDIA_WARN ? PLAN_WARN :
	    m->severity == MEDIA_NOTE ? PLAN_NOTE : PLAN_REFUSE;
	/* A picture's and a count's findings read on from the noun:
	 * "图片“山村新貌.png”为 RGB 色彩模式", "作品《…》约 986 字". */
	bool image = g_str_has_prefix(m->code, "image-");
	const char *join = image || strcmp(m->code, "text-characters") == 0 ?
	    "" : "：";
	g_autofree char *who = NULL;
	char *text;
	size_t i;

	/* A companion that cannot be read is no work cut short: a word. */
	if (unreadable && f->role != PLAN_WORK)
		sev = PLAN_WARN;
	if (image)
		who = g_strdup_printf("图片“%s”", in_name(p, file));
	else if (f->work < 0 || unreadable || sev == PLAN_NOTE)
		who = g_strdup_printf("附件“%s”", in_name(p, file));
	/* A companion's length is its own (the introduction beside the
	 * form), not the work's. */
	else if (f->role == PLAN_COMPANION && f->kind != NULL)
		who = g_strdup_printf("%s“%s”", f->kind, in_name(p, file));
	else if (f->marker != NULL) {
		/* Which version: 有字幕 and 无字幕 each measure their own. */
		g_autofree char *work = work_named(p, (size_t)f->work);

		who = g_strdup_printf("%s（%s）", work, f->marker);
	} else
		who = work_named(p, (size_t)f->work);
	/* Cut short on the way: the file the author has is whole. */
	if (incomplete && sev == PLAN_REFUSE)
		text = g_strdup_printf("%s：%s，请重新发送完整的文件。", who,
		    m->text);
	else if (unreadable && sev == PLAN_REFUSE)
		text = g_strdup_printf("%s：%s，请重新导出后发送。", who, m->text);
	else
		text = g_strdup_printf("%s%s%s。%s", who, join, m->text,
		    media_tail(p, m->code, sev));
	/* Both versions of a work too long: said once, of the work. */
	for (i = 0; i < mailplan_problem_count(p); i++) {
		const struct mailplan_problem *pr = mailplan_problem(p, i);

		if (pr->work == f->work && strcmp(pr->text, text) == 0) {
			g_free(text);
			return;
		}
		if (f->marker != NULL && pr->work == f->work &&
		    strcmp(pr->code, m->code) == 0 &&
		    media_other_version(p, pr, file, text)) {
			g_free(text);
			return;
		}
	}
	plan_problem(p, m->code, sev, f->work, (int)file, text);
}

void
plan_text_copy(struct mailplan *p, size_t file, size_t of)
{
	plan_problem(p, "duplicate-file", PLAN_WARN, -1, (int)file,
	    g_strdup_printf("附件“%s”与“%s”名称相同，像是同一文件的副本，已一并"
	    "保存；如两者内容不同，请告知工作人员以哪一个为准。",
	    in_name(p, file), in_name(p, of)));
}

void
plan_text_one_work(struct mailplan *p)
{
	g_autofree char *titles = work_titles(p);

	plan_problem(p, "one-work-per-mail", PLAN_REFUSE, -1, -1,
	    g_strdup_printf("本邮件包含 %zu 件作品（%s），本次征集每封邮件只投"
	    "一件作品。请分开发送，每封邮件附上该作品的文件和材料。",
	    mailplan_work_count(p), titles));
}

/* Works of one title the file's name holds: renaming the file to the
 * title tells them apart no more than its name does now, so the text
 * says they share it and how to part them: different titles, the
 * category in the file's name, or one work a mail.  NULL when the
 * titles differ. */
static char *
shared_title_text(struct mailplan *p, size_t file, const char *kind)
{
	const char *ext = p->names[file].ext;
	GString *cats, *t;
	const char *title, *example_cat = NULL;
	size_t first, w;

	if (!plan_title_shared(p, file, &first))
		return NULL;
	cats = g_string_new(NULL);
	title = work_title(p, first);
	for (w = 0; w < mailplan_work_count(p); w++) {
		const struct mailplan_work *work = mailplan_work(p, w);

		if (work->title == NULL || strcmp(work->title, title) != 0)
			continue;
		if (work->category != NULL && example_cat == NULL)
			example_cat = work->category;
		g_string_append_printf(cats, "%s%s", cats->len > 0 ? "、" : "",
		    work->category != NULL ? work->category : "作品");
	}
	t = g_string_new(NULL);
	g_string_append_printf(t, "邮件主题中的作品（%s）都叫《%s》，附件“%s”"
	    "无法确定属于哪一件。请给这几件作品取不同的名称（邮件主题和附件名"
	    "一并修改）", cats->str, title, in_name(p, file));
	if (example_cat != NULL)
		g_string_append_printf(t, "，或在附件名中写明类别，如“%s%s（%s）%s%s”",
		    kind != NULL ? kind : "", title, example_cat,
		    *ext != '\0' ? "." : "", ext);
	g_string_append(t, "，或每封邮件只投一件作品。");
	g_string_free(cats, TRUE);
	return g_string_free(t, FALSE);
}

/* A required kind unpaired refuses (the works it was for lack it, and
 * are refused for that); one only warned about is said in the receipt. */
void
plan_text_unpaired(struct mailplan *p, size_t file, const char *kind)
{
	g_autofree char *code = g_strdup_printf("companion-unpaired:%s", kind);
	const char *ext = p->names[file].ext;
	enum mailplan_severity s = PLAN_WARN;
	char *text = shared_title_text(p, file, kind);
	size_t i;

	for (i = 0; i < campaign_file_kind_count(p->c); i++)
		if (strcmp(campaign_file_kind(p->c, i)->name, kind) == 0 &&
		    campaign_file_kind(p->c, i)->required == CAMPAIGN_NEED_YES)
			s = PLAN_REFUSE;
	if (text == NULL)
		text = g_strdup_printf("附件“%s”无法确定属于哪件作品。请在文件名中"
		    "写明作品名（如“%s%s%s%s”），或每封邮件只发送一件作品。",
		    in_name(p, file), kind, work_title(p, 0),
		    *ext != '\0' ? "." : "", ext);
	plan_problem(p, code, s, -1, (int)file, text);
}

void
plan_text_work_no_file(struct mailplan *p, size_t w)
{
	g_autofree char *who = work_named(p, w);

	plan_problem(p, "work-without-file", PLAN_REFUSE, (int)w, -1,
	    g_strdup_printf("%s只有材料，没有找到作品文件本身。"
	    "请把作品文件与材料放在同一封邮件中重新发送。", who));
}

/* Which work a file is cannot be told: filing it under either title
 * could put one work's file in the other's case, so the mail is refused
 * with the ways out. */
void
plan_text_work_unpaired(struct mailplan *p, size_t file)
{
	g_autofree char *titles = work_titles(p);
	const char *ext = p->names[file].ext;
	bool listed = p->subject_works == mailplan_work_count(p);
	char *text = shared_title_text(p, file, NULL);

	if (text == NULL)
		text = g_strdup_printf("%s %zu 件作品（%s），附件“%s”无法确定属于"
		    "哪一件。请每封邮件只投一件作品，或把附件名改为作品名称，如"
		    "“%s%s%s”。", listed ? "邮件主题列出了" : "本邮件包含",
		    mailplan_work_count(p), titles, in_name(p, file),
		    work_title(p, 0), *ext != '\0' ? "." : "", ext);
	plan_problem(p, "work-unpaired", PLAN_REFUSE, -1, (int)file, text);
}

void
plan_text_listed_no_file(struct mailplan *p, size_t w)
{
	plan_problem(p, "work-without-file", PLAN_REFUSE, (int)w, -1,
	    g_strdup_printf("邮件主题中的作品《%s》没有对应的附件。请把该作品的文件"
	    "（文件名以作品名称开头，如“%s.docx”）放在同一封邮件中重新发送。",
	    work_title(p, w), work_title(p, w)));
}

void
plan_text_too_many_works(struct mailplan *p, size_t n, size_t max,
    bool at_least)
{
	plan_problem(p, "too-many-works", PLAN_REFUSE, -1, -1, g_strdup_printf(
	    "邮件主题列出了%s %zu 件作品，超过每封邮件 %zu 件的上限。请分多封邮件发送。",
	    at_least ? "至少" : "", n, max));
}

/* The file of work w an example name is built from: its first own file
 * that is not an episode or a copy, else its first; -1: none. */
static int
example_file(struct mailplan *p, size_t w)
{
	int first = -1;
	size_t i;

	for (i = 0; i < mailplan_file_count(p); i++) {
		const struct mailplan_file *f = mailplan_file(p, i);

		if (f->work != (int)w || f->role != PLAN_WORK)
			continue;
		if (f->episode == 0 && !p->names[i].copy)
			return (int)i;
		if (first < 0)
			first = (int)i;
	}
	return first;
}

/* What a version text calls work w: 微视频《初心如磐》, 张三的报名. */
static char *
version_who(struct mailplan *p, size_t w)
{
	const struct mailplan_work *work = mailplan_work(p, w);

	if (campaign_is_nomination(p->c))
		return work_named(p, w);
	return g_strdup_printf("%s《%s》", work->category ? work->category :
	    "作品", work_title(p, w));
}

/*
 * A whole file name for version v of work w, built from the name of a
 * file the clerk sent with its markers taken out: the version in
 * brackets after the title (初心如磐（无字幕）-微视频-金坛区委组织部.mp4),
 * or at the end where the name does not hold the title; the type the
 * version is told by when it has one (a scan as pdf).  Sent, it is read
 * back as that version of that work: the planner takes bracketed
 * markers out wherever they stand.  NULL when the work has no file.
 */
static char *
version_example(struct mailplan *p, size_t w, const char *v)
{
	const struct campaign_works *cw = campaign_works(p->c);
	const char *title = mailplan_work(p, w)->title, *ext, *at = NULL;
	int f = example_file(p, w);
	g_autofree char *mark = NULL;
	GString *s;
	size_t i, cut;

	if (f < 0)
		return NULL;
	s = g_string_new(p->names[f].stem);
	ext = p->names[f].ext;
	for (i = 0; i < cw->version_count; i++)
		if (strcmp(cw->versions[i].name, v) == 0 &&
		    cw->versions[i].types != NULL &&
		    !campaign_types_allow(cw->versions[i].types, ext))
			ext = cw->versions[i].types[0];
	if (title != NULL && *title != '\0')
		at = strstr(s->str, title);
	cut = at != NULL ? (size_t)(at - s->str) + strlen(title) : s->len;
	mark = g_strdup_printf("（%s）", v);
	g_string_insert(s, (gssize)cut, mark);
	if (*ext != '\0')
		g_string_append_printf(s, ".%s", ext);
	return g_string_free(s, FALSE);
}

void
plan_text_version(struct mailplan *p, size_t w, const char *version,
    enum mailplan_severity s)
{
	const struct mailplan_work *work = mailplan_work(p, w);
	g_autofree char *have = work->version_count > 0 ?
	    g_strjoinv("、", (char **)work->versions) : NULL;
	g_autofree char *example = version_example(p, w, version);
	GString *t = g_string_new(NULL);
	g_autofree char *code = g_strdup_printf("version-missing:%s", version);
	g_autofree char *who = version_who(p, w);

	g_string_append(t, who);
	if (have != NULL)
		g_string_append_printf(t, "只收到“%s”版本，", have);
	g_string_append_printf(t, "缺少“%s”版本。", version);
	if (s == PLAN_REFUSE) {
		g_string_append(t, "请将各版本放在同一封邮件中发送，并在文件名中"
		    "注明版本");
		if (example != NULL)
			g_string_append_printf(t, "，如“%s”", example);
		g_string_append(t, "。");
	} else {
		g_string_append(t, accepted_tail(p));
	}
	plan_problem(p, code, s, (int)w, -1, g_string_free(t, FALSE));
}

/* A work whose file carries no version mark at all: not "lacks each
 * version" (the file is one of them, unsaid), but which mark to add,
 * with a whole name for each version required. */
void
plan_text_version_unmarked(struct mailplan *p, size_t w,
    const char *const *need, enum mailplan_severity s)
{
	const struct mailplan_work *work = mailplan_work(p, w);
	int f = example_file(p, w);
	GString *t = g_string_new(NULL), *names = g_string_new(NULL);
	g_autofree char *versions = NULL, *how_many = NULL;
	guint n = g_strv_length((char **)need);
	size_t i;

	g_assert(f >= 0);
	for (i = 0; need[i] != NULL; i++) {
		g_autofree char *example = version_example(p, w, need[i]);

		g_string_append_printf(names, "%s“%s”", i == 0 ? "" :
		    need[i + 1] == NULL ? "和" : "、", example);
	}
	versions = g_strjoinv("”“", (char **)need);
	how_many = n == 1 ? g_strdup("版本") : n == 2 ? g_strdup("两个版本") :
	    g_strdup_printf("%u 个版本", n);
	g_string_append_printf(t, "%s《%s》的作品文件“%s”没有注明是哪个版本；"
	    "本次征集的%s须报送“%s”%s。", work->category ? work->category :
	    "作品", work_title(p, w), in_name(p, (size_t)f), work->category ?
	    work->category : "作品", versions, how_many);
	g_string_append_printf(t, "请%s在文件名中注明版本，如%s。",
	    n > 1 ? "将各版本放在同一封邮件中发送，并" : "", names->str);
	if (s != PLAN_REFUSE)
		g_string_append(t, accepted_tail(p));
	g_string_free(names, TRUE);
	plan_problem(p, "version-unmarked", s, (int)w, -1,
	    g_string_free(t, FALSE));
}

/* Two version files with the same bytes: the clerk attached one file
 * twice under two names, and the version the notice asks for is not
 * there, whatever its name says. */
void
plan_text_version_copy(struct mailplan *p, size_t w, const char *version,
    const char *copy_of, enum mailplan_severity s)
{
	g_autofree char *who = version_who(p, w);
	g_autofree char *code = g_strdup_printf("version-copy:%s", version);
	GString *t = g_string_new(NULL);

	g_string_append_printf(t, "%s的“%s”版本与“%s”版本是同一个文件（内容完全"
	    "相同），实际缺少“%s”版本。", who, version, copy_of, version);
	if (s == PLAN_REFUSE)
		g_string_append(t, "请将各版本放在同一封邮件中重新发送。");
	else if (s == PLAN_WARN)
		g_string_append(t, accepted_tail(p));
	plan_problem(p, code, s, (int)w, -1, g_string_free(t, FALSE));
}

void
plan_text_version_twice(struct mailplan *p, size_t w, const char *version)
{
	g_autofree char *code = g_strdup_printf("version-twice:%s", version);

	g_autofree char *who = work_named(p, w);

	plan_problem(p, code, PLAN_WARN, (int)w, -1, g_strdup_printf(
	    "%s有不止一个“%s”版本的文件，已一并保存；请告知工作人员以哪一个"
	    "为准。", who, version));
}

static char *
episode_list(const struct mailplan_work *work)
{
	GString *s = g_string_new(NULL);
	size_t i;

	for (i = 0; i < work->episode_count; i++)
		g_string_append_printf(s, "%s%u", i > 0 ? "、" : "",
		    work->episodes[i]);
	return g_string_free(s, FALSE);
}

void
plan_text_series(struct mailplan *p, size_t w, unsigned min)
{
	const struct mailplan_work *work = mailplan_work(p, w);
	g_autofree char *list = episode_list(work);

	plan_problem(p, "series-short", PLAN_REFUSE, (int)w, -1,
	    g_strdup_printf("系列片《%s》只收到第%s集，共 %zu 集；本次征集不收少于"
	    " %u 集的系列片。请把全部各集放在同一封邮件中发送。",
	    work_title(p, w), list, work->episode_count, min));
}

void
plan_text_gap(struct mailplan *p, size_t w)
{
	const struct mailplan_work *work = mailplan_work(p, w);
	g_autofree char *list = episode_list(work);
	GString *missing = g_string_new(NULL);
	unsigned n, last = work->episodes[work->episode_count - 1];
	size_t i = 0;

	for (n = 1; n < last; n++) {
		while (i < work->episode_count && work->episodes[i] < n)
			i++;
		if (i < work->episode_count && work->episodes[i] == n)
			continue;
		g_string_append_printf(missing, "%s%u", missing->len ? "、" : "",
		    n);
	}
	plan_problem(p, "episode-gap", PLAN_WARN, (int)w, -1, g_strdup_printf(
	    "系列片《%s》收到第%s集，缺第%s集。", work_title(p, w), list,
	    missing->str));
	g_string_free(missing, TRUE);
}

void
plan_text_companion(struct mailplan *p, size_t w,
    const struct campaign_file_kind *k, unsigned have, unsigned want,
    enum mailplan_severity s, bool archive)
{
	g_autofree char *code = g_strdup_printf("%s:%s", have == 0 ?
	    "companion-missing" : "companion-count", k->name);
	g_autofree char *types = types_text(k->types);
	g_autofree char *who = work_named(p, w);
	GString *t = g_string_new(NULL);

	if (k->scope != CAMPAIGN_SCOPE_WORK)
		g_string_append_printf(t, "本邮件未附%s", k->name);
	else if (have == 0)
		g_string_append_printf(t, "%s%s%s", who,
		    s == PLAN_REFUSE ? "缺少" : "未附", k->name);
	else
		g_string_append_printf(t, "%s的%s应至少 %u 份，本邮件只有 "
		    "%u 份", who, k->name, want, have);
	if (archive)
		g_string_append(t, "；如已放在压缩包内，可忽略此条。");
	else if (k->scope == CAMPAIGN_SCOPE_UNIT)
		g_string_append(t, "；如已另行报送，可忽略此条。");
	else if (s == PLAN_REFUSE)
		g_string_append_printf(t, "。请把%s%s%s%s与%s放在同一封邮件中"
		    "重新发送。", k->name, types ? "（" : "", types ? types : "",
		    types ? "）" : "", campaign_is_nomination(p->c) ?
		    "报名材料" : "作品");
	else
		g_string_append_printf(t, "，%s", accepted_tail(p));
	plan_problem(p, code, s, (int)w, -1, g_string_free(t, FALSE));
}

/* ---- cloud attachment links ---- */

void
plan_text_link_unnamed(struct mailplan *p, size_t file, bool several)
{
	GString *s = g_string_new("邮件中的网盘链接没有文件名，无法确定属于哪件作品。");

	if (several) {
		g_string_append(s, "请在正文中链接前写明作品名称，或每件作品单独发送。");
	} else {
		g_string_append(s, "请在正文中链接前写明文件名后重新发送。");
		if (campaign_grammar(p->c, GRAMMAR_FILENAME) != NULL &&
		    campaign_scope(p->c) != CONVENTION_SUBJECT) {
			g_string_append_c(s, '\n');
			append_format(p, s);
		}
	}
	plan_problem(p, "link-unnamed", PLAN_REFUSE, -1, (int)file,
	    g_string_free(s, FALSE));
}

/* The expiry as the receipt writes it ("2024年9月12日10:30", the campaign's
 * zone), not as the provider's block did: QQ, NetEase and Sina each
 * write dates their own way, and a clerk comparing a refusal with the
 * receipts and the case list should read one style. */
void
plan_text_link_expired(struct mailplan *p, size_t file, int64_t expires_at)
{
	const struct mailplan_file *f = mailplan_file(p, file);
	g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc(expires_at);
	g_autofree char *when = utc != NULL ?
	    timetext_short(utc, campaign_timezone(p->c)) : NULL;

	plan_problem(p, "link-expired", PLAN_REFUSE, f->work, (int)file,
	    g_strdup_printf("云附件“%s”已于 %s 过期，无法下载。请重新上传后发送。",
	    *p->in->files[file].name != '\0' ? in_name(p, file) : "网盘链接",
	    when != NULL ? when : "发送前"));
}

void
plan_text_link_not_accepted(struct mailplan *p, int provider, bool refuse)
{
	const char *label = cloudlink_provider_label(
	    (enum cloudlink_provider)provider);

	plan_problem(p, "link-not-accepted", refuse ? PLAN_REFUSE : PLAN_WARN,
	    -1, -1, refuse ? g_strdup_printf("本次征集不接收%s链接。请把作品文件"
	    "作为附件发送，文件过大时请使用QQ邮箱或网易邮箱的“超大附件”功能。",
	    label) : g_strdup_printf("本次征集不接收%s链接，邮件中的%s链接未登记。",
	    label, label));
}

void
plan_text_too_many_links(struct mailplan *p, size_t max)
{
	plan_problem(p, "too-many-links", PLAN_REFUSE, -1, -1, g_strdup_printf(
	    "邮件中的云附件链接超过 %zu 个，无法逐一登记。请分成几封邮件发送，"
	    "每封不超过 %zu 个。", max, max));
}

void
plan_text_form_blank(struct mailplan *p, size_t w, size_t file,
    const char *labels, enum mailplan_severity s)
{
	/* Filed where nothing may be added later (freeze): the work stands,
	 * and a filled form is the office's to ask for, not a mail to send
	 * again. */
	bool frozen = s == PLAN_WARN &&
	    campaign_resubmission(p->c) == CAMPAIGN_RESUBMISSION_FREEZE;

	plan_problem(p, "form-blank", s, (int)w, (int)file, g_strdup_printf(
	    "%s“%s”未填写（%s为空）%s%s",
	    pfile(p, file)->kind != NULL ? pfile(p, file)->kind : "报名表",
	    in_name(p, file), labels, frozen ? "。" : "，请填写后与作品一并发送。",
	    s == PLAN_WARN ? accepted_tail(p) : ""));
}

void
plan_text_form_contradicts(struct mailplan *p, size_t w, size_t file,
    const char *field, const char *label, const char *form_value,
    const char *work_value)
{
	g_autofree char *code = g_strdup_printf("form-contradicts:%s", field);

	plan_problem(p, code, PLAN_WARN, (int)w, (int)file, g_strdup_printf(
	    "%s中的%s为“%s”，与%s中的“%s”不一致，请核对。",
	    pfile(p, file)->kind != NULL ? pfile(p, file)->kind : "报名表",
	    label, form_value, mailplan_work(p, w)->from_subject ?
	    "邮件主题" : "文件名", work_value));
}

void
plan_text_entry_media(struct mailplan *p, size_t file, size_t entry,
    const struct media_finding *m)
{
	const struct mailplan_file *f = mailplan_file(p, file);
	enum mailplan_severity sev = m->severity == MEDIA_WARN ? PLAN_WARN :
	    m->severity == MEDIA_NOTE ? PLAN_NOTE : PLAN_REFUSE;
	bool unreadable = strcmp(m->code, "media-unreadable") == 0 ||
	    strcmp(m->code, "media-incomplete") == 0;
	const char *join = g_str_has_prefix(m->code, "image-") ||
	    strcmp(m->code, "text-characters") == 0 ? "" : "：";

	plan_problem_entry(p, m->code, sev, f->work, (int)file, (int)entry,
	    g_strdup_printf("压缩包“%s”中的“%s”%s%s。%s", in_name(p, file),
	    entry_name(p, file, entry), join, m->text, unreadable &&
	    sev == PLAN_REFUSE ? "请重新压缩后发送。" :
	    media_tail(p, m->code, sev)));
}
