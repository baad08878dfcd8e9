"""/proc/stat, /proc/cpuinfo and /proc/loadavg on our kernel: Linux's
formats, checked field by field against the host's own files, numbers that
only grow, and the outside programs that read them -- Debian's busybox
`top`, `nproc` and `uptime`, and static glibc's CPU count and load
(user/glibc/cpucount.c) -- plus `hostname`, which sets the node name that
uname reports."""
import os
import re
import time

import pytest

from machine import Machine


@pytest.fixture(scope="module")
def shell(tmp_path_factory, busybox_root):
    machine = Machine(tmp_path_factory.mktemp("proc-cpu"), append="init=/bin/init", root_image=busybox_root)
    machine.boot()
    yield machine
    machine.close()


def stat_fields(text):
    return {line.split()[0]: [int(value) for value in line.split()[1:]] for line in text.splitlines()}


def test_proc_stat_has_linuxs_lines_and_one_cpu(shell):
    text = shell.run("cat /proc/stat")
    lines = text.splitlines()
    assert lines[0].startswith("cpu  ") and lines[1].startswith("cpu0 "), text
    fields = stat_fields(text)
    host = stat_fields(open("/proc/stat").read())
    # The same names as the host's (which has one cpuN line per CPU), in the same order.
    host_names = [name for name in host if not re.fullmatch(r"cpu\d+", name) or name == "cpu0"]
    assert list(fields) == host_names
    for name in ("cpu", "cpu0"):
        assert len(fields[name]) == len(host[name]) == 10  # user nice system idle iowait irq softirq steal guest guest_nice
    assert fields["cpu"] == fields["cpu0"]
    assert len(fields["softirq"]) == len(host["softirq"]) == 11
    assert len(fields["intr"]) == 17 and fields["intr"][0] >= fields["intr"][1] > 0  # the timer's IRQ 0 counts
    assert abs(fields["btime"][0] - int(time.time())) < 3600
    assert fields["processes"][0] >= 3 and fields["procs_running"][0] >= 1


def test_proc_stat_counters_only_grow(shell):
    first = stat_fields(shell.run("cat /proc/stat"))
    shell.run("/bin/seq 1 20000 > /dev/null")
    second = stat_fields(shell.run("cat /proc/stat"))
    for name in ("intr", "ctxt", "processes"):
        assert second[name][0] > first[name][0], (name, first[name], second[name])
    assert all(b >= a for a, b in zip(first["cpu"], second["cpu"]))
    assert sum(second["cpu"]) > sum(first["cpu"])
    # What the ticks found: the total is the time since boot, in USER_HZ = 100 ticks.
    uptime = float(shell.run("cat /proc/uptime").split()[0])
    assert abs(sum(second["cpu"]) / 100 - uptime) < 1.0


def cpuinfo_fields(text):
    fields = {}
    for line in text.splitlines():
        if ":" in line:
            name, _, value = line.partition(":")
            fields[name.strip()] = value.strip()
    return fields


def test_proc_cpuinfo_names_its_fields_as_linux(shell):
    text = shell.run("cat /proc/cpuinfo")
    ours = cpuinfo_fields(text)
    host = cpuinfo_fields(open("/proc/cpuinfo").read())
    # Each line is "name<tabs>: value", the name padded with tabs exactly as the host's.
    host_prefixes = {line.split(":")[0].strip(): line.split(":")[0]
                     for line in open("/proc/cpuinfo").read().splitlines() if ":" in line}
    for line in text.splitlines():
        if line:
            assert re.fullmatch(r"[a-z_ A-Z0-9]+\t+: ?.*|power management:", line), line
            name = line.split(":")[0].strip()
            if name in host_prefixes:
                assert line.split(":")[0] == host_prefixes[name], line
    assert ours["processor"] == "0" and text.count("processor\t:") == 1
    for name in ours:
        if name not in ("fdiv_bug", "f00f_bug", "coma_bug"):  # a 32-bit kernel's lines; the host runs 64-bit
            assert name in host, name
    assert ours["vendor_id"] in ("GenuineIntel", "AuthenticAMD")
    assert ours["model name"] == "QEMU Virtual CPU version 2.5+"   # QEMU's default i386 CPU
    assert ours["cpu family"].isdigit() and ours["model"].isdigit() and ours["stepping"].isdigit()
    assert {"fpu", "tsc", "cx8", "cmov", "mmx", "fxsr", "sse", "sse2"} <= set(ours["flags"].split())
    assert set(ours["flags"].split()) <= set(FLAG_NAMES)
    assert re.fullmatch(r"\d+\.\d{3}", ours["cpu MHz"]) and re.fullmatch(r"\d+\.\d{2}", ours["bogomips"])
    assert abs(float(ours["bogomips"]) - 2 * float(ours["cpu MHz"])) < 1


# The names Linux gives the CPUID bits this kernel reports (cpufeatures.h).
FLAG_NAMES = """fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 pn clflush dts acpi
mmx fxsr sse sse2 ss ht tm ia64 pbe syscall mp nx mmxext fxsr_opt pdpe1gb rdtscp lm 3dnowext 3dnow pni pclmulqdq
dtes64 monitor ds_cpl vmx smx est tm2 ssse3 cid sdbg fma cx16 xtpr pdcm pcid dca sse4_1 sse4_2 x2apic movbe
popcnt tsc_deadline_timer aes xsave avx f16c rdrand hypervisor lahf_lm cmp_legacy svm extapic cr8_legacy abm
sse4a misalignsse 3dnowprefetch osvw ibs xop skinit wdt lwp fma4 tce nodeid_msr tbm topoext perfctr_core
perfctr_nb bpext ptsc perfctr_llc mwaitx""".split()


def test_proc_loadavg(shell):
    fields = shell.run("cat /proc/loadavg").split()
    assert fields[:3] == ["0.00", "0.00", "0.00"]     # no load sampler runs
    running, threads = map(int, fields[3].split("/"))
    assert 1 <= running <= threads
    assert int(fields[4]) >= 3


def test_busybox_reads_them(shell):
    assert shell.run("busybox nproc") == "1\n"
    top = shell.run("busybox top -b -n1")
    assert re.search(r"^CPU:\s+\d+% usr\s+\d+% sys", top, re.M), top
    assert re.search(r"^Load average: 0\.00 0\.00 0\.00 \d+/\d+ \d+", top, re.M), top
    assert re.search(r"busybox top -b -n1", top), top
    assert re.search(r"up .*load average: 0\.00, 0\.00, 0\.00", shell.run("busybox uptime"))


def test_busybox_hostname_sets_the_node_name(shell):
    assert shell.run("busybox hostname") == "qemu\n"
    assert shell.run("busybox hostname storage; echo $?") == "0\n"
    assert shell.run("uname -n") == "storage\n"
    assert shell.run("busybox hostname") == "storage\n"
    assert shell.run("busybox hostname qemu; uname -n") == "qemu\n"


def test_glibc_counts_one_cpu(shell):
    # Static glibc's answers (user/glibc/cpucount.c) come from /proc/stat,
    # /proc/cpuinfo, sched_getaffinity and /proc/loadavg here (there is no /sys).
    assert shell.run("/usr/bin/cpucount") == (
        "sysconf(_SC_NPROCESSORS_ONLN): 1\n"
        "sysconf(_SC_NPROCESSORS_CONF): 1\n"
        "get_nprocs: 1\n"
        "get_nprocs_conf: 1\n"
        "sched_getaffinity: 1\n"
        "sysconf(_SC_CLK_TCK): 100\n"
        "getloadavg: 3 0.00 0.00 0.00\n")
