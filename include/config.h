/*
 * config: the main configuration (GKeyFile text, subgate.conf(5)) and the
 * campaigns it names.
 *
 * config_parse() accepts either a main configuration ([subgate] group,
 * with a "campaigns" list of campaign files, relative to the main file) or
 * a single campaign file ([campaign] group), in which case the other
 * settings take their defaults.  Every problem found is reported, one a
 * line, as "FILE:LINE: [group] key: problem".
 *
 * Pure: the parser reads no file and no environment variable.  What the
 * text names (campaign files, secret files, environment variables) the
 * caller resolves through struct config_sources; gateway/config_file.c
 * does it from the disk and the environment for every command.
 */
#ifndef SUBGATE_CONFIG_H
#define SUBGATE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "keyfile.h"
#include "mail_limits.h"

struct campaign;

enum config_imap_auth {
	CONFIG_IMAP_AUTH_PASSWORD,	/* LOGIN user password */
	CONFIG_IMAP_AUTH_XOAUTH2,	/* AUTHENTICATE XOAUTH2 (Gmail, M365) */
};

enum config_post_action {
	CONFIG_POST_NONE,
	CONFIG_POST_FLAG,
	CONFIG_POST_MOVE,
};

struct config_imap {
	char *host;
	int port;
	char *tls;		/* "imaps", "starttls" or "plain" */
	char *ca_file;		/* NULL: system trust store */
	char *user;
	enum config_imap_auth auth;
	char *password;		/* read from password_file or password_env */
	/* XOAUTH2: the token is read at every connection, from the first
	 * line of this file or of this command's output (one is set). */
	char *oauth_token_file;
	char *oauth_token_command;
	int timeout;		/* seconds any one network operation may take */
	bool idle;		/* `run` waits with IDLE when the server has it */
	/* What happens to a message in the mailbox once its case is
	 * committed: nothing (the default), a keyword, or a move. */
	enum config_post_action post_action;
	char *post_folder;	/* move: the target folder (UTF-8) */
	char *post_flag;	/* flag: the keyword set */
};

enum config_smtp_auth {
	CONFIG_SMTP_AUTH_PASSWORD,	/* AUTH PLAIN or LOGIN, user password */
	CONFIG_SMTP_AUTH_XOAUTH2,	/* AUTH XOAUTH2 with a bearer token */
};

/*
 * RFC 5321 4.5.3.2 asks an MTA relaying the world's mail to wait minutes
 * for each answer (10 for the one after the message).  A submission
 * server answers a small receipt in a second or two; waiting longer only
 * holds intake up when it hangs.  Much shorter would risk a reply sent
 * twice: the server took it, and we stopped listening before its OK.
 */
#define CONFIG_DEFAULT_SMTP_TIMEOUT	30
#define CONFIG_SMTP_TIMEOUT_MAX		600
/* Seconds of sending per cycle before intake comes first again. */
#define CONFIG_DEFAULT_SEND_BUDGET	60
#define CONFIG_SEND_BUDGET_MAX		3600

struct config_smtp {
	char *url;		/* smtp://host:port or smtps://host:port */
	char *ca_file;
	char *user;		/* NULL: no AUTH */
	enum config_smtp_auth auth;
	char *mechanism;	/* "PLAIN", "LOGIN" or NULL: the server's pick */
	char *password;		/* a password or app code, from a file or env */
	/* XOAUTH2: the token is read at every connection, from the first
	 * line of this file or of this command's output (one is set). */
	char *oauth_token_file;
	char *oauth_token_command;
	char *from;		/* envelope and From: address of replies */
	char *from_name;
	char **also_ours;	/* more addresses never to answer, or NULL */
	bool starttls;		/* require STARTTLS on smtp:// */
	/* Replies sent at most per recipient per hour and to everyone per
	 * minute; 0: no limit.  Beyond them replies wait in the outbox. */
	unsigned rate_per_recipient_hour;
	unsigned rate_global_minute;
	/* Replies to mail that made no case (corrections and other
	 * refusals) per recipient domain and all together, per hour. */
	unsigned rate_per_domain_hour;
	unsigned rate_refusals_hour;
	/* People's questions (question.h): one acknowledgement per sender
	 * in question_ack_hours, question_forwards_day forwarded per sender
	 * a day; 0: no limit. */
	unsigned question_ack_hours;
	unsigned question_forwards_day;
	/* Seconds the server may take to set up a connection (TCP, TLS,
	 * greeting, EHLO, AUTH) and to answer any one command after. */
	unsigned timeout;
	/* Seconds a poll cycle may spend sending before it goes back to
	 * intake; the replies not started wait for the next cycle.  For
	 * both, 0 (a struct not filled by config_parse) is the default. */
	unsigned send_budget;
	/* Backscatter guard: answer only senders whose domain passed SPF,
	 * DKIM or DMARC in the receiving server's Authentication-Results
	 * (the topmost one, or the one from authserv_id when set). */
	bool require_authentication_results;
	char *authserv_id;
};

