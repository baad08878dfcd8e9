// drivers/block/block_device_registry.h -- the names of the block devices.
//
// Layer: physical I/O. Drivers register each device they find ("ram0",
// "hda", "vda", "hda1"); devfs and mount look them up by name. Devices are
// never unregistered in this kernel (no hot-unplug), so a BlockDevice&
// from the registry stays valid.
#pragma once

#include "drivers/block/block_device.h"

// EEXIST when the name is taken, ENOSPC when the table is full.
Result<void> register_block_device(BlockDevice& device);
BlockDevice* find_block_device(const char* name);
// Calls visit(device) in registration order.
void for_each_block_device(void (*visit)(BlockDevice& device, void* context), void* context);
// For tests: forgets every registration.
void reset_block_device_registry();
