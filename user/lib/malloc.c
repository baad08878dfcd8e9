/* malloc.c -- the heap: malloc, free, calloc, realloc.
 *
 * Small blocks come from the program break (brk), grown in 64 KiB steps
 * and managed with one free list, first fit. Blocks of 128 KiB and more
 * get their own anonymous mapping (mmap2) and go back with munmap.
 *
 * Every block starts with a 16-byte header; the pointer handed out is just
 * after it, so it is 16-byte aligned. Must stay true:
 *   - header.size is the whole block (header included), a multiple of 16;
 *     bit 0 set means the block is an mmap2 mapping, not part of the heap;
 *   - the free list holds only heap blocks, sorted by address, and no two
 *     of them touch (free() merges neighbours), so memory freed is reused
 *     and fragmentation stays bounded;
 *   - not thread-safe (our processes have one thread). */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

struct block {
    size_t size;
    struct block *next;   /* next free block by address; meaningful while free */
    size_t pad[2];        /* header is 16 bytes so payloads are 16-aligned */
};

#define HEADER sizeof(struct block)
#define MAPPED 1u
#define MMAP_THRESHOLD (128 * 1024)
#define HEAP_STEP (64 * 1024)

static struct block *free_list;

static size_t round_up(size_t n, size_t to) { return (n + to - 1) & ~(to - 1); }

/* Puts a heap block on the free list, merging it with touching neighbours. */
static void insert_free(struct block *b)
{
    struct block *prev = NULL, *cur = free_list;
    while (cur && cur < b)
        prev = cur, cur = cur->next;
    b->next = cur;
    if (cur && (char *)b + b->size == (char *)cur) {
        b->size += cur->size;
        b->next = cur->next;
    }
    if (prev && (char *)prev + prev->size == (char *)b) {
        prev->size += b->size;
        prev->next = b->next;
    } else if (prev) {
        prev->next = b;
    } else {
        free_list = b;
    }
}

/* Grows the heap by at least `need` bytes and adds the new space as free. */
static int grow_heap(size_t need)
{
    char *start = sbrk(0);
    if (start == (void *)-1)
        return -1;
    size_t misalign = (16 - ((uintptr_t)start & 15)) & 15;
    size_t step = round_up(need + misalign, HEAP_STEP);
    if (sbrk((ptrdiff_t)step) == (void *)-1)
        return -1;
    struct block *b = (struct block *)(start + misalign);
    b->size = step - misalign;
    insert_free(b);
    return 0;
}

static void *map_large(size_t size)
{
    size_t total = round_up(size + HEADER, 4096);
    void *p = mmap2(NULL, total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return NULL;
    struct block *b = p;
    b->size = total | MAPPED;
    return (char *)b + HEADER;
}

void *malloc(size_t size)
{
    if (size > SIZE_MAX / 2) {
        errno = ENOMEM;
        return NULL;
    }
    if (size >= MMAP_THRESHOLD)
        return map_large(size);
    size_t need = round_up(size + HEADER, 16);
    for (;;) {
        struct block *prev = NULL;
        for (struct block *b = free_list; b; prev = b, b = b->next) {
            if (b->size < need)
                continue;
            if (b->size - need >= 2 * HEADER) {       /* split: tail stays free */
                struct block *rest = (struct block *)((char *)b + need);
                rest->size = b->size - need;
                rest->next = b->next;
                b->size = need;
                b->next = rest;
            }
            if (prev)
                prev->next = b->next;
            else
                free_list = b->next;
            return (char *)b + HEADER;
        }
        if (grow_heap(need) < 0) {
            errno = ENOMEM;
            return NULL;
        }
    }
}

void free(void *ptr)
{
    if (!ptr)
        return;
    struct block *b = (struct block *)((char *)ptr - HEADER);
    if (b->size & MAPPED)
        munmap(b, b->size & ~(size_t)MAPPED);
    else
        insert_free(b);
}

void *calloc(size_t count, size_t size)
{
    if (size && count > SIZE_MAX / size) {
        errno = ENOMEM;
        return NULL;
    }
    void *p = malloc(count * size);
    if (p)
        memset(p, 0, count * size);
    return p;
}

void *realloc(void *ptr, size_t size)
{
    if (!ptr)
        return malloc(size);
    if (size == 0) {
        free(ptr);
        return NULL;
    }
    struct block *b = (struct block *)((char *)ptr - HEADER);
    size_t capacity = (b->size & ~(size_t)MAPPED) - HEADER;
    if (size <= capacity)
        return ptr;
    void *fresh = malloc(size);
    if (fresh) {
        memcpy(fresh, ptr, capacity);
        free(ptr);
    }
    return fresh;
}
