"""The system as a user meets it: init runs /etc/rc, then the shell on the
console; commands, pipelines, redirections, exit statuses and Ctrl-C."""
import os

import pytest

from machine import BUILD

# What the build put into the root image's /bin.
PROGRAMS = sorted(os.listdir(os.path.join(BUILD, "rootfs", "bin")))


@pytest.fixture
def shell(make_machine):
    return make_machine(append="init=/bin/init").boot()


def test_boot_runs_rc_then_the_shell(shell):
    assert "rc: root file system ready" in shell.boot_output
    assert shell.run("pwd") == "/\n"
    assert shell.run("cd /etc") == ""
    assert shell.run("pwd") == "/etc\n"


def test_pipelines_and_status(shell):
    assert shell.run("echo hello | cat") == "hello\n"
    assert shell.run("ls /bin | cat | cat").split() == PROGRAMS
    assert shell.run("false; echo $?") == "1\n"
    assert shell.run("true && echo yes || echo no") == "yes\n"
    assert shell.run("false && echo yes || echo no") == "no\n"


def test_quoting_and_variables(shell):
    assert shell.run("echo 'a  b' \"c $HOME\" d\\ e") == "a  b c / d e\n"
    assert shell.run("X=42; echo ${X}x") == "42x\n"
    assert shell.run("export GREETING=hi; env | cat") .count("GREETING=hi") == 1


def test_errors_are_reported_by_name(shell):
    assert shell.run("nope") == "sh: nope: not found\n"
    assert shell.run("echo $?") == "127\n"
    assert shell.run("cat /etc/none") == "cat: /etc/none: No such file or directory\n"
    # / is romfs, read-only: redirection fails with a clear message.
    assert "Read-only file system" in shell.run("echo x > /etc/file")


def test_redirection_into_tmp(shell):
    assert shell.run("echo first > /tmp/note; echo second >> /tmp/note") == ""
    assert shell.run("cat /tmp/note") == "first\nsecond\n"
    assert shell.run("cat /etc/motd > /tmp/motd; cat /tmp/motd | cat").startswith("Welcome")
    assert shell.run("ls -1 /tmp") == "motd\nnote\n"


def test_redirecting_input_and_standard_error(shell):
    assert shell.run("cat < /etc/motd | cat").startswith("Welcome to the storage teaching kernel.")
    assert shell.run("cat /etc/none 2>&1 | cat") == "cat: /etc/none: No such file or directory\n"


def test_ctrl_c_stops_the_command_not_the_shell(shell):
    # The program says it runs, then blocks; only then comes Ctrl-C.
    shell.type("sh -c 'echo ready; sleep 100'\n")
    shell.expect(r"\r*\nready\r*\n")
    shell.type("\x03")
    shell.expect(r"# $", timeout=30)
    assert shell.run("echo $?") == "130\n"   # 128 + SIGINT
    assert shell.run("echo still here") == "still here\n"


def test_syscheck_from_the_shell(shell):
    output = shell.run("syscheck", timeout=120)
    assert "syscheck: 0 failed" in output, output


def test_init_restarts_an_exited_shell(shell):
    shell.type("exit 3\n")
    output = shell.expect(r"# $", timeout=30)
    assert "init: shell exited with status 3; starting a new one" in output
    assert shell.run("echo back") == "back\n"


def test_poweroff_program_switches_off_with_status_0(shell):
    status, output = shell.poweroff()
    assert "Powering off." in output
    assert status == 0
