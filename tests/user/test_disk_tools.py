"""Tests of the programs for looking at disks and their bytes -- dd, md5sum,
cmp, hexdump, lspci -- run natively on the Linux host and compared with
GNU coreutils, diffutils, util-linux and pciutils on the same input.
Outputs whose format is fixed must be equal byte for byte; dd's statistics
line holds a time and a speed, so its shape is checked by a pattern.

Run with Debian's interpreter from the repository root:
    /usr/bin/python3 -m pytest -q tests/user/test_disk_tools.py
"""
import hashlib
import os
import re
import shutil
import subprocess

import pytest

import i386_programs

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = i386_programs.BIN  # where our programs run from (natively or under qemu-i386)
C_ENV = dict(os.environ, LC_ALL="C")
TOOLS = ["dd", "md5sum", "cmp", "hexdump", "lspci"]


@pytest.fixture(scope="module", autouse=True)
def build():
    subprocess.run(["make", "-s", "-f", "user/user.mk", "user-programs"], cwd=ROOT, check=True)


def run(argv, **kwargs):
    """Runs a command (ours when argv[0] is a bare name we build) in the C locale."""
    if os.sep not in argv[0] and os.path.exists(os.path.join(BIN, argv[0])) and not kwargs.pop("host", False):
        argv = [os.path.join(BIN, argv[0]), *argv[1:]]
    kwargs.setdefault("stdout", subprocess.PIPE)
    kwargs.setdefault("stderr", subprocess.PIPE)
    kwargs.setdefault("timeout", 60)
    return subprocess.run(argv, env=C_ENV, **kwargs)


def host(argv, **kwargs):
    return run(argv, host=True, **kwargs)


def assert_same(ours, theirs):
    assert (ours.stdout, ours.stderr, ours.returncode) == (theirs.stdout, theirs.stderr, theirs.returncode)


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    """Random files of awkward sizes, and variants that differ in known places."""
    folder = tmp_path_factory.mktemp("disk_tools")
    blob = os.urandom(3 * 1024 * 1024 + 777)
    files = {
        "empty": b"",
        "one": b"x",
        "block": blob[:512],
        "odd": blob[:100001],
        "large": blob,
        "text": b"first line\nsecond line\nthird\n" * 50,
        "zeros": bytes(4096) + b"tail" + bytes(64),
    }
    changed = bytearray(files["odd"])
    changed[70000] ^= 0x55
    changed[99999] ^= 0x01
    files["odd_changed"] = bytes(changed)
    files["odd_prefix"] = files["odd"][:65537]
    text = bytearray(files["text"])
    text[200] = ord("#")
    files["text_changed"] = bytes(text)
    paths = {}
    for name, content in files.items():
        paths[name] = str(folder / name)
        with open(paths[name], "wb") as out:
            out.write(content)
    paths["folder"] = str(folder)
    return paths


@pytest.mark.parametrize("name", TOOLS)
def test_help_exits_0_with_usage(name):
    result = run([name, "--help"])
    assert result.returncode == 0 and result.stdout.startswith(b"Usage: " + name.encode())


# ---- dd ----

STATISTICS = re.compile(
    rb"^(\d+)\+(\d+) records in\n(\d+)\+(\d+) records out\n"
    rb"(\d+) bytes? (\((\d+(\.\d)? [kMGT]B)(, (\d+(\.\d)? [KMGT]iB))?\) )?copied, "
    rb"[0-9.e-]+ s, (\d+(\.\d)? [kMGT]?B|Infinity B)/s\n$")


def dd_pair(data, tmp_path, *operands):
    """Runs our dd and GNU dd with the same operands (of= in separate folders)."""
    results, outputs = [], []
    for which in ("ours", "theirs"):
        folder = tmp_path / which
        folder.mkdir(exist_ok=True)
        argv = ["dd", *[o.replace("OUT", str(folder / "out")) for o in operands]]
        results.append(run(argv) if which == "ours" else host(argv))
        out = folder / "out"
        outputs.append(out.read_bytes() if out.exists() else None)
    return results, outputs


