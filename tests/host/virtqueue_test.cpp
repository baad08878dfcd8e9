// tests/host/virtqueue_test.cpp -- the split virtqueue against a fake device.
//
// What is tested: the legacy layout (sizes and where each ring lies), that a
// chain reaches the device with its buffers, flags and links as added, the
// free descriptor list (taken by add_chain, given back by harvest, never
// handed out twice), completions out of order, the 16-bit indices wrapping,
// the device's "no notify" flag, a device that returns a head it does
// not own, and a chain as long as the ring (seg_max pieces) holding back the
// next one until it returns. FakeDevice plays the other side through the ring memory only, as
// a real device does.
#include <gtest/gtest.h>

#include <cstdlib>
#include <set>
#include <vector>

#include "drivers/virtio/virtqueue.h"

using virtio::SplitVirtqueue;
using virtio::VirtqueueBuffer;

namespace {

struct RingMemory {
    explicit RingMemory(uint16_t size)
        : bytes(SplitVirtqueue::legacy_ring_bytes(size)),
          memory(std::aligned_alloc(SplitVirtqueue::LEGACY_ALIGNMENT, bytes)) {}
    ~RingMemory() { std::free(memory); }
    size_t bytes;
    void* memory;
};

// The device's side: takes chains from the available ring and puts heads
// into the used ring, in whatever order a test asks for.
class FakeDevice {
public:
    explicit FakeDevice(SplitVirtqueue& queue) : queue_(queue) {}

    // Every chain made available since the last call, as lists of buffers.
    std::vector<std::pair<uint16_t, std::vector<VirtqueueBuffer>>> take_available() {
        std::vector<std::pair<uint16_t, std::vector<VirtqueueBuffer>>> chains;
        uint16_t available = __atomic_load_n(queue_.available_index(), __ATOMIC_ACQUIRE);
        while (seen_ != available) {
            uint16_t head = queue_.available_ring()[seen_ % queue_.size()];
            ++seen_;
            std::vector<VirtqueueBuffer> buffers;
            uint16_t index = head;
            for (;;) {
                const virtio::VirtqueueDescriptor& d = queue_.descriptors()[index];
                buffers.push_back({d.address, d.length, (d.flags & virtio::DESCRIPTOR_F_WRITE) != 0});
                if (!(d.flags & virtio::DESCRIPTOR_F_NEXT)) break;
                index = d.next;
                EXPECT_LE(buffers.size(), queue_.size()) << "a chain that loops";
            }
            chains.push_back({head, buffers});
        }
        return chains;
    }

    void use(uint16_t head, uint32_t written) {
        uint16_t used = *queue_.used_index();
        queue_.used_ring()[used % queue_.size()] = {head, written};
        __atomic_store_n(queue_.used_index(), uint16_t(used + 1), __ATOMIC_RELEASE);
    }

private:
    SplitVirtqueue& queue_;
    uint16_t seen_ = 0;
};

SplitVirtqueue* make_queue(RingMemory& ring, uint16_t size) {
    auto created = SplitVirtqueue::create(size, ring.memory);
    EXPECT_FALSE(created.is_error());
    return created.value();
}

std::vector<VirtqueueBuffer> request_chain(uint64_t base, uint16_t data_buffers) {
    std::vector<VirtqueueBuffer> chain{{base, 16, false}};
    for (uint16_t i = 0; i < data_buffers; ++i) chain.push_back({base + 0x1000 * (i + 1), 512u * (i + 1), true});
    chain.push_back({base + 16, 1, true});
    return chain;
}

int tokens[1024];

}  // namespace

TEST(VirtqueueLayout, LegacySizesAndOffsetsFollowTheSpecification) {
    // 256 entries: 4096 of descriptors + 518 of available ring -> 8192,
    // then 6 + 8 * 256 = 2054 of used ring -> 4096.
    EXPECT_EQ(SplitVirtqueue::legacy_ring_bytes(256), 12288u);
    EXPECT_EQ(SplitVirtqueue::legacy_ring_bytes(128), 8192u);
    EXPECT_EQ(SplitVirtqueue::legacy_ring_bytes(8), 8192u);
    RingMemory ring(256);
    SplitVirtqueue* queue = make_queue(ring, 256);
    auto* base = static_cast<uint8_t*>(ring.memory);
    EXPECT_EQ(reinterpret_cast<uint8_t*>(queue->available_flags()), base + 4096);
    EXPECT_EQ(reinterpret_cast<uint8_t*>(queue->used_flags()), base + 8192);
    EXPECT_EQ(reinterpret_cast<uint8_t*>(queue->used_ring()), base + 8196);
    EXPECT_EQ(queue->free_count(), 256);
    delete queue;
}

