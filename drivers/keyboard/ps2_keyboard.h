// drivers/keyboard/ps2_keyboard.h -- the PS/2 keyboard (US layout).
//
// Layer: device driver (character). IRQ 1 delivers scan codes (set 1, as the
// 8042 controller translates them by default). The driver tracks Shift,
// Ctrl and Caps Lock, turns key presses into characters -- Ctrl+letter into
// the control codes the line discipline understands -- and hands them to the
// console.
#pragma once

namespace ps2_keyboard {

void initialize();

}  // namespace ps2_keyboard
