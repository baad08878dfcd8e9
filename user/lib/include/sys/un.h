/* sys/un.h -- the Unix-domain socket address (Linux's struct sockaddr_un:
 * a family and 108 bytes of path; a first byte of 0 makes it abstract). */
#ifndef _SYS_UN_H
#define _SYS_UN_H
#include <sys/socket.h>

struct sockaddr_un {
    sa_family_t sun_family;
    char sun_path[108];
};
#endif
