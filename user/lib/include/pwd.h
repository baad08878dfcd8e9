/* pwd.h -- the user database, read from /etc/passwd (passwd.c): lines of
 * name:password:uid:gid:gecos:home:shell. No NSS, no shadow file. */
#ifndef _PWD_H
#define _PWD_H
#include <sys/types.h>

struct passwd {
    char *pw_name;
    char *pw_passwd;
    uid_t pw_uid;
    gid_t pw_gid;
    char *pw_gecos;
    char *pw_dir;
    char *pw_shell;
};

/* The first entry with that uid (or name), in static storage that the next
 * call overwrites; NULL when there is none (errno unchanged) or the file
 * cannot be read (errno set). */
struct passwd *getpwuid(uid_t uid);
struct passwd *getpwnam(const char *name);
#endif
