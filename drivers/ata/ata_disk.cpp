// drivers/ata/ata_disk.cpp -- the ATA protocol for one disk. See the header.
//
// The three protocols used (ATA/ATAPI-6, clause "Protocol"):
//   PIO data-in   issue; per block: interrupt, check status, read the block
//   PIO data-out  issue; wait for DRQ; per block: write it, then interrupt
//                 (the last interrupt ends the command)
//   DMA           load the PRD table, issue, start the bus master; one
//                 interrupt when all is moved; stop the bus master
//   non-data      issue; one interrupt (FLUSH CACHE)
#include "drivers/ata/ata_disk.h"

#include "drivers/ata/ata_commands.h"
#include "drivers/ata/ata_probe.h"
#include "drivers/ata/ata_registers.h"
#include "drivers/ata/segment_cursor.h"
#include "kernel/lib/format.h"
#include "kernel/lib/string.h"

namespace ata {
namespace {

// Generous: QEMU under TCG on a loaded host is slow, and a real disk may
// need to spin up; a FLUSH CACHE writes the whole cache out.
constexpr uint32_t TRANSFER_TIMEOUT_MS = 10000;
constexpr uint32_t FLUSH_TIMEOUT_MS = 30000;
constexpr uint8_t STATUS_FAILED = STATUS_ERROR | STATUS_DEVICE_FAULT;
// 1 MiB per command: few commands for a sequential stream, and one command
// still ends well within TRANSFER_TIMEOUT_MS under emulation.
constexpr uint32_t MAX_REQUEST_SECTORS = 2048;
// One piece per page of a 1 MiB request whose pages are scattered.
constexpr uint32_t MAX_REQUEST_PIECES = 256;

// Moves `count` sectors between the data port and the request's memory;
// a sector split between two segments goes through a small bounce buffer.
void move_sectors(AtaChannel& channel, SegmentCursor& cursor, uint32_t count, bool write) {
    for (uint32_t i = 0; i < count; ++i) {
        if (uint8_t* memory = cursor.contiguous(SECTOR_BYTES)) {
            if (write) channel.write_data(memory, WORDS_PER_SECTOR);
            else channel.read_data(memory, WORDS_PER_SECTOR);
            cursor.advance(SECTOR_BYTES);
            continue;
        }
        uint16_t bounce[WORDS_PER_SECTOR];
        if (write) {
            cursor.copy_to(bounce, SECTOR_BYTES);
            channel.write_data(bounce, WORDS_PER_SECTOR);
        } else {
            channel.read_data(bounce, WORDS_PER_SECTOR);
            cursor.copy_from(bounce, SECTOR_BYTES);
        }
    }
}

const char* direction_name(IoDirection direction) {
    switch (direction) {
    case IoDirection::Read: return "read";
    case IoDirection::Write: return "write";
    case IoDirection::Flush: return "flush";
    }
    return "?";
}

// "DRDY ERR" for a status of 0x41: the set bits by the spec's names, so a
// log line can be read without the tables.
void name_bits(char* out, size_t size, uint8_t value, const char* const names[8]) {
    size_t length = 0;
    out[0] = '\0';
    for (int bit = 7; bit >= 0; --bit) {
        if (!(value & (1u << bit)) || length + 1 >= size) continue;
        length += size_t(klib::format(out + length, size - length, "%s%s", length ? " " : "", names[bit]));
    }
    if (length == 0) klib::format(out, size, "none");
}

constexpr const char* STATUS_BIT_NAMES[8] = {"ERR", "IDX", "CORR", "DRQ", "DSC", "DF", "DRDY", "BSY"};
constexpr const char* ERROR_BIT_NAMES[8] = {"AMNF", "NM", "ABRT", "MCR", "IDNF", "MC", "UNC", "ICRC"};

// One command per request. LBA28 counts at most 256 sectors; with LBA48
// (READ/WRITE DMA EXT, up to 65536) a request may reach MAX_REQUEST_SECTORS.
// The pieces are PRD entries: each within one 64 KiB window, at most 64 KiB,
// at most the table's capacity (the queue's count, physical_segments.h, is
// never below the entries PrdTableBuilder makes). PIO has no scatter-gather list, and its
// commands take the same counts, so the limits hold for both.
BlockDeviceLimits limits_for(const IdentifyData& identify) {
    BlockDeviceLimits limits;
    limits.max_sectors_per_request = identify.lba48 ? MAX_REQUEST_SECTORS : LBA28_MAX_SECTORS_PER_COMMAND;
    limits.max_segments = BusMasterDma::TABLE_CAPACITY < MAX_REQUEST_PIECES ? BusMasterDma::TABLE_CAPACITY
                                                                            : MAX_REQUEST_PIECES;
    limits.max_segment_bytes = PRD_BOUNDARY;
    limits.segment_boundary = PRD_BOUNDARY;
    limits.queue_depth = 1;  // the channel runs one command at a time anyway
    return limits;
}

}  // namespace

AtaDisk::AtaDisk(const char* name, AtaChannel& channel, int drive, const IdentifyData& identify, bool allow_dma)
    : BlockDevice(name, SECTOR_SIZE, identify.sectors, limits_for(identify), false),
      channel_(channel),
      drive_(drive),
      identify_(identify),
      dma_allowed_(allow_dma && identify.dma && channel.dma().present()) {}

void AtaDisk::start_request(Request& request) { channel_.submit(drive_, request); }

void AtaDisk::restore_settings() {
    sectors_per_multiple_ = 0;
    if (identify_.max_sectors_per_multiple > 0) {
        // The largest power of two the device allows (older standards
        // accept only powers of two).
        uint32_t count = 1;
        while (count * 2 <= identify_.max_sectors_per_multiple) count *= 2;
        TaskFile task;
        task.command = COMMAND_SET_MULTIPLE_MODE;
        task.sector_count = count;
        if (run_polled_command(channel_, drive_, task)) sectors_per_multiple_ = count;
    }
    use_dma_ = false;
    if (dma_allowed_) {
        TaskFile task;
        task.command = COMMAND_SET_FEATURES;
        task.features = FEATURE_SET_TRANSFER_MODE;
        task.sector_count = identify_.ultra_dma_mode >= 0 ? TRANSFER_MODE_ULTRA_DMA | identify_.ultra_dma_mode
                                                          : TRANSFER_MODE_MULTIWORD_DMA | identify_.multiword_dma_mode;
        use_dma_ = run_polled_command(channel_, drive_, task);
        if (!use_dma_)
            log_warning("%s: the device refused DMA mode %s; using PIO", name(), best_dma_mode_name(identify_));
    }
}

int AtaDisk::execute(Request& request) {
    Failure failure{};
    if (attempt(request, failure)) return 0;
    log_failure(request, failure, false);
    channel_.reset_and_restore();
    if (attempt(request, failure)) return 0;
    log_failure(request, failure, true);
    channel_.reset_and_restore();  // leave the channel ready for the next request
    return EIO;
}

bool AtaDisk::attempt(Request& request, Failure& failure) {
    if (request.direction == IoDirection::Flush) return flush_cache(failure);
    if (use_dma_) {
        if (channel_.dma().prepare(request)) return transfer_dma(request, failure);
        log_debug("%s: request at sector %llu has memory a PRD table cannot describe; using PIO", name(),
                  (unsigned long long)request.sector);
    }
    return transfer_pio(request, failure);
}

bool AtaDisk::transfer_pio(Request& request, Failure& failure) {
    bool write = request.direction == IoDirection::Write;
    uint32_t sectors = request.chain_sector_count();
    TransferProtocol protocol =
        sectors_per_multiple_ != 0 ? TransferProtocol::PioMultiple : TransferProtocol::PioSectors;
    TransferCommand command = choose_transfer_command(write, protocol, request.sector, sectors, identify_.lba48);
    bool lba48 = command.lba48;
    if (command.opcode == 0) return fail(failure, "no command for this transfer", 0, request.sector, false);
    TaskFile task;
    task.command = command.opcode;
    task.lba = request.sector;
    task.sector_count = sectors;
    task.lba48 = lba48;
    SegmentCursor cursor(request);
    uint8_t status;

    channel_.arm_interrupt();
    channel_.issue(drive_, task);
    for (uint32_t done = 0; done < sectors;) {
        // Data-in: an interrupt announces every block. Data-out: the first
        // block is wanted at once (DRQ, no interrupt), each later one after
        // the interrupt that ends the block before.
        bool ready = write && done == 0 ? channel_.wait_for_data_request(TRANSFER_TIMEOUT_MS, &status)
                                        : channel_.wait_for_interrupt(TRANSFER_TIMEOUT_MS, &status);
        if (!ready) return fail(failure, "timeout", status, request.sector, lba48);
        if (status & STATUS_FAILED) return fail(failure, "device error", status, request.sector, lba48);
        if (!(status & STATUS_DATA_REQUEST)) return fail(failure, "no data request", status, request.sector, lba48);
        uint32_t count = sectors - done < sectors_per_block() ? sectors - done : sectors_per_block();
        channel_.arm_interrupt();
        move_sectors(channel_, cursor, count, write);
        done += count;
    }
    if (write) {
        // The interrupt after the last block says the data is on the device (or its cache).
        if (!channel_.wait_for_interrupt(TRANSFER_TIMEOUT_MS, &status))
            return fail(failure, "timeout", status, request.sector, lba48);
    } else {
        channel_.wait_not_busy(TRANSFER_TIMEOUT_MS, &status);
    }
    if (status & STATUS_FAILED) return fail(failure, "device error", status, request.sector, lba48);
    return true;
}

bool AtaDisk::transfer_dma(Request& request, Failure& failure) {
    bool write = request.direction == IoDirection::Write;
    uint32_t sectors = request.chain_sector_count();
    TransferCommand command = choose_transfer_command(write, TransferProtocol::Dma, request.sector, sectors,
                                                      identify_.lba48);
    bool lba48 = command.lba48;
    if (command.opcode == 0) return fail(failure, "no command for this transfer", 0, request.sector, false);
    TaskFile task;
    task.command = command.opcode;
    task.lba = request.sector;
    task.sector_count = sectors;
    task.lba48 = lba48;
    uint8_t status;

    // The PRD table is loaded (attempt() called prepare()); the device gets
    // its command first, then the engine starts (SFF-8038i's order).
    channel_.arm_interrupt();
    channel_.issue(drive_, task);
    channel_.dma().start(!write);
    bool done = channel_.wait_for_interrupt(TRANSFER_TIMEOUT_MS, &status);
    uint8_t engine_status = channel_.dma().finish();
    if (!done) return fail(failure, "DMA timeout", status, request.sector, lba48);
    if (status & STATUS_FAILED) return fail(failure, "device error", status, request.sector, lba48);
    if (engine_status & BM_STATUS_ERROR) return fail(failure, "bus master error", status, request.sector, lba48);
    return true;
}

bool AtaDisk::flush_cache(Failure& failure) {
    // A device without the command has no volatile cache to empty (ATA-4
    // and older): what it acknowledged is already on the medium.
    if (!identify_.flush_cache) return true;
    TaskFile task;
    task.command = identify_.lba48 ? COMMAND_FLUSH_CACHE_EXT : COMMAND_FLUSH_CACHE;
    uint8_t status;
    channel_.arm_interrupt();
    channel_.issue(drive_, task);
    if (!channel_.wait_for_interrupt(FLUSH_TIMEOUT_MS, &status))
        return fail(failure, "flush timeout", status, 0, identify_.lba48);
    if (status & STATUS_FAILED) return fail(failure, "flush error", status, 0, identify_.lba48);
    return true;
}

bool AtaDisk::fail(Failure& failure, const char* what, uint8_t status, uint64_t request_sector, bool lba48) {
    failure.what = what;
    failure.status = status;
    failure.error = (status & STATUS_ERROR) ? channel_.error() : 0;
    // After ERR the LBA registers hold the first sector that failed.
    failure.device_sector = (status & STATUS_ERROR) ? channel_.read_lba(lba48) : request_sector;
    return false;
}

void AtaDisk::log_failure(const Request& request, const Failure& failure, bool final) {
    char where[64];
    if (request.direction == IoDirection::Flush) {
        klib::format(where, sizeof where, "a cache flush");
    } else {
        klib::format(where, sizeof where, "sector %llu in a %s of sectors %llu-%llu",
                     (unsigned long long)failure.device_sector, direction_name(request.direction),
                     (unsigned long long)request.sector,
                     (unsigned long long)(request.sector + request.chain_sector_count() - 1));
    }
    char status[40], error[40];
    name_bits(status, sizeof status, failure.status, STATUS_BIT_NAMES);
    name_bits(error, sizeof error, failure.error, ERROR_BIT_NAMES);
    if (final) {
        log_error("%s: I/O error: %s (status %#x: %s, error %#x: %s) at %s", name(), failure.what, failure.status,
                  status, failure.error, error, where);
    } else {
        log_warning("%s: %s (status %#x: %s, error %#x: %s) at %s; resetting the channel and retrying", name(),
                    failure.what, failure.status, status, failure.error, error, where);
    }
}

}  // namespace ata
