/* user/glibc/pthreadcheck.c -- POSIX threads, as Debian's glibc uses the
 * kernel for them.
 *
 * Built with the cross compiler's own glibc (static), not the project's
 * libc: the point is that an unmodified glibc program's pthread_create
 * (clone3, or clone when clone3 is ENOSYS), mutexes and condition
 * variables (futex), pthread_join (CLONE_CHILD_CLEARTID), thread-local
 * variables (set_thread_area per thread), pthread_kill (tgkill),
 * pthread_cancel (a signal and unwinding), robust mutexes (the robust
 * list) and exit/execve from a thread behave as on Linux. Each check
 * prints one line whose text does not depend on timing, so the output on
 * this kernel must equal the output on Linux.
 *
 * Usage: pthreadcheck [GROUP...]   (no group: all; "exec-child" is internal)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define THREADS 8
static int failures;

static void check(int ok, const char *what) {
    printf("%s: %s\n", what, ok ? "ok" : "FAILED");
    if (!ok) failures++;
    fflush(stdout);
}

/* --- 8 threads adding under one mutex ---------------------------------- */
static pthread_mutex_t counter_lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;
static __thread int thread_slot = -1;   /* TLS: every thread its own */
static int slots_seen[THREADS];

static void *add_many(void *argument) {
    int slot = (int)(long)argument;
    thread_slot = slot;
    for (int i = 0; i < 20000; i++) {
        pthread_mutex_lock(&counter_lock);
        counter++;
        pthread_mutex_unlock(&counter_lock);
        if ((i & 1023) == 0) sched_yield();
    }
    slots_seen[slot] = thread_slot;      /* still ours after all that switching */
    return (void *)(long)(slot * 10);
}

static void check_mutex_and_join(void) {
    pthread_t threads[THREADS];
    int created = 1;
    for (long i = 0; i < THREADS; i++)
        if (pthread_create(&threads[i], NULL, add_many, (void *)i) != 0) created = 0;
    check(created, "pthread_create 8 threads");
    int results_ok = 1;
    for (int i = 0; i < THREADS; i++) {
        void *result;
        if (pthread_join(threads[i], &result) != 0 || (long)result != i * 10) results_ok = 0;
    }
    check(results_ok, "pthread_join returns each thread's value");
    check(counter == THREADS * 20000L, "mutex: 8 x 20000 increments");
    int tls_ok = thread_slot == -1;
    for (int i = 0; i < THREADS; i++) tls_ok &= slots_seen[i] == i;
    check(tls_ok, "__thread variables are per thread");
}

/* --- condition variable: a producer and 4 consumers ------------------- */
static pthread_mutex_t queue_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t queue_filled = PTHREAD_COND_INITIALIZER;
static int queue_items, queue_done, consumed_total;

static void *consume(void *unused) {
    (void)unused;
    int mine = 0;
    pthread_mutex_lock(&queue_lock);
    for (;;) {
        while (queue_items == 0 && !queue_done) pthread_cond_wait(&queue_filled, &queue_lock);
        if (queue_items == 0) break;
        queue_items--;
        mine++;
    }
    consumed_total += mine;
    pthread_mutex_unlock(&queue_lock);
    return NULL;
}

static void check_condition_variable(void) {
    pthread_t consumers[4];
    for (int i = 0; i < 4; i++) pthread_create(&consumers[i], NULL, consume, NULL);
    for (int i = 0; i < 1000; i++) {
        pthread_mutex_lock(&queue_lock);
        queue_items++;
        pthread_cond_signal(&queue_filled);
        pthread_mutex_unlock(&queue_lock);
    }
    pthread_mutex_lock(&queue_lock);
    queue_done = 1;
    pthread_cond_broadcast(&queue_filled);
    pthread_mutex_unlock(&queue_lock);
    for (int i = 0; i < 4; i++) pthread_join(consumers[i], NULL);
    check(consumed_total == 1000, "condition variable: 1000 items, 4 consumers");
}

/* --- timed waits ------------------------------------------------------ */
static void check_timed_wait(void) {
    pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
    pthread_cond_t never = PTHREAD_COND_INITIALIZER;
    struct timespec start, deadline, end;
    clock_gettime(CLOCK_REALTIME, &start);
    deadline = start;
    deadline.tv_nsec += 200 * 1000 * 1000;
    if (deadline.tv_nsec >= 1000000000) deadline.tv_sec++, deadline.tv_nsec -= 1000000000;
    pthread_mutex_lock(&lock);
    int result = pthread_cond_timedwait(&never, &lock, &deadline);
    pthread_mutex_unlock(&lock);
    clock_gettime(CLOCK_REALTIME, &end);
    long waited_ms = (end.tv_sec - start.tv_sec) * 1000 + (end.tv_nsec - start.tv_nsec) / 1000000;
    check(result == ETIMEDOUT && waited_ms >= 199, "pthread_cond_timedwait times out after 200 ms");
    sem_t semaphore;
    sem_init(&semaphore, 0, 0);
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_nsec += 50 * 1000 * 1000;
    if (deadline.tv_nsec >= 1000000000) deadline.tv_sec++, deadline.tv_nsec -= 1000000000;
    int timed = sem_timedwait(&semaphore, &deadline);
    check(timed == -1 && errno == ETIMEDOUT, "sem_timedwait times out");
}