/* Seconds clamd may take over any one step of a scan (connecting,
 * taking a chunk, answering): a large file takes it a while to read. */
#define CONFIG_DEFAULT_CLAMD_TIMEOUT	120
#define CONFIG_CLAMD_TIMEOUT_MAX	3600

/* [clamd]: the virus scanner campaigns with [policy] scan = clamd use. */
struct config_clamd {
	char *socket;		/* "unix:/PATH" or "tcp:HOST:PORT"; NULL: none */
	unsigned timeout;	/* seconds */
	/* Where infected files and the mails that carried them are kept,
	 * outside the store; NULL: config_quarantine_dir()'s default. */
	char *quarantine;
};

/* Seconds `once` spends fetching cloud attachments after intake. */
#define CONFIG_DEFAULT_FETCH_BUDGET	300
#define CONFIG_FETCH_BUDGET_MAX		86400

/* [links]: how cloud attachments are downloaded (linkfetch.h); which
 * hosts, and how large, is each campaign's [links] fetch. */
struct config_links {
	unsigned fetch_budget;	/* seconds; 0 (not parsed): the default */
	char *ca_file;		/* NULL: the system's trust store */
	/* Test only (SUBGATE_TEST=1): "HOST:PORT:ADDRESS" entries for
	 * libcurl's CURLOPT_RESOLVE, so the providers' real host names
	 * reach a local imitation; NULL: none. */
	char **resolve;
};

struct config {
	char *path;
	char *store_dir;
	char *database;
	int poll_interval;	/* seconds */
	unsigned umask;		/* for the store and database files */
	/* [limits]; a key not set (and every key for a single campaign
	 * file) is 0, its default. */
	struct mail_limits limits;
	struct config_imap imap;
	struct config_smtp smtp;
	struct config_clamd clamd;
	struct config_links links;
	struct campaign **campaigns;
	size_t campaign_count;
};

/*
 * What the text names and the parser may not open itself.  Callbacks
 * rather than a table filled beforehand: only the parser knows what is
 * named and whether it counts (a password_file is read only under
 * auth = password), so nothing else is read, and the problems stay in
 * the order of the file.  Each gets ctx.
 */
struct config_sources {
	/* A secret file (first line kept), or a reply template of a
	 * campaign given as the main file. */
	keyfile_read_fn *read_file;
	/* An environment variable (password_env); NULL when unset. */
	const char *(*env_value)(void *ctx, const char *name);
	/* A campaign file the main file lists, path made relative to the
	 * main file's directory: 0, or -1 and *error_r (g_free), its
	 * problems, one a line, appended to the main file's as they are. */
	int (*load_campaign)(void *ctx, const char *path,
	    struct campaign **campaign_r, char **error_r);
	void *ctx;
};

/* The configuration in text (len bytes, NUL-terminated), which path
 * names in messages and against which relative paths are resolved: 0 and
 * *config_r (config_free); or -1 and *error_r (g_free): every problem,
 * one a line. */
int config_parse(const char *path, const char *text, size_t len,
    const struct config_sources *sources, struct config **config_r,
    char **error_r);
void config_free(struct config **config);
/* The quarantine directory: [clamd] quarantine, else "quarantine" beside
 * the database (the state directory, never the store staff browse);
 * g_free. */
char *config_quarantine_dir(const struct config *config);
/* The campaign with this id, or NULL. */
const struct campaign *config_campaign_find(const struct config *config,
    const char *id);

#endif
