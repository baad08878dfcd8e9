// drivers/ata/ata_commands.cpp -- the command for a transfer. See the header.
#include "drivers/ata/ata_commands.h"

#include "drivers/ata/ata_registers.h"

namespace ata {
namespace {

uint8_t opcode_for(bool write, TransferProtocol protocol, bool lba48) {
    switch (protocol) {
    case TransferProtocol::Dma:
        if (write) return lba48 ? COMMAND_WRITE_DMA_EXT : COMMAND_WRITE_DMA;
        return lba48 ? COMMAND_READ_DMA_EXT : COMMAND_READ_DMA;
    case TransferProtocol::PioMultiple:
        if (write) return lba48 ? COMMAND_WRITE_MULTIPLE_EXT : COMMAND_WRITE_MULTIPLE;
        return lba48 ? COMMAND_READ_MULTIPLE_EXT : COMMAND_READ_MULTIPLE;
    case TransferProtocol::PioSectors:
        if (write) return lba48 ? COMMAND_WRITE_SECTORS_EXT : COMMAND_WRITE_SECTORS;
        return lba48 ? COMMAND_READ_SECTORS_EXT : COMMAND_READ_SECTORS;
    }
    return 0;
}

}  // namespace

TransferCommand choose_transfer_command(bool write, TransferProtocol protocol, uint64_t sector, uint32_t count,
                                        bool device_has_lba48) {
    if (count == 0) return {0, false};
    bool fits_lba28 = sector + count <= LBA28_SECTOR_LIMIT && count <= LBA28_MAX_SECTORS_PER_COMMAND;
    if (fits_lba28) return {opcode_for(write, protocol, false), false};
    bool fits_lba48 = device_has_lba48 && count <= LBA48_MAX_SECTORS_PER_COMMAND && sector + count <= (1ull << 48);
    if (!fits_lba48) return {0, false};
    return {opcode_for(write, protocol, true), true};
}

}  // namespace ata
