// drivers/ata/ata_identify.cpp -- parsing IDENTIFY DEVICE data. See the header.
#include "drivers/ata/ata_identify.h"

#include "drivers/ata/ata_registers.h"

namespace ata {
namespace {

// ATA strings put the first character of each pair in the high byte, and
// pad with spaces at the end; `out` gets a NUL-terminated, trimmed copy.
void copy_identify_string(const uint16_t* words, int word_count, char* out) {
    int length = 0;
    for (int i = 0; i < word_count; ++i) {
        out[length++] = char(words[i] >> 8);
        out[length++] = char(words[i] & 0xFF);
    }
    while (length > 0 && (out[length - 1] == ' ' || out[length - 1] == '\0')) --length;
    int start = 0;
    while (start < length && out[start] == ' ') ++start;  // some devices pad in front too
    for (int i = start; i < length; ++i) out[i - start] = out[i];
    out[length - start] = '\0';
}

// The highest set bit among the lowest `bits` bits, or -1.
int highest_mode(uint16_t word, int bits) {
    for (int mode = bits - 1; mode >= 0; --mode) {
        if (word & (1u << mode)) return mode;
    }
    return -1;
}

}  // namespace

IdentifyData parse_identify_data(const uint16_t words[256]) {
    IdentifyData data{};
    copy_identify_string(words + IDENTIFY_MODEL_NUMBER, 20, data.model);
    copy_identify_string(words + IDENTIFY_SERIAL_NUMBER, 10, data.serial);
    copy_identify_string(words + IDENTIFY_FIRMWARE_REVISION, 4, data.firmware);

    uint16_t capabilities = words[IDENTIFY_CAPABILITIES];
    data.lba = capabilities & CAPABILITY_LBA;
    uint16_t supported = words[IDENTIFY_COMMAND_SETS_SUPPORTED];
    bool sets_valid = (supported & COMMAND_SET_VALIDITY_MASK) == COMMAND_SET_VALID;
    data.lba48 = sets_valid && (supported & COMMAND_SET_LBA48) &&
                 (words[IDENTIFY_COMMAND_SETS_ENABLED] & COMMAND_SET_LBA48);
    data.flush_cache = sets_valid && (supported & COMMAND_SET_FLUSH_CACHE) &&
                       (!data.lba48 || (supported & COMMAND_SET_FLUSH_CACHE_EXT));
    uint64_t lba28_sectors = uint64_t(words[IDENTIFY_LBA28_SECTORS]) |
                             uint64_t(words[IDENTIFY_LBA28_SECTORS + 1]) << 16;
    uint64_t lba48_sectors = 0;
    for (int i = 3; i >= 0; --i) lba48_sectors = lba48_sectors << 16 | words[IDENTIFY_LBA48_SECTORS + i];
    data.sectors = data.lba48 && lba48_sectors != 0 ? lba48_sectors : lba28_sectors;
    if (!data.lba) data.sectors = 0;

    data.multiword_dma_mode = highest_mode(words[IDENTIFY_MULTIWORD_DMA], 3);
    data.ultra_dma_mode = (words[IDENTIFY_FIELD_VALIDITY] & FIELD_VALIDITY_ULTRA_DMA)
                              ? highest_mode(words[IDENTIFY_ULTRA_DMA], 7)
                              : -1;
    data.dma = (capabilities & CAPABILITY_DMA) && (data.ultra_dma_mode >= 0 || data.multiword_dma_mode >= 0);
    data.max_sectors_per_multiple = uint8_t(words[IDENTIFY_MAX_SECTORS_PER_MULTIPLE] & 0xFF);
    return data;
}

const char* best_dma_mode_name(const IdentifyData& identify) {
    static const char* const ULTRA[] = {"UDMA0", "UDMA1", "UDMA2", "UDMA3", "UDMA4", "UDMA5", "UDMA6"};
    static const char* const MULTIWORD[] = {"MWDMA0", "MWDMA1", "MWDMA2"};
    if (!identify.dma) return "PIO";
    if (identify.ultra_dma_mode >= 0) return ULTRA[identify.ultra_dma_mode];
    return MULTIWORD[identify.multiword_dma_mode];
}

}  // namespace ata
