"""The check program of Unix-domain sockets (sockcheck), run natively on the
Linux host: Linux's answers are the reference that the same binary must
give on our kernel (tests/qemu/test_sockets.py).

Run with Debian's interpreter from the repository root:
    /usr/bin/python3 -m pytest -q tests/user/test_sockets.py
"""
import os
import subprocess

import pytest

import i386_programs

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = i386_programs.BIN


@pytest.fixture(scope="session", autouse=True)
def build():
    subprocess.run(["make", "-s", "-f", "user/user.mk", "user-programs"], cwd=ROOT, check=True)


def test_sockcheck_passes_on_linux(tmp_path):
    result = subprocess.run([os.path.join(BIN, "sockcheck"), str(tmp_path)], stdout=subprocess.PIPE, timeout=120)
    output = result.stdout.decode()
    failed = [line for line in output.splitlines() if line.startswith("FAIL")]
    assert failed == [], output
    assert output.endswith("sockcheck: 0 failed\n"), output
    assert result.returncode == 0
    for check in ("SCM_RIGHTS: a child reads the pipe through the passed descriptor (close-on-exec)",
                  "client: connect, ping, pong, peer name, the listener's SO_PEERCRED, EOF",
                  "dgram: a cut message",
                  "nonblocking: a full socket is EAGAIN"):
        assert f"ok {check}\n" in output
    assert os.listdir(tmp_path) == []  # the socket inodes were unlinked


def test_sockcheck_help():
    result = subprocess.run([os.path.join(BIN, "sockcheck"), "--help"], stdout=subprocess.PIPE, timeout=30)
    assert result.stdout.decode().startswith("usage: sockcheck [DIRECTORY]\n")
    assert result.returncode == 0