@pytest.mark.parametrize("operands", [
    ["bs=1M"],
    ["bs=4096", "count=10"],
    ["ibs=1000", "obs=4096"],
    ["ibs=1000", "obs=4096", "skip=3", "count=77"],
    ["bs=1K", "skip=1", "count=1"],
    ["bs=64k", "count=3"],
    ["bs=512", "seek=3", "count=2"],
    ["bs=7", "count=100", "conv=sync"],
    ["bs=2x512", "count=3"],
    ["bs=1kB", "count=5"],
    ["bs=1b", "count=5"],
])
def test_dd_copies_like_gnu_dd(data, tmp_path, operands):
    (ours, theirs), (our_bytes, their_bytes) = dd_pair(data, tmp_path, "if=" + data["odd"], "of=OUT", *operands)
    assert our_bytes == their_bytes
    assert ours.returncode == theirs.returncode == 0
    our_match, their_match = STATISTICS.match(ours.stderr), STATISTICS.match(theirs.stderr)
    assert our_match and their_match, (ours.stderr, theirs.stderr)
    # Records, bytes and both human-readable sizes as GNU prints them; only time and speed differ.
    assert our_match.group(1, 2, 3, 4, 5, 7, 10) == their_match.group(1, 2, 3, 4, 5, 7, 10)


@pytest.mark.parametrize("name", ["empty", "one", "block", "large"])
def test_dd_statistics_lines_match_gnu_for_sizes(data, tmp_path, name):
    (ours, theirs), _ = dd_pair(data, tmp_path, "if=" + data[name], "of=/dev/null", "bs=64K")
    assert ours.stderr.splitlines()[:2] == theirs.stderr.splitlines()[:2]
    ours_bytes = ours.stderr.splitlines()[2].split(b" copied")[0]
    assert ours_bytes == theirs.stderr.splitlines()[2].split(b" copied")[0]


def test_dd_seek_without_notrunc_cuts_the_file_and_with_notrunc_keeps_it(data, tmp_path):
    for conv in ([], ["conv=notrunc"]):
        for which in ("ours", "theirs"):
            target = tmp_path / f"{which}{len(conv)}"
            shutil.copy(data["odd"], target)
            argv = ["dd", "if=" + data["block"], f"of={target}", "bs=100", "seek=5", "count=2", *conv]
            assert (run(argv) if which == "ours" else host(argv)).returncode == 0
        assert (tmp_path / f"ours{len(conv)}").read_bytes() == (tmp_path / f"theirs{len(conv)}").read_bytes()


def test_dd_reads_stdin_and_writes_stdout(data):
    with open(data["odd"], "rb") as source:
        ours = run(["dd", "bs=3000", "status=none"], stdin=source)
    assert ours.returncode == 0 and ours.stderr == b""
    with open(data["odd"], "rb") as source:
        assert ours.stdout == source.read()


def test_dd_status_noxfer_prints_only_records(data):
    ours = run(["dd", "if=" + data["odd"], "of=/dev/null", "status=noxfer"])
    theirs = host(["dd", "if=" + data["odd"], "of=/dev/null", "status=noxfer"])
    assert_same(ours, theirs)


@pytest.mark.parametrize("operands", [
    ["if=/no/such/file"],
    ["bs=x"],
    ["bs=0"],
    ["count=1Q"],
    ["nonsense"],
    ["frobnicate=1"],
    ["of=/no/such/dir/file", "count=0"],
])
def test_dd_errors_match_gnu_dd(operands):
    ours = run(["dd", *operands], stdin=subprocess.DEVNULL)
    theirs = host(["dd", *operands], stdin=subprocess.DEVNULL)
    assert ours.returncode == theirs.returncode == 1
    assert ours.stderr.splitlines()[0] == theirs.stderr.splitlines()[0]


# ---- md5sum ----

def test_md5sum_matches_coreutils_on_many_sizes(data):
    names = [data[n] for n in ("empty", "one", "block", "odd", "large", "text", "zeros")]
    assert_same(run(["md5sum", *names]), host(["md5sum", *names]))
    # every length around the 64-byte block and its 56-byte padding limit
    blob = open(data["large"], "rb").read()
    for length in list(range(0, 130)) + [1000, 4095, 4096, 65537]:
        result = run(["md5sum"], input=blob[:length])
        assert result.stdout == hashlib.md5(blob[:length]).hexdigest().encode() + b"  -\n", length


