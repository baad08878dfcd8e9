"""Tests of the programs that make, remove, link, copy and move files --
mkdir, rmdir, rm, touch, ln, sync, cp, mv --, read them -- head, tail,
wc -- and look at trees and disks -- find, du, df -- run natively on the Linux host and compared
with GNU coreutils. Each case is played twice, in two fresh copies of the
same tree: once with our program, once with GNU's. Standard output,
standard error (C locale) and the exit status must be equal, and so must
the trees left behind (names, types, permission bits, contents, link
targets and link counts). find and du print in directory order, which is
the file system's, so their lines are compared sorted; df's numbers move
while the host runs, so only its layout and rough values are compared.

Run with Debian's interpreter from the repository root:
    /usr/bin/python3 -m pytest -q tests/user/test_file_tools.py
"""
import os
import random
import re
import stat
import subprocess
import tempfile
import time

import pytest

import i386_programs

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = i386_programs.BIN  # where our programs run from (natively or under qemu-i386)
C_ENV = dict(os.environ, LC_ALL="C", TZ="UTC")   # touch -d: dates in UTC, as ours


@pytest.fixture(scope="module", autouse=True)
def build():
    subprocess.run(["make", "-s", "-f", "user/user.mk", "user-programs"], cwd=ROOT, check=True)


def run(argv, cwd, ours):
    """Runs argv in cwd: our build of argv[0] when ours, else the host's."""
    program = os.path.join(BIN, argv[0]) if ours else argv[0]
    return subprocess.run([program, *argv[1:]], cwd=cwd, env=C_ENV, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, timeout=60)


RANDOM_BYTES = os.urandom(70000)


def make_tree(root):
    """The tree every case starts from: files, directories, links."""
    os.makedirs(os.path.join(root, "dir", "sub", "deep"))
    os.makedirs(os.path.join(root, "empty"))
    with open(os.path.join(root, "file"), "w") as f:
        f.write("some text\n")
    with open(os.path.join(root, "dir", "a.c"), "w") as f:
        f.write("int main(void) { return 0; }\n")
    with open(os.path.join(root, "dir", "sub", "deep", "b.txt"), "wb") as f:
        f.write(RANDOM_BYTES)
    os.chmod(os.path.join(root, "dir", "a.c"), 0o640)
    os.symlink("file", os.path.join(root, "link"))
    os.symlink("dir", os.path.join(root, "dirlink"))
    os.symlink("nowhere", os.path.join(root, "dangling"))


def snapshot(root, with_times=False):
    """Everything a case may change, as a comparable list."""
    entries = []
    for folder, names, files in os.walk(root):
        for name in sorted(names + files):
            path = os.path.join(folder, name)
            st = os.lstat(path)
            entry = [os.path.relpath(path, root), stat.S_IFMT(st.st_mode), stat.S_IMODE(st.st_mode)]
            if stat.S_ISLNK(st.st_mode):
                entry.append(os.readlink(path))
            elif stat.S_ISREG(st.st_mode):
                with open(path, "rb") as f:
                    entry += [f.read(), st.st_nlink]
            if with_times and not stat.S_ISLNK(st.st_mode):
                # Kept times are old (set by the case); others, such as a target
                # directory's, are just "recent" and differ between the runs.
                recent = st.st_mtime > time.time() - 3600
                entry.append("recent" if recent else st.st_mtime_ns)
            entries.append(entry)
    return entries


def compare(tmp_path, *argv, setup=None, with_times=False, sort_lines=False):
    """Plays argv in two copies of the tree; returns our result after the checks."""
    results, trees = [], []
    for ours in (True, False):
        root = str(tmp_path / ("ours" if ours else "gnu"))
        os.mkdir(root)
        make_tree(root)
        if setup:
            setup(root)
        results.append(run(list(argv), root, ours))
        trees.append(snapshot(root, with_times))
        if sort_lines:
            results[-1].stdout = sorted(results[-1].stdout.splitlines())
    mine, gnu = results
    assert (mine.stdout, mine.stderr, mine.returncode) == (gnu.stdout, gnu.stderr, gnu.returncode)
    assert trees[0] == trees[1]
    return mine


# ---- mkdir ----

