// drivers/acpi/acpi.h -- just enough ACPI to switch the machine off.
//
// Layer: platform firmware. Powering off a PC means writing the sleep type
// of state S5 into the PM1 control register(s). Where that register is, and
// which value S5 needs, is written in the firmware's ACPI tables:
//   RSDP (found by scanning the BIOS area) -> RSDT -> FADT ("FACP"):
//     PM1a/PM1b control ports, SMI command port, the DSDT's address;
//   DSDT (AML byte code): the \_S5 package holding SLP_TYPa and SLP_TYPb.
// initialize() reads these once; power_off() uses them. The FADT also names
// the CMOS register of the RTC's century (drivers/rtc/cmos_rtc.h).
#pragma once

#include <cstdint>

namespace acpi {

void initialize();
// Syncing disks is the caller's job. Returns only if the machine stayed on.
void power_off();
// The FADT's CENTURY field: the CMOS index of the RTC's century register,
// or 0 when the firmware names none (or before initialize()).
uint8_t rtc_century_register();

}  // namespace acpi
