// drivers/ata/ata_identify.h -- what a disk says about itself.
//
// Layer: device driver (ATA). IDENTIFY DEVICE returns 512 bytes describing
// the device; parse_identify_data() turns them into the few facts the
// driver uses: model and serial (for the log), capacity, whether 48-bit
// addresses work, how many sectors READ/WRITE MULTIPLE may move per
// interrupt, and which DMA modes exist. A pure function of the data, so
// host unit tests check it against hand-made blocks.
//
// Must stay true: the capacity is the LBA48 one only when the device
// supports and has enabled 48-bit addresses; otherwise words 60-61 count
// (a device without LBA is refused: CHS addressing is not implemented).
#pragma once

#include <cstdint>

namespace ata {

struct IdentifyData {
    char model[41];          // trimmed of the padding spaces
    char serial[21];
    char firmware[9];
    uint64_t sectors;        // user-addressable 512-byte sectors
    bool lba;                // LBA addressing supported (required)
    bool lba48;              // 48-bit addresses supported and enabled
    bool dma;                // some DMA mode is supported
    bool flush_cache;        // FLUSH CACHE is supported (and FLUSH CACHE EXT, with lba48)
    int ultra_dma_mode;      // highest supported UDMA mode, -1 for none
    int multiword_dma_mode;  // highest supported multiword DMA mode, -1 for none
    uint8_t max_sectors_per_multiple;  // READ/WRITE MULTIPLE limit, 0: not supported
};

// `words` is the IDENTIFY DEVICE block as read from the data port, in the
// order the device sent it.
IdentifyData parse_identify_data(const uint16_t words[256]);

// "UDMA5", "MWDMA2" or "PIO" for the log.
const char* best_dma_mode_name(const IdentifyData& identify);

}  // namespace ata
