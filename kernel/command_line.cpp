// kernel/command_line.cpp -- splitting the boot parameters. See the header.
#include "kernel/command_line.h"

#include "kernel/lib/string.h"

CommandLine kernel_command_line;

void CommandLine::parse(const char* text) {
    klib::strlcpy(text_, text, sizeof text_);
    count_ = 0;
    init_argument_count_ = 0;
    char* cursor = text_;
    bool first_word = true;
    bool after_separator = false;
    while (*cursor) {
        while (*cursor == ' ' || *cursor == '\t') *cursor++ = '\0';
        if (!*cursor) break;
        char* word = cursor;
        while (*cursor && *cursor != ' ' && *cursor != '\t') ++cursor;
        if (*cursor) *cursor++ = '\0';
        bool is_image_path = first_word && klib::strchr(word, '/') && !klib::strchr(word, '=');
        first_word = false;
        if (after_separator) {
            if (init_argument_count_ < MAX_INIT_ARGUMENTS) init_arguments_[init_argument_count_++] = word;
            continue;
        }
        if (klib::strcmp(word, "--") == 0) {
            after_separator = true;
            continue;
        }
        if (is_image_path || count_ == MAX_PARAMETERS) continue;
        char* equals = klib::strchr(word, '=');
        if (equals) *equals = '\0';
        parameters_[count_++] = {word, equals ? equals + 1 : ""};
    }
}

const char* CommandLine::get(const char* key) const {
    // The last occurrence wins, as with Linux, so an appended setting overrides.
    for (size_t i = count_; i-- > 0;) {
        if (klib::strcmp(parameters_[i].key, key) == 0) return parameters_[i].value;
    }
    return nullptr;
}