@pytest.mark.parametrize("args", [["new"], ["a", "b", "c"], ["-p", "x/y/z"], ["-p", "dir/sub"],
                                  ["-p", "x//y/"], ["dir"], ["file"], ["nodir/x"], ["-p", "file/x"],
                                  ["-m", "700", "private"], ["-m", "1777", "sticky"],
                                  ["-p", "-m", "750", "p/q/r"], ["-m", "9", "bad"], [],
                                  ["-v", "new", "dir"], ["-pv", "x/y/z", "dir/sub/new"]])
def test_mkdir_as_gnu(tmp_path, args):
    compare(tmp_path, "mkdir", *args)


# ---- rmdir ----

@pytest.mark.parametrize("args", [["empty"], ["dir"], ["file"], ["nothing"], ["empty", "nothing"],
                                  ["-p", "dir/sub/deep"], ["-p", "empty/"], ["dirlink"], [],
                                  ["-v", "empty", "nothing"], ["-pv", "dir/sub/deep"]])
def test_rmdir_as_gnu(tmp_path, args):
    compare(tmp_path, "rmdir", *args)


def test_rmdir_p_removes_a_whole_chain(tmp_path):
    def chain(root):
        os.makedirs(os.path.join(root, "a", "b", "c"))
    result = compare(tmp_path, "rmdir", "-p", "a/b/c", setup=chain)
    assert result.returncode == 0 and not os.path.exists(tmp_path / "ours" / "a")


def test_rm_rv_names_everything_it_removes(tmp_path):
    def single_entries(root):   # so that the order of reading does not matter
        os.unlink(os.path.join(root, "dir", "a.c"))
    compare(tmp_path, "rm", "-rv", "dir", "file", setup=single_entries)


# ---- rm ----

@pytest.mark.parametrize("args", [["file"], ["file", "link"], ["nothing"], ["-f", "nothing"], ["-f"],
                                  [], ["dir"], ["-r", "dir"], ["-R", "dir", "file", "nothing"],
                                  ["-rf", "dir", "nothing"], ["dirlink"], ["-r", "dirlink"],
                                  ["dangling"], ["-r", "."], ["-r", "dir/.."], ["-r", "dir/sub/"],
                                  ["-r", "empty"], ["empty"], ["-v", "file", "link", "nothing"]])
def test_rm_as_gnu(tmp_path, args):
    compare(tmp_path, "rm", *args)


@pytest.mark.parametrize("root", ["/", "//", "///", "////", "/./"])
def test_rm_refuses_the_root_directory(tmp_path, root):
    result = compare(tmp_path, "rm", "-r", root)
    assert result.returncode == 1


# ---- touch ----

@pytest.mark.parametrize("args", [["new"], ["new", "file", "dir"], ["-c", "new"], ["-c", "file"],
                                  ["nodir/new"], ["-a", "file"], ["-m", "file"], ["dangling"], []])
def test_touch_as_gnu(tmp_path, args):
    compare(tmp_path, "touch", *args)


@pytest.mark.parametrize("args", [["-d", "@1000000000", "file", "new"], ["-d", "2001-02-03", "file"],
                                  ["-d", "2001-02-03 04:05", "file"], ["-d", "1969-12-31 23:59:59", "new"],
                                  ["-d", "2024-02-29 12:00:00", "dir"], ["-m", "-d", "@86400", "file"],
                                  ["-r", "dir/a.c", "file", "new"], ["-r", "nothing", "file"],
                                  ["-c", "-d", "@5", "new"]])
def test_touch_d_and_r_as_gnu(tmp_path, args):
    def old_reference(root):
        os.utime(os.path.join(root, "dir", "a.c"), (1234567890, 1234567890))
    compare(tmp_path, "touch", *args, setup=old_reference, with_times=True)


def test_touch_refuses_a_date_it_cannot_read(tmp_path):
    result = run(["touch", "-d", "2001-13-03", "x"], tmp_path, True)
    assert result.returncode == 1 and result.stderr == b"touch: invalid date format '2001-13-03'\n"
    assert not (tmp_path / "x").exists()


def test_touch_sets_times_to_now(tmp_path):
    path = tmp_path / "old"
    path.write_text("x")
    os.utime(path, (1000000000, 1000000000))
    before = time.time()
    assert run(["touch", str(path)], tmp_path, True).returncode == 0
    st = os.stat(path)
    assert st.st_mtime >= before - 2 and st.st_atime >= before - 2