TEST(VirtqueueLayout, RejectsSizesThatAreNotPowersOfTwoAndUnalignedMemory) {
    RingMemory ring(256);
    EXPECT_EQ(SplitVirtqueue::create(0, ring.memory).error(), EINVAL);
    EXPECT_EQ(SplitVirtqueue::create(100, ring.memory).error(), EINVAL);
    EXPECT_EQ(SplitVirtqueue::create(64, static_cast<uint8_t*>(ring.memory) + 16).error(), EINVAL);
}

TEST(Virtqueue, TheDeviceSeesEachChainAsAdded) {
    RingMemory ring(16);
    SplitVirtqueue* queue = make_queue(ring, 16);
    FakeDevice device(*queue);
    auto first = request_chain(0x100000, 2);
    auto second = request_chain(0x200000, 1);
    ASSERT_TRUE(queue->add_chain(first.data(), uint16_t(first.size()), &tokens[0]));
    ASSERT_TRUE(queue->add_chain(second.data(), uint16_t(second.size()), &tokens[1]));
    EXPECT_EQ(queue->free_count(), 16 - 4 - 3);

    auto chains = device.take_available();
    ASSERT_EQ(chains.size(), 2u);
    for (size_t c = 0; c < 2; ++c) {
        const auto& expected = c == 0 ? first : second;
        ASSERT_EQ(chains[c].second.size(), expected.size());
        for (size_t i = 0; i < expected.size(); ++i) {
            EXPECT_EQ(chains[c].second[i].physical_address, expected[i].physical_address);
            EXPECT_EQ(chains[c].second[i].length, expected[i].length);
            EXPECT_EQ(chains[c].second[i].device_writes, expected[i].device_writes);
        }
    }
    EXPECT_NE(chains[0].first, chains[1].first);
    delete queue;
}

TEST(Virtqueue, AChainThatDoesNotFitChangesNothing) {
    RingMemory ring(8);
    SplitVirtqueue* queue = make_queue(ring, 8);
    auto big = request_chain(0x100000, 5);  // 7 descriptors
    ASSERT_TRUE(queue->add_chain(big.data(), 7, &tokens[0]));
    auto small = request_chain(0x200000, 0);  // 2 descriptors, 1 free
    EXPECT_FALSE(queue->add_chain(small.data(), 2, &tokens[1]));
    EXPECT_FALSE(queue->add_chain(small.data(), 0, &tokens[1]));
    EXPECT_EQ(queue->free_count(), 1);
    EXPECT_EQ(*queue->available_index(), 1);
    FakeDevice device(*queue);
    auto chains = device.take_available();
    ASSERT_EQ(chains.size(), 1u);
    device.use(chains[0].first, 0);
    void* token;
    uint32_t written;
    ASSERT_TRUE(queue->harvest(&token, &written));
    EXPECT_EQ(queue->free_count(), 8);
    EXPECT_TRUE(queue->add_chain(small.data(), 2, &tokens[1]));
    delete queue;
}

TEST(Virtqueue, CompletionsOutOfOrderReturnTheirOwnTokensAndDescriptors) {
    RingMemory ring(32);
    SplitVirtqueue* queue = make_queue(ring, 32);
    FakeDevice device(*queue);
    for (int i = 0; i < 6; ++i) {
        auto chain = request_chain(0x100000 * (i + 1), uint16_t(i % 3));
        ASSERT_TRUE(queue->add_chain(chain.data(), uint16_t(chain.size()), &tokens[i]));
    }
    auto chains = device.take_available();
    ASSERT_EQ(chains.size(), 6u);
    // The device finishes them in the order 4, 1, 5, 0, 3, 2.
    const int order[] = {4, 1, 5, 0, 3, 2};
    for (int i : order) device.use(chains[i].first, 100 + i);
    for (int i : order) {
        void* token = nullptr;
        uint32_t written = 0;
        ASSERT_TRUE(queue->harvest(&token, &written));
        EXPECT_EQ(token, &tokens[i]);
        EXPECT_EQ(written, uint32_t(100 + i));
    }
    void* token;
    uint32_t written;
    EXPECT_FALSE(queue->harvest(&token, &written));
    EXPECT_EQ(queue->free_count(), 32);
    delete queue;
}

