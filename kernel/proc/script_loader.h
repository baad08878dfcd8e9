// kernel/proc/script_loader.h -- execve of a script: "#!INTERPRETER [ARG]".
//
// Layer: processes. When the file given to execve starts with "#!", the
// kernel runs the interpreter named on that line instead, as Linux's
// binfmt_script does: the new argv is INTERPRETER, then ARG if the line has
// one (everything after the name, blanks trimmed, as one argument), then
// the path given to execve, then the old argv without its argv[0]. The line
// must end within its first 256 bytes (Linux's BINPRM_BUF_SIZE); the
// interpreter may itself be a script, four levels deep at most (ELOOP
// beyond, as Linux). The script must be readable and executable by the
// caller, as a program must. Any other file goes to
// load_program (program_loader.h), whose errors come back unchanged.
#pragma once

#include "kernel/proc/program_loader.h"

Result<ProgramStart> load_program_or_script(Process& process, const char* path, const char* const* argv,
                                            const char* const* envp);