@pytest.mark.parametrize("option,changed,kept", [("-a", "st_atime", "st_mtime"), ("-m", "st_mtime", "st_atime")])
def test_touch_a_and_m_change_one_time(tmp_path, option, changed, kept):
    path = tmp_path / "old"
    path.write_text("x")
    os.utime(path, (1000000000, 1000000000))
    assert run(["touch", option, str(path)], tmp_path, True).returncode == 0
    st = os.stat(path)
    assert getattr(st, changed) > 1000000000 and getattr(st, kept) == 1000000000


# ---- ln ----

@pytest.mark.parametrize("args", [["file", "hard"], ["-s", "file", "soft"], ["-s", "/no/such", "soft"],
                                  ["file", "dir"], ["file", "dir/"], ["-s", "../file", "dir"],
                                  ["file", "link", "dir"], ["file", "link", "empty/"], ["file", "a", "b"],
                                  ["file", "a", "file"], ["nothing", "x"], ["file", "nodir/x"],
                                  ["-s", "file", "nodir/x"], ["file", "link"], ["-s", "file", "link"],
                                  ["-f", "file", "link"], ["-sf", "dir", "link"], ["-f", "file", "file"],
                                  ["dir", "x"], ["file"], ["dir/a.c"], ["-s", "dir/sub"], [], ["-f"],
                                  ["file", "dirlink"], ["link", "hardlink-to-symlink"]])
def test_ln_as_gnu(tmp_path, args):
    compare(tmp_path, "ln", *args)


def test_ln_f_replaces_a_second_name_of_the_same_file(tmp_path):
    def second_name(root):
        os.link(os.path.join(root, "file"), os.path.join(root, "again"))
    compare(tmp_path, "ln", "-f", "file", "again", setup=second_name)


def test_ln_s_then_readlink_gives_the_target_as_written(tmp_path):
    assert run(["ln", "-s", "a/../b//c", "x"], tmp_path, True).returncode == 0
    assert os.readlink(tmp_path / "x") == "a/../b//c"


# ---- sync ----

@pytest.mark.parametrize("args", [[], ["file"], ["file", "dir"], ["nothing"], ["file", "nothing", "dir/a.c"]])
def test_sync_as_gnu(tmp_path, args):
    compare(tmp_path, "sync", *args)


# ---- cp ----

@pytest.mark.parametrize("args", [["file", "copy"], ["file", "dir"], ["file", "dir/"], ["file", "dir/a.c"],
                                  ["file", "link"], ["link", "copy"], ["dangling", "copy"], ["file", "file"],
                                  ["dir", "copy"], ["-r", "dir", "copy"], ["-R", "dir", "empty"],
                                  ["-r", "dir", "file"], ["-r", "file", "dir", "empty"], ["-r", "link", "copy"],
                                  ["-r", "dirlink", "copy"], ["-r", "dangling", "copy"], ["-r", "link", "file"],
                                  ["file", "a", "b"], ["file", "a", "file"], ["nothing", "copy"],
                                  ["file", "nodir/copy"], ["file", "nothing", "dir/a.c", "empty"],
                                  ["file"], [], ["-r"]])
def test_cp_as_gnu(tmp_path, args):
    compare(tmp_path, "cp", *args)


@pytest.mark.parametrize("dest", ["dir", "dir/sub", "dir/sub/deep"])
def test_cp_r_stops_copying_a_directory_into_itself(tmp_path, dest):
    # One entry per directory, so that the order of reading them does not matter.
    def single_entries(root):
        os.unlink(os.path.join(root, "dir", "a.c"))
    result = compare(tmp_path, "cp", "-r", "dir", dest, setup=single_entries)
    assert b"into itself" in result.stderr


@pytest.mark.parametrize("args", [["-p", "file", "dir/a.c", "empty"], ["-rp", "dir", "copy"],
                                  ["-a", "dir", "link", "dangling", "empty"]])
def test_cp_p_keeps_modes_and_times(tmp_path, args):
    def age(root):
        for folder, names, files in os.walk(root):
            for name in names + files:
                os.utime(os.path.join(folder, name), (1000000000, 1000000000), follow_symlinks=False)
        os.chmod(os.path.join(root, "dir", "sub"), 0o751)
    compare(tmp_path, "cp", *args, setup=age, with_times=True)


