/* md5.h -- the MD5 message digest of RFC 1321 (md5.c).
 *
 *   struct md5_context context;
 *   md5_init(&context);
 *   md5_update(&context, bytes, length);     as often as needed
 *   md5_final(&context, digest);             16 bytes
 *
 * MD5 is broken as a defence against forgery; it is here to check that
 * bytes arrived unchanged (md5sum), which it still does well. */
#ifndef _MD5_H
#define _MD5_H
#include <stddef.h>
#include <stdint.h>

#define MD5_DIGEST_SIZE 16

struct md5_context {
    uint32_t state[4];          /* A, B, C, D */
    uint64_t length;            /* bytes hashed so far */
    unsigned char block[64];    /* the partial block not yet hashed */
};

void md5_init(struct md5_context *context);
void md5_update(struct md5_context *context, const void *bytes, size_t length);
void md5_final(struct md5_context *context, unsigned char digest[MD5_DIGEST_SIZE]);
#endif
