"""Tests of the user programs (user/bin/) and the libc (user/lib/), run
natively on the Linux host: our binaries are static i386 Linux ELF files,
so each is compared with the host's own tools on the same input.

Run with Debian's interpreter from the repository root:
    /usr/bin/python3 -m pytest -q tests/user        (or: make test-user)
The session fixture builds everything first with `make -f user/user.mk`.
"""
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time

import pytest

import i386_programs

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = i386_programs.BIN  # where our programs run from (natively or under qemu-i386)
LIBC_TEST = os.path.join(ROOT, "build", "user", "tests", "libc_test")
LIBC_TEST_RUN = i386_programs.runnable(LIBC_TEST)
PROGRAMS = ["cat", "cmp", "cowcheck", "cp", "dd", "df", "du", "echo", "env", "false", "fault", "find", "forkbomb", "head", "hexdump", "iosched",
            "iostat", "ln", "ls", "lspci", "md5sum", "memhog", "mkdir", "mount", "mv", "ps", "pwd", "rm", "rmdir",
            "sigcheck", "sleep", "stat", "sync", "tail", "touch", "true", "umount", "uname", "wc",
            "basename", "clear", "date", "dirname", "seq", "tee", "which"]
C_ENV = dict(os.environ, LC_ALL="C")


@pytest.fixture(scope="session", autouse=True)
def build():
    subprocess.run(["make", "-s", "-f", "user/user.mk", "user-programs", "user-tests"],
                   cwd=ROOT, check=True)


def prog(name):
    return os.path.join(BIN, name)


def run(name, *args, **kwargs):
    """Runs one of our programs; returns the CompletedProcess (bytes)."""
    kwargs.setdefault("stdout", subprocess.PIPE)
    kwargs.setdefault("stderr", subprocess.PIPE)
    kwargs.setdefault("timeout", 30)
    return subprocess.run([prog(name), *args], **kwargs)


def host(*argv, **kwargs):
    return subprocess.run(list(argv), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          env=kwargs.pop("env", C_ENV), timeout=30, **kwargs)


# ---- the binaries themselves ----

@pytest.mark.parametrize("name", PROGRAMS + ["libc_test"])
def test_binary_is_static_i386_elf_at_0x08048000(name):
    path = LIBC_TEST if name == "libc_test" else os.path.join(i386_programs.ELF_BIN, name)
    description = host("file", "-b", path).stdout.decode()
    assert "ELF 32-bit LSB executable, Intel 80386" in description
    assert "statically linked" in description
    header = host("readelf", "-h", path).stdout.decode()
    assert "ELF32" in header and "Intel 80386" in header and "EXEC (Executable file)" in header
    segments = host("readelf", "-lW", path).stdout.decode()
    assert "INTERP" not in segments and "DYNAMIC" not in segments
    loads = [line.split() for line in segments.splitlines() if line.strip().startswith("LOAD")]
    assert loads and int(loads[0][2], 16) == 0x08048000
    for load in loads:   # no segment both writable and executable
        flags = "".join(load[6:-1])
        assert not ("W" in flags and "E" in flags), load


@pytest.mark.parametrize("name", PROGRAMS)
def test_help_exits_0_with_usage(name):
    result = run(name, "--help")
    assert result.returncode == 0
    assert result.stdout.startswith(b"Usage: " + name.encode())


@pytest.mark.parametrize("name,status", [("cat", 2), ("ls", 2), ("pwd", 2), ("uname", 2),
                                         ("stat", 2), ("env", 125), ("cowcheck", 2), ("forkbomb", 2),
                                         ("memhog", 2), ("ps", 2), ("iostat", 2), ("mount", 1), ("umount", 1),
                                         ("mkdir", 1), ("rmdir", 1), ("rm", 1), ("touch", 1), ("ln", 1),
                                         ("sync", 1), ("cp", 1), ("mv", 1),
                                         ("head", 1), ("tail", 1), ("wc", 1),
                                         ("df", 1), ("du", 1), ("find", 1)])
def test_unknown_option_prints_usage_and_fails(name, status):
    result = run(name, "-Z", "x")
    assert result.returncode == status
    assert result.stdout == b""
    # getopt names the program as it was called (argv[0]), as glibc's does;
    # find, mount and umount read their own options and say their own name.
    called = name if name in ("find", "mount", "umount") else prog(name)
    lines = result.stderr.decode().split("\n")
    assert lines[0] == f"{called}: invalid option -- 'Z'"
    assert lines[1].startswith(f"Usage: {name} ") or lines[1] == f"Usage: {name}", lines[1]