def test_cp_keeps_a_read_only_directory_read_only(tmp_path):
    def read_only(root):
        os.chmod(os.path.join(root, "dir", "sub"), 0o555)
    try:
        compare(tmp_path, "cp", "-r", "dir", "copy", setup=read_only)
    finally:
        for side in ("ours", "gnu"):
            for path in ("dir/sub", "copy/sub"):
                if os.path.exists(tmp_path / side / path):
                    os.chmod(tmp_path / side / path, 0o755)


@pytest.mark.parametrize("args", [["-v", "file", "link", "dangling", "empty"], ["-rv", "dir", "copy"],
                                  ["-av", "dir", "dirlink", "empty"]])
def test_cp_v_names_each_copy(tmp_path, args):
    # Sorted: inside a directory GNU cp goes in inode order (coreutils'
    # savedir sorts by inode to read faster) and ours in readdir order, and
    # both depend on the file system the test runs on.
    compare(tmp_path, "cp", *args, sort_lines=True)


def test_cp_copies_large_files_whole(tmp_path):
    data = os.urandom(1024 * 1024 + 12345)
    (tmp_path / "big").write_bytes(data)
    assert run(["cp", "big", "copy"], tmp_path, True).returncode == 0
    assert (tmp_path / "copy").read_bytes() == data


def test_cp_r_skips_device_nodes_with_a_message(tmp_path):
    result = run(["cp", "-r", "/dev/null", "copy"], tmp_path, True)
    assert result.returncode == 1
    assert result.stderr == b"cp: skipping special file '/dev/null' (device, FIFO or socket)\n"
    assert not os.path.lexists(tmp_path / "copy")


# ---- mv ----

@pytest.mark.parametrize("args", [["file", "moved"], ["file", "dir"], ["dir", "moved"], ["dir", "empty"],
                                  ["file", "link", "dangling", "empty"], ["dir", "dir/sub"], ["file", "file"],
                                  ["file", "link"], ["link", "file"], ["nothing", "x"], ["dir", "file"],
                                  ["file", "empty/.."], ["file", "a", "b"], ["file", "nodir/x"], ["file"], [],
                                  ["-v", "file", "dir", "empty"], ["-f", "file", "dir/a.c"], ["empty", "dir/sub"]])
def test_mv_as_gnu(tmp_path, args):
    compare(tmp_path, "mv", *args)


def test_mv_refuses_to_replace_a_full_directory(tmp_path):
    def full(root):
        os.makedirs(os.path.join(root, "empty", "dir", "x"))
    compare(tmp_path, "mv", "dir", "empty", setup=full)


def other_file_system(tmp_path):
    """A directory on another file system than tmp_path (tmpfs /dev/shm), or skip."""
    shm = "/dev/shm"
    if not os.path.isdir(shm) or os.stat(shm).st_dev == os.stat(tmp_path).st_dev:
        pytest.skip("no second file system to move to")
    return shm


@pytest.mark.parametrize("what", ["file", "dir", "link", "dangling"])
def test_mv_across_file_systems_copies_then_removes(tmp_path, what):
    trees = []
    for ours in (True, False):
        source = tmp_path / ("ours" if ours else "gnu")
        os.mkdir(source)
        make_tree(str(source))
        for folder, names, files in os.walk(source):
            for name in names + files:
                os.utime(os.path.join(folder, name), (1000000000, 1000000000), follow_symlinks=False)
        with tempfile.TemporaryDirectory(dir=other_file_system(tmp_path)) as target:
            result = run(["mv", what, target], str(source), ours)
            assert result.returncode == 0 and result.stderr == b""
            assert not os.path.lexists(source / what)
            trees.append(snapshot(target, with_times=True))
    assert trees[0] == trees[1]


def test_mv_v_across_file_systems_as_gnu(tmp_path):
    outputs = []
    for ours in (True, False):
        (tmp_path / "moving").write_text("data\n")
        with tempfile.TemporaryDirectory(dir=other_file_system(tmp_path)) as target:
            result = run(["mv", "-v", "moving", os.path.join(target, "moved")], str(tmp_path), ours)
            outputs.append((result.stdout.replace(target.encode(), b"TARGET"), result.stderr,
                            result.returncode))
    assert outputs[0] == outputs[1]


