"""The bash script corpus (tests/user/bash_corpus/) under our kernel: each
script, run by Debian's bash-static (/bin/bash in the root image), must
print exactly what it prints on the Linux host, status line included
(tests/user/bash_corpus_runs.py runs it there).

One machine runs the whole corpus: the scripts reach it on an ext2 disk
that `mke2fs -d` makes of the corpus folder, attached as the second
virtio disk, which /etc/rc mounts on /mnt/vdb. The scripts ask for much
of what a shell needs from a kernel: fork and wait4 for every subshell,
pipes and command substitution, signals sent with kill and caught by
traps, background jobs, descriptors moved with exec, and a stack that
grows to a raised RLIMIT_STACK (deep_recursion.sh).

    /usr/bin/python3 -m pytest -q tests/qemu/test_bash_corpus.py
"""
import difflib
import os
import subprocess
import sys

import pytest

from machine import BUILD

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "user"))
import bash_corpus_runs  # noqa: E402

SCRIPT_TIMEOUT = 600
# Scripts that need what the kernel does not have yet: each must still
# differ (so the entry goes when the kernel learns it).
MISSING = {
    "process_substitution": "no /dev/fd/N: Linux's /dev/fd is a link to /proc/self/fd, and devfs and "
                            "procfs have neither",
}


@pytest.fixture(scope="module")
def host_outputs(tmp_path_factory):
    scratch = tmp_path_factory.mktemp("bash-scratch")
    return {name: bash_corpus_runs.run_on_host(name, str(scratch)) for name in bash_corpus_runs.script_names()}


def test_every_script_prints_what_it_prints_on_linux(make_machine, tmp_path, host_outputs):
    if not os.path.exists(os.path.join(BUILD, "rootfs", "bin", "bash")):
        pytest.fail("the root image has no /bin/bash: see tools/fetch-debian-program")
    corpus_disk = str(tmp_path / "corpus.img")
    subprocess.run(["mke2fs", "-q", "-F", "-t", "ext2", "-E", "root_owner=0:0", "-d", bash_corpus_runs.CORPUS,
                    corpus_disk, "4M"], check=True)
    virtio = str(tmp_path / "virtio.img")
    subprocess.run(["cp", os.path.join(BUILD, "virtio.img"), virtio], check=True)
    shell = make_machine(append="init=/bin/init", virtio_disks=[virtio, corpus_disk + ":ro"]).boot()
    assert shell.run("cd /mnt/vdb; ls deep_recursion.sh") == "deep_recursion.sh\n"
    differing, learned = [], []
    for name, expected in host_outputs.items():
        got = shell.run(bash_corpus_runs.command_line(name), timeout=SCRIPT_TIMEOUT)
        if name in MISSING:
            if got == expected:
                learned.append(name)
        elif got != expected:
            differing.append("".join(difflib.unified_diff(expected.splitlines(True), got.splitlines(True),
                                                          f"{name}.sh on Linux", f"{name}.sh here")))
    assert differing == [], "\n".join(differing)
    assert learned == [], f"these run as on Linux now: take them out of MISSING: {learned}"
    assert shell.run("ls /tmp") == ""
    status, rest = shell.poweroff()
    assert status == 0, rest
