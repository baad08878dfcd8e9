// tests/host/pipe_poll_test.cpp -- poll on pipes, the PollTable that
// sleeps on several wait queues at once (fs/vfs/poll.h, fs/vfs/pipe.cpp),
// and the watches an open file tells when it goes (fs/vfs/file.h).
//
// Layer: host unit tests of the VFS's special files. The pipe's events are
// checked against Linux's pipe_poll (the values user/bin/pollcheck sees on
// a Linux host); the table against the rule that matters: no wake between
// "the file said not ready" and "the poller sleeps" is ever lost, and a
// wake on any one of the watched queues ends the sleep.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "fs/vfs/pipe.h"
#include "fs/vfs/poll.h"
#include "kernel/platform.h"

namespace {

using namespace poll_events;

struct PipeEnds {
    FileRef read_end, write_end;
    PipeEnds() { EXPECT_FALSE(create_pipe(read_end, write_end, 0).is_error()); }
};

uint32_t events_now(FileRef& file) { return file->poll(nullptr); }

void write_byte(FileRef& file) {
    char byte = 'x';
    ASSERT_EQ(file->write(&byte, 1).value(), 1u);
}

uint64_t elapsed_ms(std::chrono::steady_clock::time_point start) {
    return uint64_t(std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start)
                        .count());
}

TEST(PipePoll, EmptyPipeIsWritableNotReadable) {
    PipeEnds pipe;
    EXPECT_EQ(events_now(pipe.read_end), 0u);
    EXPECT_EQ(events_now(pipe.write_end), OUT | WRITE_NORMAL);
}

TEST(PipePoll, DataMakesTheReadEndReadable) {
    PipeEnds pipe;
    write_byte(pipe.write_end);
    EXPECT_EQ(events_now(pipe.read_end), IN | READ_NORMAL);
}

TEST(PipePoll, NoWritersIsHangupAndNoReadersIsError) {
    PipeEnds pipe;
    write_byte(pipe.write_end);
    pipe.write_end.reset();
    EXPECT_EQ(events_now(pipe.read_end), IN | READ_NORMAL | HUP);
    char byte;
    ASSERT_EQ(pipe.read_end->read(&byte, 1).value(), 1u);
    EXPECT_EQ(events_now(pipe.read_end), HUP);

    PipeEnds other;
    other.read_end.reset();
    EXPECT_EQ(events_now(other.write_end), OUT | WRITE_NORMAL | ERR);
}

TEST(PipePoll, WritableOnlyWhilePipeBufBytesFit) {
    PipeEnds pipe;
    static char block[PIPE_CAPACITY - 4095];
    ASSERT_EQ(pipe.write_end->write(block, sizeof block).value(), sizeof block);
    EXPECT_EQ(events_now(pipe.write_end), 0u);  // 4095 bytes of room: a 4096-byte write would wait
    char byte;
    ASSERT_EQ(pipe.read_end->read(&byte, 1).value(), 1u);
    EXPECT_EQ(events_now(pipe.write_end), OUT | WRITE_NORMAL);
}

TEST(PollTable, DeadlinePassesWhenNothingHappens) {
    PipeEnds pipe;
    PollTable table;
    EXPECT_EQ(pipe.read_end->poll(&table), 0u);
    auto start = std::chrono::steady_clock::now();
    EXPECT_FALSE(table.sleep_until(platform::now_ms() + 100));
    EXPECT_GE(elapsed_ms(start), 95u);
    EXPECT_FALSE(table.any_woken());
}

TEST(PollTable, AWakeBeforeTheSleepIsNotLost) {
    PipeEnds pipe;
    PollTable table;
    EXPECT_EQ(pipe.read_end->poll(&table), 0u);
    write_byte(pipe.write_end);  // wakes the readable queue before the poller sleeps
    EXPECT_TRUE(table.any_woken());
    auto start = std::chrono::steady_clock::now();
    EXPECT_TRUE(table.sleep_until(platform::now_ms() + 5000));
    EXPECT_LT(elapsed_ms(start), 1000u);
}

