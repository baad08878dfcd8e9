/*
 * tests/host/klib_containers_test.cpp — host unit tests for klib's containers
 * (kernel/lib): the intrusive list, the intrusive hash table and the ring buffer.
 * klib_test.cpp covers errno, Result/TRY, strings and formatting.
 */
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "kernel/lib/hash_table.h"
#include "kernel/lib/list.h"
#include "kernel/lib/ring_buffer.h"

namespace {

// ----------------------------------------------------------------------------- list

struct Task {
    int id = 0;
    klib::ListNode run_link;   // not the first member: the offset must be honoured
    klib::ListNode wait_link;
};

using RunQueue = klib::IntrusiveList<Task, &Task::run_link>;
using WaitQueue = klib::IntrusiveList<Task, &Task::wait_link>;

std::vector<int> ids_of(const RunQueue& list)
{
    std::vector<int> ids;
    for (const Task& task : list)
        ids.push_back(task.id);
    return ids;
}

TEST(List, EmptyListHasNothing)
{
    RunQueue list;
    EXPECT_TRUE(list.empty());
    EXPECT_EQ(list.size(), 0u);
    EXPECT_EQ(list.front(), nullptr);
    EXPECT_EQ(list.back(), nullptr);
    EXPECT_EQ(list.pop_front(), nullptr);
    EXPECT_TRUE(list.begin() == list.end());
}

TEST(List, KeepsInsertionOrder)
{
    Task tasks[5];
    RunQueue list;
    for (int i = 0; i < 5; ++i) {
        tasks[i].id = i;
        list.push_back(tasks[i]);
    }
    EXPECT_EQ(ids_of(list), (std::vector<int>{0, 1, 2, 3, 4}));
    EXPECT_EQ(list.size(), 5u);
    EXPECT_EQ(list.front()->id, 0);
    EXPECT_EQ(list.back()->id, 4);

    Task head;
    head.id = 9;
    list.push_front(head);
    Task middle;
    middle.id = 7;
    list.insert_before(tasks[2], middle);
    EXPECT_EQ(ids_of(list), (std::vector<int>{9, 0, 1, 7, 2, 3, 4}));
}

TEST(List, RemovingFromTheMiddleUnlinksOnlyThatElement)
{
    Task tasks[4];
    RunQueue list;
    for (int i = 0; i < 4; ++i) {
        tasks[i].id = i;
        list.push_back(tasks[i]);
    }
    list.remove(tasks[2]);
    EXPECT_FALSE(tasks[2].run_link.is_linked());
    EXPECT_EQ(ids_of(list), (std::vector<int>{0, 1, 3}));
    list.remove(tasks[0]);
    list.remove(tasks[3]);
    EXPECT_EQ(ids_of(list), (std::vector<int>{1}));
    EXPECT_EQ(list.pop_front()->id, 1);
    EXPECT_TRUE(list.empty());
}

TEST(List, CurrentElementMayBeRemovedWhileIterating)
{
    Task tasks[10];
    RunQueue list;
    for (int i = 0; i < 10; ++i) {
        tasks[i].id = i;
        list.push_back(tasks[i]);
    }
    for (Task& task : list) {
        if (task.id % 2 == 0)
            list.remove(task);
    }
    EXPECT_EQ(ids_of(list), (std::vector<int>{1, 3, 5, 7, 9}));
    for (Task& task : list)
        list.remove(task);
    EXPECT_TRUE(list.empty());
}

TEST(List, OneObjectCanBeOnTwoListsThroughTwoNodes)
{
    Task a;
    Task b;
    a.id = 1;
    b.id = 2;
    RunQueue run_queue;
    WaitQueue wait_queue;
    run_queue.push_back(a);
    run_queue.push_back(b);
    wait_queue.push_back(b);
    wait_queue.push_back(a);
    EXPECT_EQ(run_queue.front()->id, 1);
    EXPECT_EQ(wait_queue.front()->id, 2);
    run_queue.remove(a);
    EXPECT_EQ(wait_queue.size(), 2u);
    EXPECT_TRUE(a.wait_link.is_linked());
}

// Polymorphic elements (like Inode) have a vtable pointer in front of the node.
struct Polymorphic {
    virtual ~Polymorphic() = default;
    virtual int value() const { return 1; }
    klib::ListNode link;
};

struct Derived : Polymorphic {
    int value() const override { return 2; }
};

TEST(List, WorksForPolymorphicElements)
{
    Derived derived;
    klib::IntrusiveList<Polymorphic, &Polymorphic::link> list;
    list.push_back(derived);
    EXPECT_EQ(list.front()->value(), 2);
    EXPECT_EQ(list.front(), &derived);
}

TEST(ListDeathTest, PushingALinkedElementTraps)
{
    Task task;
    RunQueue list;
    list.push_back(task);
    EXPECT_DEATH(list.push_back(task), "");
    list.remove(task);
}

// ----------------------------------------------------------------------- hash table

struct Entry {
    klib::HashNode hash_link;
    uint32_t key;
    int removed_count = 0;
};

struct EntryHashTraits {
    using Key = uint32_t;
    static Key key_of(const Entry& entry) { return entry.key; }
    static uint32_t hash(const Key& key) { return klib::hash_u32(key); }
};

using EntryTable = klib::IntrusiveHashTable<Entry, &Entry::hash_link, EntryHashTraits>;

void expect_table_holds_everything(size_t bucket_count, size_t entry_count)
{
    std::vector<klib::HashNode*> buckets(bucket_count);
    std::vector<Entry> entries(entry_count);
    EntryTable table;
    table.init(buckets.data(), bucket_count);
    for (size_t i = 0; i < entry_count; ++i) {
        entries[i].key = static_cast<uint32_t>(i * 3 + 1);
        table.insert(entries[i]);
    }
    ASSERT_EQ(table.size(), entry_count);
    for (size_t i = 0; i < entry_count; ++i)
        ASSERT_EQ(table.find(static_cast<uint32_t>(i * 3 + 1)), &entries[i]);
    EXPECT_EQ(table.find(0), nullptr);

    std::vector<size_t> order(entry_count);
    for (size_t i = 0; i < entry_count; ++i)
        order[i] = i;
    std::shuffle(order.begin(), order.end(), std::mt19937(42));
    for (size_t n = 0; n < entry_count; ++n) {
        Entry& victim = entries[order[n]];
        ASSERT_TRUE(table.remove(victim));
        ASSERT_FALSE(table.remove(victim));
        ASSERT_EQ(table.find(victim.key), nullptr);
        if (n + 1 < entry_count) { // the others are still there
            ASSERT_EQ(table.find(entries[order[n + 1]].key), &entries[order[n + 1]]);
        }
    }
    EXPECT_EQ(table.size(), 0u);
}

TEST(HashTable, InsertsFindsAndRemovesTenThousandEntries) { expect_table_holds_everything(1024, 10000); }

TEST(HashTable, CollisionsInTinyBucketArraysAreResolved)
{
    expect_table_holds_everything(1, 200);
    expect_table_holds_everything(3, 500);
}

TEST(HashTable, ForEachVisitsEveryElementOnceAndAllowsRemovingIt)
{
    klib::HashNode* buckets[7];
    std::vector<Entry> entries(100);
    EntryTable table;
    table.init(buckets, 7);
    for (size_t i = 0; i < entries.size(); ++i) {
        entries[i].key = static_cast<uint32_t>(i);
        table.insert(entries[i]);
    }
    int visits = 0;
    table.for_each([&](Entry& entry) {
        ++visits;
        ++entry.removed_count;
        EXPECT_TRUE(table.remove(entry));
    });
    EXPECT_EQ(visits, 100);
    EXPECT_EQ(table.size(), 0u);
    for (const Entry& entry : entries)
        EXPECT_EQ(entry.removed_count, 1);
}

struct NamedEntry {
    klib::HashNode hash_link;
    const char* name;
};

struct NameHashTraits {
    using Key = const char*;
    static Key key_of(const NamedEntry& entry) { return entry.name; }
    static uint32_t hash(const Key& key) { return klib::hash_string(key); }
    static bool equal(const Key& left, const Key& right) { return strcmp(left, right) == 0; }
};

TEST(HashTable, CustomKeyEqualityIsUsedForStrings)
{
    klib::HashNode* buckets[16];
    klib::IntrusiveHashTable<NamedEntry, &NamedEntry::hash_link, NameHashTraits> table;
    table.init(buckets, 16);
    NamedEntry bin{{}, "bin"};
    NamedEntry etc{{}, "etc"};
    table.insert(bin);
    table.insert(etc);
    char lookup[] = "etc"; // a different pointer with the same characters
    EXPECT_EQ(table.find(lookup), &etc);
    EXPECT_EQ(table.find("mnt"), nullptr);
}

TEST(HashTable, HashFunctionsAreDeterministicAndSpread)
{
    static_assert(klib::hash_string("") == 0x811C9DC5u); // FNV-1a offset basis
    static_assert(klib::hash_string("a") == 0xE40C292Cu);
    EXPECT_NE(klib::hash_u64(1), klib::hash_u64(1ULL << 32));
    EXPECT_NE(klib::hash_combine(1, 2), klib::hash_combine(2, 1));

    int counts[64] = {};
    for (uint32_t value = 0; value < 64 * 1000; ++value)
        ++counts[klib::hash_u32(value) % 64];
    for (int count : counts) {
        EXPECT_GT(count, 800);
        EXPECT_LT(count, 1200);
    }
}

// ---------------------------------------------------------------------- ring buffer

TEST(RingBuffer, RefusesPushWhenFullAndPopWhenEmpty)
{
    klib::RingBuffer<int, 3> ring;
    int out = -1;
    EXPECT_TRUE(ring.empty());
    EXPECT_FALSE(ring.pop(out));
    EXPECT_FALSE(ring.peek(out));
    EXPECT_FALSE(ring.pop_back(out));
    EXPECT_EQ(ring.capacity(), 3u);
    EXPECT_TRUE(ring.push(1));
    EXPECT_TRUE(ring.push(2));
    EXPECT_TRUE(ring.push(3));
    EXPECT_TRUE(ring.full());
    EXPECT_FALSE(ring.push(4));
    EXPECT_EQ(ring.size(), 3u);
    EXPECT_TRUE(ring.pop(out));
    EXPECT_EQ(out, 1);
}

TEST(RingBuffer, KeepsFifoOrderAcrossManyWrapArounds)
{
    klib::RingBuffer<int, 5> ring; // not a power of two on purpose
    int next_in = 0;
    int next_out = 0;
    std::mt19937 random(3);
    for (int step = 0; step < 10000; ++step) {
        if (random() % 2 == 0) {
            if (ring.push(next_in))
                ++next_in;
            else
                EXPECT_EQ(ring.size(), 5u);
        } else {
            int out;
            int peeked;
            if (ring.peek(peeked)) {
                ASSERT_TRUE(ring.pop(out));
                ASSERT_EQ(out, peeked);
                ASSERT_EQ(out, next_out++);
            } else {
                EXPECT_TRUE(ring.empty());
            }
        }
        ASSERT_EQ(ring.size(), static_cast<size_t>(next_in - next_out));
    }
}

TEST(RingBuffer, PopBackRemovesTheNewestElementEvenAfterWrapping)
{
    klib::RingBuffer<char, 4> line;
    char c;
    for (char ch : {'x', 'y', 'z'})
        line.push(ch);
    line.pop(c);
    line.pop(c);           // head is now at slot 2
    line.push('a');        // slot 3
    line.push('b');        // wraps to slot 0
    ASSERT_TRUE(line.pop_back(c));
    EXPECT_EQ(c, 'b');
    ASSERT_TRUE(line.pop_back(c));
    EXPECT_EQ(c, 'a');
    ASSERT_TRUE(line.pop(c));
    EXPECT_EQ(c, 'z');
    EXPECT_TRUE(line.empty());
    line.push('q');
    line.clear();
    EXPECT_TRUE(line.empty());
    EXPECT_FALSE(line.pop(c));
}

TEST(RingBuffer, PeekAtReadsByAgeWithoutRemoving)
{
    klib::RingBuffer<int, 4> ring;
    for (int value : {1, 2, 3, 4})
        ring.push(value);
    int out;
    ring.pop(out);
    ring.push(5); // wraps
    for (size_t i = 0; i < 4; ++i) {
        ASSERT_TRUE(ring.peek_at(i, out));
        EXPECT_EQ(out, static_cast<int>(i) + 2);
    }
    EXPECT_FALSE(ring.peek_at(4, out));
    EXPECT_EQ(ring.size(), 4u);
}

TEST(RingBuffer, SingleSlotBufferAlternates)
{
    klib::RingBuffer<int, 1> ring;
    int out;
    for (int i = 0; i < 5; ++i) {
        EXPECT_TRUE(ring.push(i));
        EXPECT_FALSE(ring.push(i));
        EXPECT_TRUE(ring.pop(out));
        EXPECT_EQ(out, i);
    }
}

} // namespace
