// drivers/virtio/virtio_blk.cpp -- virtio-blk requests: chains out,
// completions in. See virtio_blk.h; probing and setup are in
// virtio_blk_probe.cpp.
//
// Layer: device drivers. The way of one request:
//
//   start_request()           from the RequestQueue, interrupts off
//     try_start()             a free slot, the chain built, add_chain, kick
//       (or waiting_)         not enough free descriptors: wait in line
//   on_interrupt()            the shared IRQ line fired
//     read ISR                not ours (0): return; ours: acknowledged
//     complete_used_requests  harvest each used chain, map its status,
//                             queue().complete(); waiting requests start
//                             as descriptors come back
//
// Descriptors are shared: a chain takes what its pieces need (one large
// request may take nearly the whole ring), and a chain that finds too few
// free waits in waiting_, in order, until completions give them back.
#include "drivers/virtio/virtio_blk.h"

#include "kernel/arch/x86/interrupts.h"
#include "kernel/arch/x86/paging.h"
#include "kernel/mm/memory_layout.h"
#include "kernel/mm/physical_allocator.h"

namespace virtio {

namespace {

constexpr uint32_t REQUEST_TYPE_IN = 0, REQUEST_TYPE_OUT = 1, REQUEST_TYPE_FLUSH = 4;
constexpr uint8_t STATUS_OK = 0, STATUS_IOERR = 1, STATUS_UNSUPPORTED = 2;
constexpr uint8_t STATUS_NOT_WRITTEN = 0xFF;  // what the slot holds until the device answers
constexpr uint16_t QUEUE_INDEX = 0;           // virtio-blk without MQ has one queue
constexpr uint32_t MAX_QUEUE_DEPTH = 16;
constexpr uint32_t DEFAULT_SEGMENT_BYTES = 65536;
// 1 MiB: large enough that a sequential stream costs few requests, small
// enough that one request does not hold the device for long.
constexpr uint32_t MAX_REQUEST_SECTORS = 2048;

int error_for_status(uint8_t status) {
    switch (status) {
    case STATUS_OK: return 0;
    case STATUS_UNSUPPORTED: return EOPNOTSUPP;
    case STATUS_IOERR: return EIO;
    default: return EIO;  // not written at all, or a value the spec does not know
    }
}

uint32_t direct_map_end() { return memory_layout::KERNEL_VIRTUAL_BASE + memory_layout::DIRECT_MAP_LIMIT_PHYSICAL; }

// Limits for the request queue. A chain needs one data descriptor per
// physical piece (the queue's count of them is never below what
// append_piece, which joins as much as size_max allows, makes), plus the
// header and the status: so at most
// seg_max pieces, and never more than the ring holds. One large request may
// take the whole ring; several small ones share it, and a chain that does
// not fit the free descriptors waits in waiting_ until completions return
// enough (start_waiting_requests).
BlockDeviceLimits limits_for(const BlockDeviceSetup& setup, uint16_t* max_chain_descriptors) {
    uint32_t ring = setup.queue->size();
    uint32_t data_budget = ring - 2;  // header and status take two
    if (setup.seg_max != 0 && setup.seg_max < data_budget) data_budget = setup.seg_max;
    BlockDeviceLimits limits;
    limits.max_segments = data_budget;
    limits.max_sectors_per_request = MAX_REQUEST_SECTORS;
    limits.max_segment_bytes = DEFAULT_SEGMENT_BYTES;
    if (setup.size_max != 0 && setup.size_max < limits.max_segment_bytes) {
        // Whole blocks, so BlockDevice::transfer can cut requests to it;
        // a size_max below one block is still honoured by splitting.
        uint32_t whole = setup.size_max - setup.size_max % setup.block_size;
        limits.max_segment_bytes = whole != 0 ? whole : setup.block_size;
    }
    // As many as the smallest chains (header, one piece, status) could use.
    uint32_t depth = ring / 3;
    if (depth > MAX_QUEUE_DEPTH) depth = MAX_QUEUE_DEPTH;
    limits.queue_depth = depth != 0 ? depth : 1;
    *max_chain_descriptors = uint16_t(data_budget + 2);
    return limits;
}

}  // namespace

Result<VirtioBlockDevice*> VirtioBlockDevice::create(const char* name, const BlockDeviceSetup& setup) {
    uint16_t max_chain_descriptors = 0;
    BlockDeviceLimits limits = limits_for(setup, &max_chain_descriptors);
    auto* device = new (std::nothrow) VirtioBlockDevice(name, setup, limits);
    if (device == nullptr) return Error{ENOMEM};
    device->max_chain_descriptors_ = max_chain_descriptors;
    device->chain_ = static_cast<VirtqueueBuffer*>(kmalloc(max_chain_descriptors * sizeof(VirtqueueBuffer)));
    device->slots_ = static_cast<Slot*>(kzalloc(limits.queue_depth * sizeof(Slot)));
    device->waiting_ = static_cast<Request**>(kzalloc(limits.queue_depth * sizeof(Request*)));
    if (!device->chain_ || !device->slots_ || !device->waiting_) {
        // The queue and ring stay the caller's on failure.
        device->queue_ = nullptr;
        device->ring_pages_ = 0;
        delete device;
        return Error{ENOMEM};
    }
    return device;
}

VirtioBlockDevice::VirtioBlockDevice(const char* name, const BlockDeviceSetup& setup, const BlockDeviceLimits& limits)
    : BlockDevice(name, setup.block_size, setup.capacity_sectors, limits, (setup.features & BLOCK_F_RO) != 0),
      registers_(setup.base_port),
      irq_(setup.irq),
      features_(setup.features),
      size_max_(setup.size_max),
      ring_physical_(setup.ring_physical),
      ring_pages_(setup.ring_pages),
      queue_(setup.queue),
      max_chain_descriptors_(0) {}

VirtioBlockDevice::~VirtioBlockDevice() {
    // Only reached before start_device(): the device never saw the ring.
    registers_.reset();
    delete queue_;
    if (ring_pages_ != 0) physical_allocator::free_contiguous(ring_physical_, ring_pages_);
    kfree(chain_);
    kfree(slots_);
    kfree(waiting_);
}

void VirtioBlockDevice::start_device() {
    interrupts::register_irq_handler(irq_, on_interrupt, this);
    registers_.add_status(STATUS_DRIVER_OK);
}

void VirtioBlockDevice::start_request(Request& request) {
    // Requests already waiting go first, so the queue's order holds.
    if (waiting_count_ == 0 && try_start(request)) return;
    uint32_t depth = limits().queue_depth;
    KASSERT(waiting_count_ < depth);  // the queue never starts more than depth
    waiting_[(waiting_first_ + waiting_count_) % depth] = &request;
    ++waiting_count_;
}

VirtioBlockDevice::Slot* VirtioBlockDevice::take_free_slot() {
    for (uint32_t i = 0; i < limits().queue_depth; ++i) {
        if (slots_[i].request == nullptr) return &slots_[i];
    }
    return nullptr;
}

bool VirtioBlockDevice::try_start(Request& request) {
    if (request.direction == IoDirection::Flush && !(features_ & BLOCK_F_FLUSH)) {
        // Without FLUSH the device writes through (5.2.6): a completed
        // write is already durable, so there is nothing to wait for.
        queue().complete(request, 0);
        return true;
    }
    Slot* slot = take_free_slot();
    KASSERT(slot != nullptr);  // one slot per request the queue may start
    uint16_t count = build_chain(request, *slot);
    if (count == 0) {
        log_error("%s: a request at sector %llu has memory the device cannot reach in %u pieces", name(),
                  static_cast<unsigned long long>(request.sector), unsigned(max_chain_descriptors_ - 2));
        queue().complete(request, EINVAL);
        return true;
    }
    if (count > queue_->free_count()) return false;
    slot->request = &request;
    slot->status = STATUS_NOT_WRITTEN;
    bool added = queue_->add_chain(chain_, count, slot);
    KASSERT(added);
    if (queue_->notification_needed()) registers_.notify_queue(QUEUE_INDEX);
    return true;
}

uint16_t VirtioBlockDevice::build_chain(const Request& request, Slot& slot) {
    switch (request.direction) {
    case IoDirection::Read: slot.header.type = REQUEST_TYPE_IN; break;
    case IoDirection::Write: slot.header.type = REQUEST_TYPE_OUT; break;
    case IoDirection::Flush: slot.header.type = REQUEST_TYPE_FLUSH; break;
    }
    slot.header.reserved = 0;
    slot.header.sector = request.direction == IoDirection::Flush ? 0 : request.sector;

    uint16_t count = 0;
    append_piece(memory_layout::virtual_to_physical(uintptr_t(&slot.header)), sizeof slot.header, false, count);
    bool device_writes = request.direction == IoDirection::Read;
    bool described = true;
    request.for_each_segment([&](const MemorySegment& segment) {
        if (described) described = append_data(segment, device_writes, count);
    });
    // The status descriptor must fit too: keep one place for it.
    if (!described || count + 1 > max_chain_descriptors_) return 0;
    chain_[count++] = {memory_layout::virtual_to_physical(uintptr_t(&slot.status)), 1, true};
    return count;
}

// Adds one segment as physically contiguous pieces: a direct-mapped segment
// is one piece; elsewhere (kernel stacks) each page is looked up.
bool VirtioBlockDevice::append_data(const MemorySegment& segment, bool device_writes, uint16_t& count) {
    uintptr_t address = uintptr_t(segment.address);
    if (address >= memory_layout::KERNEL_VIRTUAL_BASE && address + segment.length <= direct_map_end()) {
        return append_piece(memory_layout::virtual_to_physical(address), segment.length, device_writes, count);
    }
    uint32_t left = segment.length;
    while (left > 0) {
        uint32_t in_page = memory_layout::PAGE_SIZE - uint32_t(address % memory_layout::PAGE_SIZE);
        uint32_t piece = left < in_page ? left : in_page;
        uint32_t physical = address >= memory_layout::KERNEL_VIRTUAL_BASE ? paging::physical_address_of(address) : 0;
        if (physical == 0) return false;  // not a mapped kernel address
        if (!append_piece(physical, piece, device_writes, count)) return false;
        address += piece;
        left -= piece;
    }
    return true;
}

// Adds [physical, +length) to chain_, joining it to the previous piece when
// they touch, and cutting at size_max. False when the budget (less one
// place for the status) is used up.
bool VirtioBlockDevice::append_piece(uint32_t physical, uint32_t length, bool device_writes, uint16_t& count) {
    uint32_t piece_limit = size_max_ != 0 ? size_max_ : UINT32_MAX;
    while (length > 0) {
        if (count > 1) {  // never join data to the header
            VirtqueueBuffer& last = chain_[count - 1];
            uint64_t room = piece_limit - last.length;
            if (last.physical_address + last.length == physical && room > 0) {
                uint32_t joined = length < room ? length : uint32_t(room);
                last.length += joined;
                physical += joined;
                length -= joined;
                continue;
            }
        }
        if (count + 1 >= max_chain_descriptors_) return false;
        uint32_t piece = length < piece_limit ? length : piece_limit;
        chain_[count++] = {physical, piece, device_writes};
        physical += piece;
        length -= piece;
    }
    return true;
}

void VirtioBlockDevice::on_interrupt(void* self) { static_cast<VirtioBlockDevice*>(self)->handle_interrupt(); }

void VirtioBlockDevice::handle_interrupt() {
    // The line is shared: a zero ISR means another device raised it.
    // Reading it also acknowledges, so any later completion interrupts anew.
    uint8_t isr = registers_.read_and_clear_isr();
    if (isr == 0) return;
    if (isr & ISR_CONFIGURATION) log_info("%s: the device configuration changed (not re-read)", name());
    complete_used_requests();
}

void VirtioBlockDevice::complete_used_requests() {
    void* token;
    uint32_t written;
    while (queue_->harvest(&token, &written)) {
        Slot* slot = static_cast<Slot*>(token);
        Request* request = slot->request;
        int error = error_for_status(slot->status);
        slot->request = nullptr;
        // Descriptors and a slot came back: those waiting go first, before
        // complete() lets the queue start more.
        start_waiting_requests();
        queue().complete(*request, error);
    }
}

void VirtioBlockDevice::start_waiting_requests() {
    uint32_t depth = limits().queue_depth;
    while (waiting_count_ > 0) {
        // Out of the line before it starts: starting may complete it (an
        // error), and the queue may then start another that joins the line.
        Request* next = waiting_[waiting_first_];
        waiting_first_ = (waiting_first_ + 1) % depth;
        --waiting_count_;
        if (!try_start(*next)) {
            // Still too few descriptors; nothing was completed, so back to
            // the front of the line it goes.
            waiting_first_ = (waiting_first_ + depth - 1) % depth;
            waiting_[waiting_first_] = next;
            ++waiting_count_;
            return;
        }
    }
}

}  // namespace virtio
