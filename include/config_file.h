/*
 * config_file: the configuration on disk.
 *
 * The campaign parser (campaign.h) reads no file: this module reads
 * campaign files and their reply templates when the parser asks.
 * Messages are the parser's own, with file and line, plus "PATH: reason"
 * for a campaign file that cannot be read.
 */
#ifndef SUBGATE_CONFIG_FILE_H
#define SUBGATE_CONFIG_FILE_H

#include "campaign.h"

/* The campaign in the file at path: 0 and *campaign_r (campaign_free),
 * or -1 and *error_r (g_free): every problem, one per line. */
int campaign_load(const char *path, struct campaign **campaign_r,
    char **error_r);

#endif
