/* user/glibc/threadstress.c -- many threads coming and going at once.
 *
 * A seeded load on the kernel's thread paths, racing each other: rounds of
 * threads that lock one mutex, wait on condition variables, signal each
 * other with pthread_kill, get cancelled, fork, exit while others start,
 * and whole processes of threads killed from outside with SIGKILL. At the
 * end every count must add up (no lost increment, no lost wake, every
 * child reaped), and the kernel must still be there to say so.
 * Usage: threadstress [ROUNDS [SEED]]   (default 20 rounds, seed 1)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define WORKERS 12
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t turn = PTHREAD_COND_INITIALIZER;
static long counter;
static atomic_long handled;
static atomic_int started;

static void on_usr1(int signal) { (void)signal; handled++; }

struct Work {
    unsigned seed;
    int index;
};

static void *work(void *argument) {
    struct Work *w = argument;
    started++;
    for (int i = 0; i < 300; i++) {
        pthread_mutex_lock(&lock);
        counter++;
        if (rand_r(&w->seed) % 8 == 0) pthread_cond_broadcast(&turn);
        if (rand_r(&w->seed) % 16 == 0) {
            struct timespec soon;
            clock_gettime(CLOCK_REALTIME, &soon);
            soon.tv_nsec += 200000;
            if (soon.tv_nsec >= 1000000000) soon.tv_sec++, soon.tv_nsec -= 1000000000;
            pthread_cond_timedwait(&turn, &lock, &soon);
        }
        pthread_mutex_unlock(&lock);
        if (rand_r(&w->seed) % 64 == 0) sched_yield();
        if (w->index == 0 && i == 150 && rand_r(&w->seed) % 2) {
            pid_t child = fork();  /* a fork from a busy thread: the child has one thread */
            if (child == 0) _exit(pthread_mutex_trylock(&lock) == EBUSY ? 3 : 4);
            waitpid(child, NULL, 0);
        }
    }
    return NULL;
}

static void *sleeper(void *unused) {
    (void)unused;
    for (;;) pause();
    return NULL;
}

/* A child process full of threads, killed from outside while they run. */
static int kill_a_busy_process(void) {
    pid_t child = fork();
    if (child == 0) {
        static struct Work works[WORKERS];
        pthread_t threads[WORKERS];
        for (int i = 0; i < WORKERS; i++) {
            works[i] = (struct Work){(unsigned)i + 7, i + 1};
            pthread_create(&threads[i], NULL, work, &works[i]);
        }
        for (;;) pause();
    }
    usleep(20000);
    kill(child, SIGKILL);
    int status;
    waitpid(child, &status, 0);
    return WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
}

int main(int argc, char **argv) {
    int rounds = argc > 1 ? atoi(argv[1]) : 20;
    unsigned seed = argc > 2 ? (unsigned)atoi(argv[2]) : 1;
    signal(SIGUSR1, on_usr1);
    long expected = 0, signals_sent = 0;
    int kills_ok = 0;
    for (int round = 0; round < rounds; round++) {
        struct Work works[WORKERS];
        pthread_t threads[WORKERS], idle;
        started = 0;
        pthread_create(&idle, NULL, sleeper, NULL);
        for (int i = 0; i < WORKERS; i++) {
            works[i] = (struct Work){seed * 1000 + (unsigned)(round * WORKERS + i), i};
            pthread_create(&threads[i], NULL, work, &works[i]);
        }
        while (started < WORKERS) sched_yield();
        for (int i = 0; i < WORKERS; i += 3) {
            if (pthread_kill(threads[i], SIGUSR1) == 0) signals_sent++;
        }
        pthread_kill(idle, SIGUSR1);
        signals_sent++;
        pthread_cancel(idle);
        for (int i = 0; i < WORKERS; i++) pthread_join(threads[i], NULL);
        void *result;
        pthread_join(idle, &result);
        expected += WORKERS * 300L;
        if (result != PTHREAD_CANCELED) printf("round %d: the idle thread was not cancelled\n", round);
        if (round % 5 == 0) kills_ok += kill_a_busy_process();
    }
    /* A signal sent to a thread that ends before it runs the handler is
     * lost with it (as on Linux), so only "at most" holds for the count. */
    int counted = counter == expected, ran = handled <= signals_sent && handled > 0;
    int reaped = kills_ok == (rounds + 4) / 5;
    printf("%d rounds of %d threads: every increment counted: %s\n", rounds, WORKERS, counted ? "ok" : "FAILED");
    printf("pthread_kill handlers ran, none twice: %s\n", ran ? "ok" : "FAILED");
    printf("processes of busy threads killed by SIGKILL and reaped: %s\n", reaped ? "ok" : "FAILED");
    int ok = counted && ran && reaped;
    printf("%s\n", ok ? "threadstress: all ok" : "threadstress: FAILED");
    return ok ? 0 : 1;
}
