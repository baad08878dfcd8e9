// fs/event/epoll.cpp -- see epoll.h.
//
// An edge-triggered item's own entries on its file's queues belong to no
// waiting thread: a wake must only mark them (WaitEntry::woken), never
// wake someone. They name the idle thread, which never blocks, so the
// scheduler's wake() of it does nothing (scheduler.h).
#include "fs/event/epoll.h"

#include "fs/event/anonymous_file.h"
#include "kernel/lib/list.h"
#include "kernel/lib/string.h"
#include "kernel/sched/scheduler.h"

using namespace epoll_abi;

namespace {

constexpr int EDGE_QUEUES = 4;  // queues an edge-triggered item watches (sockets name two)
constexpr int MAX_NESTING = 4;  // Linux's EP_MAX_NESTS

class EpollFile;

struct EpollItem {
    FileWatch watch;  // first: on_file_closing finds the item from it
    klib::ListNode item_node;
    klib::ListNode ready_node;
    EpollFile* owner = nullptr;
    File* file = nullptr;
    int fd = -1;
    uint32_t events = 0;  // wanted, with ERR|HUP and the private bits
    uint64_t data = 0;
    // Edge-triggered: entries of the item's own, marked by the file's wakes.
    WaitEntry edge_entries[EDGE_QUEUES];
    WaitQueue* edge_queues[EDGE_QUEUES] = {};
    int edge_count = 0;

    bool edge_triggered() const { return events & EPOLLET; }
    bool disabled() const { return (events & ~PRIVATE_BITS) == 0; }
};

Thread* find_idle_thread() {
    static Thread* idle = nullptr;
    if (!idle) {
        scheduler::for_each_thread(
            [](const Thread& thread, void*) {
                if (!idle && klib::strcmp(thread.name, "idle") == 0) idle = const_cast<Thread*>(&thread);
            },
            nullptr);
    }
    return idle;
}

// Puts an item's edge entries on the queues its file's poll names.
class EdgeCollector final : public PollQueueCollector {
public:
    explicit EdgeCollector(EpollItem& item) : item_(item) {}
    void collect(WaitQueue& queue) override {
        for (int i = 0; i < item_.edge_count; ++i) {
            if (item_.edge_queues[i] == &queue) return;
        }
        if (item_.edge_count == EDGE_QUEUES) return;
        int slot = item_.edge_count++;
        item_.edge_queues[slot] = &queue;
        queue.add_entry(item_.edge_entries[slot]);
        item_.edge_entries[slot].thread = find_idle_thread();
    }

private:
    EpollItem& item_;
};

void detach_edges(EpollItem& item) {
    for (int i = 0; i < item.edge_count; ++i) item.edge_queues[i]->remove_entry(item.edge_entries[i]);
    item.edge_count = 0;
}

// Interrupts off.
void arm_edges(EpollItem& item) {
    detach_edges(item);
    EdgeCollector collector(item);
    PollTable collecting(collector);
    (void)item.file->poll(&collecting);
}

bool edge_woken(const EpollItem& item) {
    for (int i = 0; i < item.edge_count; ++i) {
        if (item.edge_entries[i].woken) return true;
    }
    return false;
}

// Files without a poll of their own in Linux: epoll_ctl refuses them.
bool can_poll(File& file) {
    Inode* inode = file.inode();
    return !inode || !(inode->is_regular_file() || inode->is_directory());
}

class EpollFile final : public AnonymousFile {
public:
    explicit EpollFile(uint32_t flags) : AnonymousFile(flags) {}

    FileKind kind() const override { return FileKind::EventPoll; }

    Result<void> control(uint32_t operation, int fd, File& target, const EpollEvent& event);
    int collect_ready(EpollEvent* out, int capacity, PollTable* table);

    // Readable when an item is ready now (an epoll watched by poll or by another epoll).
    uint32_t poll(PollTable* table) override {
        InterruptGuard atomic;
        for (EpollItem& item : items_) {
            if (!item.disabled() && (item.file->poll(table) & item.events)) {
                return poll_events::IN | poll_events::READ_NORMAL;
            }
        }
        return 0;
    }

    Result<size_t> read(void*, size_t) override { return Error(EINVAL); }
    Result<size_t> write(const void*, size_t) override { return Error(EINVAL); }

    // The watched file's last reference went: forget its item.
    static void on_file_closing(FileWatch& watch) {
        auto& item = reinterpret_cast<EpollItem&>(watch);
        item.owner->forget(item);
    }

protected:
    void release() override {
        InterruptGuard atomic;
        while (EpollItem* item = items_.front()) {
            item->file->remove_watch(item->watch);
            forget(*item);
        }
    }

private:
    EpollItem* find(File& file, int fd) {
        for (EpollItem& item : items_) {
            if (item.file == &file && item.fd == fd) return &item;
        }
        return nullptr;
    }
    bool reaches(const EpollFile& goal, int depth) const;
    void make_ready_if_so(EpollItem& item) {
        if (!item.disabled() && !item.ready_node.is_linked() && (item.file->poll(nullptr) & item.events)) {
            ready_.push_back(item);
        }
    }
    // Interrupts off; the item's watch is off its file already.
    void forget(EpollItem& item) {
        detach_edges(item);
        items_.remove(item);
        if (item.ready_node.is_linked()) ready_.remove(item);
        delete &item;
    }