def test_libc_test_program_passes():
    result = subprocess.run([LIBC_TEST_RUN], stdout=subprocess.PIPE, timeout=60)
    output = result.stdout.decode()
    assert result.returncode == 0, output
    assert " 0 failed" in output and "atexit ok" in output


# ---- cat ----

@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("cat")
    contents = {
        "text": b"hello\nworld\n" * 100,
        "binary": bytes(range(256)) * 64,
        "large": os.urandom(1024 * 1024 + 123),
        "empty": b"",
        "no_newline": b"last line without newline",
    }
    paths = {}
    for name, data in contents.items():
        paths[name] = d / name
        paths[name].write_bytes(data)
    return paths, contents


@pytest.mark.parametrize("name", ["text", "binary", "large", "empty", "no_newline"])
def test_cat_file_is_byte_equal(files, name):
    paths, contents = files
    result = run("cat", str(paths[name]))
    assert result.returncode == 0 and result.stderr == b""
    assert result.stdout == contents[name]


def test_cat_several_files_concatenates(files):
    paths, contents = files
    order = ["text", "empty", "binary", "large", "no_newline", "text"]
    result = run("cat", *[str(paths[n]) for n in order])
    assert result.returncode == 0
    assert result.stdout == b"".join(contents[n] for n in order)


def test_cat_reads_stdin_without_operands_and_for_dash(files):
    paths, contents = files
    data = contents["large"]
    assert run("cat", input=data).stdout == data
    result = run("cat", str(paths["text"]), "-", str(paths["binary"]), input=b"STDIN")
    assert result.stdout == contents["text"] + b"STDIN" + contents["binary"]


def test_cat_missing_file_reports_and_continues(files):
    paths, contents = files
    result = run("cat", "/nonexistent/file", str(paths["text"]))
    assert result.returncode == 1
    assert result.stderr == b"cat: /nonexistent/file: No such file or directory\n"
    assert result.stdout == contents["text"]


def test_cat_directory_is_an_error(tmp_path):
    result = run("cat", str(tmp_path))
    assert result.returncode == 1
    assert result.stderr == f"cat: {tmp_path}: Is a directory\n".encode()


# ---- echo ----

@pytest.mark.parametrize("args", [
    [], ["hello"], ["a", "b", "  c  "], ["-n", "no newline"], ["-x", "dash"],
    ["-e", r"tab\there\nnew\\line \x41\0101 \a\b\f\v\r\e"], ["-E", r"raw\tx"],
    ["-ne", r"a\cnever"], ["-nE", "x"], ["--", "y"], ["-", "z"], [r"\t"], ["-e", r"\q\x"],
])
def test_echo_matches_bin_echo(args):
    ours = run("echo", *args)
    theirs = host("/bin/echo", *args)
    assert ours.returncode == 0
    assert ours.stdout == theirs.stdout


# ---- ls ----

@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    root = tmp_path_factory.mktemp("ls")
    (root / "file.txt").write_text("some text\n")
    (root / "Zebra").write_bytes(b"z" * 5000)
    (root / "_under").write_text("")
    (root / ".hidden").write_text("h")
    (root / "a-dash").write_text("x" * 70000)
    (root / "exec.sh").write_text("#!/bin/sh\n")
    os.chmod(root / "exec.sh", 0o755)
    os.chmod(root / "_under", 0o600)
    (root / "subdir").mkdir()
    (root / "subdir" / "inner").write_text("i")
    (root / "sticky").mkdir()
    os.chmod(root / "sticky", 0o1777)
    (root / "setuid").write_text("s")
    os.chmod(root / "setuid", 0o4754)
    os.symlink("file.txt", root / "link-to-file")
    os.symlink("subdir", root / "link-to-dir")
    os.symlink("does-not-exist", root / "dangling")
    many = root / "many"
    many.mkdir()
    for i in range(300):
        (many / f"entry-{i:03d}-{'abcXYZ_.'[i % 8]}").write_text("e" * i)
    return root


LS_CASES = [(["-1"], ["-1"]), ([], ["-1"]), (["-a"], ["-1a"]), (["-1a"], ["-1a"])]


