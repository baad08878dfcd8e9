"""Tests of the programs that check the kernel (sigcheck, fault, cowcheck,
forkbomb, memhog), run natively on the Linux host: Linux's answers are the
reference the same binaries must give on our kernel (tests/qemu).

Run with Debian's interpreter from the repository root:
    /usr/bin/python3 -m pytest -q tests/user        (or: make test-user)
"""
import os
import re
import signal
import subprocess
import time

import pytest

import i386_programs

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = i386_programs.BIN  # where our programs run from (natively or under qemu-i386)


@pytest.fixture(scope="session", autouse=True)
def build():
    subprocess.run(["make", "-s", "-f", "user/user.mk", "user-programs"], cwd=ROOT, check=True)


def prog(name):
    return os.path.join(BIN, name)


def run(name, *args, **kwargs):
    """Runs one of our programs; returns the CompletedProcess (bytes)."""
    kwargs.setdefault("stdout", subprocess.PIPE)
    kwargs.setdefault("stderr", subprocess.PIPE)
    kwargs.setdefault("timeout", 30)
    result = subprocess.run([prog(name), *args], **kwargs)
    result.stderr = i386_programs.without_emulator_notes(result.stderr)
    return result


# ---- sigcheck and fault: signals ----

# Where the host cannot execute i386 programs, sigcheck runs under
# qemu-i386, whose emulation of Linux's i386 signal delivery (Debian's
# qemu-user 7.2) differs from Linux in exactly these checks: a SA_SIGINFO
# handler installed without SA_RESTORER returns into qemu's own trampoline
# page, which holds no code (the child ends with SIGSEGV); signal 64 cannot
# be blocked; the handler does not start with the direction flag clear and
# the default MXCSR; the x87 state is not saved across a handler. Every other
# check must hold there too.
QEMU_USER_SIGNAL_DIFFERENCES = {
    "and so does a SA_SIGINFO handler",
    "the other signals can",
    "a handler starts with the direction flag clear",
    "a handler starts with the default MXCSR",
    "an x87 register survives a handler",
    "the x87 control word survives a handler",
    "integer and x87 registers survive signals at any instruction",
}


def test_sigcheck_passes_on_linux():
    # Linux is the reference: every check sigcheck makes on our kernel holds here.
    result = run("sigcheck", timeout=120)
    output = result.stdout.decode()
    failed = {line[len("FAIL "):].split(":")[0] for line in output.splitlines() if line.startswith("FAIL")}
    expected = set() if i386_programs.NATIVE else QEMU_USER_SIGNAL_DIFFERENCES
    assert failed == expected, output
    assert output.endswith(f"sigcheck: {len(expected)} failed\n"), output
    assert result.returncode == len(expected)   # sigcheck exits with its count of failures
    assert "ok with SA_RESTART the read goes on and returns the data" in output
    assert "ok a handler starts with an empty x87 stack" in output


FAULT_MODES = [("segv", signal.SIGSEGV), ("null", signal.SIGSEGV), ("divide", signal.SIGFPE),
               ("illegal", signal.SIGILL), ("abort", signal.SIGABRT)]


@pytest.mark.parametrize("mode,sig", FAULT_MODES)
def test_fault_ends_with_its_signal_on_linux(mode, sig):
    result = run("fault", mode)
    assert (result.returncode, result.stdout, result.stderr) == (-sig, b"", b"")


def test_fault_loop_spins_until_a_signal_ends_it():
    spinning = subprocess.Popen([prog("fault"), "loop"])
    try:
        time.sleep(0.3)
        assert spinning.poll() is None
        spinning.send_signal(signal.SIGINT)
        assert spinning.wait(timeout=10) == -signal.SIGINT
    finally:
        spinning.kill()


def test_fault_help_says_what_each_mode_does():
    lines = run("fault", "--help").stdout.decode().splitlines()
    for mode, _ in FAULT_MODES + [("loop", None)]:
        assert [line for line in lines if line.split()[0] == mode], mode


FAULT_USAGE = (b"Usage: fault MODE\n"
               b"Misbehave on purpose; the kernel should end the program with a signal.\n"
               b"  segv     write to an unmapped address (0xdead000): SIGSEGV\n"
               b"  null     read through a null pointer: SIGSEGV\n"
               b"  divide   divide an integer by zero: SIGFPE\n"
               b"  illegal  execute an invalid instruction (ud2): SIGILL\n"
               b"  loop     spin in user mode forever, without system calls (Ctrl-C ends it)\n"
               b"  abort    call abort(): SIGABRT\n")


@pytest.mark.parametrize("args,message", [([], b"fault: missing mode\n"),
                                          (["nope"], b"fault: nope: unknown mode\n"),
                                          (["segv", "extra"], b"fault: too many arguments\n")])
def test_fault_usage_errors(args, message):
    result = run("fault", *args)
    assert (result.stdout, result.stderr, result.returncode) == (b"", message + FAULT_USAGE, 2)


# ---- cowcheck, forkbomb, memhog: fork's memory, the process limit, memory ----

