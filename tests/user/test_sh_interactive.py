"""Our sh at a terminal: job control and prompts, driven with pexpect on a
host pseudo-terminal (the host kernel's line discipline and job control are
the reference: what a user of Linux would see).

Checked: Ctrl-C interrupts a foreground `cat` (status 130) and not the
shell; Ctrl-Z stops `sleep 100` and prints "[1]+  Stopped ..."; `jobs`
lists it; `bg` continues it in the background, `fg` brings it back; a
background job prints "[1] PID" when started and "[1]+  Done ..." before
the next prompt; `kill %1` ends a job; each job has its own process group
and owns the terminal while in the foreground.

    /usr/bin/python3 -m pytest -q tests/user/test_sh_interactive.py
"""
import os
import re
import time

import pexpect
import pytest

import i386_programs

BIN = i386_programs.BIN
SH = os.path.join(BIN, "sh")
PROMPT = "test# "


@pytest.fixture
def shell(tmp_path):
    env = {"PATH": BIN, "HOME": str(tmp_path), "PS1": PROMPT, "LC_ALL": "C"}
    child = pexpect.spawn(SH, env=env, cwd=str(tmp_path), encoding="utf-8", timeout=20)
    child.expect_exact(PROMPT)
    yield child
    child.close(force=True)


def run(child, line):
    """Types line; returns what the shell printed before the next prompt."""
    child.sendline(line)
    child.expect_exact(PROMPT)
    return child.before.replace("\r\n", "\n")


def stop_sleep(child):
    child.sendline("sleep 100")
    time.sleep(0.5)
    child.sendcontrol("z")
    child.expect(r"\[1\]\+  Stopped +sleep 100")
    child.expect_exact(PROMPT)


def test_default_prompt_is_the_directory_and_hash(tmp_path):
    env = {"PATH": BIN, "HOME": str(tmp_path), "LC_ALL": "C"}
    child = pexpect.spawn(SH, env=env, cwd=str(tmp_path), encoding="utf-8", timeout=20)
    try:
        child.expect_exact(str(tmp_path) + "# ")
        child.sendline("cd /")
        child.expect_exact("/# ")
        child.sendline("if true")
        child.expect_exact("> ")
        child.sendline("then echo continued; fi")
        child.expect_exact("continued")
    finally:
        child.close(force=True)


def test_ctrl_c_interrupts_cat_not_the_shell(shell):
    shell.sendline("cat")
    time.sleep(0.5)
    shell.sendcontrol("c")
    shell.expect_exact(PROMPT)
    assert "status 130" in run(shell, "echo status $?")
    assert "alive" in run(shell, "echo alive")


def test_ctrl_z_stops_and_jobs_lists(shell):
    stop_sleep(shell)
    assert "148" in run(shell, "echo $?")   # 128 + SIGTSTP, as bash and dash report it
    assert re.search(r"\[1\]\+  Stopped +sleep 100", run(shell, "jobs"))


def test_fg_resumes_the_stopped_job(shell):
    stop_sleep(shell)
    shell.sendline("fg")
    shell.expect("sleep 100")
    time.sleep(0.5)
    shell.sendcontrol("c")
    shell.expect_exact(PROMPT)
    assert "130" in run(shell, "echo $?")
    assert run(shell, "jobs").strip() == "jobs"


def test_bg_continues_in_the_background(shell):
    stop_sleep(shell)
    assert re.search(r"\[1\]\+ sleep 100 &", run(shell, "bg"))
    assert re.search(r"\[1\]\+  Running +sleep 100", run(shell, "jobs"))
    out = run(shell, "kill %1")   # the notice comes before the next prompt, this or the one after
    time.sleep(0.5)
    out += run(shell, "")
    assert len(re.findall(r"\[1\]\+  Terminated +sleep 100", out)) == 1


def test_background_job_start_and_done_notices(shell):
    out = run(shell, "sleep 0.3 &")
    assert re.search(r"\[1\] \d+", out)
    time.sleep(1)
    assert re.search(r"\[1\]\+  Done +sleep 0.3", run(shell, ""))
    assert run(shell, "jobs").strip() == "jobs"


def host_stat(pid):
    """(ppid, process group, terminal's foreground group) from the host's /proc."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(") ", 1)[1].split()
    return int(fields[1]), int(fields[2]), int(fields[5])


def test_each_job_is_its_own_foreground_process_group(shell):
    """Read on the host's /proc (qemu-i386 fakes a program's own view)."""
    shell.sendline("sleep 3")
    deadline = time.time() + 10
    children = []
    while not children and time.time() < deadline:
        time.sleep(0.2)
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    if host_stat(int(entry))[0] == shell.pid:
                        children.append(int(entry))
                except OSError:
                    pass
    assert len(children) == 1
    _, group, foreground = host_stat(children[0])
    assert group == children[0] and foreground == group
    _, shell_group, _ = host_stat(shell.pid)
    assert shell_group == shell.pid
    shell.expect_exact(PROMPT, timeout=20)
    _, _, foreground = host_stat(shell.pid)
    assert foreground == shell.pid


def test_percent_job_alone_is_fg_and_with_ampersand_is_bg(shell):
    stop_sleep(shell)
    assert re.search(r"\[1\]\+ sleep 100 &", run(shell, "%1 &"))
    assert re.search(r"\[1\]\+  Running +sleep 100", run(shell, "jobs"))
    shell.sendline("%1")
    shell.expect("sleep 100")
    time.sleep(0.5)
    shell.sendcontrol("c")
    shell.expect_exact(PROMPT)
    assert run(shell, "jobs").strip() == "jobs"
