/* smtp: see include/smtp.h. */
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>
#include <glib.h>

#include "config.h"
#include "crashpoint.h"
#include "oauth.h"
#include "smtp.h"

/* The system trust store (ca-certificates). */
#define SMTP_SYSTEM_CA_BUNDLE	"/etc/ssl/certs/ca-certificates.crt"
#define SMTP_SYSTEM_CA_DIR	"/etc/ssl/certs"
/* A whole transaction (connection, envelope, message, final answer) may
 * take this many times [smtp] timeout: a server that answers each command
 * just in time cannot hold a reply for long either. */
#define SMTP_TIMEOUTS_PER_MESSAGE	4
/* Below this many bytes a second for [smtp] timeout seconds, the upload
 * has stalled (a receipt is a few KiB: any live link does far better). */
#define SMTP_LOW_SPEED_BYTES		64L
/* A token longer than this is not a token: refuse it rather than put it
 * on the wire. */
/* Seconds an oauth_token_command may take. */
#define SMTP_TOKEN_COMMAND_TIMEOUT	30

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
	/* DATA is under way (the server said 354); the last bytes and the
	 * final dot are not sent yet: the middle of the transaction. */
	if (n > 0 && r->pos + n == r->len)
		crashpoint("mid-smtp");
	memcpy(buf, r->data + r->pos, n);
	r->pos += n;
	return n;
}

const char *
smtp_security(const struct config_smtp *config)
{
	if (config->url != NULL && g_str_has_prefix(config->url, "smtps://"))
		return "implicit TLS";
	return config->starttls ? "STARTTLS" : "none";
}

int
smtp_oauth_token(const struct config_smtp *config, char **token_r,
    char **error_r)
{
	char *error = NULL;

	if (oauth_token(config->oauth_token_file, config->oauth_token_command,
	    token_r, &error) < 0) {
		*error_r = g_strdup_printf("smtp: %s", error);
		g_free(error);
		return -1;
	}
	return 0;
}

/* AUTH settings; <0 when the token cannot be had (a temporary failure:
 * the token source may be back at the next attempt). */
static int
smtp_set_auth(CURL *curl, const struct config_smtp *config, char **token_r,
    char **error_r)
{
	if (config->user == NULL)
		return 0;
	curl_easy_setopt(curl, CURLOPT_USERNAME, config->user);
	if (config->auth == CONFIG_SMTP_AUTH_XOAUTH2) {
		if (smtp_oauth_token(config, token_r, error_r) < 0)
			return -1;
		curl_easy_setopt(curl, CURLOPT_XOAUTH2_BEARER, *token_r);
		curl_easy_setopt(curl, CURLOPT_LOGIN_OPTIONS, "AUTH=XOAUTH2");
		return 0;
	}
	curl_easy_setopt(curl, CURLOPT_PASSWORD,
	    config->password ? config->password : "");
	/* Some servers (older Exchange, Coremail) announce mechanisms they
	 * then refuse: the administrator can pin one. */
	if (config->mechanism != NULL) {
		g_autofree char *opt = g_strdup_printf("AUTH=%s",
		    config->mechanism);

		curl_easy_setopt(curl, CURLOPT_LOGIN_OPTIONS, opt);
	}
	return 0;
}

static void
smtp_token_free(char **token)
{
	if (*token != NULL)
		explicit_bzero(*token, strlen(*token));
	g_clear_pointer(token, g_free);
}

/*
 * libcurl's defaults wait two minutes for each answer and forever for the
 * whole: set ours.  The connect timeout covers everything before MAIL
 * FROM (TCP, TLS, the greeting, EHLO, AUTH), the response timeout each
 * answer after, the greeting and the one after the message included.
 */
