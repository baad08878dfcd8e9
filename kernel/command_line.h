// kernel/command_line.h -- the kernel's boot parameters.
//
// Layer: boot. The command line from GRUB or `qemu -append` is a list of
// words: `key=value` settings and bare flags. Known ones:
//   init=PATH                  first program (init=monitor: the kernel monitor)
//   quiet                      only warnings and errors on the console
//   iosched=noop|elevator|deadline  every disk's I/O scheduler (default noop)
//   loglevel=error|warning|info|debug
//   max_user_processes=N       processes per user, root included (default 64)
// Unknown settings are kept, so each layer reads its own (buffer_cache_kib,
// page_cache_kib, ata=...).
// As with Linux, every word after a bare `--` is an argument for the first
// program instead (`init=/bin/sh -- /etc/script ARG`: argv[1], argv[2]...).
// Boot loaders put the kernel's path first; a first word containing '/'
// is skipped as that path.
#pragma once

#include <cstddef>

class CommandLine {
public:
    static constexpr size_t MAX_PARAMETERS = 32;
    static constexpr size_t MAX_TEXT = 512;
    static constexpr size_t MAX_INIT_ARGUMENTS = 8;

    void parse(const char* text);
    // The value of key=value, or nullptr when absent; "" for a bare flag.
    const char* get(const char* key) const;
    bool has(const char* key) const { return get(key) != nullptr; }
    const char* get_or(const char* key, const char* fallback) const {
        const char* value = get(key);
        return value ? value : fallback;
    }
    size_t count() const { return count_; }
    const char* key_at(size_t i) const { return parameters_[i].key; }
    const char* value_at(size_t i) const { return parameters_[i].value; }
    // The words after `--`, in order (at most MAX_INIT_ARGUMENTS are kept).
    size_t init_argument_count() const { return init_argument_count_; }
    const char* init_argument_at(size_t i) const { return init_arguments_[i]; }

private:
    struct Parameter {
        const char* key;
        const char* value;
    };
    char text_[MAX_TEXT] = {};
    Parameter parameters_[MAX_PARAMETERS] = {};
    size_t count_ = 0;
    const char* init_arguments_[MAX_INIT_ARGUMENTS] = {};
    size_t init_argument_count_ = 0;
};

// The kernel's own, parsed once in kernel_main.
extern CommandLine kernel_command_line;