def test_mv_across_file_systems_replaces_a_file(tmp_path):
    with tempfile.TemporaryDirectory(dir=other_file_system(tmp_path)) as target:
        (tmp_path / "new").write_text("new\n")
        with open(os.path.join(target, "old"), "w") as f:
            f.write("old\n")
        assert run(["mv", "new", os.path.join(target, "old")], tmp_path, True).returncode == 0
        with open(os.path.join(target, "old")) as f:
            assert f.read() == "new\n"
        assert not (tmp_path / "new").exists()


# ---- head, tail, wc ----

def random_text(seed, lines):
    """Lines of random words of random lengths, tabs and runs of spaces."""
    generator = random.Random(seed)
    words = ["a", "the", "kernel", "inode", "x" * 40, "", "\t", "  ", "\x01ctl", "\x80\xff"]
    return "\n".join(" ".join(generator.choice(words) for _ in range(generator.randrange(12)))
                     for _ in range(lines)).encode("latin-1")


def texts(root):
    with open(os.path.join(root, "long"), "wb") as f:
        f.write(random_text(1, 5000) + b"\n")
    with open(os.path.join(root, "short"), "wb") as f:
        f.write(random_text(2, 4))                 # no final newline
    with open(os.path.join(root, "blanks"), "wb") as f:
        f.write(b"\n\n\n \n\t\n")
    with open(os.path.join(root, "empty-file"), "wb"):
        pass
    with open(os.path.join(root, "binary"), "wb") as f:
        f.write(bytes(range(256)) * 300)


READ_ARGS = [[], ["-n", "3"], ["-n", "0"], ["-n", "100000"], ["-c", "7"], ["-c", "0"], ["-c", "70000"],
             ["-v"], ["-q"], ["-n", "x"], ["-c", "1y"]]
READ_FILES = [["long"], ["short"], ["blanks"], ["empty-file"], ["binary"], ["long", "short", "blanks"],
              ["nothing", "short"], ["short", "dir", "short"]]


@pytest.mark.parametrize("files", READ_FILES)
@pytest.mark.parametrize("args", READ_ARGS + [["-n", "-2"], ["-n", "-0"], ["-n", "-99999"], ["-c", "-5"],
                                              ["-c", "-0"], ["-c", "-999999"], ["-3"], ["-0"], ["-12", "-v"]])
def test_head_as_gnu(tmp_path, args, files):
    compare(tmp_path, "head", *args, *files, setup=texts)


@pytest.mark.parametrize("files", READ_FILES)
@pytest.mark.parametrize("args", READ_ARGS + [["-n", "+1"], ["-n", "+3"], ["-n", "+0"], ["-c", "+5"],
                                              ["-c", "+0"], ["-n", "+99999"], ["-n", "-2"]])
def test_tail_as_gnu(tmp_path, args, files):
    compare(tmp_path, "tail", *args, *files, setup=texts)


# The old "-NUM" form, which GNU tail takes before one file (or none).
@pytest.mark.parametrize("files", [["long"], ["short"], ["empty-file"], ["nothing"]])
@pytest.mark.parametrize("args", [["-3"], ["-0"], ["-99999"]])
def test_tail_takes_the_old_count_form_as_gnu(tmp_path, args, files):
    compare(tmp_path, "tail", *args, *files, setup=texts)


@pytest.mark.parametrize("program,args", [("head", []), ("head", ["-n", "2"]), ("head", ["-c", "5"]),
                                          ("head", ["-n", "-3"]), ("head", ["-c", "-100"]),
                                          ("tail", []), ("tail", ["-n", "2"]), ("tail", ["-c", "5"]),
                                          ("tail", ["-n", "+290"]), ("wc", []), ("wc", ["-l"]),
                                          ("wc", ["-w", "-c"])])
@pytest.mark.parametrize("operands", [[], ["-"]])
def test_read_standard_input_as_gnu(program, args, operands):
    data = random_text(3, 300)
    ours, gnu = (subprocess.run([os.path.join(BIN, program) if mine else program, *args, *operands],
                                input=data, env=C_ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                timeout=60)
                 for mine in (True, False))
    assert (ours.stdout, ours.stderr, ours.returncode) == (gnu.stdout, gnu.stderr, gnu.returncode)


