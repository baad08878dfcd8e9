/* grp.h -- the group database, read from /etc/group (passwd.c): lines of
 * name:password:gid:member,member,... */
#ifndef _GRP_H
#define _GRP_H
#include <sys/types.h>

struct group {
    char *gr_name;
    char *gr_passwd;
    gid_t gr_gid;
    char **gr_mem;   /* NULL-terminated */
};

/* As getpwuid/getpwnam (pwd.h), for groups. */
struct group *getgrgid(gid_t gid);
struct group *getgrnam(const char *name);
#endif
