"""ls (user/bin/ls/) against GNU ls on this host, byte for byte, with
LC_ALL=C and TZ=UTC: the long format with owner and group names, dates and
aligned columns, the column layouts at several widths, sorting, -R and the
other options. Both run on the same trees; names only the host knows (its
/etc/passwd and /etc/group) are what both must print.

    /usr/bin/python3 -m pytest -q tests/user/test_ls.py
"""
import os
import pty
import struct
import subprocess
import termios
import fcntl
import grp
import pwd
import time

import pytest

import i386_programs

BIN = i386_programs.BIN
GNU_ENV = dict(os.environ, LC_ALL="C", TZ="UTC")
DAY = 86400


def run_both(argv, cwd, columns=None, preexec_fn=None):
    """(ours, GNU's) CompletedProcess of `ls argv` in cwd, stdout a pipe."""
    env = dict(GNU_ENV)
    env.pop("COLUMNS", None)
    if columns is not None:
        env["COLUMNS"] = str(columns)
    results = []
    for program in (os.path.join(BIN, "ls"), "/bin/ls"):
        results.append(subprocess.run([program, *argv], cwd=cwd, env=env, stdout=subprocess.PIPE,
                                      stderr=subprocess.PIPE, timeout=60, preexec_fn=preexec_fn))
    return results


def assert_same(argv, cwd, columns=None):
    ours, gnu = run_both(argv, cwd, columns)
    assert ours.stdout.decode() == gnu.stdout.decode(), argv
    assert ours.returncode == gnu.returncode, argv
    assert bool(ours.stderr) == bool(gnu.stderr), (argv, ours.stderr, gnu.stderr)
    return ours


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    root = tmp_path_factory.mktemp("ls-tree")
    now = time.time()
    (root / "file.txt").write_text("some text\n")
    (root / "Zebra").write_bytes(b"z" * 5000)
    (root / "_under").write_text("")
    (root / ".hidden").write_text("h")
    (root / "a-dash").write_bytes(b"x" * 70000)
    (root / "big").write_bytes(b"b" * (3 * 1024 * 1024 + 17))
    (root / "exec.sh").write_text("#!/bin/sh\n")
    os.chmod(root / "exec.sh", 0o755)
    os.chmod(root / "_under", 0o600)
    (root / "subdir").mkdir()
    (root / "subdir" / "inner").write_text("i")
    (root / "subdir" / "deeper").mkdir()
    (root / "subdir" / "deeper" / "leaf").write_text("leaf")
    (root / "sticky").mkdir()
    os.chmod(root / "sticky", 0o1777)
    (root / "sticky-no-x").mkdir()
    os.chmod(root / "sticky-no-x", 0o1770)
    (root / "setuid").write_text("s")
    os.chmod(root / "setuid", 0o4754)
    (root / "setgid").write_text("g")
    os.chmod(root / "setgid", 0o2644)
    os.symlink("file.txt", root / "link-to-file")
    os.symlink("subdir", root / "link-to-dir")
    os.symlink("exec.sh", root / "link-to-exec")
    os.symlink("does-not-exist", root / "dangling")
    os.mkfifo(root / "fifo")
    # Dates: old (a year ago), recent (a month ago), in the future, just now.
    os.utime(root / "_under", (now - 400 * DAY, now - 400 * DAY))
    os.utime(root / "Zebra", (now - 30 * DAY, now - 30 * DAY))
    os.utime(root / "a-dash", (now + 40 * DAY, now + 40 * DAY))
    os.utime(root / "setgid", (now - 200 * DAY, now - 200 * DAY))
    os.utime(root / "file.txt", (1000000000, 1000000000))
    many = root / "many"
    many.mkdir()
    for i in range(150):
        (many / f"entry-{i:03d}{'abcXYZ_.'[i % 8] * (i % 13)}").write_text("e" * i)
    if os.geteuid() == 0:
        # Owners the host's /etc/passwd and /etc/group do not name: numbers.
        (root / "stranger").write_text("who?")
        os.chown(root / "stranger", 54321, 54322)
        os.chown(root / "setuid", 1, 1)      # daemon on Debian
    return root


LONG_OPTIONS = ["-l", "-la", "-lA", "-ln", "-lh", "-li", "-lF", "-lS", "-lt", "-ltr", "-lSr", "-lR",
                "-ld", "-lhS", "-nR", "-lai"]


@pytest.mark.parametrize("options", LONG_OPTIONS)
@pytest.mark.parametrize("where", [".", "many", "subdir"])
def test_long_format_matches_gnu_ls(tree, options, where):
    assert_same([options, where], tree)


