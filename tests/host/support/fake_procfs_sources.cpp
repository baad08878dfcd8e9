// tests/host/support/fake_procfs_sources.cpp -- see fake_procfs_sources.h.
#include "tests/host/support/fake_procfs_sources.h"

#include <cstring>
#include <map>

namespace {

struct FakeKernel {
    std::map<int, ProcessSnapshot> processes;  // ordered by pid, as next_pid needs
    int current_pid = 0;
    MemorySnapshot memory;
    uint64_t uptime_ms = 0, idle_ms = 0;
};

FakeKernel& fake() {
    static FakeKernel kernel;
    return kernel;
}

}  // namespace

namespace fake_procfs {

void reset() { fake() = FakeKernel(); }

ProcessSnapshot& add_process(int pid, const char* name, int parent_pid) {
    ProcessSnapshot& process = fake().processes[pid];
    process = ProcessSnapshot();
    process.pid = pid;
    process.parent_pid = parent_pid;
    process.process_group = pid;
    std::strncpy(process.name, name, sizeof(process.name) - 1);
    process.umask = 022;
    process.has_memory = true;
    process.resident_pages = 3;
    return process;
}

void remove_process(int pid) { fake().processes.erase(pid); }

void set_command_line(int pid, std::initializer_list<std::string> arguments) {
    ProcessSnapshot& process = fake().processes.at(pid);
    process.command_line_length = 0;
    for (const std::string& argument : arguments) {
        std::memcpy(process.command_line + process.command_line_length, argument.c_str(), argument.size() + 1);
        process.command_line_length += argument.size() + 1;
    }
}

void set_current_pid(int pid) { fake().current_pid = pid; }
void set_memory(const MemorySnapshot& memory) { fake().memory = memory; }

void set_uptime(uint64_t uptime_ms, uint64_t idle_ms) {
    fake().uptime_ms = uptime_ms;
    fake().idle_ms = idle_ms;
}

}  // namespace fake_procfs

namespace procfs_sources {

bool snapshot_process(int pid, ProcessSnapshot& out) {
    auto found = fake().processes.find(pid);
    if (found == fake().processes.end()) return false;
    out = found->second;
    return true;
}

int next_pid(int at_least) {
    auto found = fake().processes.lower_bound(at_least);
    return found == fake().processes.end() ? 0 : found->first;
}

int current_pid() { return fake().current_pid; }
MemorySnapshot memory() { return fake().memory; }
uint64_t uptime_ms() { return fake().uptime_ms; }
uint64_t idle_ms() { return fake().idle_ms; }
const char* kernel_version() { return "StorageKernel version 0.1 (host test) #1"; }

}  // namespace procfs_sources
