"""The check program of eventfd, timerfd and epoll (eventcheck), run
natively on the Linux host: Linux's answers are the reference that the same
binary must give on our kernel (tests/qemu/test_event_files.py).

Run with Debian's interpreter from the repository root:
    /usr/bin/python3 -m pytest -q tests/user/test_event_files.py
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


def test_eventcheck_passes_on_linux():
    result = subprocess.run([os.path.join(BIN, "eventcheck")], stdout=subprocess.PIPE, timeout=120)
    output = result.stdout.decode()
    failed = [line for line in output.splitlines() if line.startswith("FAIL")]
    assert failed == [], output
    assert output.endswith("eventcheck: 0 failed\n"), output
    assert result.returncode == 0
    for kind in ("pipe", "socket", "eventfd", "timerfd"):
        assert f"ok {kind}: edge-triggered reports it\n" in output
        assert f"ok {kind}: ... once\n" in output
    assert "ok timerfd: periodic, 200 ms give about 10 expirations\n" in output


def test_eventcheck_help():
    result = subprocess.run([os.path.join(BIN, "eventcheck"), "--help"], stdout=subprocess.PIPE, timeout=30)
    assert result.stdout.decode().startswith("usage: eventcheck [--console]\n")
    assert result.returncode == 0
