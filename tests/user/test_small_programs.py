"""date, seq, basename, dirname, which, tee and clear against the host's
coreutils, debianutils and ncurses: the same arguments, compared on exit
status, standard output and whether anything went to standard error (the
messages of usage errors follow our programs' conventions, so only their
presence is compared there).

    /usr/bin/python3 -m pytest -q tests/user/test_small_programs.py
"""
import os
import subprocess
import time

import pytest

import i386_programs

BIN = i386_programs.BIN
C_ENV = dict(os.environ, LC_ALL="C", TZ="UTC")
NEW_PROGRAMS = ["date", "seq", "basename", "dirname", "which", "tee", "clear"]


def ours(name, *args, **kwargs):
    return subprocess.run([os.path.join(BIN, name), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          env=kwargs.pop("env", C_ENV), timeout=30, **kwargs)


def theirs(argv, **kwargs):
    return subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=kwargs.pop("env", C_ENV),
                          timeout=30, **kwargs)


def assert_same(name, args, reference=None, same_stderr=True, **kwargs):
    mine = ours(name, *args, **kwargs)
    gnu = theirs([reference or name, *args], **kwargs)
    assert (mine.returncode, mine.stdout) == (gnu.returncode, gnu.stdout), (args, mine.stderr, gnu.stderr)
    assert bool(mine.stderr) == bool(gnu.stderr), (args, mine.stderr, gnu.stderr)
    if same_stderr:
        assert mine.stderr == gnu.stderr, args
    return mine


@pytest.mark.parametrize("name", NEW_PROGRAMS)
def test_help_prints_usage_and_exits_0(name):
    result = ours(name, "--help")
    assert result.returncode == 0 and result.stderr == b""
    assert result.stdout.startswith(b"Usage: " + name.encode())


@pytest.mark.parametrize("name,status", [("date", 1), ("seq", 1), ("basename", 2), ("dirname", 2),
                                         ("which", 2), ("tee", 2), ("clear", 2)])
def test_unknown_option_prints_usage_and_fails_like_the_reference(name, status):
    result = ours(name, "-Z", "x", stdin=subprocess.DEVNULL)
    reference = theirs(["/usr/bin/which" if name == "which" else name, "-Z", "x"], stdin=subprocess.DEVNULL)
    assert result.returncode == status
    # which's usage error is 2 in Debian's too; coreutils' are 1 but for
    # basename, dirname and tee (ours say 2 there, like ls: a usage error).
    if name in ("date", "seq", "which"):
        assert result.returncode == reference.returncode
    assert result.stdout == b""
    lines = result.stderr.decode().splitlines()
    assert lines[0].endswith(f"invalid option -- 'Z'") and lines[1].startswith(f"Usage: {name}")


# ---- date ----

MOMENTS = ["@0", "@1", "@-1", "@951782400", "@951868800", "@1234567890", "@1609459199", "@-86400000",
           "@2147483647", "@-2147483648", "@1.5", "@-1.5", "@1000000000.123456789", "@ 42"]
FORMATS = [None, "+%s", "+%Y-%m-%d %H:%M:%S", "+%a %A %b %B %e %j %y %Z %z", "+%F %T %D %R",
           "+%c|%x|%X|%r|%p|%P|%I|%l|%k", "+%u %w %U %W %V %G %g %C %h", "+%-d %_m %^a %10Y %#Z %:z %05d",
           "+%N %3N %1N %12N %s.%N", "+%n%t%%|%Q|%", "+", "+literal text only"]


@pytest.mark.parametrize("moment", MOMENTS)
@pytest.mark.parametrize("format", FORMATS)
def test_date_d_matches_coreutils(moment, format):
    assert_same("date", ["-d", moment] + ([format] if format else []))


@pytest.mark.parametrize("args", [["-u", "-d", "@5"], ["-R", "-d", "@123456789"], ["-d", "soon"],
                                  ["-d", "@x"], ["-d", "@0", "x"], ["-d", "@0", "+%s", "more"],
                                  ["+%s", "+%s"], ["-r", "/etc/passwd"], ["-r", "/no/such/file"],
                                  ["-d", "@0", "-r", "/etc/passwd"], ["-d@-86401", "+%F %T"]])
def test_date_options_and_errors_match_coreutils(args):
    assert_same("date", args)


def test_date_now_is_the_system_clock():
    before = time.time()
    seconds = int(ours("date", "+%s").stdout)
    assert int(before) <= seconds <= time.time() + 1
    default = ours("date").stdout.decode()
    assert default == time.strftime("%a %b %e %H:%M:%S UTC %Y\n", time.gmtime(seconds)) or \
        default == time.strftime("%a %b %e %H:%M:%S UTC %Y\n", time.gmtime(seconds + 1))


# ---- seq ----

SEQ_CASES = ["5", "3 7", "1 2 10", "10 -3 1", "-3 -1 -5", "0.5 0.25 2", "1 0.1 1.3", "-w 8 10", "-w -1 1",
             "-w 1 0.5 3", "-w .5 .5 2.5", "-s , 1 5", "-s: -w 1 10", "-s, 3 1", "5 1", "1 1", "1.0 3",
             "-w 1. 3", "0 0.3 1", "x", "1 0 5", "", "1 2 3 4", "-- 3", "-w -5 5", "2 -1.5 -2", "-.5 .5",
             "-w 9 11", "-w 0.9 0.05 1.1", "+3 5", "-w +3 10", "-sXY 1 3", "0", "-1", "1 -1", "1 1e3"]