    klib::IntrusiveList<EpollItem, &EpollItem::item_node> items_;    // InterruptGuard
    klib::IntrusiveList<EpollItem, &EpollItem::ready_node> ready_;  // InterruptGuard
};

// Does an epoll reachable from this one (this one included) lead to `goal`?
// Too deep a nesting counts as a loop, as Linux's ELOOP does.
bool EpollFile::reaches(const EpollFile& goal, int depth) const {
    if (this == &goal || depth > MAX_NESTING) return true;
    for (const EpollItem& item : const_cast<EpollFile*>(this)->items_) {
        if (item.file->kind() == FileKind::EventPoll &&
            static_cast<const EpollFile*>(item.file)->reaches(goal, depth + 1)) {
            return true;
        }
    }
    return false;
}

Result<void> EpollFile::control(uint32_t operation, int fd, File& target, const EpollEvent& event) {
    if (&target == this) return Error(EINVAL);
    uint32_t wanted = event.events | poll_events::ERR | poll_events::HUP;
    if ((wanted & EPOLLEXCLUSIVE) && (operation == EPOLL_CTL_MOD || (wanted & EPOLLONESHOT))) return Error(EINVAL);
    InterruptGuard atomic;
    if (operation == EPOLL_CTL_ADD && target.kind() == FileKind::EventPoll &&
        static_cast<EpollFile&>(target).reaches(*this, 1)) {
        return Error(ELOOP);
    }
    EpollItem* item = find(target, fd);
    switch (operation) {
        case EPOLL_CTL_ADD: {
            if (item) return Error(EEXIST);
            item = new (std::nothrow) EpollItem;
            if (!item) return Error(ENOMEM);
            item->owner = this, item->file = &target, item->fd = fd;
            item->events = wanted, item->data = event.data;
            item->watch.file_closing = on_file_closing;
            target.add_watch(item->watch);
            items_.push_back(*item);
            break;
        }
        case EPOLL_CTL_MOD:
            if (!item) return Error(ENOENT);
            if (item->events & EPOLLEXCLUSIVE) return Error(EINVAL);
            item->events = wanted, item->data = event.data;
            if (item->ready_node.is_linked()) ready_.remove(*item);
            break;
        case EPOLL_CTL_DEL:
            if (!item) return Error(ENOENT);
            target.remove_watch(item->watch);
            forget(*item);
            return {};
        default: return Error(EINVAL);
    }
    if (item->edge_triggered()) arm_edges(*item);
    else detach_edges(*item);
    make_ready_if_so(*item);
    return {};
}

// One look at every item (interrupts off): what became ready joins the
// ready list; then ready items are reported from its front.
int EpollFile::collect_ready(EpollEvent* out, int capacity, PollTable* table) {
    for (EpollItem& item : items_) {
        uint32_t now = item.file->poll(table);  // the waiter's entries, too
        if (item.disabled()) continue;
        if (item.edge_triggered()) {
            if (!edge_woken(item)) continue;
            arm_edges(item);  // the next edge counts from here
        }
        if (!item.ready_node.is_linked() && (now & item.events)) ready_.push_back(item);
    }
    klib::IntrusiveList<EpollItem, &EpollItem::ready_node> again;
    int count = 0;
    while (count < capacity) {
        EpollItem* item = ready_.pop_front();
        if (!item) break;
        uint32_t events = item->file->poll(nullptr) & item->events;
        if (!events) continue;
        out[count].events = events & ~PRIVATE_BITS;
        out[count].data = item->data;
        ++count;
        if (item->events & EPOLLONESHOT) item->events &= PRIVATE_BITS;
        else if (!item->edge_triggered()) again.push_back(*item);
    }
    while (EpollItem* item = again.pop_front()) ready_.push_back(*item);
    return count;
}

}  // namespace

Result<FileRef> create_epoll(uint32_t flags) {
    File* file = new (std::nothrow) EpollFile(flags & O_NONBLOCK);
    if (!file) return Error(ENOMEM);
    return FileRef::adopt(file);
}

Result<void> epoll_control(File& epoll, uint32_t operation, int fd, File& target, const EpollEvent& event) {
    if (!can_poll(target)) return Error(EPERM);  // before EINVAL, as Linux checks
    if (epoll.kind() != FileKind::EventPoll) return Error(EINVAL);
    return static_cast<EpollFile&>(epoll).control(operation, fd, target, event);
}

Result<int> epoll_wait_for_events(File& epoll, EpollEvent* events, int capacity, uint64_t deadline_ms) {
    if (epoll.kind() != FileKind::EventPoll) return Error(EINVAL);
    auto& set = static_cast<EpollFile&>(epoll);
    for (;;) {
        PollTable table;
        int count;
        {
            InterruptGuard atomic;
            count = set.collect_ready(events, capacity, &table);
        }
        if (count) return count;
        if (table.out_of_memory()) return Error(ENOMEM);
        if (deadline_ms != UINT64_MAX && WaitQueue::now_ms() >= deadline_ms) return 0;
        if (WaitQueue::signal_pending()) return Error(EINTR);
        table.sleep_until(deadline_ms);
    }
}