/* --- ids, pthread_kill, signals to the group -------------------------- */
static _Atomic pid_t thread_tid;
static _Atomic int usr1_thread;   /* the tid that ran the SIGUSR1 handler */
static void on_usr1(int signal) { (void)signal; usr1_thread = (int)syscall(SYS_gettid); }

static void *report_ids(void *unused) {
    (void)unused;
    thread_tid = (pid_t)syscall(SYS_gettid);
    sigset_t usr1;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR2);
    pthread_sigmask(SIG_BLOCK, &usr1, NULL);   /* this thread never takes SIGUSR2 */
    while (usr1_thread == 0) usleep(1000);
    return (void *)(long)getpid();
}

static void check_ids_and_kill(void) {
    signal(SIGUSR1, on_usr1);
    pthread_t thread;
    pthread_create(&thread, NULL, report_ids, NULL);
    while (thread_tid == 0) usleep(1000);
    check(thread_tid != getpid() && syscall(SYS_gettid) == getpid(), "gettid: main is the pid, a thread is not");
    pthread_kill(thread, SIGUSR1);
    void *pid_seen;
    pthread_join(thread, &pid_seen);
    check((long)pid_seen == getpid(), "getpid is the same in every thread");
    check(usr1_thread == thread_tid, "pthread_kill runs the handler in that thread");
    /* pthread_join returns once the kernel cleared the thread's tid word, a
     * moment before the thread is gone: on Linux tgkill may still find it. */
    int gone = 0;
    for (int i = 0; i < 1000 && !gone; i++) {
        gone = syscall(SYS_tgkill, getpid(), thread_tid, 0) == -1 && errno == ESRCH;
        if (!gone) usleep(1000);
    }
    check(gone, "tgkill of an ended thread: ESRCH");
}

/* --- pthread_cancel --------------------------------------------------- */
static _Atomic int cleanup_ran;
static void note_cleanup(void *unused) { (void)unused; cleanup_ran = 1; }

static void *sleep_forever(void *unused) {
    (void)unused;
    pthread_cleanup_push(note_cleanup, NULL);
    for (;;) pause();  /* a cancellation point */
    pthread_cleanup_pop(0);
    return NULL;
}

static void check_cancel(void) {
    pthread_t thread;
    pthread_create(&thread, NULL, sleep_forever, NULL);
    usleep(20000);
    pthread_cancel(thread);
    void *result;
    pthread_join(thread, &result);
    check(result == PTHREAD_CANCELED && cleanup_ran, "pthread_cancel ends a thread in pause(), cleanup runs");
}

/* --- robust mutex whose owner ends ------------------------------------ */
static pthread_mutex_t robust_lock;
static void *lock_and_end(void *unused) {
    (void)unused;
    pthread_mutex_lock(&robust_lock);
    return NULL;  /* ends holding it */
}

static void check_robust_mutex(void) {
    pthread_mutexattr_t attributes;
    pthread_mutexattr_init(&attributes);
    pthread_mutexattr_setrobust(&attributes, PTHREAD_MUTEX_ROBUST);
    pthread_mutex_init(&robust_lock, &attributes);
    pthread_t thread;
    pthread_create(&thread, NULL, lock_and_end, NULL);
    pthread_join(thread, NULL);
    int result = pthread_mutex_lock(&robust_lock);
    check(result == EOWNERDEAD, "robust mutex: EOWNERDEAD after its owner ended");
    pthread_mutex_consistent(&robust_lock);
    pthread_mutex_unlock(&robust_lock);
}

/* --- barrier, rwlock, once -------------------------------------------- */
static pthread_barrier_t barrier;
static _Atomic int past_barrier, serial_threads;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static _Atomic int once_runs;
static void run_once(void) { once_runs++; }

static void *meet(void *unused) {
    (void)unused;
    pthread_once(&once, run_once);
    if (pthread_barrier_wait(&barrier) == PTHREAD_BARRIER_SERIAL_THREAD) serial_threads++;
    past_barrier++;
    return NULL;
}

static void check_barrier(void) {
    pthread_barrier_init(&barrier, NULL, 5);
    pthread_t threads[4];
    for (int i = 0; i < 4; i++) pthread_create(&threads[i], NULL, meet, NULL);
    meet(NULL);
    for (int i = 0; i < 4; i++) pthread_join(threads[i], NULL);
    check(past_barrier == 5 && serial_threads == 1 && once_runs == 1, "barrier of 5, pthread_once");
}

