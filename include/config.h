/*
 * config: the main configuration file (GKeyFile) and the campaigns it names.
 *
 * config_load() accepts either a main configuration ([subgate] group, with
 * a "campaigns" list of campaign files, relative to the main file) or a
 * single campaign file ([campaign] group), in which case the other
 * settings take their defaults.  Errors name the file, line and key.
 */
#ifndef SUBGATE_CONFIG_H
#define SUBGATE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

struct campaign;

struct config_imap {
	char *host;
	int port;
	char *tls;		/* "imaps", "starttls" or "plain" */
	char *ca_file;		/* NULL: system trust store */
	char *user;
	char *password;		/* read from password_file or password_env */
};

struct config_smtp {
	char *url;		/* smtp://host:port or smtps://host:port */
	char *ca_file;
	char *user;		/* NULL: no AUTH */
	char *password;
	char *from;		/* envelope and From: address of replies */
	char *from_name;
	bool starttls;		/* require STARTTLS on smtp:// */
};

struct config {
	char *path;
	char *store_dir;
	char *database;
	int poll_interval;	/* seconds */
	struct config_imap imap;
	struct config_smtp smtp;
	struct campaign **campaigns;
	size_t campaign_count;
};

int config_load(const char *path, struct config **config_r, char **error_r);
void config_free(struct config **config);
/* The campaign with this id, or NULL. */
const struct campaign *config_campaign_find(const struct config *config,
    const char *id);

#endif
