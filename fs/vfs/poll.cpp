// fs/vfs/poll.cpp -- see poll.h. The entries live in small blocks from
// kmalloc, one block per POLL_ENTRIES_PER_BLOCK queues, chained from the table.
// The wait queue (kernel/sched/wait_queue.h, or the host tests' stand-in)
// links and wakes them; this file only keeps them.
#include "fs/vfs/poll.h"

#include "kernel/platform.h"

namespace {
constexpr int POLL_ENTRIES_PER_BLOCK = 16;
}

struct PollEntryBlock {
    WaitEntry entries[POLL_ENTRIES_PER_BLOCK];
    WaitQueue* queues[POLL_ENTRIES_PER_BLOCK] = {};
    int used = 0;
    PollEntryBlock* next = nullptr;
};

void poll_wait(PollTable* table, WaitQueue& queue) {
    if (table) table->add(queue);
}

void PollTable::add(WaitQueue& queue) {
    if (collector_) {
        collector_->collect(queue);
        return;
    }
    InterruptGuard atomic;
    if (!blocks_ || blocks_->used == POLL_ENTRIES_PER_BLOCK) {
        void* memory = kmalloc(sizeof(PollEntryBlock));
        if (!memory) {
            out_of_memory_ = true;
            return;
        }
        auto* block = new (memory) PollEntryBlock;
        block->next = blocks_;
        blocks_ = block;
    }
    int slot = blocks_->used++;
    blocks_->queues[slot] = &queue;
    queue.add_entry(blocks_->entries[slot]);
}

void PollTable::detach_all() {
    while (PollEntryBlock* block = blocks_) {
        {
            InterruptGuard atomic;
            for (int i = 0; i < block->used; ++i) block->queues[i]->remove_entry(block->entries[i]);
        }
        blocks_ = block->next;
        block->~PollEntryBlock();
        kfree(block);
    }
}

bool PollTable::any_woken() const {
    for (PollEntryBlock* block = blocks_; block; block = block->next) {
        for (int i = 0; i < block->used; ++i) {
            if (block->entries[i].woken) return true;
        }
    }
    return false;
}

bool PollTable::sleep_until(uint64_t deadline_ms) {
    InterruptGuard atomic;
    auto check = [](void* table) { return static_cast<PollTable*>(table)->any_woken(); };
    return WaitQueue::sleep_on_entries(check, this, deadline_ms);
}