TEST(PollTable, AWriteOnEitherOfTwoPipesEndsTheSleep) {
    PipeEnds first, second;
    PollTable table;
    EXPECT_EQ(first.read_end->poll(&table), 0u);
    EXPECT_EQ(second.read_end->poll(&table), 0u);
    std::thread writer([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        write_byte(second.write_end);
    });
    auto start = std::chrono::steady_clock::now();
    EXPECT_TRUE(table.sleep_until(UINT64_MAX));
    writer.join();
    EXPECT_GE(elapsed_ms(start), 40u);
    EXPECT_EQ(events_now(first.read_end), 0u);
    EXPECT_EQ(events_now(second.read_end), IN | READ_NORMAL);
}

TEST(PollTable, DetachedEntriesAreNoLongerWoken) {
    PipeEnds pipe;
    PollTable table;
    for (int i = 0; i < 40; ++i) pipe.read_end->poll(&table);  // several blocks of entries
    table.detach_all();
    write_byte(pipe.write_end);
    EXPECT_FALSE(table.any_woken());
    EXPECT_FALSE(table.out_of_memory());
}

TEST(PollTable, ClosingTheLastWriterWakesAPoller) {
    PipeEnds pipe;
    PollTable table;
    EXPECT_EQ(pipe.read_end->poll(&table), 0u);
    std::thread closer([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(30));
        pipe.write_end.reset();
    });
    EXPECT_TRUE(table.sleep_until(platform::now_ms() + 5000));
    closer.join();
    EXPECT_EQ(events_now(pipe.read_end), HUP);
}

TEST(PollTable, OutOfMemoryIsReported) {
    PipeEnds pipe;
    PollTable table;
    host_platform::fail_allocations_after(0);
    pipe.read_end->poll(&table);
    host_platform::reset_allocation_failures();
    EXPECT_TRUE(table.out_of_memory());
}

// A collecting table (epoll's edge watch) gets the queues and keeps no entries.
struct QueueRecorder final : PollQueueCollector {
    WaitQueue* queues[4] = {};
    int count = 0;
    void collect(WaitQueue& queue) override {
        if (count < 4) queues[count++] = &queue;
    }
};

TEST(PollTable, ACollectingTableHandsOverTheQueues) {
    PipeEnds pipe;
    QueueRecorder recorder;
    PollTable collecting(recorder);
    EXPECT_EQ(pipe.read_end->poll(&collecting), 0u);
    EXPECT_EQ(recorder.count, 1);
    EXPECT_FALSE(collecting.any_woken());
    EXPECT_FALSE(collecting.out_of_memory());
}

// The last reference's drop tells every watch, once, before the File goes.
struct CountingWatch {
    FileWatch watch;  // first: the callback finds the counter from it
    int calls = 0;
};

TEST(FileWatch, TheLastReferenceTellsEachWatchOnce) {
    PipeEnds pipe;
    CountingWatch first, second;
    auto count = [](FileWatch& watch) { ++reinterpret_cast<CountingWatch&>(watch).calls; };
    first.watch.file_closing = count;
    second.watch.file_closing = count;
    {
        InterruptGuard atomic;
        pipe.read_end->add_watch(first.watch);
        pipe.read_end->add_watch(second.watch);
    }
    FileRef copy = pipe.read_end;
    pipe.read_end.reset();
    EXPECT_EQ(first.calls, 0);  // a reference is left
    copy.reset();
    EXPECT_EQ(first.calls, 1);
    EXPECT_EQ(second.calls, 1);
    EXPECT_FALSE(first.watch.node.is_linked());
}

TEST(FileWatch, ARemovedWatchIsNotTold) {
    PipeEnds pipe;
    CountingWatch watch;
    watch.watch.file_closing = [](FileWatch& w) { ++reinterpret_cast<CountingWatch&>(w).calls; };
    {
        InterruptGuard atomic;
        pipe.write_end->add_watch(watch.watch);
        pipe.write_end->remove_watch(watch.watch);
        pipe.write_end->remove_watch(watch.watch);  // harmless twice
    }
    pipe.write_end.reset();
    EXPECT_EQ(watch.calls, 0);
}

}  // namespace
