// tests/host/support/fake_procfs_sources.cpp -- see fake_procfs_sources.h.
#include "tests/host/support/fake_procfs_sources.h"

#include <cstring>
#include <map>
#include <vector>

namespace {

struct FakeKernel {
    std::map<int, ProcessSnapshot> processes;  // ordered by pid, as next_pid needs
    int current_pid = 0;
    MemorySnapshot memory;
    uint64_t uptime_ms = 0, idle_ms = 0;
    CpuStatisticsSnapshot cpu_statistics;
    CpuIdentity cpu_identity;
    std::vector<PciFunctionSnapshot> pci_functions;  // in the order added
    std::vector<std::vector<uint8_t>> pci_configs;   // one per function
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

void set_cpu_statistics(const CpuStatisticsSnapshot& statistics) { fake().cpu_statistics = statistics; }
void set_cpu_identity(const CpuIdentity& identity) { fake().cpu_identity = identity; }

void add_pci_function(const PciFunctionSnapshot& function, const std::vector<uint8_t>& config) {
    fake().pci_functions.push_back(function);
    std::vector<uint8_t> padded = config;
    padded.resize(PROCFS_PCI_CONFIG_SIZE);
    fake().pci_configs.push_back(padded);
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
CpuStatisticsSnapshot cpu_statistics() { return fake().cpu_statistics; }
CpuIdentity cpu_identity() { return fake().cpu_identity; }
int pci_function_count() { return int(fake().pci_functions.size()); }

bool snapshot_pci_function(int index, PciFunctionSnapshot& out) {
    if (index < 0 || size_t(index) >= fake().pci_functions.size()) return false;
    out = fake().pci_functions[size_t(index)];
    return true;
}

bool read_pci_config(int index, uint8_t* config) {
    if (index < 0 || size_t(index) >= fake().pci_configs.size()) return false;
    std::memcpy(config, fake().pci_configs[size_t(index)].data(), PROCFS_PCI_CONFIG_SIZE);
    return true;
}

}  // namespace procfs_sources
