"""/proc and ps from the shell: the mounts, the processes (init, the shell,
background jobs, zombies), the caller's own /proc/self, the disks' counters,
and the errors a read-only file system of made-up files gives."""
import re

import pytest


@pytest.fixture
def shell(make_machine):
    return make_machine(append="init=/bin/init").boot()


def ps_rows(output):
    """{pid: (ppid, stat, cmd)} from the output of ps or ps -f."""
    lines = output.splitlines()
    header = lines[0].split()
    assert header[-4:] == ["PID", "PPID", "STAT", "CMD"], output
    skip = len(header) - 4
    rows = {}
    for line in lines[1:]:
        fields = line.split(None, skip + 3)
        rows[int(fields[skip])] = (int(fields[skip + 1]), fields[skip + 2], fields[skip + 3])
    return rows


def test_proc_is_mounted_and_mounts_lists_every_file_system(shell):
    assert "vfs: mounted proc on /proc" in shell.boot_output
    mounts = [line.split() for line in shell.run("cat /proc/mounts").splitlines()]
    assert mounts == [["/dev/ram0", "/", "romfs", "ro", "0", "0"],
                      ["devfs", "/dev", "devfs", "rw", "0", "0"],
                      ["tmpfs", "/tmp", "tmpfs", "rw", "0", "0"],
                      ["proc", "/proc", "proc", "rw", "0", "0"]]
    assert shell.run("cat /proc/filesystems") == "\tromfs\n\text2\nnodev\tdevfs\nnodev\ttmpfs\nnodev\tproc\n"


def test_ls_proc_shows_the_system_files_and_the_processes(shell):
    names = shell.run("ls /proc").split()
    for name in ["diskstats", "filesystems", "meminfo", "mounts", "self", "uptime", "version"]:
        assert name in names
    pids = [int(name) for name in names if name.isdigit()]
    assert 1 in pids and len(pids) >= 3   # init, the shell, ls itself
    assert shell.run("ls -1 /proc/1") == "cmdline\ncomm\nexe\nstat\nstatus\n"
    assert "-> /bin/init" in shell.run("ls -l /proc/1/exe")


def test_ps_shows_init_the_shell_and_itself(shell):
    rows = ps_rows(shell.run("ps -f"))
    assert rows[1] == (0, "S", "/bin/init")
    shells = [pid for pid, (ppid, _, cmd) in rows.items() if ppid == 1 and cmd == "sh"]
    assert len(shells) == 1, rows
    own = [pid for pid, (ppid, _, cmd) in rows.items() if cmd == "ps -f"]
    assert len(own) == 1 and rows[own[0]][:2] == (shells[0], "R"), rows
    names = {cmd for _, _, cmd in ps_rows(shell.run("ps")).values()}
    assert {"init", "sh", "ps"} <= names


def test_background_job_and_its_end(shell):
    shell.run("sleep 100 &")
    rows = ps_rows(shell.run("ps -f"))
    sleepers = [pid for pid, (_, state, cmd) in rows.items() if cmd == "sleep 100"]
    assert len(sleepers) == 1 and rows[sleepers[0]][1] == "S", rows
    pid = sleepers[0]
    assert shell.run(f"cat /proc/{pid}/cmdline | cat; echo") == "sleep\x00100\x00\n"
    assert re.search(rf"^{pid} \(sleep\) S \d+ ", shell.run(f"cat /proc/{pid}/stat"))
    assert shell.run(f"kill {pid}") == ""
    # Gone, or a zombie until the shell reaps it; never a stale live entry.
    for _ in range(20):
        output = shell.run(f"cat /proc/{pid}/status")
        if "No such file or directory" in output:
            break
        assert "State:\tZ (zombie)" in output, output
    assert pid not in ps_rows(shell.run("ps"))


def test_proc_self_is_the_reader(shell):
    status = shell.run("cat /proc/self/status")
    assert status.startswith("Name:\tcat\n"), status
    fields = dict(line.split(":\t", 1) for line in status.splitlines())
    assert fields["State"] == "R (running)"
    assert int(fields["VmRSS"].split()[0]) > 0
    pid, parent = int(fields["Pid"]), int(fields["PPid"])
    assert re.search(rf"^\s*{parent}\s+1 S\s+sh$", shell.run("ps"), re.M)
    assert shell.run("cat /proc/self/stat").split()[1] == "(cat)"
    assert shell.run("cat /proc/self/cmdline | cat; echo") == "cat\x00/proc/self/cmdline\x00\n"
    assert pid > 1


def test_system_files(shell):
    meminfo = dict(re.findall(r"^(\w+):\s+(\d+) kB$", shell.run("cat /proc/meminfo"), re.M))
    # -m 128: all of it but the BIOS's and ACPI's few hundred KiB.
    assert 128 * 1024 - 1024 <= int(meminfo["MemTotal"]) <= 128 * 1024, meminfo
    # Free: less than the boot saw free, before init and the shell ran.
    free_at_boot = int(re.search(r"memory: 128 MiB installed, (\d+) KiB free", shell.boot_output).group(1))
    assert 0 < int(meminfo["MemFree"]) < free_at_boot, meminfo
    # The root romfs is read through the buffer cache, whose size the boot
    # log gives; no file system here keeps pages in the page cache (romfs
    # reads blocks, tmpfs owns its pages).
    buffer_cache = int(re.search(r"buffer cache: (\d+) KiB", shell.boot_output).group(1))
    assert 0 < int(meminfo["Buffers"]) <= buffer_cache, (meminfo, buffer_cache)
    assert (meminfo["Cached"], meminfo["Dirty"], meminfo["Writeback"]) == ("0", "0", "0"), meminfo
    assert re.fullmatch(r"\d+\.\d\d \d+\.\d\d\n", shell.run("cat /proc/uptime"))
    assert shell.run("cat /proc/version").startswith("StorageKernel version 0.1 (gcc version ")
    assert shell.run("uname -sr") == "StorageKernel 0.1\n"


def test_diskstats_counts_the_reads_of_ram0(shell):
    fields = shell.run("cat /proc/diskstats").splitlines()[0].split()
    assert len(fields) == 20, fields
    assert fields[:3] == ["1", "0", "ram0"]
    reads, sectors = int(fields[3]), int(fields[5])
    assert reads > 0 and sectors >= reads
    assert int(fields[7]) == 0   # nothing was written to the root image


def test_proc_is_read_only_with_clear_errors(shell):
    assert shell.run("echo x > /proc/mounts") == "sh: /proc/mounts: Permission denied\n"
    assert shell.run("echo x > /proc/new") == "sh: /proc/new: Permission denied\n"
    assert shell.run("echo x >> /proc/1/status") == "sh: /proc/1/status: Permission denied\n"
    assert shell.run("cat /proc/99999/status") == "cat: /proc/99999/status: No such file or directory\n"
    assert shell.run("ls /proc/99999") == "ls: /proc/99999: No such file or directory\n"
    assert shell.run("cat /proc/nothing") == "cat: /proc/nothing: No such file or directory\n"
    assert "Welcome" in shell.run("cat /etc/motd")   # and everything carries on
