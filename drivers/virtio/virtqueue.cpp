// drivers/virtio/virtqueue.cpp -- the split virtqueue. See virtqueue.h.
//
// Layer: device drivers (virtio transport). The indices in both rings are
// free-running 16-bit counters: entry `index % size` is the slot, and the
// difference of two indices (mod 2^16) is how many entries lie between, so
// "used_index != last_used_" means "the device returned something".
// Ordering on x86 only needs the compiler kept in line (stores are seen in
// program order); the fences below say what is needed on any CPU, and cost
// nothing more than that here, except the full fence before reading the
// device's NO_NOTIFY flag (a load that must not pass our index store).
#include "drivers/virtio/virtqueue.h"

#include "kernel/lib/string.h"

namespace virtio {

namespace {

size_t align_up(size_t value, size_t alignment) { return (value + alignment - 1) & ~(alignment - 1); }

size_t descriptor_table_bytes(uint16_t size) { return size_t(size) * sizeof(VirtqueueDescriptor); }
size_t available_ring_bytes(uint16_t size) { return 2 * (3 + size_t(size)); }  // flags, idx, ring, used_event
size_t used_ring_bytes(uint16_t size) { return 2 * 3 + size_t(size) * sizeof(VirtqueueUsedElement); }

}  // namespace

size_t SplitVirtqueue::legacy_ring_bytes(uint16_t size) {
    return align_up(descriptor_table_bytes(size) + available_ring_bytes(size), LEGACY_ALIGNMENT) +
           align_up(used_ring_bytes(size), LEGACY_ALIGNMENT);
}

Result<SplitVirtqueue*> SplitVirtqueue::create(uint16_t size, void* ring_memory) {
    if (!is_valid_size(size) || ring_memory == nullptr) return Error{EINVAL};
    if (reinterpret_cast<uintptr_t>(ring_memory) % LEGACY_ALIGNMENT != 0) return Error{EINVAL};
    void** tokens = static_cast<void**>(kzalloc(size_t(size) * sizeof(void*)));
    if (tokens == nullptr) return Error{ENOMEM};
    auto* queue = new (std::nothrow) SplitVirtqueue(size, ring_memory, tokens);
    if (queue == nullptr) {
        kfree(tokens);
        return Error{ENOMEM};
    }
    return queue;
}

SplitVirtqueue::SplitVirtqueue(uint16_t size, void* ring_memory, void** tokens)
    : size_(size),
      descriptors_(static_cast<VirtqueueDescriptor*>(ring_memory)),
      available_(reinterpret_cast<uint16_t*>(static_cast<uint8_t*>(ring_memory) + descriptor_table_bytes(size))),
      used_(static_cast<uint8_t*>(ring_memory) +
            align_up(descriptor_table_bytes(size) + available_ring_bytes(size), LEGACY_ALIGNMENT)),
      tokens_(tokens),
      free_count_(size) {
    klib::memset(ring_memory, 0, legacy_ring_bytes(size));
    // At first every descriptor is free, each pointing at the next.
    for (uint16_t i = 0; i + 1 < size; ++i) descriptors_[i].next = uint16_t(i + 1);
}

SplitVirtqueue::~SplitVirtqueue() { kfree(tokens_); }

bool SplitVirtqueue::add_chain(const VirtqueueBuffer* buffers, uint16_t count, void* token) {
    if (count == 0 || count > free_count_ || token == nullptr) return false;
    uint16_t head = free_head_;
    uint16_t index = head;
    for (uint16_t i = 0; i < count; ++i) {
        VirtqueueDescriptor& descriptor = descriptors_[index];
        descriptor.address = buffers[i].physical_address;
        descriptor.length = buffers[i].length;
        descriptor.flags = buffers[i].device_writes ? DESCRIPTOR_F_WRITE : 0;
        // The free list already links these descriptors in order; the last
        // one's `next` stays the new free head (not followed: no NEXT flag).
        if (i + 1 < count) descriptor.flags |= DESCRIPTOR_F_NEXT;
        if (i + 1 == count) free_head_ = descriptor.next;
        else index = descriptor.next;
    }
    free_count_ = uint16_t(free_count_ - count);
    tokens_[head] = token;

    available_ring()[next_available_ % size_] = head;
    ++next_available_;
    // The chain and its ring entry must be visible before the index that
    // hands them to the device.
    __atomic_store_n(available_index(), next_available_, __ATOMIC_RELEASE);
    return true;
}

bool SplitVirtqueue::notification_needed() const {
    // A full fence: the device may be checking our index right now, and we
    // must not read its flag from before it could have seen the new index.
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    return (__atomic_load_n(used_flags(), __ATOMIC_RELAXED) & USED_F_NO_NOTIFY) == 0;
}

bool SplitVirtqueue::has_used() const { return __atomic_load_n(used_index(), __ATOMIC_ACQUIRE) != last_used_; }

bool SplitVirtqueue::harvest(void** token, uint32_t* written_bytes) {
    while (has_used()) {
        // The acquire load in has_used() orders this read after the index.
        VirtqueueUsedElement element = used_ring()[last_used_ % size_];
        ++last_used_;
        // A head we never offered (or already took back) would corrupt the
        // free list: a broken device, not a kernel bug, so skip it loudly.
        if (element.id >= size_ || tokens_[element.id] == nullptr) {
            log_error("virtqueue: the device returned descriptor %u, which it does not own", unsigned(element.id));
            continue;
        }
        *token = tokens_[element.id];
        *written_bytes = element.length;
        tokens_[element.id] = nullptr;
        free_chain(uint16_t(element.id));
        return true;
    }
    return false;
}

// Puts a used chain back on the front of the free list, in chain order.
void SplitVirtqueue::free_chain(uint16_t head) {
    uint16_t index = head;
    uint16_t freed = 1;
    while (descriptors_[index].flags & DESCRIPTOR_F_NEXT) {
        index = descriptors_[index].next;
        ++freed;
    }
    descriptors_[index].flags = 0;
    descriptors_[index].next = free_head_;
    free_head_ = head;
    free_count_ = uint16_t(free_count_ + freed);
}

}  // namespace virtio