@pytest.mark.parametrize("args", SEQ_CASES)
def test_seq_matches_coreutils(args):
    if args == "1 1e3":
        # coreutils reads exponents; ours says it does not.
        result = ours("seq", "1", "1e3")
        assert result.returncode == 1 and b"invalid floating point argument: '1e3'" in result.stderr
        return
    assert_same("seq", args.split())


def test_seq_long_run_matches_coreutils():
    assert_same("seq", ["-w", "1", "3", "100000"])


# ---- basename and dirname ----

PATHS = ["//", "/", "a/", "a//b//", "//a", "///a", "a", "/a/b/", "", ".", "..", "./x", "/a//b///", "x.c"]


@pytest.mark.parametrize("path", PATHS)
def test_basename_and_dirname_match_coreutils(path):
    assert_same("basename", [path])
    assert_same("dirname", [path])


@pytest.mark.parametrize("args", [["x.c", ".c"], [".c", ".c"], ["a/b.tar.gz", ".gz"], ["-a", "a/b", "c/d/"],
                                  ["-s", ".c", "a.c", "b.c", "c"], ["-a"], [], ["a", "b", "c"],
                                  ["-z", "a/b"], ["-sx", "ax", "bx"], ["dir/", "r"]])
def test_basename_options_match_coreutils(args):
    assert_same("basename", args)


@pytest.mark.parametrize("args", [["a/b", "c", "/d/e/"], ["-z", "a/b", "c"], []])
def test_dirname_options_match_coreutils(args):
    assert_same("dirname", args)


# ---- which ----

@pytest.mark.parametrize("path", ["/usr/bin:/bin", "/bin/:/usr/bin", ":/usr/bin", "/usr/bin:", "/usr/bin::",
                                  "", "/no/such:/usr/local/bin:/usr/bin:/bin"])
@pytest.mark.parametrize("args", [["ls"], ["-a", "ls"], ["-a", "sh", "ls", "nope"], ["nope"], ["/bin/ls"],
                                  ["./ls"], ["./passwd"], [], ["-a"]])
def test_which_matches_debianutils(path, args):
    env = dict(C_ENV, PATH=path)
    assert_same("which", args, reference="/usr/bin/which", env=env, cwd="/bin")


def test_which_skips_what_is_not_an_executable_file(tmp_path):
    (tmp_path / "plain").write_text("")
    (tmp_path / "runs").write_text("")
    os.chmod(tmp_path / "runs", 0o755)
    (tmp_path / "folder").mkdir()
    os.chmod(tmp_path / "folder", 0o755)
    env = dict(C_ENV, PATH=f"{tmp_path}:/usr/bin")
    for names in (["plain"], ["runs"], ["folder"], ["plain", "runs"]):
        assert_same("which", names, reference="/usr/bin/which", env=env)


# ---- tee ----

def run_tee(program, args, cwd, data):
    return subprocess.run([program, *args], input=data, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          env=C_ENV, timeout=30)


@pytest.mark.parametrize("args", [[], ["one"], ["one", "two"], ["-a", "old"], ["one", "no/such/dir/x", "two"],
                                  ["-"], ["one", "one"], ["/dev/full", "one"]])
def test_tee_matches_coreutils(tmp_path, args):
    data = b"".join(b"line %d\n" % n for n in range(20000))
    results = []
    for program in (os.path.join(BIN, "tee"), "tee"):
        folder = tmp_path / ("ours" if program != "tee" else "gnu")
        folder.mkdir()
        (folder / "old").write_bytes(b"was here\n")
        result = run_tee(program, args, folder, data)
        files = {name: (folder / name).read_bytes() for name in sorted(os.listdir(folder))}
        results.append((result.returncode, result.stdout, result.stderr.replace(str(folder).encode(), b""),
                        files))
    assert results[0] == results[1]


# ---- clear ----

@pytest.mark.parametrize("args", [[], ["-x"]])
def test_clear_writes_what_ncurses_clear_writes_for_xterm(args):
    assert_same("clear", args, env=dict(C_ENV, TERM="xterm"))
    assert ours("clear").stdout == b"\x1b[H\x1b[2J\x1b[3J"


def as_nobody():
    os.setgroups([])
    os.setgid(65534)
    os.setuid(65534)


@pytest.mark.parametrize("args", [["-s", "@0"], ["-s", "@1234567890", "+%s"], ["010100002030"], ["0101000030"],
                                  ["010100002030.59"], ["13010000"], ["02300000"], ["0101000"], ["-s", "foo"],
                                  ["-d", "@0", "-s", "@1"], ["-d", "@0", "x", "y"], ["022912002024"],
                                  ["022912002023"], ["04310000"], ["01012400"], ["123123592030.60"],
                                  ["0101000012.345"]])
def test_date_setting_the_clock_as_a_user_matches_coreutils(args):
    # Never as root: GNU date would set this host's clock. As a user both
    # are refused (EPERM, or EINVAL for a time before 1970) and still print
    # the date they were given, with status 1.
    assert_same("date", args, preexec_fn=as_nobody if os.geteuid() == 0 else None)
