"""The calendar clock and the listing programs on the kernel: `date` reads
the time the kernel took from the CMOS RTC at boot (QEMU's RTC follows the
host's clock, in UTC), `ls -l` shows owner names from /etc/passwd and
modification dates, and the small programs (which, seq, basename, dirname,
tee, clear) run from /bin as they do on the host (tests/user)."""
import calendar
import os
import re
import shutil
import time

import pytest

from machine import BUILD


@pytest.fixture
def shell(make_machine, tmp_path):
    image = str(tmp_path / "ata.img")
    shutil.copy(os.path.join(BUILD, "ata.img"), image)
    return make_machine(append="init=/bin/init quiet", ata_disks=[image]).boot()


def test_date_is_the_host_time(shell):
    guest = int(shell.run("date +%s"))
    assert abs(guest - time.time()) < 5, (guest, time.time())
    shown = shell.run("date").strip()
    # "Mon Dec  7 11:22:33 UTC 2026"
    assert re.fullmatch(r"[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d UTC \d{4}", shown), shown
    parsed = calendar.timegm(time.strptime(shown, "%a %b %d %H:%M:%S UTC %Y"))
    assert abs(parsed - time.time()) < 5, shown
    assert shell.run("date -u +%Y-%m-%d") == time.strftime("%Y-%m-%d\n", time.gmtime())
    assert shell.run("date -d @0") == "Thu Jan  1 00:00:00 UTC 1970\n"


def test_ls_l_shows_owner_names_and_dates(shell):
    line = shell.run("ls -l /etc/passwd")
    size = os.path.getsize(os.path.join(BUILD, "rootfs", "etc", "passwd"))
    # romfs keeps no times: its files date from 1970, more than six months ago.
    assert re.fullmatch(r"-rw-r--r-- 1 root root %d [A-Z][a-z]{2} [ \d]\d  \d{4} /etc/passwd\n" % size, line), line


def test_ls_l_of_a_new_file_on_ext2_shows_now(shell):
    assert shell.run("echo written > /mnt/ata/fresh.txt; echo $?") == "0\n"
    line = shell.run("ls -l /mnt/ata/fresh.txt")
    match = re.fullmatch(r"-rw-r--r-- 1 root root 8 ([A-Z][a-z]{2} [ \d]\d \d\d:\d\d) /mnt/ata/fresh.txt\n", line)
    assert match, line
    now = time.time()
    allowed = {time.strftime("%b %e %H:%M", time.gmtime(now + d)) for d in (-60, 0, 60)}
    assert match.group(1) in allowed, (line, allowed)
    assert int(shell.run("date -r /mnt/ata/fresh.txt +%s")) == pytest.approx(now, abs=60)


def test_ls_prints_columns_on_the_terminal(shell):
    names = sorted(os.listdir(os.path.join(BUILD, "rootfs", "bin")))
    output = shell.run("ls /bin")
    lines = output.splitlines()
    assert 1 < len(lines) < len(names), output
    assert sorted(output.split()) == names
    assert max(len(line.expandtabs(8)) for line in lines) < 80
    # Down then across: the first column is the first names in order.
    assert [line.split()[0] for line in lines] == names[:len(lines)]
    assert shell.run("ls -1 /bin").split("\n")[:-1] == names


def test_small_programs_run_on_the_kernel(shell):
    assert shell.run("which ls sh; echo $?") == "/bin/ls\n/bin/sh\n0\n"
    assert shell.run("which nope; echo $?") == "1\n"
    assert shell.run("seq -s , -w 8 11") == "08,09,10,11\n"
    assert shell.run("basename /mnt/ata/fresh.txt .txt; dirname /mnt/ata/fresh.txt") == "fresh\n/mnt/ata\n"
    assert shell.run("seq 3 | tee /tmp/copy /nope/x; echo $?; cat /tmp/copy") == \
        "tee: /nope/x: No such file or directory\n1\n2\n3\n1\n1\n2\n3\n"
    assert shell.run("clear | hexdump -C | head -n 1").startswith("00000000  1b 5b 48 1b 5b 32 4a 1b  5b 33 4a")


def test_root_sets_the_clock_with_date(shell):
    # clock_settime moves the calendar; the monotonic clock (sleep) goes on.
    assert shell.run("date -s @2000000000") == "Wed May 18 03:33:20 UTC 2033\n"
    assert 2000000000 <= int(shell.run("date +%s")) <= 2000000005
    assert shell.run("date 010112002030.30; date +%Y") == "Tue Jan  1 12:00:30 UTC 2030\n2030\n"
    assert shell.run("date -s @-5; echo $?") == \
        "date: cannot set date: Invalid argument\nWed Dec 31 23:59:55 UTC 1969\n1\n"
    assert shell.run("echo new > /tmp/later; date -r /tmp/later +%Y") == "2030\n"


def test_the_century_comes_from_the_register_the_fadt_names(make_machine):
    # The RTC's year register holds "99": only the century register that
    # QEMU's FADT names makes it 1999 (without it the kernel assumes 20xx).
    machine = make_machine(append="init=/bin/init quiet", qemu_args=["-rtc", "base=1999-12-31T23:59:40"]).boot()
    year, seconds = machine.run("date +'%Y %s'").split()
    assert year == "1999", (year, seconds)
    assert abs(int(seconds) - calendar.timegm((1999, 12, 31, 23, 59, 40))) < 15
    # The RTC keeps counting; the kernel reads it once, and the PIT goes on.
    time.sleep(max(0, calendar.timegm((1999, 12, 31, 23, 59, 59)) - int(seconds) + 2))
    assert machine.run("date +%Y") == "2000\n"
