// fs/vfs/pipe.cpp -- see pipe.h.
#include "fs/vfs/pipe.h"

#include "fs/vfs/file_mode.h"
#include "fs/vfs/open_flags.h"
#include "kernel/lib/string.h"

class Pipe {
public:
    // Both counts start at 1: one read end and one write end exist.
    uint32_t readers = 1, writers = 1;
    uint8_t bytes[PIPE_CAPACITY];
    size_t head = 0, count = 0;  // oldest byte at `head`
    WaitQueue readable, writable;
    uint32_t number = 0;  // fstat's st_ino

    size_t take(uint8_t* out, size_t size) {
        size_t n = size < count ? size : count;
        for (size_t i = 0; i < n; ++i) out[i] = bytes[(head + i) % PIPE_CAPACITY];
        head = (head + n) % PIPE_CAPACITY;
        count -= n;
        return n;
    }
    size_t put(const uint8_t* in, size_t size) {
        size_t n = PIPE_CAPACITY - count < size ? PIPE_CAPACITY - count : size;
        for (size_t i = 0; i < n; ++i) bytes[(head + count + i) % PIPE_CAPACITY] = in[i];
        count += n;
        return n;
    }
};

namespace {

// POSIX's PIPE_BUF as programs know it (limits.h: 4096 on Linux): the
// room poll() promises when it says POLLOUT.
constexpr size_t PIPE_BUF_FOR_POLL = 4096;

class PipeEnd final : public File {
public:
    PipeEnd(Pipe& pipe, uint32_t flags) : File(Path(), flags), pipe_(pipe) {}

    Result<size_t> read(void* buffer, size_t size) override {
        if (size == 0) return size_t(0);
        InterruptGuard atomic;
        while (pipe_.count == 0) {
            if (pipe_.writers == 0) return size_t(0);
            if (flags() & O_NONBLOCK) return Error(EAGAIN);
            if (WaitQueue::signal_pending()) return Error(EINTR);
            pipe_.readable.sleep();
        }
        size_t n = pipe_.take(static_cast<uint8_t*>(buffer), size);
        pipe_.writable.wake_all();
        return n;
    }

    Result<size_t> write(const void* buffer, size_t size) override {
        auto* bytes = static_cast<const uint8_t*>(buffer);
        InterruptGuard atomic;
        size_t done = 0;
        while (done < size) {
            if (pipe_.readers == 0) return done ? Result<size_t>(done) : Result<size_t>(Error(EPIPE));
            // A write that fits waits for room for all of it: no interleaving.
            size_t room = PIPE_CAPACITY - pipe_.count;
            bool must_wait = room == 0 || (size - done <= PIPE_CAPACITY && room < size - done);
            if (must_wait) {
                if (flags() & O_NONBLOCK) return done ? Result<size_t>(done) : Result<size_t>(Error(EAGAIN));
                if (WaitQueue::signal_pending()) return done ? Result<size_t>(done) : Result<size_t>(Error(EINTR));
                pipe_.writable.sleep();
                continue;
            }
            done += pipe_.put(bytes + done, size - done);
            pipe_.readable.wake_all();
        }
        return done;
    }

    // Linux's pipe_poll: readable with data, POLLHUP without writers;
    // POLLOUT when a write of PIPE_BUF_FOR_POLL bytes would not wait,
    // POLLERR without readers.
    uint32_t poll(PollTable* table) override {
        using namespace poll_events;
        InterruptGuard atomic;
        uint32_t events = 0;
        if (can_read()) {
            poll_wait(table, pipe_.readable);
            if (pipe_.count > 0) events |= IN | READ_NORMAL;
            if (pipe_.writers == 0) events |= HUP;
        } else {
            poll_wait(table, pipe_.writable);
            if (PIPE_CAPACITY - pipe_.count >= PIPE_BUF_FOR_POLL) events |= OUT | WRITE_NORMAL;
            if (pipe_.readers == 0) events |= ERR;
        }
        return events;
    }

    Result<size_t> read_at(uint64_t, void*, size_t) override { return Error(ESPIPE); }
    Result<size_t> write_at(uint64_t, const void*, size_t) override { return Error(ESPIPE); }
    Result<uint64_t> seek(int64_t, int) override { return Error(ESPIPE); }

protected:
    void release() override {
        bool last;
        {
            InterruptGuard atomic;
            if (can_read()) --pipe_.readers;
            else --pipe_.writers;
            last = pipe_.readers == 0 && pipe_.writers == 0;
            pipe_.readable.wake_all();
            pipe_.writable.wake_all();
        }
        if (last) delete &pipe_;
    }

    // Like Linux's pipefs: a FIFO with owner read/write permission, its
    // inode number shared by both ends, no size.
    Result<void> status(linux_abi::stat64* out) override {
        klib::memset(out, 0, sizeof(*out));
        out->st_mode = S_IFIFO | 0600;
        out->st_nlink = 1;
        out->st_ino = out->__st_ino = pipe_.number;
        out->st_blksize = PIPE_CAPACITY;
        return {};
    }

private:
    Pipe& pipe_;
};

}  // namespace

Result<void> create_pipe(FileRef& read_end, FileRef& write_end, uint32_t flags) {
    auto* pipe = new (std::nothrow) Pipe;
    if (!pipe) return Error(ENOMEM);
    static uint32_t pipes_made = 0;
    {
        InterruptGuard atomic;
        pipe->number = ++pipes_made;
    }
    uint32_t extra = flags & O_NONBLOCK;
    auto* reader = new (std::nothrow) PipeEnd(*pipe, O_RDONLY | extra);
    auto* writer = reader ? new (std::nothrow) PipeEnd(*pipe, O_WRONLY | extra) : nullptr;
    if (!writer) {
        delete reader;
        delete pipe;
        return Error(ENOMEM);
    }
    read_end = FileRef::adopt(reader);
    write_end = FileRef::adopt(writer);
    return {};
}
