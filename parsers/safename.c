/* safename: see include/safename.h. */
#include <string.h>

#include <glib.h>

#include "mail_limits.h"
#include "safename.h"

/* Map one code point to what the store keeps; 0 drops it. */
static gunichar
safename_map_char(gunichar c)
{
	switch (c) {
	case '/':
	case '\\':
		return '_';
	/* Windows-reserved: the full-width forms sit at U+FF01 + (c - '!'). */
	case '<': case '>': case ':': case '"': case '|': case '?': case '*':
		return 0xFF01 + (c - '!');
	case '\t': case '\n': case '\v': case '\f': case '\r':
		return ' ';
	default:
		break;
	}
	if (c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0))
		return 0;
	switch (g_unichar_type(c)) {
	case G_UNICODE_FORMAT:		/* bidi overrides, zero-width joiners */
	case G_UNICODE_LINE_SEPARATOR:
	case G_UNICODE_PARAGRAPH_SEPARATOR:
	case G_UNICODE_SURROGATE:
		return 0;
	default:
		return c;
	}
}

/* Build the mapped string: invalid bytes become '_'. */
static GString *
safename_map(const char *s)
{
	GString *out = g_string_sized_new(strlen(s) + 8);
	const char *p = s, *end = s + strlen(s);

	while (p < end) {
		gunichar c = g_utf8_get_char_validated(p, end - p);

		if (c == (gunichar)-1 || c == (gunichar)-2) {
			g_string_append_c(out, '_');
			p++;
			continue;
		}
		p = g_utf8_next_char(p);
		c = safename_map_char(c);
		/* A run of dots becomes one: no ".." anywhere in a stored
		 * name, so no reader of a path can take it for a parent. */
		if (c == '.' && out->len > 0 && out->str[out->len - 1] == '.')
			continue;
		if (c != 0)
			g_string_append_unichar(out, c);
	}
	return out;
}

static void
safename_trim(GString *s)
{
	gsize lead = 0;

	while (lead < s->len && (s->str[lead] == ' ' || s->str[lead] == '.' ||
	    s->str[lead] == '-'))
		lead++;
	g_string_erase(s, 0, lead);
	while (s->len > 0 && (s->str[s->len - 1] == ' ' ||
	    s->str[s->len - 1] == '.'))
		g_string_truncate(s, s->len - 1);
}

/* CON, PRN, AUX, NUL, CONIN$, CONOUT$, COM0-9, LPT0-9 and COM/LPT with
 * a superscript 1, 2 or 3 (Windows reserves those too) as the part before
 * the first dot; Windows ignores trailing spaces there too.  Staff open
 * the store from Windows shares: a file so named cannot be opened. */
static gboolean
safename_is_device(const char *s)
{
	static const char *const devices[] = { "CON", "PRN", "AUX", "NUL",
	    "CONIN$", "CONOUT$" };
	static const char *const superscripts[] = { "¹", "²", "³" };
	size_t len = strcspn(s, ".");
	size_t i;

	while (len > 0 && s[len - 1] == ' ')
		len--;
	for (i = 0; i < G_N_ELEMENTS(devices); i++) {
		if (len == strlen(devices[i]) &&
		    g_ascii_strncasecmp(s, devices[i], len) == 0)
			return TRUE;
	}
	if (len < 4 || (g_ascii_strncasecmp(s, "COM", 3) != 0 &&
	    g_ascii_strncasecmp(s, "LPT", 3) != 0))
		return FALSE;
	if (len == 4 && s[3] >= '0' && s[3] <= '9')
		return TRUE;
	for (i = 0; i < G_N_ELEMENTS(superscripts); i++)
		if (len == 3 + strlen(superscripts[i]) &&
		    strncmp(s + 3, superscripts[i], len - 3) == 0)
			return TRUE;
	return FALSE;
}

/* Bytes of the extension (including its dot) worth keeping, or 0. */
static size_t
safename_extension_len(const char *s, size_t len)
{
	const char *dot = g_strrstr_len(s, len, ".");
	size_t ext;

	if (dot == NULL || dot == s)
		return 0;
	ext = len - (size_t)(dot - s);
	if (ext < 2 || ext > SAFENAME_EXTENSION_BYTES + 1)
		return 0;
	return ext;
}

/* Longest prefix of s[0..len) not over max bytes ending on a character
 * boundary (s is valid UTF-8). */
static size_t
utf8_cut(const char *s, size_t len, size_t max)
{
	size_t cut;

	if (len <= max)
		return len;
	cut = max;
	while (cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80)
		cut--;
	return cut;
}

/* Cut s to at most max bytes, keeping a short extension. */
static void
safename_fit(GString *s, size_t max)
{
	size_t ext, stem;
	char *extension;

	if (s->len <= max)
		return;
	ext = safename_extension_len(s->str, s->len);
	if (ext == 0 || ext >= max) {
		g_string_truncate(s, utf8_cut(s->str, s->len, max));
		return;
	}
	extension = g_strdup(s->str + s->len - ext);
	stem = utf8_cut(s->str, s->len - ext, max - ext);
	/* A stem cut to end in spaces or dots would give "name .mp4". */
	while (stem > 0 && (s->str[stem - 1] == ' ' || s->str[stem - 1] == '.'))
		stem--;
	g_string_truncate(s, stem);
	g_string_append(s, extension);
	g_free(extension);
}

static char *
safename_clean(const char *original)
{
	GString *s;
	char *norm;

	if (original == NULL)
		return g_strdup("");
	s = safename_map(original);
	/* NFC: names from macOS arrive decomposed. */
	norm = g_utf8_normalize(s->str, s->len, G_NORMALIZE_DEFAULT_COMPOSE);
	if (norm != NULL) {
		g_string_assign(s, norm);
		g_free(norm);
	}
	safename_trim(s);
	if (safename_is_device(s->str))
		g_string_prepend_c(s, '_');
	safename_fit(s, LIMIT_FILENAME_BYTES);
	safename_trim(s);
	return g_string_free(s, FALSE);
}

char *
safename_make(const char *original, const char *fallback)
{
	char *name = safename_clean(original);

	if (*name != '\0')
		return name;
	g_free(name);
	name = safename_clean(fallback);
	if (*name != '\0')
		return name;
	g_free(name);
	return g_strdup("file");
}

char *
safename_dedupe(const char *name, unsigned n)
{
	char suffix[32];
	size_t len, ext, stem;
	GString *out;

	if (n <= 1)
		return g_strdup(name);
	g_snprintf(suffix, sizeof(suffix), " (%u)", n);
	len = strlen(name);
	ext = safename_extension_len(name, len);
	if (ext + strlen(suffix) >= LIMIT_FILENAME_BYTES)
		ext = 0;
	stem = utf8_cut(name, len - ext,
	    LIMIT_FILENAME_BYTES - ext - strlen(suffix));
	out = g_string_new_len(name, stem);
	g_string_append(out, suffix);
	g_string_append_len(out, name + len - ext, ext);
	return g_string_free(out, FALSE);
}