@pytest.mark.parametrize("files", READ_FILES + [["long", "dir", "nothing"], ["long", "-"]])
@pytest.mark.parametrize("args", [[], ["-l"], ["-w"], ["-c"], ["-lw"], ["-l", "-c"], ["-wc"]])
def test_wc_as_gnu(tmp_path, args, files):
    compare(tmp_path, "wc", *args, *files, setup=texts)


def test_wc_widens_its_columns_for_a_pipe():
    data = b"one two\nthree\n"
    for mine in (True, False):
        result = subprocess.run([os.path.join(BIN, "wc") if mine else "wc"], input=data, env=C_ENV,
                                stdout=subprocess.PIPE, timeout=60)
        assert result.stdout == b"      2       3      14\n"


# ---- find ----

def more_files(root):
    texts(root)
    for name in ("x.c", "y.h", ".hidden.c", "[odd].c", "star*.c"):
        with open(os.path.join(root, "dir", "sub", name), "w") as f:
            f.write(name)
    os.symlink("a.c", os.path.join(root, "dir", "link.c"))
    os.link(os.path.join(root, "long"), os.path.join(root, "dir", "hardlink"))


@pytest.mark.parametrize("args", [[], ["."], ["dir"], ["dir/"], ["dir", "empty", "file"], ["nothing", "dir"],
                                  ["-name", "*.c"], ["dir", "-name", "*.c", "-type", "f"],
                                  ["-type", "d"], ["-type", "l"], ["-type", "f", "-name", "?.*"],
                                  ["-name", "[a-x]*"], ["-name", "[!a-x]*"], ["-name", "[]odd]*"],
                                  ["-name", "\\[odd].c"], ["-name", "star\\*.c"], ["-name", "*.[ch]"],
                                  ["-name", "["], ["-name", "DIR"], ["-maxdepth", "1"], ["dir", "-maxdepth", "0"],
                                  ["-maxdepth", "2", "-type", "d"], ["-mindepth", "2", "-name", "*.c"],
                                  ["-print"], ["-type", "x"], ["-foo"], ["-name"], ["-maxdepth", "x"],
                                  ["-name", "*.c", "dir"], ["-name", "a.c", "-print"]])
def test_find_as_gnu(tmp_path, args):
    compare(tmp_path, "find", *args, setup=more_files, sort_lines=True)


# ---- du ----

@pytest.mark.parametrize("args", [[], ["-s"], ["-a"], ["-h"], ["-sh"], ["-ah"], ["dir"], ["-s", "dir", "file"],
                                  ["-a", "dir/", "link", "dangling"], ["nothing", "dir"], ["-sa"], ["file"]])
def test_du_as_gnu(tmp_path, args):
    compare(tmp_path, "du", *args, setup=more_files, sort_lines=True)


# ---- df ----

DF_LINE = re.compile(rb"^(\S+) +(\S+) +(\S+) +(\S+) +(\d+%|-) (.+)$")


def df_rows(output):
    lines = output.splitlines()
    return lines[0], [DF_LINE.match(line).groups() for line in lines[1:]]


@pytest.mark.parametrize("option", [[], ["-h"]])
def test_df_of_root_is_laid_out_as_gnu(option):
    ours = run(["df", *option, "/"], "/", True)
    gnu = run(["df", *option, "/"], "/", False)
    assert ours.returncode == 0 and ours.stderr == b""
    assert df_rows(ours.stdout)[0] == df_rows(gnu.stdout)[0]      # the header, spaces and all
    (our_row,), (gnu_row,) = df_rows(ours.stdout)[1], df_rows(gnu.stdout)[1]
    assert our_row[0] == gnu_row[0] and our_row[5] == gnu_row[5]
    assert our_row[1] == gnu_row[1]                                # the size does not move
    if not option:
        for ours_value, gnu_value in zip(our_row[2:4], gnu_row[2:4]):
            assert abs(int(ours_value) - int(gnu_value)) <= 64 * 1024
    # Columns line up as GNU's: a row as long as GNU's when its numbers are as wide.
    if [len(cell) for cell in our_row] == [len(cell) for cell in gnu_row]:
        assert len(ours.stdout.splitlines()[1]) == len(gnu.stdout.splitlines()[1])


def test_df_lists_the_same_file_systems_as_gnu():
    ours, gnu = (run(["df"], "/", mine) for mine in (True, False))
    assert ours.returncode == 0
    assert [row[5] for row in df_rows(ours.stdout)[1]] == [row[5] for row in df_rows(gnu.stdout)[1]]
    assert [row[1] for row in df_rows(ours.stdout)[1]] == [row[1] for row in df_rows(gnu.stdout)[1]]