@pytest.mark.parametrize("ours,theirs", LS_CASES)
@pytest.mark.parametrize("where", [".", "many", "subdir"])
def test_ls_names_match_bin_ls(tree, where, ours, theirs):
    mine = run("ls", *ours, where, cwd=tree)
    reference = host("/bin/ls", *theirs, where, cwd=tree)
    assert mine.returncode == 0 and mine.stderr == b""
    assert mine.stdout == reference.stdout


def test_ls_without_operand_lists_cwd(tree):
    assert run("ls", cwd=tree).stdout == host("/bin/ls", "-1", cwd=tree).stdout


def test_ls_several_operands_match_bin_ls(tree):
    operands = ["subdir", "file.txt", "many", "Zebra", "link-to-file"]
    mine = run("ls", *operands, cwd=tree)
    assert mine.stdout == host("/bin/ls", "-1", *operands, cwd=tree).stdout


# The long format (-l) and the other options: tests/user/test_ls.py.


def test_ls_follows_symlink_to_directory_without_l(tree):
    assert run("ls", "link-to-dir", cwd=tree).stdout == b"inner\n"


def test_ls_missing_operand(tree):
    result = run("ls", "nope", "file.txt", cwd=tree)
    assert result.returncode == 2
    assert result.stderr == b"ls: nope: No such file or directory\n"
    assert result.stdout == b"file.txt\n"


def drop_to_nobody():
    os.setgid(65534)
    os.setuid(65534)


def test_ls_and_cat_without_permission():
    """As root, runs our programs as user nobody so permissions apply."""
    base = tempfile.mkdtemp(prefix="user-perm-")
    try:
        os.chmod(base, 0o755)
        locked = os.path.join(base, "locked")
        os.mkdir(locked, 0o000)
        secret = os.path.join(base, "secret")
        with open(secret, "w") as f:
            f.write("secret")
        os.chmod(secret, 0o000)
        os.chmod(locked, 0o000)
        preexec = drop_to_nobody if os.geteuid() == 0 else None
        result = run("ls", locked, preexec_fn=preexec)
        assert result.returncode == 2
        assert result.stderr == f"ls: {locked}: Permission denied\n".encode()
        result = run("cat", secret, preexec_fn=preexec)
        assert result.returncode == 1
        assert result.stderr == f"cat: {secret}: Permission denied\n".encode()
        result = run("stat", os.path.join(locked, "x"), preexec_fn=preexec)
        assert result.returncode == 1
        assert result.stderr == f"stat: {locked}/x: Permission denied\n".encode()
    finally:
        os.chmod(os.path.join(base, "locked"), 0o755)
        shutil.rmtree(base)


# ---- stat ----

STAT_FORMAT = "%s|%b|%o|%F|%Hd,%Ld|%i|%h|%a|%A|%u|%g|%U|%G"


def stat_fields_ours(text):
    lines = text.splitlines()
    size_line = lines[1].split()
    device_line = lines[2].replace("\t", " ").split()
    access = lines[3]
    perms = access[access.index("(") + 1:access.index(")")]
    octal, rwx = perms.split("/")
    uid_part = access.split("Uid: (")[1].split(")")[0]
    gid_part = access.split("Gid: (")[1].split(")")[0]
    uid, user = [x.strip() for x in uid_part.split("/")]
    gid, group = [x.strip() for x in gid_part.split("/")]
    return "|".join([size_line[1], size_line[3], size_line[6], " ".join(size_line[7:]),
                     device_line[1], device_line[3], device_line[5],
                     octal.lstrip("0") or "0", rwx, uid, gid, user, group])


@pytest.mark.parametrize("name", ["file.txt", "Zebra", "_under", "subdir", "sticky", "setuid",
                                  "link-to-file", "dangling", "many", "/dev/null", "/"])
def test_stat_matches_coreutils(tree, name):
    mine = run("stat", name, cwd=tree)
    assert mine.returncode == 0 and mine.stderr == b""
    text = mine.stdout.decode()
    reference = host("/usr/bin/stat", "-c", STAT_FORMAT, name, cwd=tree).stdout.decode().strip()
    assert stat_fields_ours(text) == reference
    # The four lines we print equal the first four of coreutils' default format.
    default = host("/usr/bin/stat", name, cwd=tree).stdout.decode().splitlines()[:4]
    assert text.splitlines() == default


