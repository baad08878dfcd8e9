// tests/host/support/fake_procfs_sources.h -- a process table to show in /proc.
//
// Layer: test support (host only). Implements fs/procfs/procfs_sources.h
// from a table the test fills in, in place of the kernel's process table,
// allocators and clock (kernel/init/procfs_sources.cpp):
//
//   fake_procfs::reset();                           // empty table, pid 0, zeros
//   ProcessSnapshot& sh = fake_procfs::add_process(5, "sh", 1);
//   sh.state = 'S';                                 // change any field later too
//   fake_procfs::set_command_line(5, {"sh", "-c", "ls"});
//   fake_procfs::set_current_pid(5);                // who /proc/self is
//   fake_procfs::remove_process(5);                 // it ends and is reaped
//   fake_procfs::set_memory({...}); fake_procfs::set_uptime(ms, idle_ms);
//   fake_procfs::add_pci_function({...}, config);   // in bus/device/function order
//   fake_procfs::set_cpu_statistics({...}); fake_procfs::set_cpu_identity({...});
//
// Not thread-safe: the tests that use it run on one thread.
#pragma once

#include <initializer_list>
#include <string>
#include <vector>

#include "fs/procfs/procfs_sources.h"

namespace fake_procfs {

void reset();
// A running process with uid/gid 0 and 3 resident pages; returns it for changes.
ProcessSnapshot& add_process(int pid, const char* name, int parent_pid);
void remove_process(int pid);
void set_command_line(int pid, std::initializer_list<std::string> arguments);
void set_current_pid(int pid);
void set_memory(const MemorySnapshot& memory);
void set_uptime(uint64_t uptime_ms, uint64_t idle_ms);
void set_cpu_statistics(const CpuStatisticsSnapshot& statistics);
void set_cpu_identity(const CpuIdentity& identity);
// `config`: the configuration space (padded with zeros to 256 bytes).
void add_pci_function(const PciFunctionSnapshot& function, const std::vector<uint8_t>& config);

}  // namespace fake_procfs
