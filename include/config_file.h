/*
 * config_file: the configuration on disk, and the one place every command
 * loads it.
 *
 * The parsers (config.h, campaign.h) read no file and no environment
 * variable: this module reads the main file, the campaign files it lists,
 * their reply templates and the secret files, and looks up password_env
 * variables, when the parsers ask.  Messages are the parsers' own, with
 * file and line, plus "PATH: reason" for a configuration or campaign file
 * that cannot be read.
 */
#ifndef SUBGATE_CONFIG_FILE_H
#define SUBGATE_CONFIG_FILE_H

#include "campaign.h"
#include "config.h"

/* The configuration in the file at path: 0 and *config_r (config_free),
 * or -1 and *error_r (g_free): every problem, one a line. */
int config_load(const char *path, struct config **config_r, char **error_r);
/* config_load for a command line: then --store and --database (NULL: as
 * configured) override the configured paths.  Reports to stderr; NULL on
 * error. */
struct config *config_load_cli(const char *path, const char *store,
    const char *database);
/* The campaign named by --campaign, or the only one when id is NULL;
 * reports to stderr and returns NULL otherwise. */
const struct campaign *config_campaign_pick(const struct config *config,
    const char *id);
/* The campaign in the file at path: 0 and *campaign_r (campaign_free),
 * or -1 and *error_r (g_free): every problem, one per line. */
int campaign_load(const char *path, struct campaign **campaign_r,
    char **error_r);

#endif
