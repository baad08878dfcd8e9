"""The memory calls on our kernel: /bin/memcheck, whose every check holds
on a Linux host too (tests/user/test_memory_calls.py), must give the same
verdicts here -- on an ext2 disk, whose file memcheck maps shared must
then hold, after poweroff unmounted it, the bytes the host expects, on an
image e2fsck finds clean; and on tmpfs, from the kernel monitor, which
shows that no user page is left behind."""
import os
import re
import shutil
import subprocess

import pytest

from disk_checks import assert_fsck_clean, file_of_image, md5
from machine import BUILD

MEMCHECK = os.path.join(BUILD, "user", "bin", "memcheck")
EXPECTED = bytearray(b"m" * 8192)
for offset, text in ((100, b"shared mapping"), (4196, b"after munmap"), (6000, b"after exit")):
    EXPECTED[offset:offset + len(text)] = text
EXPECTED = bytes(EXPECTED)


def verdicts(output):
    return [line for line in output.splitlines() if line.startswith(("ok ", "FAIL "))]


@pytest.fixture(scope="module")
def linux_verdicts(tmp_path_factory):
    """The check names memcheck reports on this Linux host (all "ok")."""
    directory = tmp_path_factory.mktemp("memcheck")
    output = subprocess.run([MEMCHECK, str(directory)], stdout=subprocess.PIPE, timeout=120).stdout.decode()
    assert "memcheck: 0 failed" in output, output
    return verdicts(output)


def test_memcheck_on_ext2_agrees_with_linux(make_machine, tmp_path, linux_verdicts):
    image = str(tmp_path / "virtio.img")
    shutil.copy(os.path.join(BUILD, "virtio.img"), image)
    shell = make_machine(append="init=/bin/init quiet", virtio_disks=[image]).boot()
    output = shell.run("/bin/memcheck /mnt/virtio", timeout=300)
    assert verdicts(output) == linux_verdicts, output
    assert output.endswith("memcheck: 0 failed\n"), output
    assert shell.run("md5sum /mnt/virtio/memcheck.data") == f"{md5(EXPECTED)}  /mnt/virtio/memcheck.data\n"
    status, _ = shell.poweroff()
    assert status == 0
    assert_fsck_clean(image)
    assert md5(file_of_image(image, "memcheck.data")) == md5(EXPECTED)


def user_pages(machine):
    match = re.search(r"user pages: (\d+) in use, (\d+) of them shared", machine.run("mem"))
    return int(match.group(1)), int(match.group(2))


def test_memcheck_on_tmpfs_leaves_no_page_behind(machine, linux_verdicts):
    output = machine.run("run /bin/memcheck /tmp", timeout=300)
    assert verdicts(output) == linux_verdicts, output
    assert "memcheck: 0 failed" in output
    assert user_pages(machine) == (0, 0)


# Debian's static bash grows a long string with glibc's realloc, which
# moves a large block with mremap(MREMAP_MAYMOVE) rather than copy it (on
# the host, `strace -e trace=mremap` shows some twenty calls for this).
LONG_STRING = ('x=$(printf "%0300000d" 7); y="$x$x"; for i in 1 2 3 4 5 6; do y="$y$x"; done; '
               'echo ${#y}; printf %s "$y" | md5sum')


def test_bash_grows_a_long_string_as_on_the_host(make_machine):
    bash = os.path.join(BUILD, "bash-static", "bash")
    host = subprocess.run([bash, "--norc", "-c", LONG_STRING], stdout=subprocess.PIPE, timeout=120).stdout.decode()
    assert host.startswith("2400000\n"), host
    shell = make_machine(append="init=/bin/init quiet").boot()
    assert shell.run(f"/bin/bash --norc -c '{LONG_STRING}'", timeout=300) == host