/* --- exit from a thread, exit_group, a fatal signal, fork, execve ------ */
static void *exit_from_thread(void *code) {
    exit((int)(long)code);
}

static void *spin(void *unused) {
    (void)unused;
    for (;;) sched_yield();
    return NULL;
}

static void *crash(void *unused) {
    (void)unused;
    raise(SIGSEGV);  /* a thread-directed fatal signal ends the whole process */
    return NULL;
}

static void *exec_from_thread(void *program) {
    execl((const char *)program, "pthreadcheck", "exec-child", (char *)NULL);
    return NULL;
}

static int run_in_child(void *(*body)(void *), void *argument) {
    pid_t child = fork();
    if (child == 0) {
        pthread_t spinner, thread;
        pthread_create(&spinner, NULL, spin, NULL);
        pthread_create(&thread, NULL, body, argument);
        for (;;) pause();
    }
    int status;
    waitpid(child, &status, 0);
    return status;
}

static void *fork_in_thread(void *unused) {
    (void)unused;
    pid_t child = fork();
    if (child == 0) _exit(7);  /* one thread in the child: the one that forked */
    int status;
    waitpid(child, &status, 0);
    return (void *)(long)status;
}

static void check_process_ends(const char *self) {
    int status = run_in_child(exit_from_thread, (void *)3L);
    check(WIFEXITED(status) && WEXITSTATUS(status) == 3, "exit() in a thread ends every thread");
    status = run_in_child(crash, NULL);
    check(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV, "SIGSEGV in a thread kills the process");
    status = run_in_child(exec_from_thread, (void *)self);
    check(WIFEXITED(status) && WEXITSTATUS(status) == 42, "execve in a thread replaces the whole process");
    pthread_t thread;
    void *result;
    pthread_create(&thread, NULL, fork_in_thread, NULL);
    pthread_join(thread, &result);
    check(WIFEXITED((int)(long)result) && WEXITSTATUS((int)(long)result) == 7, "fork in a thread");
}

/* --- another thread changes the memory a read() is filling ------------- */
struct PipeRead {
    int fd;
    char *buffer;
    ssize_t result;
    int error;
};
static _Atomic int reader_started;

static void *read_pipe(void *argument) {
    struct PipeRead *request = argument;
    reader_started = 1;
    request->result = read(request->fd, request->buffer, 4096);
    request->error = errno;
    return NULL;
}

/* The reader sleeps in read() on an empty pipe; meanwhile the main thread
 * changes its buffer's memory (unmaps it, or forks so that it becomes
 * copy-on-write), then writes. The kernel must neither crash nor write
 * into memory the program no longer has. */
static void read_while_memory_changes(int unmap, ssize_t *result, int *error, char *first_byte) {
    int fds[2];
    pipe(fds);
    char *buffer = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    buffer[0] = 'x';
    struct PipeRead request = {fds[0], buffer, 0, 0};
    reader_started = 0;
    pthread_t reader;
    pthread_create(&reader, NULL, read_pipe, &request);
    while (!reader_started) sched_yield();
    usleep(50000);  /* the reader is asleep in read() by now */
    if (unmap) {
        munmap(buffer, 4096);
    } else {
        pid_t child = fork();
        if (child == 0) _exit(0);
        waitpid(child, NULL, 0);
    }
    write(fds[1], "data", 4);
    pthread_join(reader, NULL);
    *result = request.result;
    *error = request.error;
    *first_byte = unmap ? 0 : buffer[0];
    close(fds[0]);
    close(fds[1]);
}

static void check_memory_changes_under_read(void) {
    ssize_t result;
    int error;
    char first;
    read_while_memory_changes(1, &result, &error, &first);
    check(result == -1 && error == EFAULT, "read() into memory another thread unmapped: EFAULT");
    read_while_memory_changes(0, &result, &error, &first);
    check(result == 4 && first == 'd', "read() into memory another thread's fork made copy-on-write");
}

/* The program execve'd from a thread: it runs alone, with the old pid. */
static int exec_child(void) {
    return syscall(SYS_gettid) == getpid() ? 42 : 1;
}

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "exec-child") == 0) return exec_child();
    setvbuf(stdout, NULL, _IOLBF, 0);
    check_mutex_and_join();
    check_condition_variable();
    check_timed_wait();
    check_ids_and_kill();
    check_cancel();
    check_robust_mutex();
    check_barrier();
    check_process_ends("/proc/self/exe");
    check_memory_changes_under_read();
    printf("%s\n", failures ? "pthreadcheck: FAILED" : "pthreadcheck: all ok");
    return failures != 0;
}
