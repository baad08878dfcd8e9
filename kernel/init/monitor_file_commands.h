// kernel/init/monitor_file_commands.h -- the monitor's window on the file systems.
//
// Layer: init, the top floor (the kernel side of the user interface). ls,
// cat, stat, mount and umount, written only against the VFS's
// system-call-shaped API (fs/vfs/vfs.h), so each command walks the same path
// a program's system calls will: VFS -> file system -> page cache (file
// data; metadata through the buffer cache) -> request queue -> driver. They run as root
// with the namespace's root as working directory, and print errors the way
// coreutils does: "ls: /nope: No such file or directory".
#pragma once

void command_ls(int argc, char** argv);
void command_cat(int argc, char** argv);
void command_stat(int argc, char** argv);
void command_mount(int argc, char** argv);
void command_umount(int argc, char** argv);
void command_disks(int argc, char** argv);
void command_drop_caches(int argc, char** argv);
// Runs a user program and waits for it (the kernel's own fork + exec + wait).
void command_run(int argc, char** argv);
