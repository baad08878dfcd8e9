// kernel/boot_disks.h -- the block devices that exist from the start.
//
// Layer: kernel core (storage bring-up). Each Multiboot module becomes a
// RAM disk: the first ram0 (the root file system image), the next ram1, ...
// Registered in the block device registry, so devfs shows /dev/ram0 and
// mount finds it.
#pragma once

#include "kernel/multiboot.h"

void create_boot_ram_disks(const BootInfo& boot_info);