def test_md5sum_binary_mark_and_escaped_names(data, tmp_path):
    odd_name = tmp_path / "back\\slash\nnewline"
    shutil.copy(data["one"], odd_name)
    assert_same(run(["md5sum", "-b", data["text"]]), host(["md5sum", "-b", data["text"]]))
    assert_same(run(["md5sum", str(odd_name)]), host(["md5sum", str(odd_name)]))


def test_md5sum_check_reports_like_coreutils(data, tmp_path):
    listing = host(["md5sum", data["odd"], data["text"], data["one"]]).stdout
    listing = listing.replace(data["one"].encode(), b"/no/such/file")
    listing += b"this line is not a checksum\n"
    listing += hashlib.md5(b"other").hexdigest().encode() + b"  " + data["text"].encode() + b"\n"
    sums = tmp_path / "sums"
    sums.write_bytes(listing)
    assert_same(run(["md5sum", "-c", str(sums)]), host(["md5sum", "-c", str(sums)]))
    good = tmp_path / "good"
    good.write_bytes(host(["md5sum", data["odd"]]).stdout)
    assert_same(run(["md5sum", "-c", str(good)]), host(["md5sum", "-c", str(good)]))


def test_md5sum_missing_file_and_directory(data):
    for argv in (["md5sum", "/no/such/file", data["one"]], ["md5sum", data["folder"]]):
        assert_same(run(argv), host(argv))


# ---- cmp ----

@pytest.mark.parametrize("pair", [
    ("odd", "odd"), ("odd", "odd_changed"), ("odd", "odd_prefix"), ("odd_prefix", "odd"),
    ("empty", "one"), ("one", "empty"), ("text", "text_changed"), ("large", "odd"),
])
@pytest.mark.parametrize("flags", [[], ["-l"], ["-s"]])
def test_cmp_matches_diffutils(data, pair, flags):
    argv = ["cmp", *flags, data[pair[0]], data[pair[1]]]
    ours, theirs = run(argv), host(argv)
    if flags == ["-l"] and pair == ("large", "odd"):
        assert ours.stdout[:20000] == theirs.stdout[:20000]   # too long to compare in full quickly
        assert ours.returncode == theirs.returncode == 1
        return
    assert_same(ours, theirs)


def test_cmp_reads_standard_input(data):
    with open(data["text_changed"], "rb") as source:
        ours = run(["cmp", data["text"], "-"], stdin=source)
    with open(data["text_changed"], "rb") as source:
        theirs = host(["cmp", data["text"], "-"], stdin=source)
    assert_same(ours, theirs)


def test_cmp_trouble_is_status_2(data):
    for argv in (["cmp", "/no/such/file", data["one"]], ["cmp", data["one"], "/no/such/file"]):
        assert_same(run(argv), host(argv))
    # GNU cmp's message, naming the program as it was called
    ours = run(["cmp"])
    assert (ours.stdout, ours.stderr.decode(), ours.returncode) == (
        b"", f"cmp: missing operand after '{os.path.join(BIN, 'cmp')}'\n"
             "cmp: Try 'cmp --help' for more information.\n", 2)


# ---- hexdump -C ----

@pytest.mark.parametrize("args", [
    ["empty"], ["one"], ["block"], ["odd"], ["text"], ["zeros"], ["one", "text", "zeros"],
    ["-s", "10", "-n", "100", "odd"], ["-n", "4200", "zeros"], ["-s", "4090", "zeros"],
    ["-s", "0x20", "text"], ["-s", "100000", "one"],
])
def test_hexdump_canonical_matches_util_linux(data, args):
    argv = ["hexdump", "-C", *[data.get(a, a) for a in args]]
    assert_same(run(argv), host(argv))


def test_hexdump_reads_standard_input(data):
    with open(data["text"], "rb") as source:
        ours = run(["hexdump", "-C"], stdin=source)
    assert ours.stdout == host(["hexdump", "-C", data["text"]]).stdout


def test_hexdump_missing_files(data):
    for argv in (["hexdump", "-C", "/no/such/file", data["one"]], ["hexdump", "-C", "/no/such/file"]):
        assert_same(run(argv), host(argv))