def test_df_reports_a_missing_file(tmp_path):
    ours, gnu = (run(["df", "/", str(tmp_path / "nothing")], "/", mine) for mine in (True, False))
    assert (ours.stderr, ours.returncode) == (gnu.stderr, gnu.returncode)
    assert df_rows(ours.stdout)[0] == df_rows(gnu.stdout)[0]


# ---- as an ordinary user: permission errors ----

NOBODY = 65534


def drop_privileges():
    os.setgroups([])
    os.setgid(NOBODY)
    os.setuid(NOBODY)


def restore_permissions(root):
    """So that the tree can be removed again by whoever runs the tests."""
    for folder, names, _ in os.walk(root):
        for name in names:
            os.chmod(os.path.join(folder, name), 0o755)


def compare_unprivileged(*argv, setup):
    """compare(), run as nobody when the tests run as root (root passes every
    permission check), in a directory nobody can reach."""
    as_root = os.geteuid() == 0
    with tempfile.TemporaryDirectory(dir="/tmp") as parent:
        os.chmod(parent, 0o755)
        results, trees = [], []
        for ours in (True, False):
            root = os.path.join(parent, "ours" if ours else "gnu")
            os.mkdir(root)
            make_tree(root)
            if as_root:
                for folder, names, files in os.walk(root):
                    for name in [folder] + [os.path.join(folder, n) for n in names + files]:
                        os.lchown(name, NOBODY, NOBODY)
            setup(root)
            program = os.path.join(BIN, argv[0]) if ours else argv[0]
            try:
                results.append(subprocess.run([program, *argv[1:]], cwd=root, env=C_ENV,
                                              stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                              stderr=subprocess.PIPE, timeout=60,
                                              preexec_fn=drop_privileges if as_root else None))
            finally:
                restore_permissions(root)
            trees.append(snapshot(root))
        mine, gnu = results
        assert (mine.stdout, mine.stderr, mine.returncode) == (gnu.stdout, gnu.stderr, gnu.returncode)
        assert trees[0] == trees[1]
        return mine


def read_only(*paths):
    def setup(root):
        for path in paths:
            os.chmod(os.path.join(root, path), 0o555 if os.path.isdir(os.path.join(root, path)) else 0o000)
    return setup


@pytest.mark.parametrize("argv,locked", [
    (["rm", "-r", "dir", "file"], ["dir/sub"]),
    (["rm", "-rf", "dir"], ["dir/sub"]),
    (["rm", "empty/../file"], ["empty"]),
    (["rm", "dir/a.c", "file"], ["dir"]),
    (["rmdir", "dir/sub/deep", "empty"], ["dir/sub"]),
    (["mkdir", "-p", "dir/new", "dir/sub/x/y"], ["dir", "dir/sub"]),
    (["touch", "dir/new", "file"], ["dir"]),
    (["ln", "-s", "file", "dir/new"], ["dir"]),
    (["ln", "file", "dir/new"], ["dir"]),
    (["cp", "dir/a.c", "copy"], ["dir/a.c"]),
    (["cp", "file", "dir/copy"], ["dir"]),
    (["cp", "-r", "dir", "copy"], ["dir/a.c"]),
    (["mv", "dir/a.c", "moved"], ["dir"]),
    (["mv", "file", "dir"], ["dir"]),
    (["head", "dir/a.c", "file"], ["dir/a.c"]),
    (["tail", "dir/a.c", "file"], ["dir/a.c"]),
    (["wc", "dir/a.c", "file"], ["dir/a.c"]),
    (["sync", "dir/a.c", "file"], ["dir/a.c"]),
])
def test_permission_errors_as_gnu(argv, locked):
    compare_unprivileged(*argv, setup=read_only(*locked))


@pytest.mark.parametrize("argv", [["find", "dir"], ["du", "dir"], ["cp", "-r", "dir", "copy"]])
def test_unreadable_directories_as_gnu(argv):
    def unreadable(root):
        os.chmod(os.path.join(root, "dir", "sub"), 0o300)
    result = compare_unprivileged(*argv, setup=unreadable)
    assert result.returncode == 1
