/* smtp: see include/smtp.h. */
#include <string.h>

#include <curl/curl.h>
#include <glib.h>

#include "config.h"
#include "smtp.h"

#define SMTP_CONNECT_TIMEOUT	30L
#define SMTP_TIMEOUT		300L

struct smtp_reader {
	const char *data;
	size_t len;
	size_t pos;
};

static size_t
smtp_read(char *buf, size_t size, size_t nmemb, void *ctx)
{
	struct smtp_reader *r = ctx;
	size_t n = size * nmemb;

	if (n > r->len - r->pos)
		n = r->len - r->pos;
	memcpy(buf, r->data + r->pos, n);
	r->pos += n;
	return n;
}

int
smtp_send(const struct config_smtp *config, const char *recipient,
    const char *data, size_t len, bool *permanent_r, char **error_r)
{
	struct smtp_reader reader = { data, len, 0 };
	struct curl_slist *rcpt = NULL;
	g_autofree char *from = g_strdup_printf("<%s>", config->from);
	g_autofree char *to = g_strdup_printf("<%s>", recipient);
	char errbuf[CURL_ERROR_SIZE] = "";
	long code = 0;
	CURLcode rc;
	CURL *curl;

	*permanent_r = false;
	curl = curl_easy_init();
	if (curl == NULL) {
		*error_r = g_strdup("smtp: cannot initialise libcurl");
		return -1;
	}
	rcpt = curl_slist_append(rcpt, to);
	curl_easy_setopt(curl, CURLOPT_URL, config->url);
	curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(curl, CURLOPT_READFUNCTION, smtp_read);
	curl_easy_setopt(curl, CURLOPT_READDATA, &reader);
	curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
	curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, SMTP_CONNECT_TIMEOUT);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT, SMTP_TIMEOUT);
	/* Certificates are always verified; a private CA is configured,
	 * never switched off. */
	curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
	if (config->ca_file != NULL)
		curl_easy_setopt(curl, CURLOPT_CAINFO, config->ca_file);
	if (config->starttls)
		curl_easy_setopt(curl, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
	if (config->user != NULL) {
		curl_easy_setopt(curl, CURLOPT_USERNAME, config->user);
		curl_easy_setopt(curl, CURLOPT_PASSWORD,
		    config->password ? config->password : "");
	}
	rc = curl_easy_perform(curl);
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code);
	curl_slist_free_all(rcpt);
	curl_easy_cleanup(curl);
	if (rc == CURLE_OK)
		return 0;
	*permanent_r = code >= 500 && code < 600;
	*error_r = g_strdup_printf("smtp %s: %s%s (server reply %ld)",
	    config->url, curl_easy_strerror(rc), *errbuf ? ": " : "", code);
	if (*errbuf) {
		char *e = g_strdup_printf("smtp %s: %s (server reply %ld)",
		    config->url, errbuf, code);

		g_free(*error_r);
		*error_r = e;
	}
	return -1;
}