def test_stat_follow_links(tree):
    mine = run("stat", "-L", "link-to-file", cwd=tree).stdout.decode()
    reference = host("/usr/bin/stat", "-L", "-c", STAT_FORMAT, "link-to-file", cwd=tree)
    assert stat_fields_ours(mine) == reference.stdout.decode().strip()


def test_stat_missing_file(tree):
    result = run("stat", "missing", "file.txt", cwd=tree)
    assert result.returncode == 1
    assert result.stderr == b"stat: missing: No such file or directory\n"
    assert b"  File: file.txt\n" in result.stdout


# ---- uname, pwd, true, false, env, sleep ----

# Natively an i386 program sees the host's machine (x86_64); qemu-i386
# presents an i686 one, as the host's uname does under setarch i686.
HOST_UNAME = ["/bin/uname"] if i386_programs.NATIVE else ["setarch", "i686", "/bin/uname"]


@pytest.mark.parametrize("flag", ["-s", "-r", "-m", "-n", "-v", "-snrvm"])
def test_uname_matches_bin_uname(flag):
    assert run("uname", flag).stdout == host(*HOST_UNAME, flag).stdout


def test_uname_defaults_and_all():
    assert run("uname").stdout == host(*HOST_UNAME).stdout
    assert run("uname", "-a").stdout == host(*HOST_UNAME, "-snrvm").stdout


