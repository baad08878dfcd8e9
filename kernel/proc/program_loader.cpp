// kernel/proc/program_loader.cpp -- ELF loading and the initial stack.
// See program_loader.h. Field layouts from the System V ABI (ELF32, i386).
#include "kernel/proc/program_loader.h"

#include "fs/vfs/open_flags.h"
#include "fs/vfs/vfs.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/string.h"
#include "kernel/mm/kmalloc.h"
#include "kernel/mm/memory_layout.h"
#include "kernel/proc/process.h"
#include "kernel/proc/user_thread.h"
#include "kernel/time/monotonic_clock.h"

namespace {

struct [[gnu::packed]] ElfHeader {
    uint8_t ident[16];
    uint16_t type, machine;
    uint32_t version, entry, program_header_offset, section_header_offset, flags;
    uint16_t header_size, program_header_size, program_header_count;
    uint16_t section_header_size, section_header_count, section_names_index;
};

struct [[gnu::packed]] ProgramHeader {
    uint32_t type, offset, virtual_address, physical_address, file_size, memory_size, flags, alignment;
};

constexpr uint16_t ELF_TYPE_EXECUTABLE = 2, ELF_MACHINE_386 = 3;
constexpr uint32_t SEGMENT_LOAD = 1, SEGMENT_INTERPRETER = 3, SEGMENT_WRITABLE = 2;
constexpr uint32_t MAX_PROGRAM_HEADERS = 32;
constexpr uint32_t STACK_TOP = AddressSpace::USER_END;
// The stack: its top INITIAL_STACK_SIZE bytes are mapped at execve, and it
// grows on demand (address_space.h) down to RLIMIT_STACK -- at least
// SMALLEST_STACK_REGION, at most LARGEST_STACK_REGION (an unlimited stack
// gets that much; Linux would switch to its legacy mmap layout).
constexpr uint32_t INITIAL_STACK_SIZE = 256 * 1024;
constexpr uint32_t SMALLEST_STACK_REGION = 128 * 1024;
constexpr uint32_t LARGEST_STACK_REGION = 1024 * 1024 * 1024;
constexpr uint32_t MAX_ARGUMENT_BYTES = 64 * 1024;
enum AuxiliaryType : uint32_t {
    AT_NULL = 0, AT_PHDR = 3, AT_PHENT = 4, AT_PHNUM = 5, AT_PAGESZ = 6, AT_BASE = 7, AT_FLAGS = 8,
    AT_ENTRY = 9, AT_UID = 11, AT_EUID = 12, AT_GID = 13, AT_EGID = 14, AT_PLATFORM = 15, AT_HWCAP = 16,
    AT_CLKTCK = 17, AT_SECURE = 23, AT_RANDOM = 25, AT_EXECFN = 31,
};

Result<void> read_exactly(File& file, void* buffer, uint32_t size, uint32_t offset) {
    size_t got = TRY(vfs_pread(file, buffer, size, offset));
    if (got != size) return Error(ENOEXEC);
    return {};
}

Result<void> check_header(const ElfHeader& header) {
    bool elf = klib::memcmp(header.ident, "\x7f" "ELF", 4) == 0;
    bool i386 = header.ident[4] == 1 /* 32-bit */ && header.ident[5] == 1 /* little-endian */ &&
                header.machine == ELF_MACHINE_386 && header.type == ELF_TYPE_EXECUTABLE;
    if (!elf || !i386 || header.program_header_size != sizeof(ProgramHeader) ||
        header.program_header_count == 0 || header.program_header_count > MAX_PROGRAM_HEADERS) {
        return Error(ENOEXEC);
    }
    return {};
}

// Maps and fills one PT_LOAD segment; returns its end (for the break).
Result<uint32_t> load_segment(File& file, AddressSpace& space, const ProgramHeader& segment) {
    uint64_t end = uint64_t(segment.virtual_address) + segment.memory_size;
    if (segment.file_size > segment.memory_size || end > STACK_TOP - INITIAL_STACK_SIZE || segment.memory_size == 0 ||
        segment.virtual_address < memory_layout::PAGE_SIZE) {
        return Error(ENOEXEC);
    }
    uint32_t first_page = memory_layout::page_round_down(segment.virtual_address);
    uint32_t span = uint32_t(end) - first_page;
    // Adjacent segments may share a page: map only the pages not yet there.
    for (uint32_t page = first_page; page < end; page += memory_layout::PAGE_SIZE) {
        if (!space.is_mapped(page, false)) TRY(space.map_anonymous(page, memory_layout::PAGE_SIZE, true));
    }
    // A buffer of this load's own: several programs may be loading at once,
    // each sleeping in its reads while the others run.
    constexpr uint32_t CHUNK = memory_layout::PAGE_SIZE;
    auto* chunk = static_cast<uint8_t*>(kmalloc(CHUNK));
    if (!chunk) return Error(ENOMEM);
    Result<void> copied;
    for (uint32_t done = 0; done < segment.file_size && !copied.is_error();) {
        uint32_t count = segment.file_size - done < CHUNK ? segment.file_size - done : CHUNK;
        copied = read_exactly(file, chunk, count, segment.offset + done);
        if (!copied.is_error()) copied = space.write(segment.virtual_address + done, chunk, count);
        done += count;
    }
    kfree(chunk);
    TRY(copied);
    if (!(segment.flags & SEGMENT_WRITABLE)) space.protect(first_page, span, false);
    return uint32_t(end);
}

struct LoadedImage {
    uint32_t entry, program_headers_address, program_header_count, image_end;
};

Result<LoadedImage> load_segments(File& file, AddressSpace& space) {
    ElfHeader header;
    TRY(read_exactly(file, &header, sizeof header, 0));
    TRY(check_header(header));
    ProgramHeader segments[MAX_PROGRAM_HEADERS];
    TRY(read_exactly(file, segments, header.program_header_count * sizeof(ProgramHeader), header.program_header_offset));
    LoadedImage image{header.entry, 0, header.program_header_count, 0};
    for (uint32_t i = 0; i < header.program_header_count; ++i) {
        const ProgramHeader& segment = segments[i];
        if (segment.type == SEGMENT_INTERPRETER) return Error(ENOEXEC);  // dynamic: not supported
        if (segment.type != SEGMENT_LOAD) continue;
        uint32_t end = TRY(load_segment(file, space, segment));
        if (end > image.image_end) image.image_end = end;
        // The program headers are in memory if this segment covers them.
        uint32_t headers_end = header.program_header_offset + header.program_header_count * sizeof(ProgramHeader);
        if (segment.offset <= header.program_header_offset && headers_end <= segment.offset + segment.file_size) {
            image.program_headers_address = segment.virtual_address + (header.program_header_offset - segment.offset);
        }
    }
    if (image.image_end == 0 || !space.is_mapped(image.entry, false)) return Error(ENOEXEC);
    return image;
}

// Builds the initial stack in a kernel buffer laid out for its final
// address, then copies it in. Returns the initial ESP.
class StackBuilder {
public:
    explicit StackBuilder(uint8_t* buffer) : buffer_(buffer) {}
    // Pushes bytes at the top; returns their user address.
    uint32_t push_bytes(const void* data, uint32_t size) {
        if (used_ + size > MAX_ARGUMENT_BYTES) overflow_ = true;
        if (overflow_) return 0;
        used_ += size;
        klib::memcpy(buffer_ + MAX_ARGUMENT_BYTES - used_, data, size);
        return STACK_TOP - used_;
    }
    uint32_t push_string(const char* text) { return push_bytes(text, uint32_t(klib::strlen(text) + 1)); }
    uint32_t push_word(uint32_t word) { return push_bytes(&word, 4); }
    void align(uint32_t alignment) { while ((STACK_TOP - used_) % alignment) push_bytes("", 1); }
    bool overflowed() const { return overflow_; }
    const uint8_t* top_bytes() const { return buffer_ + MAX_ARGUMENT_BYTES - used_; }
    uint32_t used() const { return used_; }

private:
    uint8_t* buffer_;
    uint32_t used_ = 0;
    bool overflow_ = false;
};

uint32_t count_strings(const char* const* strings) {
    uint32_t count = 0;
    while (strings && strings[count]) ++count;
    return count;
}

uint32_t hardware_capabilities() {
    uint32_t eax = 1, ebx, ecx, edx;
    asm volatile("cpuid" : "+a"(eax), "=b"(ebx), "=c"(ecx), "=d"(edx));
    return edx;
}

Result<uint32_t> build_stack(AddressSpace& space, const LoadedImage& image, const char* const* argv,
                             const char* const* envp, const char* path) {
    auto* buffer = static_cast<uint8_t*>(kmalloc(MAX_ARGUMENT_BYTES));
    if (!buffer) return Error(ENOMEM);
    StackBuilder stack(buffer);
    uint32_t argc = count_strings(argv), envc = count_strings(envp);
    uint32_t argument_addresses[256], environment_addresses[256];
    if (argc > 255 || envc > 255) {
        kfree(buffer);
        return Error(E2BIG);
    }
    uint32_t execfn = stack.push_string(path);
    for (uint32_t i = envc; i-- > 0;) environment_addresses[i] = stack.push_string(envp[i]);
    for (uint32_t i = argc; i-- > 0;) argument_addresses[i] = stack.push_string(argv[i]);
    uint32_t platform = stack.push_string("i686");
    uint64_t seed[2] = {monotonic_clock::ticks() * 0x9E3779B97F4A7C15ull, uint64_t(image.entry) ^ 0xD1B54A32D192ED03ull};
    uint32_t random = stack.push_bytes(seed, sizeof seed);
    stack.align(16);
    // Everything below is read upwards from ESP: push it in reverse.
    const uint32_t auxiliary[][2] = {
        {AT_PHDR, image.program_headers_address}, {AT_PHENT, sizeof(ProgramHeader)},
        {AT_PHNUM, image.program_header_count},    {AT_PAGESZ, memory_layout::PAGE_SIZE},
        {AT_BASE, 0}, {AT_FLAGS, 0}, {AT_ENTRY, image.entry}, {AT_UID, 0}, {AT_EUID, 0}, {AT_GID, 0},
        {AT_EGID, 0}, {AT_PLATFORM, platform}, {AT_HWCAP, hardware_capabilities()}, {AT_CLKTCK, 100},
        {AT_SECURE, 0}, {AT_RANDOM, random}, {AT_EXECFN, execfn}, {AT_NULL, 0},
    };
    // Keep ESP 16-byte aligned after argc is pushed, as the i386 ABI expects.
    uint32_t words = 1 + argc + 1 + envc + 1 + 2 * (sizeof auxiliary / sizeof auxiliary[0]);
    while ((stack.used() + words * 4) % 16) stack.push_bytes("", 1);
    for (size_t i = sizeof auxiliary / sizeof auxiliary[0]; i-- > 0;) {
        stack.push_word(auxiliary[i][1]);
        stack.push_word(auxiliary[i][0]);
    }
    stack.push_word(0);
    for (uint32_t i = envc; i-- > 0;) stack.push_word(environment_addresses[i]);
    stack.push_word(0);
    for (uint32_t i = argc; i-- > 0;) stack.push_word(argument_addresses[i]);
    uint32_t initial_stack_pointer = stack.push_word(argc);
    Result<void> copied = stack.overflowed() ? Result<void>(Error(E2BIG))
                                             : space.write(initial_stack_pointer, stack.top_bytes(), stack.used());
    kfree(buffer);
    if (copied.is_error()) return Error(copied.error());
    return initial_stack_pointer;
}

// Maps the stack's first pages and reserves the region it may grow into,
// from the RLIMIT_STACK of the process calling execve; never over the image.
Result<void> map_stack(AddressSpace& space, uint64_t limit, uint32_t image_end) {
    uint64_t region = limit < LARGEST_STACK_REGION ? memory_layout::page_round_up(uint32_t(limit)) : LARGEST_STACK_REGION;
    if (region < SMALLEST_STACK_REGION) region = SMALLEST_STACK_REGION;
    uint32_t initial = region < INITIAL_STACK_SIZE ? uint32_t(region) : INITIAL_STACK_SIZE;
    uint32_t lowest = STACK_TOP - uint32_t(region);
    uint32_t image_top = memory_layout::page_round_up(image_end);
    if (lowest < image_top) lowest = image_top;
    TRY(space.map_anonymous(STACK_TOP - initial, initial, true));
    space.set_stack_region(lowest, STACK_TOP - initial);
    return {};
}

// The name, arguments and program file that ps and /proc/<pid> show
// (process.h). Arguments that do not fit are cut, the last one still
// NUL-terminated. Written under InterruptGuard: /proc copies them under it.
void remember_program(Process& process, const char* path, const File& file, const char* const* argv) {
    char executable[PROCESS_EXECUTABLE_PATH_SIZE];
    if (d_path(file.path(), executable, sizeof executable).is_error()) executable[0] = '\0';
    const char* base = klib::strrchr(path, '/');
    InterruptGuard atomic;
    klib::strlcpy(process.name, base ? base + 1 : path, sizeof process.name);
    klib::memcpy(process.executable_path, executable, sizeof executable);
    size_t used = 0;
    for (; *argv != nullptr && used < sizeof process.command_line; ++argv) {
        size_t room = sizeof process.command_line - used;
        size_t length = klib::strlen(*argv);
        if (length >= room) length = room - 1;
        klib::memcpy(process.command_line + used, *argv, length);
        process.command_line[used + length] = '\0';
        used += length + 1;
    }
    process.command_line_length = uint32_t(used);
}

}  // namespace