static void
smtp_set_timeouts(CURL *curl, const struct config_smtp *config)
{
	long timeout = config->timeout > 0 ? (long)config->timeout :
	    CONFIG_DEFAULT_SMTP_TIMEOUT;

	curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, timeout);
	curl_easy_setopt(curl, CURLOPT_SERVER_RESPONSE_TIMEOUT, timeout);
	curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, SMTP_LOW_SPEED_BYTES);
	curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, timeout);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT,
	    timeout * SMTP_TIMEOUTS_PER_MESSAGE);
}

/* The server did not answer at all: not found, not reachable, silent
 * until a timeout, or gone mid-conversation. */
static bool
smtp_unanswered(CURLcode rc)
{
	switch (rc) {
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_CONNECT:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
		return true;
	default:
		return false;
	}
}

int
smtp_send(const struct config_smtp *config, const char *recipient,
    const char *data, size_t len, enum smtp_failure *failure_r,
    char **error_r)
{
	struct smtp_reader reader = { data, len, 0 };
	struct curl_slist *rcpt = NULL;
	g_autofree char *from = g_strdup_printf("<%s>", config->from);
	g_autofree char *to = g_strdup_printf("<%s>", recipient);
	char *token = NULL;
	char errbuf[CURL_ERROR_SIZE] = "";
	long code = 0;
	CURLcode rc;
	CURL *curl;

	*failure_r = SMTP_FAIL_LOCAL;
	curl = curl_easy_init();
	if (curl == NULL) {
		*error_r = g_strdup("smtp: cannot initialise libcurl");
		return -1;
	}
	if (smtp_set_auth(curl, config, &token, error_r) < 0) {
		curl_easy_cleanup(curl);
		return -1;
	}
	rcpt = curl_slist_append(rcpt, to);
	curl_easy_setopt(curl, CURLOPT_URL, config->url);
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(curl, CURLOPT_READFUNCTION, smtp_read);
	curl_easy_setopt(curl, CURLOPT_READDATA, &reader);
	curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
	curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	smtp_set_timeouts(curl, config);
	/* Certificates are always verified; a private CA is configured,
	 * never switched off. */
	curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
	/* Debian's libcurl-gnutls is built without a default CA bundle
	 * ("CAfile: none"): without one of its own, subgate would trust
	 * nobody.  The system store is what IMAP uses too. */
	if (config->ca_file != NULL)
		curl_easy_setopt(curl, CURLOPT_CAINFO, config->ca_file);
	else if (access(SMTP_SYSTEM_CA_BUNDLE, R_OK) == 0)
		curl_easy_setopt(curl, CURLOPT_CAINFO, SMTP_SYSTEM_CA_BUNDLE);
	else
		curl_easy_setopt(curl, CURLOPT_CAPATH, SMTP_SYSTEM_CA_DIR);
	if (config->starttls)
		curl_easy_setopt(curl, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
	rc = curl_easy_perform(curl);
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code);
	curl_slist_free_all(rcpt);
	curl_easy_cleanup(curl);
	smtp_token_free(&token);
	if (rc == CURLE_OK)
		return 0;
	/*
	 * Final only when the server refused this recipient ("RCPT
	 * failed") or this message (DATA).  A 5xx to MAIL FROM or to AUTH
	 * says something about us, not the reply: a sending quota used up on
	 * the deadline day (Gmail's 550 5.4.5), a From the provider does not
	 * allow (163's 553), wrong credentials.  Those replies stay queued
	 * until the administrator has fixed things.
	 */
	*failure_r = SMTP_FAIL_TEMPORARY;
	if (code >= 500 && code < 600 &&
	    (strncmp(errbuf, "RCPT failed", 11) == 0 ||
	    strncmp(errbuf, "DATA failed", 11) == 0))
		*failure_r = SMTP_FAIL_PERMANENT;
	else if (smtp_unanswered(rc))
		*failure_r = SMTP_FAIL_UNANSWERED;
	*error_r = g_strdup_printf("smtp %s: %s (server reply %ld)",
	    config->url, *errbuf ? errbuf : curl_easy_strerror(rc), code);
	return -1;
}
