"""The file tools on the kernel: cp, mv, rm, mkdir, ln, find, du, wc, head,
tail, df and sync, between the read-only ext2 demo disk and tmpfs.

The same programs are compared with GNU coreutils on the host by
tests/user/test_file_tools.py; here they run on our system calls, and the
results are checked against the folder the demo disk was made from.
"""
import hashlib
import os
import shutil

import pytest

from machine import BUILD, ROOT

ATA = os.path.join(ROOT, "disks", "ata")


@pytest.fixture
def shell(make_machine, tmp_path):
    image = str(tmp_path / "ata.img")
    shutil.copy(os.path.join(BUILD, "ata.img"), image)
    return make_machine(append="init=/bin/init quiet", ata_disks=[image]).boot()


def host_files():
    found = {}
    for directory, _, names in os.walk(ATA):
        for name in names:
            path = os.path.join(directory, name)
            found[os.path.relpath(path, ATA)] = hashlib.md5(open(path, "rb").read()).hexdigest()
    return found


def test_cp_r_from_ext2_to_tmpfs_copies_every_byte(shell):
    assert shell.run("cp -r /mnt/ata /tmp/copy; echo $?") == "0\n"
    listed = shell.run("find /tmp/copy -type f").split()
    expected = host_files()
    assert sorted(os.path.relpath(p, "/tmp/copy") for p in listed) == sorted(expected)
    for relative, digest in expected.items():
        assert shell.run(f"md5sum /tmp/copy/{relative}").split()[0] == digest, relative
    assert shell.run("du -s /tmp/copy").split()[1] == "/tmp/copy"


def test_text_tools_agree_with_the_host(shell):
    words = os.path.join(ATA, "docs", "words.txt")
    lines = open(words).read().splitlines(True)
    assert shell.run("wc -l /mnt/ata/docs/words.txt") == f"{len(lines)} /mnt/ata/docs/words.txt\n"
    assert shell.run("head -n 3 /mnt/ata/docs/words.txt") == "".join(lines[:3])
    assert shell.run("tail -n 2 /mnt/ata/docs/words.txt") == "".join(lines[-2:])
    assert shell.run("find /mnt/ata -name '*.c'") == "/mnt/ata/src/checksum.c\n"


def test_making_moving_linking_and_removing_in_tmpfs(shell):
    assert shell.run("mkdir -p /tmp/a/b/c && cp /mnt/ata/hello.txt /tmp/a/b/c/ && echo ok") == "ok\n"
    assert shell.run("mv /tmp/a/b /tmp/moved && ln -s /tmp/moved/c/hello.txt /tmp/link && cat /tmp/link") == \
        open(os.path.join(ATA, "hello.txt")).read()
    assert shell.run("umount /mnt/ata && mount -t ext2 -o ro /dev/hda /mnt/ata && rm /mnt/ata/hello.txt") == \
        "rm: cannot remove '/mnt/ata/hello.txt': Read-only file system\n"
    assert shell.run("rm -r /tmp/a /tmp/moved /tmp/link; sync; ls /tmp") == ""
    df = shell.run("df").splitlines()
    assert df[0].split()[:2] == ["Filesystem", "1K-blocks"]
    assert any(line.endswith("/mnt/ata") and line.startswith("/dev/hda") for line in df), df