def test_hexdump_without_c_says_what_is_implemented(data):
    result = run(["hexdump", data["one"]])
    assert (result.stdout, result.stderr, result.returncode) == (
        b"", b"hexdump: only the canonical format (-C) is implemented\n"
             b"Usage: hexdump -C [-s OFFSET] [-n LENGTH] [FILE]...\n"
             b"Display the FILEs (or standard input) in hex and ASCII, 16 bytes a line.\n"
             b"  -C         canonical hex+ASCII display (the one format implemented)\n"
             b"  -s OFFSET  skip OFFSET bytes of the input first\n"
             b"  -n LENGTH  display only LENGTH bytes\n", 1)


# ---- lspci ----

@pytest.mark.skipif(not shutil.which("lspci") or not os.path.exists("/proc/bus/pci/devices"),
                    reason="needs pciutils and /proc/bus/pci")
def test_lspci_n_matches_pciutils_on_this_host():
    ours, theirs = run(["lspci", "-n"]), host(["lspci", "-n"])
    assert ours.returncode == 0 and ours.stderr == b""
    assert ours.stdout == theirs.stdout


@pytest.fixture
def pci_tree(tmp_path):
    """A copy of /proc/bus/pci as Linux (and our kernel) lays it out: the IDE
    controller of QEMU's PIIX3 and a virtio disk."""
    root = tmp_path / "pci"
    (root / "00").mkdir(parents=True)
    zero = "\t" + " " * 15 + "0"
    (root / "devices").write_text(
        "0009\t80867010\t0" + zero * 4 + "\t" + " " * 12 + "c041" + zero * 6 + "\t" + " " * 14 + "10"
        + zero * 2 + "\tata\n"
        + "0020\t1af41001\tb" + zero * 14 + "\t\n")
    ide = bytearray(256)
    ide[0:4] = bytes([0x86, 0x80, 0x10, 0x70])
    ide[0x09:0x0c] = bytes([0x80, 0x01, 0x01])     # prog-if, subclass IDE, class mass storage
    (root / "00" / "01.1").write_bytes(bytes(ide))
    virtio = bytearray(256)
    virtio[0x08:0x0c] = bytes([0x02, 0x00, 0x00, 0x01])   # revision 2
    (root / "00" / "04.0").write_bytes(bytes(virtio))
    return root


def test_lspci_reads_the_list_and_each_configuration_space(pci_tree):
    numeric = run(["lspci", "-n", "-R", str(pci_tree)])
    assert numeric.returncode == 0 and numeric.stderr == b""
    assert numeric.stdout == b"00:01.1 0101: 8086:7010\n00:04.0 0100: 1af4:1001 (rev 02)\n"
    named = run(["lspci", "-R", str(pci_tree)])
    assert named.stdout == (b"00:01.1 mass storage controller [0101]: 8086:7010\n"
                            b"00:04.0 mass storage controller [0100]: 1af4:1001 (rev 02)\n")


def test_lspci_errors(pci_tree):
    missing = run(["lspci", "-R", "/no/such/dir"])
    assert missing.returncode == 1
    assert missing.stderr == b"lspci: /no/such/dir/devices: No such file or directory\n"
    (pci_tree / "00" / "04.0").unlink()
    partial = run(["lspci", "-n", "-R", str(pci_tree)])
    assert partial.stdout == b"00:01.1 0101: 8086:7010\n" and partial.returncode == 1
    assert partial.stderr.decode() == f"lspci: {pci_tree}/00/04.0: No such file or directory\n"
    # getopt names the program as it was called, as glibc's does
    bad_option = run(["lspci", "-Z"])
    assert (bad_option.stdout, bad_option.stderr.decode(), bad_option.returncode) == (
        b"", f"{os.path.join(BIN, 'lspci')}: invalid option -- 'Z'\n"
             "Usage: lspci [-n] [-R DIR]\n"
             "List the PCI functions: bus:device.function, class, vendor:device.\n"
             "  -n      numbers only, as `lspci -n` prints them\n"
             "  -R DIR  read DIR instead of /proc/bus/pci\n", 2)
