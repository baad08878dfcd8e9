// drivers/ata/ata_disk.h -- an ATA disk as a BlockDevice: the protocol.
//
// Layer: device driver (ATA). One AtaDisk per ATA device found (hda, hdb,
// hdc, hdd). start_request() hands the request to the channel's worker
// thread (see ata_channel.h); the worker calls execute(), which performs
// the whole chain of the request as one command:
//
//   read/write, DMA   READ/WRITE DMA (EXT): the bus master moves the data
//                     along a PRD table; one interrupt at the end
//   read/write, PIO   READ/WRITE MULTIPLE (EXT), or READ/WRITE SECTORS when
//                     the device has no multiple mode: the CPU moves each
//                     block of sectors through the data port, one
//                     interrupt per block
//   flush             FLUSH CACHE (EXT)
//
// 48-bit commands are used only when the addresses or the count need them
// (beyond 128 GiB, or more than 256 sectors: ata_commands.h); a device
// with LBA48 takes requests of up to 1 MiB, one without up to 256 sectors. DMA is the default where the
// controller has a bus master and the device a DMA mode; PIO is used for
// devices without, with `ata=pio` on the command line, and for a request
// whose memory a PRD table cannot describe.
//
// Errors (ERR or DF in the status, a bus master error, a timeout): the
// command is retried once after a reset of the channel; a second failure
// completes the request with EIO and logs the device and sector.
//
// Must stay true: execute() and restore_settings() run only on the
// channel's worker thread (or, before it starts, on the probing thread);
// the disk's settings (multiple count, DMA) change only there.
#pragma once

#include <cstdint>

#include "drivers/ata/ata_channel.h"
#include "drivers/ata/ata_identify.h"
#include "drivers/block/block_device.h"

namespace ata {

class AtaDisk final : public BlockDevice {
public:
    // The drive must have been identified; `allow_dma` is false for
    // `ata=pio`. Call restore_settings() before the first request.
    AtaDisk(const char* name, AtaChannel& channel, int drive, const IdentifyData& identify, bool allow_dma);

    void start_request(Request& request) override;

    // On the worker thread: performs the request's chain; 0 or EIO.
    int execute(Request& request);
    // Sets what a reset clears: the multiple count and the DMA mode (polled).
    void restore_settings();

    const IdentifyData& identify() const { return identify_; }
    bool uses_dma() const { return use_dma_; }
    uint32_t sectors_per_block() const { return sectors_per_multiple_ ? sectors_per_multiple_ : 1; }

private:
    // What went wrong with a command, for the log.
    struct Failure {
        const char* what;
        uint8_t status;
        uint8_t error;
        uint64_t device_sector;  // from the LBA registers after ERR, else the request's
    };

    bool attempt(Request& request, Failure& failure);
    bool transfer_pio(Request& request, Failure& failure);
    bool transfer_dma(Request& request, Failure& failure);
    bool flush_cache(Failure& failure);
    bool fail(Failure& failure, const char* what, uint8_t status, uint64_t request_sector, bool lba48);
    void log_failure(const Request& request, const Failure& failure, bool final);

    AtaChannel& channel_;
    int drive_;
    IdentifyData identify_;
    bool dma_allowed_;
    bool use_dma_ = false;
    uint32_t sectors_per_multiple_ = 0;  // 0: no multiple mode, READ/WRITE SECTORS
};

}  // namespace ata
