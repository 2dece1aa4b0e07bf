/*
 * oauth: the bearer token for XOAUTH2 (Gmail, Microsoft 365), for IMAP
 * and SMTP alike: the first line of a file, or of what a command prints.
 * The command refreshes the token with the provider; it runs without a
 * terminal, in its own process group, and is killed with whatever it
 * started after OAUTH_COMMAND_SECONDS, so a hung helper cannot freeze the
 * gateway.  Token bytes are wiped from memory subgate lets go of.
 */
#ifndef SUBGATE_OAUTH_H
#define SUBGATE_OAUTH_H

/* Longest bearer token accepted. */
#define OAUTH_TOKEN_MAX		16384
/* How long oauth_token_command may take before it is killed. */
#define OAUTH_COMMAND_SECONDS	30

/* From command when set, else from file: 0 and the token (g_free), or
 * <0 with *error_r naming the source. */
int oauth_token(const char *file, const char *command, char **token_r,
    char **error_r);

#endif
