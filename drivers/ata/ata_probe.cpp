// drivers/ata/ata_probe.cpp -- detecting and identifying drives. See the header.
#include "drivers/ata/ata_probe.h"

#include "drivers/ata/ata_registers.h"

namespace ata {
namespace {

// A present device answers IDENTIFY within milliseconds; spinning up a
// real disk may take seconds.
constexpr uint32_t IDENTIFY_TIMEOUT_MS = 5000;
constexpr uint32_t COMMAND_TIMEOUT_MS = 5000;

DriveKind kind_from_signature(uint8_t mid, uint8_t high) {
    if (mid == SIGNATURE_ATA_MID && high == SIGNATURE_ATA_HIGH) return DriveKind::Ata;
    if (mid == SIGNATURE_SATA_MID && high == SIGNATURE_SATA_HIGH) return DriveKind::Ata;
    if (mid == SIGNATURE_ATAPI_MID && high == SIGNATURE_ATAPI_HIGH) return DriveKind::Atapi;
    if (mid == SIGNATURE_SATA_ATAPI_MID && high == SIGNATURE_SATA_ATAPI_HIGH) return DriveKind::Atapi;
    return DriveKind::Unknown;
}

// IDENTIFY DEVICE, polled. An ATAPI device aborts it and shows its
// signature, which is how a device that reset with an unclear one is told.
DriveKind identify(AtaChannel& channel, int drive, uint16_t words[256]) {
    TaskFile task;
    task.command = COMMAND_IDENTIFY_DEVICE;
    channel.issue(drive, task);
    uint8_t status = channel.alternate_status();
    if (status == 0 || status == STATUS_FLOATING_BUS) return DriveKind::Absent;  // nobody took the command
    if (!channel.wait_for_data_request(IDENTIFY_TIMEOUT_MS, &status)) return DriveKind::Absent;
    if (status & (STATUS_ERROR | STATUS_DEVICE_FAULT)) {
        uint8_t mid, high;
        channel.read_signature(&mid, &high);
        DriveKind kind = kind_from_signature(mid, high);
        return kind == DriveKind::Atapi ? kind : DriveKind::Unknown;
    }
    channel.read_data(words, WORDS_PER_SECTOR);
    channel.status();  // the command is over: acknowledge it
    if (words[IDENTIFY_GENERAL_CONFIGURATION] & IDENTIFY_NOT_ATA) return DriveKind::Unknown;
    return DriveKind::Ata;
}

}  // namespace

DriveKind probe_drive(AtaChannel& channel, int drive, uint16_t identify_words[256]) {
    channel.select(drive);
    // The signature first: the presence test below overwrites only the
    // sector count and LBA low registers, not mid and high.
    uint8_t mid, high;
    channel.read_signature(&mid, &high);
    if (!channel.selected_drive_responds()) return DriveKind::Absent;
    DriveKind kind = kind_from_signature(mid, high);
    if (kind == DriveKind::Atapi) return kind;  // its status may well be 0 until IDENTIFY PACKET DEVICE
    // With no slave, the master answers the slave's register reads, but
    // its status reads 0 (ATA/ATAPI-6, "device 0 responding for device 1").
    uint8_t status = channel.alternate_status();
    if (status == 0 || status == STATUS_FLOATING_BUS) return DriveKind::Absent;
    if (kind != DriveKind::Ata) return kind;
    if (!channel.wait_not_busy(IDENTIFY_TIMEOUT_MS, &status)) return DriveKind::Absent;
    return identify(channel, drive, identify_words);
}

bool run_polled_command(AtaChannel& channel, int drive, const TaskFile& task) {
    channel.issue(drive, task);
    uint8_t status;
    if (!channel.wait_not_busy(COMMAND_TIMEOUT_MS, &status)) return false;
    channel.status();  // acknowledge, in case the device's interrupts are on
    return !(status & (STATUS_ERROR | STATUS_DEVICE_FAULT));
}

const char* drive_kind_name(DriveKind kind) {
    switch (kind) {
    case DriveKind::Absent: return "nothing";
    case DriveKind::Ata: return "ATA disk";
    case DriveKind::Atapi: return "ATAPI device";
    case DriveKind::Unknown: return "unknown device";
    }
    return "?";
}

}  // namespace ata
