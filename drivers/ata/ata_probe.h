// drivers/ata/ata_probe.h -- what sits at each place of a channel.
//
// Layer: device driver (ATA), the protocol of discovery. After a channel's
// reset, each drive place (master, slave) is asked in turn:
//   1. does anything answer there (its registers keep what is written)?
//   2. what does its reset signature say: ATA disk, ATAPI (CD-ROM), SATA?
//   3. for an ATA disk, IDENTIFY DEVICE (PIO data-in, polled) gives 512
//      bytes that parse_identify_data() reads.
// ATAPI devices are reported and left alone: they speak SCSI commands in
// packets, which this driver does not.
//
// Must stay true: probing polls with the devices' interrupts disabled
// (nIEN) and never waits long for a place where nothing answers, so a
// machine without disks boots without delay.
#pragma once

#include <cstdint>

#include "drivers/ata/ata_channel.h"

namespace ata {

enum class DriveKind { Absent, Ata, Atapi, Unknown };

// `identify_words` is filled when the result is DriveKind::Ata.
DriveKind probe_drive(AtaChannel& channel, int drive, uint16_t identify_words[256]);

// A command without data (SET FEATURES, SET MULTIPLE MODE), polled until
// the device is done: true when it completed without ERR or DF.
bool run_polled_command(AtaChannel& channel, int drive, const TaskFile& task);

const char* drive_kind_name(DriveKind kind);

}  // namespace ata