Result<ProgramStart> load_program(Process& process, const char* path, const char* const* argv,
                                  const char* const* envp) {
    FileRef file = TRY(vfs_open(process.working_directory, path, O_RDONLY, 0, process.credentials));
    if (!S_ISREG(file->inode()->mode())) return Error(EACCES);
    TRY(file->inode()->check_permission(process.credentials, MAY_EXEC));
    AddressSpace* space = TRY(AddressSpace::create());
    auto fail = [&](int error) -> Result<ProgramStart> {
        delete space;
        return Error(error);
    };
    auto image = load_segments(*file, *space);
    if (image.is_error()) return fail(image.error());
    if (auto mapped = map_stack(*space, process.limits.soft(resource_limits::STACK), image.value().image_end);
        mapped.is_error()) {
        return fail(mapped.error());
    }
    auto stack = build_stack(*space, image.value(), argv, envp, path);
    if (stack.is_error()) return fail(stack.error());
    // The point of no return: the old program (if any) is gone, and with
    // it every other thread running it (user_thread.h).
    if (scheduler::current().process == &process) end_other_threads();
    // Swapped before the old one is freed: /proc may look at it meanwhile,
    // and the CPU must not be left on a freed page directory (exec runs in
    // the old address space; a context switch reloads the thread's).
    AddressSpace* old_space = process.address_space;
    {
        InterruptGuard atomic;
        process.address_space = space;
        Thread& thread = scheduler::current();
        if (old_space && thread.process == &process) {
            thread.page_directory_physical = space->page_directory_physical();
            space->activate();
        }
    }
    {
        InterruptGuard atomic;
        AddressSpace::release(old_space);  // a vfork parent may still use it
    }
    process.break_start = process.break_end = memory_layout::page_round_up(image.value().image_end);
    remember_program(process, path, *file, argv);
    return ProgramStart{image.value().entry, stack.value()};
}
