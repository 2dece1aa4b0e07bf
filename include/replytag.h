/*
 * replytag: a subject with our own reply's wrapping taken off.
 *
 * A clerk told to correct a subject often presses 回复 on our correction,
 * mends the subject in place and sends the files again.  The subject then
 * reads "回复：【请更正】扶贫征集-推荐-图片类-山乡巨变（查询码 3F9A2C1B）",
 * and after another round "【请更正】回复：【请更正】…（查询码 …）（查询码
 * …）".  What the clerk wrote is the part in the middle: judged with the
 * wrapping, a right subject is refused again, and a title keeps our tags.
 *
 * The wrapping is what our reply subjects put around {subject}: the text
 * before it (【请更正】) and after it (（查询码 {ref}）), as the campaign's
 * [reply] templates or subgate's defaults say.  Any other placeholder in
 * that text stands for a token of letters, digits and "-" (a 查询码 or a
 * receipt number).  Mail clients' reply and forward prefixes (Re:, 回复：,
 * 答复:, 转发：, Fw:, Fwd:, AW:, WG:, SV:, "Re[2]:") are taken off with
 * them, however they nest.  Full-width and half-width forms of ASCII
 * (（ and (, ： and :) and white space compare equal, as people's input
 * methods and mail clients change them.
 *
 * Text that only looks like a tag is left alone: 【扶贫征集】 is not ours.
 *
 * Pure; the subject's length is the caller's limit (LIMIT_SUBJECT_BYTES).
 */
#ifndef SUBGATE_REPLYTAG_H
#define SUBGATE_REPLYTAG_H

/* subject (NULL counts as "") without the wrapping of any of templates
 * (reply subject templates such as "【请更正】{subject}（查询码 {ref}）",
 * NULL-terminated; NULL: none; one without {subject} wraps nothing) and
 * without mail clients' prefixes; g_free. */
char *replytag_strip(const char *subject, const char *const *templates);

#endif
