"""The check programs of poll/select (pollcheck) and of job control
(jobcheck), run natively on the Linux host: Linux's answers are the
reference that the same binaries must give on our kernel
(tests/qemu/test_poll.py, tests/qemu/test_job_control.py).

Run with Debian's interpreter from the repository root:
    /usr/bin/python3 -m pytest -q tests/user/test_poll_and_job_control.py
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


def run_check_program(name, *args, **kwargs):
    result = subprocess.run([os.path.join(BIN, name), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            timeout=120, **kwargs)
    return result.returncode, result.stdout.decode()


def test_pollcheck_passes_on_linux():
    status, output = run_check_program("pollcheck", os.path.join(i386_programs.ELF_BIN, "pollcheck"))
    failed = [line for line in output.splitlines() if line.startswith("FAIL")]
    assert failed == [], output
    assert output.endswith("pollcheck: 0 failed\n"), output
    assert status == 0
    # The checks that make it worth running: sleeping on several queues,
    # signals, select's fd_set rules.
    for check in ("poll -1: sleeps until a child writes to one of two pipes",
                  "ppoll: the old mask is back afterwards",
                  "select: the empty pipe is taken out",
                  "poll: a closed descriptor gets POLLNVAL"):
        assert f"ok {check}\n" in output


def test_pollcheck_fails_loudly_on_a_missing_file():
    # The verdict lines are real: a file that cannot be opened is a FAIL.
    status, output = run_check_program("pollcheck", "/nonexistent/file")
    assert "FAIL open the regular file: got 0, expected 1" in output
    assert status >= 1


def test_jobcheck_passes_on_linux_without_a_terminal():
    status, output = run_check_program("jobcheck", stdin=subprocess.DEVNULL)
    assert [line for line in output.splitlines() if line.startswith("FAIL")] == [], output
    assert "no terminal checks" in output
    assert output.endswith("jobcheck: 0 failed\n"), output
    assert status == 0


def test_jobcheck_passes_on_linux_on_a_terminal():
    pexpect = pytest.importorskip("pexpect")
    child = pexpect.spawn(os.path.join(BIN, "jobcheck"), encoding="utf-8", timeout=120)
    child.expect(pexpect.EOF)
    child.close()
    output = child.before.replace("\r", "")
    assert [line for line in output.splitlines() if line.startswith("FAIL")] == [], output
    for check in ("a background read: SIGTTIN stops the reader", "a background TIOCSPGRP: SIGTTOU stops the caller",
                  "waitpid WUNTRACED: reports the stopped child", "SIGCHLD on a stop: si_code CLD_STOPPED",
                  "SIGTSTP in an orphaned process group is dropped: the process runs on"):
        assert f"ok {check}\n" in output
    assert output.endswith("jobcheck: 0 failed\n"), output
    assert child.exitstatus == 0
