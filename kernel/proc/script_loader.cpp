// kernel/proc/script_loader.cpp -- see script_loader.h.
#include "kernel/proc/script_loader.h"

#include "fs/vfs/open_flags.h"
#include "fs/vfs/vfs.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/string.h"
#include "kernel/proc/process.h"

namespace {

constexpr size_t LINE_LIMIT = 256;   // Linux's BINPRM_BUF_SIZE
constexpr int MAX_DEPTH = 4;         // Linux's BINPRM_MAX_RECURSION
constexpr size_t MAX_ARGUMENTS = 1024;

bool is_blank(char c) { return c == ' ' || c == '\t'; }

// The "#!" line of `file`, parsed: the interpreter and its one optional
// argument, NUL-terminated inside `line`. False when the file is no script.
struct ScriptLine {
    char line[LINE_LIMIT + 1];
    const char* interpreter = nullptr;
    const char* argument = nullptr;  // nullptr: none
};

Result<bool> read_script_line(File& file, ScriptLine& out) {
    size_t got = TRY(file.read_at(0, out.line, LINE_LIMIT));
    if (got < 2 || out.line[0] != '#' || out.line[1] != '!') return false;
    out.line[got] = '\0';
    size_t length = 0;
    while (length < got && out.line[length] != '\n') ++length;
    if (length == got) return Error(ENOEXEC);  // no end of line where Linux looks for it
    out.line[length] = '\0';
    char* cursor = out.line + 2;
    while (is_blank(*cursor)) ++cursor;
    if (*cursor == '\0') return Error(ENOEXEC);  // "#!" and nothing
    out.interpreter = cursor;
    while (*cursor && !is_blank(*cursor)) ++cursor;
    if (*cursor) *cursor++ = '\0';
    while (is_blank(*cursor)) ++cursor;
    char* last = cursor + klib::strlen(cursor);
    while (last > cursor && is_blank(last[-1])) *--last = '\0';
    out.argument = *cursor ? cursor : nullptr;
    return true;
}

Result<ProgramStart> load_at_depth(Process& process, const char* path, const char* const* argv,
                                   const char* const* envp, int depth) {
    ScriptLine script;
    {
        FileRef file = TRY(vfs_open(process.working_directory, path, O_RDONLY, 0, process.credentials));
        if (!S_ISREG(file->inode()->mode())) return Error(EACCES);
        TRY(file->inode()->check_permission(process.credentials, MAY_EXEC));
        if (!TRY(read_script_line(*file, script))) return load_program(process, path, argv, envp);
    }
    if (depth == MAX_DEPTH) return Error(ELOOP);
    size_t old_count = 0;
    while (argv[old_count]) ++old_count;
    if (old_count + 3 > MAX_ARGUMENTS) return Error(E2BIG);
    auto* new_argv = new (std::nothrow) const char*[old_count + 4];
    if (!new_argv) return Error(ENOMEM);
    size_t count = 0;
    new_argv[count++] = script.interpreter;
    if (script.argument) new_argv[count++] = script.argument;
    new_argv[count++] = path;
    for (size_t i = 1; i < old_count; ++i) new_argv[count++] = argv[i];
    new_argv[count] = nullptr;
    auto started = load_at_depth(process, script.interpreter, new_argv, envp, depth + 1);
    delete[] new_argv;
    return started;
}

}  // namespace

Result<ProgramStart> load_program_or_script(Process& process, const char* path, const char* const* argv,
                                            const char* const* envp) {
    return load_at_depth(process, path, argv, envp, 0);
}
