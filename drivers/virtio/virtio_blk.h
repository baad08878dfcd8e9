// drivers/virtio/virtio_blk.h -- the virtio block device (virtio-blk).
//
// Layer: device drivers. A VirtioBlockDevice is a BlockDevice whose
// requests travel through one split virtqueue (virtqueue.h) of a legacy
// virtio PCI device (virtio_pci_legacy.h). Each request becomes one
// descriptor chain (virtio 1.x, 5.2.6 "Device Operation"):
//
//   header   {type, reserved, sector}   16 bytes, the device reads it
//   data     one descriptor per physically contiguous piece of the
//            request's segments; the device writes them for a read
//   status   1 byte, the device writes OK (0), IOERR (1) or UNSUPP (2)
//
// type is IN (0, a read), OUT (1, a write) or FLUSH (4, no data); the
// sector is always in 512-byte units, whatever the block size. Several
// chains are in flight at once (limits().queue_depth), and the device
// completes them in any order; the interrupt handler harvests the used
// ring and completes each request with its status.
//
// Features the driver accepts when the device offers them (5.2.3):
//   SIZE_MAX (1)   size_max: the largest single data descriptor
//   SEG_MAX (2)    seg_max: the most data descriptors in one request
//   RO (5)         the disk is read-only: writes fail with EROFS
//   BLK_SIZE (6)   blk_size: the logical block size
//   FLUSH (9)      the device caches writes; FLUSH makes them durable
// The device-specific configuration (5.2.4) starts with capacity (64 bits,
// 512-byte sectors), size_max (32) at 8, seg_max (32) at 12, geometry at
// 16 and blk_size (32) at 20.
//
// Names: vda, vdb, ... in the order the PCI scan finds the devices.
//
// What must stay true: every request the queue starts is completed exactly
// once, from start_request() (bad requests) or from the interrupt handler;
// a request waiting for descriptors keeps its place in line. All driver
// state is touched with interrupts off (start_request runs so, and so does
// the interrupt handler).
#pragma once

#include <cstdint>

#include "drivers/block/block_device.h"
#include "drivers/virtio/virtio_pci_legacy.h"
#include "drivers/virtio/virtqueue.h"

namespace virtio {

// Feature bits of virtio-blk (5.2.3), as masks of the 32-bit legacy register.
constexpr uint32_t BLOCK_F_SIZE_MAX = 1u << 1;
constexpr uint32_t BLOCK_F_SEG_MAX = 1u << 2;
constexpr uint32_t BLOCK_F_RO = 1u << 5;
constexpr uint32_t BLOCK_F_BLK_SIZE = 1u << 6;
constexpr uint32_t BLOCK_F_FLUSH = 1u << 9;

// Offsets in the device-specific configuration (5.2.4).
constexpr uint16_t BLOCK_CONFIG_CAPACITY = 0, BLOCK_CONFIG_SIZE_MAX = 8, BLOCK_CONFIG_SEG_MAX = 12,
                   BLOCK_CONFIG_BLK_SIZE = 20;

// What probing learned from the device, before the BlockDevice exists.
struct BlockDeviceSetup {
    uint16_t base_port;
    uint8_t irq;
    uint32_t features;          // accepted (offered and wanted)
    uint64_t capacity_sectors;
    uint32_t size_max;          // 0 when not offered
    uint32_t seg_max;           // 0 when not offered
    uint32_t block_size;
    uint32_t ring_physical;     // the virtqueue's memory
    size_t ring_pages;
    SplitVirtqueue* queue;
};

class VirtioBlockDevice final : public BlockDevice {
public:
    // Takes ownership of the setup's queue and ring memory when it
    // succeeds. ENOMEM (the caller still owns both) when the request
    // bookkeeping cannot be allocated.
    static Result<VirtioBlockDevice*> create(const char* name, const BlockDeviceSetup& setup);
    ~VirtioBlockDevice() override;

    void start_request(Request& request) override;

    // Registers the interrupt handler and tells the device to go.
    void start_device();
    // Called for every interrupt on the (shared) line.
    static void on_interrupt(void* self);

private:
    // What the device reads first in every chain (5.2.6).
    struct RequestHeader {
        uint32_t type;
        uint32_t reserved;
        uint64_t sector;
    };
    // Per request at the device: the header and status live here, in
    // direct-mapped heap memory, so they have a physical address.
    struct Slot {
        RequestHeader header;
        volatile uint8_t status;
        Request* request;  // nullptr when the slot is free
    };

    VirtioBlockDevice(const char* name, const BlockDeviceSetup& setup, const BlockDeviceLimits& limits);

    // Starts `request` if its chain fits the free descriptors; false
    // (nothing started) when it must wait. A request the device could
    // never take is completed with an error here.
    bool try_start(Request& request);
    // Fills chain_ for `request`; returns the descriptor count, or 0 when
    // a segment cannot be described (not mapped, too many pieces).
    uint16_t build_chain(const Request& request, Slot& slot);
    bool append_data(const MemorySegment& segment, bool device_writes, uint16_t& count);
    bool append_piece(uint32_t physical, uint32_t length, bool device_writes, uint16_t& count);
    Slot* take_free_slot();
    void handle_interrupt();
    void complete_used_requests();
    void start_waiting_requests();

    LegacyPciRegisters registers_;
    uint8_t irq_;
    uint32_t features_;
    uint32_t size_max_;
    uint32_t ring_physical_;
    size_t ring_pages_;
    SplitVirtqueue* queue_;
    uint16_t max_chain_descriptors_;  // header + data + status, at most
    VirtqueueBuffer* chain_ = nullptr;  // scratch space for build_chain (interrupts off)
    Slot* slots_ = nullptr;             // limits().queue_depth of them
    // Requests started by the queue that wait for free descriptors, oldest
    // first (a ring of queue_depth entries: no more can be at the driver).
    Request** waiting_ = nullptr;
    uint32_t waiting_first_ = 0, waiting_count_ = 0;
};

// Adds the virtio-blk driver to the PCI driver table (before pci::enumerate).
void register_block_driver();

}  // namespace virtio
