// kernel/version.h -- the kernel's name and version, as uname(2) and
// /proc/version report them.
//
// Layer: kernel interfaces (tools/check-layers). One place for the strings, so that `uname -a` and
// `cat /proc/version` always agree.
#pragma once

namespace kernel_version {

constexpr const char* SYSTEM_NAME = "StorageKernel";  // uname -s
constexpr const char* NODE_NAME = "qemu";             // uname -n
constexpr const char* RELEASE = "0.1";                // uname -r
constexpr const char* BUILD = "#1";                   // uname -v
constexpr const char* MACHINE = "i686";               // uname -m

}  // namespace kernel_version
