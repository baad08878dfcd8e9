"""End-to-end tests of the shell's line editor on a host pseudo-terminal:
build/user/tests/line_editor_driver (tests/user/line_editor_driver.c) reads
lines with line_editor_read() and prints `line LENGTH [TEXT]`. Editing keys
are checked against bash's readline (`read -e`) given the same keys on the
same kind of terminal; the terminal's settings must be the same before and
after (`stty -g`), and raw while a line is read.

    /usr/bin/python3 -m pytest -q tests/user/test_line_editor_pty.py
"""
import os
import re
import subprocess
import termios

import pexpect
import pytest

import i386_programs

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DRIVER = i386_programs.runnable(os.path.join(ROOT, "build", "user", "tests", "line_editor_driver"))
BASH = "/bin/bash"
RESULT = re.compile(rb"line (\d+) \[(.*)\]\r?\n")
TIMEOUT = 20


def environment(home, **extra):
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "TERM": "xterm", "LC_ALL": "C",
           "INPUTRC": "/dev/null"}
    env.update(extra)
    return env


def spawn(command, home, columns=80, **extra):
    child = pexpect.spawn(command[0], command[1:], env=environment(home, **extra), cwd=str(home),
                          dimensions=(24, columns), timeout=TIMEOUT)
    return child


def read_line(child):
    child.expect(RESULT)
    return int(child.match.group(1)), child.match.group(2).decode()


@pytest.fixture
def driver(tmp_path):
    child = spawn([DRIVER], tmp_path)
    child.expect_exact("drv> ")
    yield child
    child.close(force=True)


# ---- editing keys, against bash's readline ----

EDITS = {
    "arrows": "echo hllo\x1b[D\x1b[D\x1b[De",
    "ss3 arrows": "abd\x1bODc\x1bOC!",
    "home end": "bc\x1b[Ha\x1b[Fd",
    "ctrl a e b f": "bd\x01a\x05e\x02\x02\x02\x06c",
    "backspace": "abcx\x7fd\x08e",
    "delete": "abxc\x1b[D\x1b[D\x1b[3~",
    "ctrl d deletes": "abxc\x1b[D\x1b[D\x04",
    "ctrl u": "junk\x15kept",
    "ctrl k": "kept junk\x1b[D\x1b[D\x1b[D\x1b[D\x1b[D\x0b",
    "ctrl w": "echo one two\x17three",
    "ctrl w blanks": "echo one two   \x17",
    "ctrl y": "echo one\x17\x19\x19",
    "alt b f d": "one two three\x1bb\x1bb\x1bd\x1bf!",
}


def bash_result(keys, home):
    script = 'IFS= read -e -r line; printf "line %d [%s]\\n" "${#line}" "$line"'
    child = spawn([BASH, "--norc", "--noprofile", "-c", script], home)
    child.send(keys + "\r")
    result = read_line(child)
    child.close(force=True)
    return result


@pytest.mark.parametrize("name", sorted(EDITS))
def test_editing_keys_give_the_line_readline_gives(name, driver, tmp_path):
    keys = EDITS[name]
    expected = bash_result(keys, tmp_path)
    driver.send(keys + "\r")
    assert read_line(driver) == expected


def test_unknown_escape_sequences_are_not_inserted(driver):
    # Insert, Page Up, Shift-F1, F1, F5: xterm's CSI/SS3 sequences, each
    # swallowed up to its final byte (readline would insert the P of ESC [1;2P)
    driver.send("ab\x1b[2~\x1b[5~\x1b[1;2P\x1bOP\x1b[15~c\r")
    assert read_line(driver) == (3, "abc")


def test_a_line_wider_than_the_terminal(tmp_path):
    child = spawn([DRIVER], tmp_path, columns=20)
    child.expect_exact("drv> ")
    text = "".join(chr(ord("a") + i % 26) for i in range(70))
    child.send(text + "\x01X\x05Y\x1b[D\x1b[DZ\r")
    assert read_line(child) == (73, "X" + text[:-1] + "Z" + text[-1] + "Y")
    child.close(force=True)


# ---- history, completion, search ----

def test_up_and_down_recall_lines(driver):
    driver.send("first\r")
    assert read_line(driver) == (5, "first")
    driver.send("second\r")
    assert read_line(driver) == (6, "second")
    driver.send("typed\x1b[A\x1b[A\x1b[B!\r")
    assert read_line(driver) == (7, "second!")
    driver.send("\x1b[A\x1b[A\x1b[A\x1b[B\x1b[B\x1b[B\r")   # back to the line being typed
    assert read_line(driver) == (0, "")


def test_history_is_kept_in_home_between_sessions(tmp_path):
    child = spawn([DRIVER], tmp_path)
    for line in ("echo one", "echo one", "ls -l", ""):
        child.expect_exact("drv> ")
        child.send(line + "\r")
    child.expect_exact("drv> ")
    child.send("\x04")
    child.expect_exact("eof")
    child.expect(pexpect.EOF)
    with open(tmp_path / ".sh_history") as history:
        assert history.read() == "echo one\nls -l\n"
    child = spawn([DRIVER], tmp_path)
    child.expect_exact("drv> ")
    child.send("\x1b[A\x1b[A\r")
    assert read_line(child) == (8, "echo one")
    child.send("\x12ls\r")                    # Ctrl-R
    assert read_line(child) == (5, "ls -l")
    child.close(force=True)


