"""Job control on our kernel: /bin/jobcheck, whose every check holds on a
Linux host under a pseudo-terminal (tests/user), gives the same verdicts
on the console; and Ctrl-Z typed on the console stops the foreground job
of a small job-control shell (`jobcheck fg`), which continues it, as the
same program does on the host."""
import os
import re

import pexpect

from machine import BUILD

USER_BIN = os.path.join(BUILD, "user", "bin")


def host_verdicts():
    """jobcheck's verdicts on this Linux host, on a terminal of its own."""
    child = pexpect.spawn(os.path.join(USER_BIN, "jobcheck"), encoding="utf-8", timeout=120)
    child.expect(pexpect.EOF)
    output = child.before.replace("\r", "")
    assert "jobcheck: 0 failed" in output, output
    return [line for line in output.splitlines() if line.startswith(("ok ", "FAIL "))]


def test_jobcheck_agrees_with_linux(make_machine):
    shell = make_machine(append="init=/bin/init").boot()
    output = shell.run("/bin/jobcheck", timeout=300)
    verdicts = [line for line in output.splitlines() if line.startswith(("ok ", "FAIL "))]
    expected = host_verdicts()
    assert verdicts == expected, output
    assert "ok a background read: SIGTTIN stops the reader" in verdicts
    assert output.endswith("jobcheck: 0 failed\n"), output
    # Nothing is left behind, stopped or not: ps shows init, the shell, ps.
    assert [line.split()[-1] for line in shell.run("ps").splitlines()[1:]] == ["init", "sh", "ps"]


def ctrl_z_transcript(child, prompt_before=None):
    """Drives `jobcheck fg cat` on `child` (host pty or our console):
    Ctrl-Z while cat reads, then a line and Ctrl-D once it continued."""
    child.expect(r"job \d+ started")
    child.send("\x1a")
    child.expect(r"job stopped by signal (\d+); foreground group back to the shell: (\w+)\r*\n")
    stopped = (child.match.group(1), child.match.group(2))
    child.expect("job continued")
    child.send("hello\n")
    child.expect(r"hello\r*\n(?:.*\n)*?.*hello")  # the echo, then cat's copy
    child.send("\x04")
    child.expect(r"job ended with status (\d+)\r*\n")
    return stopped, child.match.group(1)


def test_ctrl_z_stops_the_foreground_job_as_on_linux(make_machine):
    host = pexpect.spawn(os.path.join(USER_BIN, "jobcheck"), ["fg", os.path.join(USER_BIN, "cat")],
                         encoding="utf-8", timeout=30)
    expected = ctrl_z_transcript(host)
    host.close()
    assert expected == (("20", "yes"), "0")

    shell = make_machine(append="init=/bin/init").boot()
    shell.type("/bin/jobcheck fg /bin/cat\n")
    assert ctrl_z_transcript(shell.child) == expected
    shell.expect(r"# $")
    assert shell.run("echo $?") == "0\n"
    assert shell.run("echo still here") == "still here\n"


BUSYBOX = os.path.join(BUILD, "busybox", "busybox")
PROMPT = r"# (?:\x1b\[6n)?"  # ash's prompt, and its cursor-position query


def busybox_job_transcript(child):
    """Job control in Debian's busybox ash on `child` (a host pty or our
    console): Ctrl-Z stops a foreground cat, `jobs` lists it, `fg`
    continues it (its read goes on), a background sleep is listed and
    killed by `kill %1`. Returns ash's job lines, and that cat copied."""
    seen = []

    def command(line, pattern):
        child.send(line + "\n")
        child.expect(pattern, timeout=60)
        seen.append(" ".join(child.match.group(0).split()))
        child.expect(PROMPT, timeout=60)

    # The job says when it runs (in its own group, the foreground one),
    # so that Ctrl-Z cannot reach ash before it started the job.
    child.send("busybox sh -c 'echo ready; exec busybox cat'\n")
    child.expect(r"\nready\r*\n", timeout=60)
    child.send("\x1a")
    child.expect(r"\[1\]\+ +Stopped +busybox sh -c[^\r\n]*\r*\n", timeout=60)
    seen.append(" ".join(child.match.group(0).split()))
    child.expect(PROMPT, timeout=60)
    command("jobs", r"\[1\]\+ +Stopped +busybox sh -c[^\r\n]*\r*\n")
    child.send("fg\n")
    child.expect(r"\nbusybox sh -c[^\r\n]*\r*\n", timeout=60)
    child.send("abc\n")
    child.expect(r"abc\r*\n(?:\r*\n)*abc\r*\n", timeout=60)  # the echo, then cat's copy
    seen.append("cat copied abc")
    child.send("\x04")
    child.expect(PROMPT, timeout=60)
    child.send("busybox sleep 100 &\n")
    child.expect(PROMPT, timeout=60)
    command("jobs", r"\[1\]\+ +Running +busybox sleep 100\r*\n")
    child.send("kill %1\n")
    child.expect(PROMPT, timeout=60)
    command("jobs", r"\[1\]\+ +Terminated +busybox sleep 100\r*\n")
    return seen


def test_busybox_sh_job_control_as_on_linux(make_machine, busybox_root):
    env = dict(os.environ, PATH=os.path.dirname(BUSYBOX) + ":/usr/bin:/bin", HOME="/", PS1="~ # ")
    host = pexpect.spawn(BUSYBOX, ["sh"], env=env, cwd="/", encoding="utf-8", timeout=60)
    host.expect(PROMPT)
    expected = busybox_job_transcript(host)
    host.close(force=True)
    assert expected[0] == '[1]+ Stopped busybox sh -c "echo ready; exec busybox cat"', expected

    shell = make_machine(append="init=/bin/init", root_image=busybox_root).boot()
    shell.type("busybox sh\n")
    shell.expect(r"~ " + PROMPT, timeout=60)
    assert busybox_job_transcript(shell.child) == expected
    shell.type("exit\n")
    shell.expect(r"\n/# $", timeout=60)
    assert shell.run("echo $?") == "0\n"
