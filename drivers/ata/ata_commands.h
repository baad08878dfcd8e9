// drivers/ata/ata_commands.h -- which ATA command moves a request's data.
//
// Layer: device driver (ATA). Choosing the command is a pure function of
// the transfer (direction, protocol, first sector, count) and the device
// (LBA48 or not), kept apart from the register work so host unit tests
// check it. The rules (ATA/ATAPI-6, "48-bit Address feature set"):
//   - LBA28 commands address sectors below 2^28 and count 1..256 (a count
//     register of 0 means 256)
//   - beyond either, the 48-bit ("EXT") command is needed, which only a
//     device with LBA48 (IDENTIFY word 83 bit 10) accepts; it counts
//     1..65536
//   - otherwise the LBA28 command is used, as every device has it
// What must stay true: a transfer that neither form can carry is refused
// (the queue's limits keep such requests from reaching the driver).
#pragma once

#include <cstdint>

namespace ata {

enum class TransferProtocol : uint8_t { Dma, PioMultiple, PioSectors };

struct TransferCommand {
    uint8_t opcode;  // 0 when no command can carry the transfer
    bool lba48;
};

TransferCommand choose_transfer_command(bool write, TransferProtocol protocol, uint64_t sector, uint32_t count,
                                        bool device_has_lba48);

}  // namespace ata