SHORT_OPTIONS = ["-1", "-a", "-A", "-F", "-1F", "-i", "-1i", "-R", "-S", "-t", "-r", "-d", "-C", "-x",
                 "-Ci", "-CF", "-xF", "-CR", "-CA", "-Cr", "-xS"]


@pytest.mark.parametrize("options", SHORT_OPTIONS)
@pytest.mark.parametrize("width", [80, 40, 133, 7])
@pytest.mark.parametrize("where", [".", "many"])
def test_names_and_columns_match_gnu_ls(tree, options, width, where):
    assert_same([options, where], tree, columns=width)


@pytest.mark.parametrize("argv", [
    ["link-to-dir"], ["-l", "link-to-dir", "dangling", "link-to-exec"], ["-F", "link-to-dir"],
    ["-lF", "link-to-dir", "link-to-exec", "dangling"], ["-d", "link-to-dir", "subdir"],
    ["subdir", "file.txt", "many", "Zebra", "link-to-file"], ["-R", "subdir", "sticky"],
    ["-C", "subdir", "many", "file.txt", "Zebra"], ["-l", "file.txt", "Zebra", "fifo"],
    ["-ld", ".", "subdir", "sticky"], ["-lt", "file.txt", "Zebra", "a-dash", "_under"],
    ["-1", "-l"], ["-l", "-1"], ["-a", "-A"], ["-A", "-a"], ["-S", "-t"], ["-t", "-S"], ["-lC"], ["-Cl"],
    ["nope", "subdir"], ["nope", "file.txt"], ["-l", "nope"],
])
def test_operands_and_option_combinations_match_gnu_ls(tree, argv):
    assert_same(argv, tree, columns=60)


@pytest.mark.parametrize("argv", [["-l", "/dev/null", "/dev/zero", "/dev/tty"], ["-l", "/etc/passwd"],
                                  ["-lh", "/etc"], ["-C", "/usr/bin"], ["-x", "/etc"], ["-lS", "/etc"]])
def test_system_directories_match_gnu_ls(argv):
    assert_same(argv, "/")


def test_owner_and_group_names_come_from_etc_passwd_and_group(tree):
    ours = assert_same(["-l", "file.txt"], tree).stdout.decode()
    st = os.stat(tree / "file.txt")
    assert f" {pwd.getpwuid(st.st_uid).pw_name} {grp.getgrgid(st.st_gid).gr_name} " in ours
    assert "Sep  9  2001 file.txt" in ours   # 1000000000 seconds, more than six months ago


def run_on_terminal(argv, cwd, columns, environment_columns=None):
    """Output of `argv` with stdout a pseudo-terminal `columns` wide."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    env = dict(GNU_ENV)
    env.pop("COLUMNS", None)
    if environment_columns:
        env["COLUMNS"] = str(environment_columns)
    process = subprocess.Popen(argv, cwd=cwd, env=env, stdout=slave, stderr=subprocess.PIPE)
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:   # EIO: the program closed its end
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    process.wait(timeout=60)
    return b"".join(chunks)


@pytest.mark.parametrize("columns", [80, 50])
def test_terminal_gets_columns_from_its_window_size(tree, columns):
    # COLUMNS says otherwise; the terminal's own size wins, as in coreutils.
    ours = run_on_terminal([os.path.join(BIN, "ls"), "many"], tree, columns, environment_columns=200)
    gnu = run_on_terminal(["/bin/ls", "many"], tree, columns, environment_columns=200)
    assert ours == gnu
    assert 1 < len(ours.splitlines()) < 150   # in columns, not one name a line


def test_pipe_gets_one_name_per_line(tree):
    ours, gnu = run_both(["many"], tree, columns=200)
    assert ours.stdout == gnu.stdout
    assert len(ours.stdout.splitlines()) == 150


def drop_to_nobody():
    os.setgid(65534)
    os.setuid(65534)


def test_unreadable_directory_is_status_2_and_the_rest_is_listed(tmp_path):
    os.chmod(tmp_path, 0o755)
    locked = tmp_path / "locked"
    locked.mkdir()
    (tmp_path / "open").mkdir()
    (tmp_path / "open" / "inside").write_text("")
    os.chmod(locked, 0)
    try:
        ours, gnu = run_both(["locked", "open"], tmp_path,
                             preexec_fn=drop_to_nobody if os.geteuid() == 0 else None)
        assert ours.returncode == gnu.returncode == 2
        assert ours.stdout == gnu.stdout == b"open:\ninside\n"
        assert ours.stderr == b"ls: locked: Permission denied\n"
    finally:
        os.chmod(locked, 0o755)
