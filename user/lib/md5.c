/* md5.c -- MD5 as RFC 1321 specifies it (see md5.h).
 *
 * The message is padded with a 1 bit, zeros, and its length in bits as a
 * 64-bit little-endian number, to a multiple of 64 bytes. Each 64-byte
 * block, read as sixteen little-endian words, goes through four rounds of
 * sixteen steps: a = b + rotate_left(a + F(b,c,d) + word + T[i], s), the
 * four registers rotating after each step. T[i] is the integer part of
 * 2^32 * |sin(i + 1)| (radians); the table holds those values, since this
 * libc has no sin(). The digest is A, B, C, D, little-endian. */
#include <md5.h>
#include <string.h>

static const uint32_t SINE_TABLE[64] = {
    0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
    0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
    0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
    0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
    0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
    0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
    0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
    0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
};

/* The rotation amounts: four per round, repeated four times. */
static const unsigned char SHIFTS[4][4] = {{7, 12, 17, 22}, {5, 9, 14, 20}, {4, 11, 16, 23}, {6, 10, 15, 21}};

static uint32_t rotate_left(uint32_t x, unsigned n) { return (x << n) | (x >> (32 - n)); }

static void hash_block(uint32_t state[4], const unsigned char block[64])
{
    uint32_t words[16];
    for (int i = 0; i < 16; i++)
        words[i] = (uint32_t)block[4 * i] | (uint32_t)block[4 * i + 1] << 8 | (uint32_t)block[4 * i + 2] << 16 |
                   (uint32_t)block[4 * i + 3] << 24;
    uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
    for (int i = 0; i < 64; i++) {
        int round = i / 16;
        uint32_t mixed;
        int word;
        switch (round) {
        case 0: mixed = (b & c) | (~b & d); word = i; break;                 /* F */
        case 1: mixed = (b & d) | (c & ~d); word = (5 * i + 1) % 16; break;  /* G */
        case 2: mixed = b ^ c ^ d; word = (3 * i + 5) % 16; break;           /* H */
        default: mixed = c ^ (b | ~d); word = (7 * i) % 16; break;           /* I */
        }
        uint32_t rotated = rotate_left(a + mixed + words[word] + SINE_TABLE[i], SHIFTS[round][i % 4]);
        a = d;
        d = c;
        c = b;
        b = b + rotated;
    }
    state[0] += a;
    state[1] += b;
    state[2] += c;
    state[3] += d;
}

void md5_init(struct md5_context *context)
{
    context->state[0] = 0x67452301;
    context->state[1] = 0xefcdab89;
    context->state[2] = 0x98badcfe;
    context->state[3] = 0x10325476;
    context->length = 0;
}

void md5_update(struct md5_context *context, const void *bytes, size_t length)
{
    const unsigned char *input = bytes;
    size_t used = (size_t)(context->length % 64);
    context->length += length;
    if (used > 0) {
        size_t take = 64 - used < length ? 64 - used : length;
        memcpy(context->block + used, input, take);
        input += take;
        length -= take;
        if (used + take < 64)
            return;
        hash_block(context->state, context->block);
    }
    for (; length >= 64; input += 64, length -= 64)
        hash_block(context->state, input);
    memcpy(context->block, input, length);
}

void md5_final(struct md5_context *context, unsigned char digest[MD5_DIGEST_SIZE])
{
    uint64_t bits = context->length * 8;
    unsigned char padding[72] = {0x80};
    size_t used = (size_t)(context->length % 64);
    size_t pad = used < 56 ? 56 - used : 120 - used;
    md5_update(context, padding, pad);
    unsigned char length_bytes[8];
    for (int i = 0; i < 8; i++)
        length_bytes[i] = (unsigned char)(bits >> (8 * i));
    md5_update(context, length_bytes, 8);
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++)
            digest[4 * i + j] = (unsigned char)(context->state[i] >> (8 * j));
}