def test_cowcheck_passes_on_linux():
    result = run("cowcheck", timeout=120)
    output = result.stdout.decode()
    assert [line for line in output.splitlines() if line.startswith("FAIL")] == []
    assert output.endswith("cowcheck: 0 failed\n") and result.returncode == 0
    assert "ok read() into shared code is EFAULT" in output


COWCHECK_USAGE = (b"Usage: cowcheck [-n COUNT]\n"
                  b"Check that after fork parent and child each see only their own writes to\n"
                  b"data, bss, heap, stack and mmap memory, also the kernel's writes (read, pipe).\n"
                  b"-n COUNT  children to fork one after another (default 100)\n"
                  b"Exit status: the number of failed checks (at most 100); 2: usage error.\n")


@pytest.mark.parametrize("args,message", [(["-n", "0"], b"cowcheck: invalid count '0'\n"),
                                          (["-n", "x"], b"cowcheck: invalid count 'x'\n"),
                                          (["extra"], b"cowcheck: extra operand 'extra'\n")])
def test_cowcheck_usage_errors(args, message):
    result = run("cowcheck", *args)
    assert (result.stdout, result.stderr, result.returncode) == (b"", message + COWCHECK_USAGE, 2)


def test_forkbomb_stops_at_its_maximum_when_fork_does_not_fail():
    # Root has no process limit on Linux (CAP_SYS_RESOURCE): -n keeps it harmless.
    result = run("forkbomb", "-n", "5")
    output = result.stdout.decode()
    assert result.returncode == 1
    assert "stopped at 5 children (-n); fork did not fail" in output
    assert "5 children ended: 5 exited, 0 killed by a signal" in output


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to run as another user")
def test_forkbomb_sees_eagain_at_the_process_limit():
    import resource

    def as_nobody_with_eight_processes():
        os.setgid(65534)
        os.setuid(65534)
        resource.setrlimit(resource.RLIMIT_NPROC, (8, 8))

    result = run("forkbomb", "-n", "100", preexec_fn=as_nobody_with_eight_processes)
    output = result.stdout.decode()
    assert "process limit (RLIMIT_NPROC): 8" in output
    # Other processes of that user, if any, take their share of the eight.
    match = re.search(r"fork failed after (\d+) children: Resource temporarily unavailable", output)
    assert match and 1 <= int(match.group(1)) <= 7, output
    assert f"{match.group(1)} children ended: {match.group(1)} exited" in output
    assert result.returncode == 0


@pytest.mark.parametrize("args", [["8"], ["-k", "8"]])
def test_memhog_writes_what_it_maps(args):
    result = run("memhog", *args)
    assert result.returncode == 0
    assert result.stdout.decode().endswith("memhog: wrote 8 MiB\n")


MEMHOG_USAGE = (b"Usage: memhog [-k] MIB\n"
                b"Map MIB MiB of anonymous memory (at most 4096), 1 MiB at a time, and write\n"
                b"every page of it. -k: let the kernel write it, by read() from /dev/zero.\n"
                b"Where memory runs out the program is killed, or with -k read() fails.\n")


@pytest.mark.parametrize("args,message", [([], b"memhog: missing operand\n"),
                                          (["0"], b"memhog: invalid size '0'\n"),
                                          (["4097"], b"memhog: invalid size '4097'\n"),
                                          (["1", "2"], b"memhog: extra operand '2'\n"),
                                          (["x"], b"memhog: invalid size 'x'\n")])
def test_memhog_usage_errors(args, message):
    result = run("memhog", *args)
    assert (result.stdout, result.stderr, result.returncode) == (b"", message + MEMHOG_USAGE, 2)


# ---- idcheck and filecheck: identity, settings and the calls around open files ----

def run_check(name, *args):
    result = run(name, *args, timeout=120)
    output = result.stdout.decode()
    failed = [line for line in output.splitlines() if line.startswith("FAIL")]
    assert failed == [], output
    assert output.endswith(f"{name}: 0 failed\n"), output
    assert result.returncode == 0
    return output


def test_idcheck_passes_on_linux():
    # Linux is the reference: tests/qemu/test_call_checks.py wants the same verdicts.
    output = run_check("idcheck")
    for check in ("setuid back to the saved 0 (effective only)", "then setuid 0 is EPERM",
                  "in ascending order", "belongs to 4321", "a user has no capabilities",
                  "setpriority to a lower nice is EACCES for a user", "uname shows the host name"):
        assert f"ok {check}\n" in output


def test_filecheck_passes_on_linux(tmp_path):
    output = run_check("filecheck", str(tmp_path))
    for check in ("the last close released it", "the unlock let the waiter have the lock",
                  "a forked child holds the same lock", "the new bytes read as zeros", "the bytes arrived",
                  "getxattr on /proc is EOPNOTSUPP", "futimesat with no name: the descriptor"):
        assert f"ok {check}\n" in output
    assert os.listdir(tmp_path) == []   # its scratch files are gone


def test_idcheck_and_filecheck_help():
    assert run("idcheck", "--help").stdout.decode().startswith("usage: idcheck\n")
    assert run("filecheck", "--help").stdout.decode().startswith("usage: filecheck [DIRECTORY]\n")
