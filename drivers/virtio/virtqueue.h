// drivers/virtio/virtqueue.h -- a split virtqueue, the ring a driver and a
// virtio device share.
//
// Layer: device drivers (virtio transport, the generic part). A virtqueue is
// how every virtio device moves buffers: the driver writes chains of
// descriptors (physical address, length, "device writes here") into a table,
// offers each chain's first descriptor (its head) in the available ring, and
// notifies the device; the device consumes the chain and returns the head
// (and how many bytes it wrote) in the used ring, then interrupts.
// (Virtio 1.x, 2.6 "Split Virtqueues"; Linux: drivers/virtio/virtio_ring.c.)
//
// Legacy memory layout (2.6.2 "Legacy Interfaces: A Note on Virtqueue
// Layout"): one physically contiguous, 4096-aligned block whose page number
// the driver writes to the queue-address register:
//
//   offset 0                descriptor table: size x 16 bytes
//   then                    available ring: flags, idx, ring[size], used_event
//   aligned up to 4096      used ring: flags, idx, ring[size] of {id, len},
//                           avail_event
//
// The queue size (a power of two, at most 32768) comes from the device; a
// legacy driver cannot choose it.
//
// This class is only the data structure: it knows no device, no registers
// and no virtual-to-physical translation (the caller passes physical
// addresses and kicks the device when notification_needed() says so). So
// it builds on the host too, where a unit test plays the device.
//
// What must stay true:
//   - a descriptor is either on the free list (threaded through the `next`
//     fields) or in exactly one chain the device owns; free_count() counts
//     the free list;
//   - every chain offered is harvested exactly once, returning the token it
//     was added with;
//   - the device sees a chain's descriptors and ring entry before the new
//     available index (release ordering), and the driver reads a used
//     entry only after the used index that covers it (acquire ordering).
// Locking: none inside. The owner serialises every call (the block driver
// masks interrupts, since harvest() runs in its interrupt handler).
#pragma once

#include <cstddef>
#include <cstdint>

#include "kernel/platform.h"

namespace virtio {

// The in-memory structures, as the specification lays them out (little
// endian, which is the CPU's own order here).
struct VirtqueueDescriptor {
    uint64_t address;  // physical
    uint32_t length;
    uint16_t flags;
    uint16_t next;  // the following descriptor when flags has NEXT
};
static_assert(sizeof(VirtqueueDescriptor) == 16);

constexpr uint16_t DESCRIPTOR_F_NEXT = 1;   // the chain goes on at `next`
constexpr uint16_t DESCRIPTOR_F_WRITE = 2;  // the device writes this buffer
constexpr uint16_t USED_F_NO_NOTIFY = 1;    // device: "no need to kick me now"

struct VirtqueueUsedElement {
    uint32_t id;      // head of the chain that was used
    uint32_t length;  // bytes the device wrote into the chain
};

// One buffer of a chain, as the caller describes it.
struct VirtqueueBuffer {
    uint64_t physical_address;
    uint32_t length;
    bool device_writes;  // true for buffers the device fills (read data, status)
};

class SplitVirtqueue {
public:
    static constexpr uint32_t LEGACY_ALIGNMENT = 4096;
    static constexpr uint16_t MAX_SIZE = 32768;

    // Bytes of ring memory a queue of `size` entries needs in the legacy layout.
    static size_t legacy_ring_bytes(uint16_t size);
    static bool is_valid_size(uint16_t size) { return size != 0 && size <= MAX_SIZE && (size & (size - 1)) == 0; }

    // `ring_memory`: legacy_ring_bytes(size) bytes, 4096-aligned, owned by
    // the caller and kept alive (and mapped) for the queue's life. It is
    // cleared here. EINVAL for a bad size, ENOMEM when the bookkeeping
    // cannot be allocated.
    static Result<SplitVirtqueue*> create(uint16_t size, void* ring_memory);
    ~SplitVirtqueue();
    SplitVirtqueue(const SplitVirtqueue&) = delete;
    SplitVirtqueue& operator=(const SplitVirtqueue&) = delete;

    uint16_t size() const { return size_; }
    uint16_t free_count() const { return free_count_; }

    // Puts `count` buffers into one chain and offers it to the device,
    // remembering `token` (not null) for harvest(). False, and nothing
    // changes, when fewer than `count` descriptors are free or count is 0.
    bool add_chain(const VirtqueueBuffer* buffers, uint16_t count, void* token);

    // After add_chain: whether the device asked to be notified (a legacy
    // device clears USED_F_NO_NOTIFY when it wants a kick).
    bool notification_needed() const;

    // Takes the next chain the device has used, frees its descriptors and
    // returns its token and the bytes the device wrote; false when the
    // device has returned nothing new.
    bool harvest(void** token, uint32_t* written_bytes);
    bool has_used() const;

    // The structures themselves, for the device side of a unit test and
    // for gdb.
    VirtqueueDescriptor* descriptors() const { return descriptors_; }
    uint16_t* available_flags() const { return available_; }
    uint16_t* available_index() const { return available_ + 1; }
    uint16_t* available_ring() const { return available_ + 2; }
    uint16_t* used_flags() const { return reinterpret_cast<uint16_t*>(used_); }
    uint16_t* used_index() const { return reinterpret_cast<uint16_t*>(used_) + 1; }
    VirtqueueUsedElement* used_ring() const { return reinterpret_cast<VirtqueueUsedElement*>(used_ + 4); }

private:
    SplitVirtqueue(uint16_t size, void* ring_memory, void** tokens);
    void free_chain(uint16_t head);

    uint16_t size_;
    VirtqueueDescriptor* descriptors_;
    uint16_t* available_;  // flags, idx, ring[size], used_event
    uint8_t* used_;        // flags, idx, ring[size] {id, len}, avail_event
    void** tokens_;        // per head descriptor: what add_chain was given
    uint16_t free_head_ = 0;
    uint16_t free_count_;
    uint16_t next_available_ = 0;  // our copy of the available index
    uint16_t last_used_ = 0;       // the used index we have harvested up to
};

}  // namespace virtio
