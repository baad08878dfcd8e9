// kernel/debug/backtrace.h -- walking the chain of stack frames.
//
// Layer: debugging support. The kernel is compiled with frame pointers, so
// every function's frame starts with the caller's EBP followed by the return
// address. Following EBP from frame to frame lists the calls that led here.
// The walk checks each frame address before reading it, so a corrupted stack
// ends the backtrace instead of faulting inside a panic.
#pragma once

#include <cstdint>

// Prints up to max_frames lines "  #n 0xADDR name+0xOFF", starting from the
// frame whose EBP is given (the innermost caller's).
void print_backtrace_from(uint32_t frame_pointer, int max_frames = 24);

// Fills `addresses` with return addresses; returns how many were found.
int collect_backtrace(uint32_t frame_pointer, uint32_t* addresses, int max_frames);