TEST(Virtqueue, IndicesWrapAndNoDescriptorIsEverInTwoChains) {
    RingMemory ring(16);
    SplitVirtqueue* queue = make_queue(ring, 16);
    FakeDevice device(*queue);
    // 70000 chains: both 16-bit indices wrap. At most three chains of
    // varying length are in flight; the device checks that the chains it
    // holds never share a descriptor.
    std::vector<std::pair<uint16_t, std::vector<uint16_t>>> in_flight;
    for (int round = 0; round < 70000; ++round) {
        auto chain = request_chain(0x1000 * round, uint16_t(round % 4));
        ASSERT_TRUE(queue->add_chain(chain.data(), uint16_t(chain.size()), &tokens[round % 1024]));
        for (auto& [head, buffers] : device.take_available()) {
            std::vector<uint16_t> indices{head};
            for (uint16_t i = head; queue->descriptors()[i].flags & virtio::DESCRIPTOR_F_NEXT;) {
                i = queue->descriptors()[i].next;
                indices.push_back(i);
            }
            in_flight.push_back({head, indices});
        }
        std::set<uint16_t> owned;
        for (auto& [head, indices] : in_flight) {
            for (uint16_t i : indices) ASSERT_TRUE(owned.insert(i).second) << "descriptor " << i << " twice";
        }
        if (in_flight.size() == 3) {
            // Complete the middle one first, then the oldest.
            for (size_t pick : {size_t(1), size_t(0)}) {
                device.use(in_flight[pick].first, 1);
                void* token;
                uint32_t written;
                ASSERT_TRUE(queue->harvest(&token, &written));
                in_flight.erase(in_flight.begin() + long(pick));
            }
        }
    }
    EXPECT_NE(*queue->available_index(), 0);
    delete queue;
}

TEST(Virtqueue, NotificationFollowsTheDevicesFlag) {
    RingMemory ring(8);
    SplitVirtqueue* queue = make_queue(ring, 8);
    auto chain = request_chain(0x100000, 0);
    ASSERT_TRUE(queue->add_chain(chain.data(), 2, &tokens[0]));
    EXPECT_TRUE(queue->notification_needed());
    *queue->used_flags() = virtio::USED_F_NO_NOTIFY;
    EXPECT_FALSE(queue->notification_needed());
    delete queue;
}

TEST(Virtqueue, AHeadTheDeviceDoesNotOwnIsSkipped) {
    RingMemory ring(8);
    SplitVirtqueue* queue = make_queue(ring, 8);
    FakeDevice device(*queue);
    auto chain = request_chain(0x100000, 1);
    ASSERT_TRUE(queue->add_chain(chain.data(), 3, &tokens[7]));
    auto chains = device.take_available();
    device.use(7, 0);                // never offered
    device.use(200, 0);              // not even a descriptor
    device.use(chains[0].first, 9);  // the real one
    device.use(chains[0].first, 9);  // returned twice
    void* token;
    uint32_t written;
    ASSERT_TRUE(queue->harvest(&token, &written));
    EXPECT_EQ(token, &tokens[7]);
    EXPECT_FALSE(queue->harvest(&token, &written));
    EXPECT_EQ(queue->free_count(), 8);
    delete queue;
}

// A 1 MiB read of scattered pages as QEMU's virtio-blk takes it: seg_max 254
// data pieces plus header and status fill a ring of 256 exactly. A second
// request then finds no descriptors (the driver keeps it waiting) until the
// device returns the first chain.
TEST(Virtqueue, ASegMaxChainFillsTheRingAndTheNextWaitsForItsReturn) {
    RingMemory ring(256);
    SplitVirtqueue* queue = make_queue(ring, 256);
    FakeDevice device(*queue);
    std::vector<VirtqueueBuffer> large{{0x1000, 16, false}};
    for (uint32_t i = 0; i < 254; ++i) large.push_back({0x400000 + 0x2000 * i, 4096, true});
    large.push_back({0x1010, 1, true});
    ASSERT_EQ(large.size(), 256u);
    ASSERT_TRUE(queue->add_chain(large.data(), uint16_t(large.size()), &tokens[0]));
    EXPECT_EQ(queue->free_count(), 0);

    auto small = request_chain(0x800000, 1);
    EXPECT_FALSE(queue->add_chain(small.data(), uint16_t(small.size()), &tokens[1]));  // back-pressure
    EXPECT_EQ(queue->free_count(), 0);

    auto chains = device.take_available();
    ASSERT_EQ(chains.size(), 1u);
    ASSERT_EQ(chains[0].second.size(), 256u);
    for (size_t i = 0; i < large.size(); ++i) {
        EXPECT_EQ(chains[0].second[i].physical_address, large[i].physical_address) << i;
        EXPECT_EQ(chains[0].second[i].length, large[i].length) << i;
        EXPECT_EQ(chains[0].second[i].device_writes, large[i].device_writes) << i;
    }
    void* token = nullptr;
    uint32_t written = 0;
    EXPECT_FALSE(queue->harvest(&token, &written));
    device.use(chains[0].first, 254 * 4096 + 1);
    ASSERT_TRUE(queue->harvest(&token, &written));
    EXPECT_EQ(token, &tokens[0]);
    EXPECT_EQ(written, 254u * 4096 + 1);
    EXPECT_EQ(queue->free_count(), 256);
    EXPECT_TRUE(queue->add_chain(small.data(), uint16_t(small.size()), &tokens[1]));
    EXPECT_EQ(queue->free_count(), 256 - 3);
    delete queue;
}
