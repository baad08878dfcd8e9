/* user/glibc/futexcheck.c -- the raw calls under pthreads: futex, clone,
 * clone3, vfork, set_tid_address, the robust list.
 *
 * Built with the cross compiler's static glibc, like pthreadcheck, but
 * calling the kernel directly (syscall()), so that each futex operation,
 * each clone flag and each error is checked on its own. Every line is the
 * same on Linux and on this kernel; the QEMU tier compares them.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int failures;

static void check(int ok, const char *what) {
    printf("%s: %s\n", what, ok ? "ok" : "FAILED");
    if (!ok) failures++;
}

static long futex(atomic_int *word, int op, int value, const struct timespec *timeout, atomic_int *word2,
                  int value3) {
    return syscall(SYS_futex, word, op, value, timeout, word2, value3);
}

static int error_of(long result) { return result == -1 ? errno : 0; }

/* --- a raw thread: clone with the pthread flags, on a stack of its own --- */
#define STACK_SIZE (64 * 1024)
static atomic_int child_tid_word = -1, parent_tid_word = -1;
static atomic_int waiters_started;
static atomic_int wake_word, requeue_word;

static int wait_on_wake_word(void *unused) {
    (void)unused;
    atomic_fetch_add(&waiters_started, 1);
    while (atomic_load(&wake_word) == 0) futex(&wake_word, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
    return 0;
}

static void *new_stack(void) {
    char *stack = mmap(NULL, STACK_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return stack + STACK_SIZE;
}

static const int THREAD_FLAGS = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM;

/* Starts a raw thread; its ids at the words, cleared (and woken) at its end. */
static int start_raw_thread(int (*body)(void *), atomic_int *tid_word) {
    return clone(body, new_stack(), THREAD_FLAGS | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID, NULL, tid_word,
                 NULL, tid_word);
}

/* pthread_join's wait: until the kernel zeroes the word at the thread's end. */
static void join_raw_thread(atomic_int *tid_word) {
    int tid;
    while ((tid = atomic_load(tid_word)) != 0) futex(tid_word, FUTEX_WAIT, tid, NULL, NULL, 0);
}

static int note_ids(void *unused) {
    (void)unused;
    parent_tid_word = (int)syscall(SYS_gettid);
    return 0;
}

static int end_at_once(void *unused) {
    (void)unused;
    return 0;
}

static void check_clone_thread(void) {
    int tid = start_raw_thread(note_ids, &child_tid_word);
    check(tid > 0 && tid != getpid(), "clone(CLONE_THREAD) returns a new thread id");
    join_raw_thread(&child_tid_word);
    check(child_tid_word == 0, "CLONE_CHILD_CLEARTID: the tid word is 0 after the thread ended");
    check(parent_tid_word == tid, "the thread's gettid is the id clone returned");
    /* A thread that ends at once must not clear its word before clone's
     * CLONE_PARENT_SETTID store, or the join below would wait for ever. */
    int joined = 0;
    for (int i = 0; i < 200; i++) {
        atomic_int word = -1;
        start_raw_thread(end_at_once, &word);
        join_raw_thread(&word);
        joined += word == 0;
    }
    check(joined == 200, "200 threads that end at once: every join returns");
    errno = 0;
    long bad = syscall(SYS_clone, CLONE_THREAD | CLONE_VM, 0, 0, 0, 0);
    check(bad == -1 && errno == EINVAL, "CLONE_THREAD without CLONE_SIGHAND: EINVAL");
    bad = syscall(SYS_clone, CLONE_SIGHAND, 0, 0, 0, 0);
    check(bad == -1 && errno == EINVAL, "CLONE_SIGHAND without CLONE_VM: EINVAL");
}

/* --- clone3 ------------------------------------------------------------ */
struct clone_args_v0 {
    uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
};

static void check_clone3(void) {
    struct clone_args_v0 arguments;
    memset(&arguments, 0, sizeof arguments);
    arguments.exit_signal = SIGCHLD;
    long child = syscall(435, &arguments, sizeof arguments);
    if (child == 0) _exit(5);
    int status = 0;
    waitpid((pid_t)child, &status, 0);
    check(child > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 5, "clone3 as fork");
    errno = 0;
    check(syscall(435, &arguments, 32) == -1 && errno == EINVAL, "clone3 with a size below 64: EINVAL");
    unsigned char bigger[128];  /* beyond every clone_args version Linux 6.1 knows (88 bytes) */
    memset(bigger, 0, sizeof bigger);
    memcpy(bigger, &arguments, sizeof arguments);
    bigger[127] = 1;
    errno = 0;
    check(syscall(435, bigger, sizeof bigger) == -1 && errno == E2BIG, "clone3 with unknown fields set: E2BIG");
    arguments.flags = CLONE_THREAD;
    errno = 0;
    check(syscall(435, &arguments, sizeof arguments) == -1 && errno == EINVAL,
          "clone3 CLONE_THREAD without CLONE_SIGHAND: EINVAL");
}

/* --- vfork and CLONE_VM: one memory ------------------------------------ */
static volatile int written_by_child;

static void check_vfork(void) {
    pid_t child = vfork();
    if (child == 0) {
        written_by_child = 42;  /* the parent's memory: it sleeps until _exit */
        _exit(0);
    }
    int status;
    waitpid(child, &status, 0);
    check(written_by_child == 42, "vfork: the child runs in the parent's memory first");
    child = vfork();
    if (child == 0) {
        execl("/nonexistent", "x", (char *)NULL);
        _exit(127);
    }
    waitpid(child, &status, 0);
    check(WIFEXITED(status) && WEXITSTATUS(status) == 127, "vfork child whose execve fails");
}

/* --- futex operations ---------------------------------------------------- */
static void check_futex_errors(void) {
    atomic_int word = 1;
    check(error_of(futex(&word, FUTEX_WAIT, 0, NULL, NULL, 0)) == EAGAIN, "FUTEX_WAIT on a changed word: EAGAIN");
    struct timespec short_wait = {0, 30 * 1000 * 1000};
    check(error_of(futex(&word, FUTEX_WAIT, 1, &short_wait, NULL, 0)) == ETIMEDOUT,
          "FUTEX_WAIT with a timeout: ETIMEDOUT");
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    now.tv_nsec += 30 * 1000 * 1000;
    if (now.tv_nsec >= 1000000000) now.tv_sec++, now.tv_nsec -= 1000000000;
    check(error_of(futex(&word, FUTEX_WAIT_BITSET, 1, &now, NULL, FUTEX_BITSET_MATCH_ANY)) == ETIMEDOUT,
          "FUTEX_WAIT_BITSET with an absolute deadline: ETIMEDOUT");
    check(error_of(futex(&word, FUTEX_WAIT_BITSET, 1, NULL, NULL, 0)) == EINVAL, "an empty bitset: EINVAL");
    check(error_of(futex((atomic_int *)((char *)&word + 1), FUTEX_WAKE, 1, NULL, NULL, 0)) == EINVAL,
          "a misaligned futex: EINVAL");
    check(error_of(futex((atomic_int *)16, FUTEX_WAIT, 0, NULL, NULL, 0)) == EFAULT, "an unmapped futex: EFAULT");
    check(futex(&word, FUTEX_WAKE, 5, NULL, NULL, 0) == 0, "FUTEX_WAKE with no waiters wakes 0");
    struct timespec bad = {0, 2000000000};
    check(error_of(futex(&word, FUTEX_WAIT, 1, &bad, NULL, 0)) == EINVAL, "a timeout of 2e9 ns: EINVAL");
}

static void start_waiters(int count, atomic_int *tid_words) {
    waiters_started = 0;
    for (int i = 0; i < count; i++) start_raw_thread(wait_on_wake_word, &tid_words[i]);
    while (atomic_load(&waiters_started) < count) sched_yield();
    usleep(50000);  /* let each reach its FUTEX_WAIT */
}

static void check_wake_and_requeue(void) {
    atomic_int tids[4] = {-1, -1, -1, -1};
    wake_word = 0;
    start_waiters(3, tids);
    long woken = futex(&wake_word, FUTEX_WAKE_PRIVATE, 2, NULL, NULL, 0);
    check(woken == 2, "FUTEX_WAKE of 2 among 3 waiters wakes 2");
    usleep(20000);
    /* The two woken went back to sleep (the word is still 0); all 3 wait now. */
    errno = 0;
    check(futex(&wake_word, FUTEX_CMP_REQUEUE_PRIVATE, 0, (void *)1L, &requeue_word, 7) == -1 && errno == EAGAIN,
          "FUTEX_CMP_REQUEUE with a wrong value: EAGAIN");
    long moved = futex(&wake_word, FUTEX_CMP_REQUEUE_PRIVATE, 1, (void *)2L, &requeue_word, 0);
    check(moved == 3, "FUTEX_CMP_REQUEUE wakes 1 and moves 2 (returns 3)");
    usleep(20000);
    check(futex(&wake_word, FUTEX_WAKE_PRIVATE, 10, NULL, NULL, 0) == 1, "one waiter is left on the first word");
    check(futex(&requeue_word, FUTEX_WAKE_PRIVATE, 10, NULL, NULL, 0) == 2, "the moved two wake on the second word");
    wake_word = 1;
    futex(&wake_word, FUTEX_WAKE_PRIVATE, 10, NULL, NULL, 0);
    futex(&requeue_word, FUTEX_WAKE_PRIVATE, 10, NULL, NULL, 0);
    for (int i = 0; i < 3; i++) join_raw_thread(&tids[i]);
    check(tids[0] == 0 && tids[1] == 0 && tids[2] == 0, "every waiter ended and cleared its tid word");
}

static void check_wake_op(void) {
    atomic_int first = 0, second = 5;
    /* FUTEX_OP(ADD, 3, CMP_GT, 4): second += 3; wake second's waiters if it was > 4 */
    int op = FUTEX_OP(FUTEX_OP_ADD, 3, FUTEX_OP_CMP_GT, 4);
    long woken = futex(&first, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1L, &second, op);
    check(woken == 0 && second == 8, "FUTEX_WAKE_OP adds to the second word");
    op = FUTEX_OP((FUTEX_OP_OR | FUTEX_OP_OPARG_SHIFT), 4, FUTEX_OP_CMP_EQ, 8);
    futex(&first, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1L, &second, op);
    check(second == 24, "FUTEX_WAKE_OP with OPARG_SHIFT ors 1 << 4");
}

/* --- ids and the robust list ---------------------------------------------- */
static void check_ids(void) {
    int tid = (int)syscall(SYS_set_tid_address, &child_tid_word);
    check(tid == getpid(), "set_tid_address returns the caller's id");
    struct robust_list_head *head = NULL;
    size_t length = 0;
    check(syscall(SYS_get_robust_list, 0, &head, &length) == 0 && head != NULL && length == 12,
          "get_robust_list: glibc registered a 12-byte head");
    check(error_of(syscall(SYS_set_robust_list, head, 11)) == EINVAL, "set_robust_list with a bad size: EINVAL");
    check(error_of(syscall(SYS_get_robust_list, 999999, &head, &length)) == ESRCH, "get_robust_list of no thread: ESRCH");
}

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    check_clone_thread();
    check_clone3();
    check_vfork();
    check_futex_errors();
    check_wake_and_requeue();
    check_wake_op();
    check_ids();
    printf("%s\n", failures ? "futexcheck: FAILED" : "futexcheck: all ok");
    return failures != 0;
}