def test_pwd_is_cwd(tmp_path):
    result = run("pwd", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.decode() == os.path.realpath(tmp_path) + "\n"
    assert run("pwd", cwd="/").stdout == b"/\n"


def test_true_and_false():
    for argv, status in [(["true"], 0), (["true", "ignored", "-x"], 0), (["false"], 1)]:
        result = run(*argv)
        assert (result.stdout, result.stderr, result.returncode) == (b"", b"", status), argv


def test_env_prints_given_environment():
    environment = {"A": "1", "PATH_LIKE": "/x:/y", "WITH_EQUALS": "a=b", "EMPTY": ""}
    result = run("env", env=environment)
    assert result.returncode == 0
    assert sorted(result.stdout.decode().splitlines()) == sorted(
        f"{k}={v}" for k, v in environment.items())


def test_env_changes_and_runs_command():
    result = run("env", "-i", "X=1", "Y=2", env={"Z": "3"})
    assert result.stdout == b"X=1\nY=2\n"
    result = run("env", "-u", "Z", "W=4", env={"Z": "3", "K": "5"})
    assert sorted(result.stdout.split()) == [b"K=5", b"W=4"]
    result = run("env", "-i", "FOO=bar", prog("env"))
    assert result.stdout == b"FOO=bar\n"
    result = run("env", "PATH=" + BIN, "echo", "via", "path")
    assert result.stdout == b"via path\n"
    result = run("env", "no-such-command-here")
    assert result.returncode == 127
    assert result.stderr == b"env: no-such-command-here: No such file or directory\n"


@pytest.mark.parametrize("args,minimum", [(["0.2"], 0.2), (["0.1", "0.1s"], 0.2), (["0"], 0.0)])
def test_sleep_waits_at_least(args, minimum):
    start = time.monotonic()
    result = run("sleep", *args)
    elapsed = time.monotonic() - start
    assert result.returncode == 0
    assert minimum <= elapsed < minimum + 2


SLEEP_USAGE = (b"Usage: sleep NUMBER[smhd]...\n"
               b"Pause for the sum of the NUMBERs of seconds (s, default), minutes (m),\n"
               b"hours (h) or days (d). NUMBER may have a fraction, like 0.5.\n")


@pytest.mark.parametrize("bad,message", [([], b"sleep: missing operand\n"),
                                         (["x"], b"sleep: invalid time interval 'x'\n"),
                                         (["1.5q"], b"sleep: invalid time interval '1.5q'\n"),
                                         (["-1"], b"sleep: invalid time interval '-1'\n")])
def test_sleep_rejects_bad_intervals(bad, message):
    result = run("sleep", *bad)
    assert (result.stdout, result.stderr, result.returncode) == (b"", message + SLEEP_USAGE, 2)


# ---- ps, reading the host's /proc ----

def ps_rows(output):
    """{pid: (ppid, stat, cmd)} from ps output with or without -f."""
    lines = output.decode().splitlines()
    header = lines[0].split()
    assert header[-4:] == ["PID", "PPID", "STAT", "CMD"], lines[0]
    skip = len(header) - 4   # the UID column of -f
    rows = {}
    for line in lines[1:]:
        fields = line.split(None, skip + 3)
        rows[int(fields[skip])] = (int(fields[skip + 1]), fields[skip + 2], fields[skip + 3])
    return rows


def test_ps_lists_itself_and_this_test_with_their_parents():
    child = subprocess.Popen([prog("ps"), "-f"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    output, errors = child.communicate(timeout=30)
    assert child.returncode == 0 and errors == b""
    rows = ps_rows(output)
    # Under qemu-i386 a program's own /proc/self/stat is qemu's stand-in,
    # which has the pid, name and parent but 0 in most other fields.
    running = "R" if i386_programs.NATIVE else "0"
    assert rows[child.pid] == (os.getpid(), running, prog("ps") + " -f")
    assert rows[os.getpid()][0] == os.getppid()
    assert list(rows) == sorted(rows)
    assert output.decode().splitlines()[0].split() == ["UID", "PID", "PPID", "STAT", "CMD"]


def test_ps_agrees_with_procps_on_names_and_parents():
    pids = [1, os.getpid(), os.getppid()]
    ours = ps_rows(run("ps", "-p", ",".join(map(str, pids))).stdout)
    theirs = host("ps", "-o", "pid=,ppid=,comm=", "-p", ",".join(map(str, pids))).stdout.decode()
    expected = {int(f[0]): (int(f[1]), f[2]) for f in (line.split(None, 2) for line in theirs.splitlines())}
    assert {pid: (ppid, cmd) for pid, (ppid, _, cmd) in ours.items()} == expected


def test_ps_shows_a_zombie_with_state_z_and_its_name_in_brackets():
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    try:
        for _ in range(100):   # until the child has exited (not yet reaped)
            with open(f"/proc/{pid}/stat") as stat:
                if stat.read().rsplit(")", 1)[1].split()[0] == "Z":
                    break
            time.sleep(0.05)
        result = run("ps", "-f", "-p", str(pid))
        assert result.returncode == 0
        name = open(f"/proc/{pid}/comm").read().strip()
        assert ps_rows(result.stdout) == {pid: (os.getpid(), "Z", f"[{name}]")}
    finally:
        os.waitpid(pid, 0)


def test_ps_selection_that_matches_nothing_fails_quietly():
    result = run("ps", "-p", "2147483647")
    assert result.returncode == 1 and result.stderr == b""
    assert result.stdout.decode().split() == ["PID", "PPID", "STAT", "CMD"]


PS_USAGE = (b"Usage: ps [-eAf] [-p PID[,PID...]]\n"
            b"List processes from /proc: PID, PPID, STAT (R running, S sleeping,\n"
            b"Z zombie) and CMD, sorted by PID.\n"
            b"  -e, -A  every process (the default)\n"
            b"  -f      full format: add UID, show the whole command line\n"
            b"  -p      only the processes with these PIDs\n")


@pytest.mark.parametrize("args,message", [(["-p", "x"], b"ps: invalid process id list: x\n"),
                                          (["-p", "0"], b"ps: invalid process id list: 0\n"),
                                          (["-p", "1,"], b"ps: invalid process id list: 1,\n"),
                                          (["extra"], b"ps: unexpected argument: extra\n")])
def test_ps_bad_arguments_are_usage_errors(args, message):
    result = run("ps", *args)
    assert (result.stdout, result.stderr, result.returncode) == (b"", message + PS_USAGE, 2)


# ---- writing to a closed or broken stdout ----

WRITERS = [("echo", ["hello"]), ("ls", ["/"]), ("ls", ["-la", "/usr/bin"]), ("stat", ["/"]), ("uname", ["-a"]),
           ("pwd", []), ("env", []), ("cat", ["/etc/passwd"]), ("ps", ["-f"])]


@pytest.mark.parametrize("name,args", WRITERS)
def test_closed_stdout_is_an_error_not_a_crash(name, args):
    result = subprocess.run(["/bin/sh", "-c", 'exec "$@" >&-', "sh", prog(name), *args],
                            stderr=subprocess.PIPE, timeout=30)
    assert result.returncode == 1
    assert result.stderr == f"{name}: write error: Bad file descriptor\n".encode()


@pytest.mark.parametrize("ignore_sigpipe", [False, True])
@pytest.mark.parametrize("name,args", WRITERS)
def test_broken_pipe_does_not_crash(name, args, ignore_sigpipe):
    read_end, write_end = os.pipe()
    os.close(read_end)
    preexec = (lambda: signal.signal(signal.SIGPIPE, signal.SIG_IGN)) if ignore_sigpipe else None
    try:
        result = subprocess.run([prog(name), *args], stdout=write_end, stderr=subprocess.PIPE,
                                preexec_fn=preexec, timeout=30)
    finally:
        os.close(write_end)
    if ignore_sigpipe:
        assert result.returncode == 1
        assert result.stderr == f"{name}: write error: Broken pipe\n".encode()
    else:   # the default action of SIGPIPE ends the program, as for coreutils
        assert result.returncode == -signal.SIGPIPE


# ---- stdio buffering, seen through the write() calls (needs strace) ----

def traced_writes(argv, stdout):
    """Runs argv under strace; returns the write() calls as (fd, bytes) pairs."""
    with tempfile.NamedTemporaryFile(mode="r") as log:
        subprocess.run(["strace", "-qq", "-e", "trace=write", "-e", "signal=none",
                        "-o", log.name, *argv], stdout=stdout, stderr=subprocess.DEVNULL,
                       timeout=30)
        calls = []
        for line in log.read().splitlines():
            if line.startswith("write("):
                fd = int(line[len("write("):line.index(",")])
                calls.append((fd, int(line.rsplit("=", 1)[1])))
        return calls


needs_strace = pytest.mark.skipif(shutil.which("strace") is None, reason="strace not installed")


@needs_strace
def test_stdout_fully_buffered_on_a_pipe(tree):
    calls = traced_writes([prog("ls"), str(tree / "many")], subprocess.PIPE)
    total = sum(size for fd, size in calls if fd == 1)
    assert total == len(host("/bin/ls", "-1", str(tree / "many")).stdout)
    assert len([c for c in calls if c[0] == 1]) == (total + 4095) // 4096


@needs_strace
def test_stdout_line_buffered_on_a_terminal(tree):
    controller, terminal = os.openpty()
    try:
        calls = traced_writes([prog("ls"), "-1", str(tree / "many")], terminal)
    finally:
        os.close(terminal)
        os.close(controller)
    assert len([c for c in calls if c[0] == 1]) == 300   # one write per line


@needs_strace
def test_stderr_message_is_one_write():
    calls = traced_writes([prog("stat"), "/no/such/file"], subprocess.PIPE)
    message = b"stat: /no/such/file: No such file or directory\n"
    assert calls == [(2, len(message))]


# ---- iosched, iostat ----
# iosched works through this kernel's own ioctls, which Linux does not have:
# on the host it must fail clearly. iostat reads Linux's /proc/diskstats
# format, so the host's file is a fair test of its parsing and arithmetic.

# qemu-i386 answers an ioctl it cannot translate with ENOSYS itself, before
# the host kernel sees it.
UNKNOWN_IOCTL_MESSAGE = ("iosched: %s: not a disk of this kernel (no BLKIOSCHED ioctls here)\n"
                         if i386_programs.NATIVE else "iosched: %s: cannot read the I/O scheduler: Function not implemented\n")


@pytest.mark.parametrize("operands", [[], ["deadline"]])
def test_iosched_on_linux_says_the_ioctl_is_unknown(tmp_path, operands):
    regular = tmp_path / "plain-file"
    regular.write_bytes(b"x" * 512)
    for target in ["/dev/null", str(regular)]:
        result = run("iosched", target, *operands)
        assert result.returncode == 1
        assert result.stdout == b""
        assert result.stderr == (UNKNOWN_IOCTL_MESSAGE % target).encode()


def test_iosched_missing_device_and_usage_errors():
    result = run("iosched", "/no/such/disk")
    assert result.returncode == 1
    assert result.stderr == b"iosched: /no/such/disk: No such file or directory\n"
    usage = ("Usage: iosched DEVICE [SCHEDULER]\n"
             "Show the I/O scheduler of a disk, or switch it.\n"
             "  iosched /dev/ram0            prints e.g. \"noop [elevator] deadline\":\n"
             "                               the schedulers, the one in use in brackets\n"
             "  iosched /dev/ram0 deadline   switches to deadline (noop, elevator, deadline)\n"
             "Uses this kernel's BLKIOSCHED_GET/SET ioctls; other kernels refuse them.\n")
    for argv, message in [([], "iosched: missing DEVICE\n"),
                          (["/dev/null", "elevator", "extra"], "iosched: extra operand 'extra'\n"),
                          (["-x", "/dev/null"], "iosched: unknown option '-x'\n")]:
        result = run("iosched", *argv)
        assert (result.stdout, result.stderr.decode(), result.returncode) == (b"", message + usage, 2), argv


def diskstats():
    """The host's /proc/diskstats as {name: [reads, rmerged, rsectors, rms, writes, wmerged, wsectors, wms]}."""
    table = {}
    with open("/proc/diskstats") as stats:
        for line in stats:
            fields = line.split()
            table[fields[2]] = [int(value) for value in fields[3:11]]
    return table


def test_iostat_agrees_with_the_hosts_diskstats():
    before = diskstats()
    result = run("iostat", "-a")
    after = diskstats()
    assert result.returncode == 0, result.stderr
    lines = result.stdout.decode().splitlines()
    assert lines[0].split() == ["Device", "r", "w", "rrqm", "wrqm", "rkB", "wkB", "rareq-sz", "wareq-sz",
                                "r_await", "w_await"]
    rows = {line.split()[0]: line.split()[1:] for line in lines[1:]}
    assert set(rows) == set(before) & set(after)
    for name, row in rows.items():
        counters = [int(value) for value in row[:6]]
        low, high = before[name], after[name]
        # r w rrqm wrqm rkB wkB, taken between the two snapshots
        picks = [(0, 1), (4, 1), (1, 1), (5, 1), (2, 2), (6, 2)]
        for value, (index, divisor) in zip(counters, picks):
            assert low[index] // divisor <= value <= high[index] // divisor, (name, row)
        for average in row[6:]:
            assert re.fullmatch(r"\d+\.\d", average), (name, row)
        if low == high and low[0]:
            assert float(row[6]) == pytest.approx(low[2] / 2 / low[0], abs=0.05)
            assert float(row[8]) == pytest.approx(low[3] / low[0], abs=0.05)


def test_iostat_without_a_flag_leaves_idle_disks_out_and_names_select():
    table = diskstats()
    result = run("iostat")
    assert result.returncode == 0
    shown = [line.split()[0] for line in result.stdout.decode().splitlines()[1:]]
    for name in shown:
        assert table[name][0] or table[name][4]
    any_disk = next(iter(table))
    result = run("iostat", "/dev/" + any_disk, "no-such-disk")
    assert result.returncode == 1
    assert [line.split()[0] for line in result.stdout.decode().splitlines()[1:]] == [any_disk]
    assert result.stderr == b"iostat: no-such-disk: no such device in /proc/diskstats\n"


# ---- mount, umount: the mount table and their errors (nothing is mounted here) ----

def test_mount_lists_proc_mounts_as_util_linux_does():
    expected = []
    with open("/proc/mounts") as table:
        for line in table:
            source, target, kind, options = line.split()[:4]
            expected.append(f"{source} on {target} type {kind} ({options})")
    result = run("mount")
    assert result.returncode == 0
    assert result.stdout.decode().splitlines() == expected


MOUNT_USAGE = ("Usage: mount\n"
               "   or: mount [-t TYPE] [-o OPTION[,OPTION...]] SOURCE TARGET\n"
               "   or: mount -o remount,OPTIONS TARGET\n"
               "   or: mount -a\n"
               "Without operands, list the mounted file systems. Otherwise mount the\n"
               "file system of type TYPE from SOURCE (a block device, or any word for\n"
               "tmpfs, proc and devfs) on the directory TARGET. With -a, mount what\n"
               "/etc/fstab lists (\"nofail\": quietly skip a missing or foreign disk).\n"
               "Options: ro rw nosuid suid nodev dev noexec exec sync async noatime\n"
               "nodiratime; others are passed to the file system (size=N for tmpfs).\n")


@pytest.mark.parametrize("args,message,status", [
    (["-t", "nosuchfs", "x", "/tmp"], "mount: x on /tmp: No such device\n", 32),
    (["/only-one"], "mount: missing operand\n" + MOUNT_USAGE, 1),
])
def test_mount_errors(args, message, status):
    result = run("mount", *args)
    assert (result.stdout, result.stderr.decode(), result.returncode) == (b"", message, status)


def test_umount_of_a_missing_directory_fails_with_32():
    result = run("umount", "/no/such/dir")
    assert result.returncode == 32
    assert result.stderr.decode() == "umount: /no/such/dir: No such file or directory\n"