def test_reverse_search_shows_its_prompt(driver):
    driver.send("echo hello\r")
    read_line(driver)
    driver.send("echo world\r")
    read_line(driver)
    driver.send("\x12hel")
    driver.expect_exact("(reverse-i-search)'hel': echo hello")
    driver.send("\x07")                       # Ctrl-G: back to the empty line
    driver.send("x\r")
    assert read_line(driver) == (1, "x")


def test_tab_completes_file_names_and_commands(tmp_path):
    (tmp_path / "mnt" / "virtio").mkdir(parents=True)
    (tmp_path / "mnt" / "ata").mkdir()
    (tmp_path / "notes.txt").write_text("x")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name in ("zzcompile", "zzconfigure"):
        (bin_dir / name).write_text("#!/bin/sh\n")
        (bin_dir / name).chmod(0o755)
    child = spawn([DRIVER], tmp_path, PATH=str(bin_dir))
    child.expect_exact("drv> ")
    child.send(f"ls {tmp_path}/mnt/vi\t\r")
    assert read_line(child)[1] == f"ls {tmp_path}/mnt/virtio/"
    child.send("cat no\t\r")
    assert read_line(child)[1] == "cat notes.txt "
    child.send("zzc\t")
    child.send("\t")                          # the second Tab lists both
    child.expect(r"zzcompile +zzconfigure")
    child.send("mp\t\r")
    assert read_line(child)[1] == "zzcompile "
    child.send("hist\t\r")                    # a builtin of the driver's stand-in shell
    assert read_line(child)[1] == "history "
    child.close(force=True)


# ---- Ctrl-C, Ctrl-D, and the terminal's settings ----

def test_ctrl_c_throws_the_line_away(driver):
    driver.send("some text\x03")
    driver.expect_exact("^C")
    driver.expect_exact("interrupt")
    driver.expect_exact("drv> ")
    driver.send("next\r")
    assert read_line(driver) == (4, "next")


def test_ctrl_d_on_an_empty_line_ends_input(driver):
    driver.send("ab\x01\x04\x04\r")            # on a line, Ctrl-D deletes
    assert read_line(driver) == (0, "")
    driver.send("\x04")
    driver.expect_exact("eof")
    driver.expect(pexpect.EOF)
    driver.close()
    assert driver.exitstatus == 0


def test_terminal_is_raw_while_reading(driver):
    slave = os.readlink(f"/proc/{driver.pid}/fd/0")
    fd = os.open(slave, os.O_RDONLY | os.O_NOCTTY)
    try:
        iflag, _, _, lflag, _, _, cc = termios.tcgetattr(fd)
    finally:
        os.close(fd)
    assert lflag & (termios.ICANON | termios.ECHO | termios.ISIG | termios.IEXTEN) == 0
    assert iflag & termios.ICRNL == 0
    assert cc[termios.VMIN] == 1 and cc[termios.VTIME] == 0


@pytest.mark.parametrize("settings", ["sane", "sane -echoctl erase ^H intr ^X -icrnl"])
def test_settings_after_equal_settings_before(settings, tmp_path):
    script = f"stty {settings}; stty -g; {DRIVER}; stty -g"
    child = spawn(["/bin/sh", "-c", script], tmp_path)
    child.expect(r"([0-9a-f:]+)\r\n")
    before = child.match.group(1)
    child.expect_exact("drv> ")
    child.send("one\x1b[D\r")
    assert read_line(child) == (3, "one")
    child.expect_exact("drv> ")
    child.send("two\x03")                     # the line thrown away, settings put back too
    child.expect_exact("interrupt")
    child.expect_exact("drv> ")
    child.send("\x04")
    child.expect_exact("eof")
    child.expect(r"([0-9a-f:]+)\r\n")
    assert child.match.group(1) == before
    child.expect(pexpect.EOF)


def test_not_a_terminal_reads_plain_lines(tmp_path):
    result = subprocess.run([DRIVER], input=b"one\x1b[D two\nthree\n", stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=environment(tmp_path), timeout=TIMEOUT)
    assert result.stdout == b"line 10 [one\x1b[D two]\nline 5 [three]\neof\n"
    assert result.stderr == b"drv> drv> drv> "


# ---- libc's termios against glibc's ----

@pytest.mark.parametrize("settings", ["sane", "sane -icanon min 0 time 5 -opost ispeed 38400 ospeed 38400"])
def test_termios_calls_behave_as_glibcs(settings, tmp_path):
    reference = tmp_path / "termios_glibc"
    subprocess.run(["cc", "-O2", "-o", str(reference), os.path.join(ROOT, "tests", "user", "line_editor_termios.c")],
                   check=True)
    ours = i386_programs.runnable(os.path.join(ROOT, "build", "user", "tests", "line_editor_termios"))
    outputs = []
    for program in (str(reference), ours):
        child = spawn(["/bin/sh", "-c", f"stty {settings}; exec {program}"], tmp_path, columns=77)
        child.expect(pexpect.EOF)
        child.close()
        assert child.exitstatus == 0
        outputs.append(child.before.decode())
    assert "speed 15 vmin 1 vtime 0" in outputs[0]                  # raw at 9600 baud
    assert "when=99: -1 errno 22" in outputs[0] and "null: -1 errno 25" in outputs[0]
    assert outputs[1] == outputs[0]
