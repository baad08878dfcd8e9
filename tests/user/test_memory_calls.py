"""The check program of the memory calls (memcheck), run natively on the
Linux host: Linux's answers are the reference that the same binary must
give on our kernel (tests/qemu/test_memory_calls.py). The file it maps is
left with known contents, the same on both.

Run with Debian's interpreter from the repository root:
    /usr/bin/python3 -m pytest -q tests/user/test_memory_calls.py
"""
import hashlib
import os
import subprocess

import pytest

import i386_programs

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MEMCHECK = os.path.join(i386_programs.BIN, "memcheck")


def expected_data_file():
    """What memcheck leaves in DIRECTORY/memcheck.data."""
    data = bytearray(b"m" * 8192)
    for offset, text in ((100, b"shared mapping"), (4196, b"after munmap"), (6000, b"after exit")):
        data[offset:offset + len(text)] = text
    return bytes(data)


@pytest.fixture(scope="session", autouse=True)
def build():
    subprocess.run(["make", "-s", "-f", "user/user.mk", "user-programs"], cwd=ROOT, check=True)


def test_memcheck_passes_on_linux(tmp_path):
    result = subprocess.run([MEMCHECK, str(tmp_path)], stdout=subprocess.PIPE, timeout=120)
    output = result.stdout.decode()
    failed = [line for line in output.splitlines() if line.startswith("FAIL")]
    assert failed == [], output
    assert output.endswith("memcheck: 0 failed\n"), output
    assert result.returncode == 0
    for check in ("a write to the read-only half: SEGV_ACCERR",
                  "MREMAP_MAYMOVE moves the pages elsewhere",
                  "the parent sees the child's writes",
                  "read() sees the mapping's write after msync",
                  "read() sees the write of the exited child",
                  "the pages are no longer resident"):
        assert f"ok {check}\n" in output
    data = (tmp_path / "memcheck.data").read_bytes()
    assert hashlib.md5(data).hexdigest() == hashlib.md5(expected_data_file()).hexdigest()
    assert sorted(os.listdir(tmp_path)) == ["memcheck.data"]


def test_memcheck_help():
    result = subprocess.run([MEMCHECK, "--help"], stdout=subprocess.PIPE, timeout=30)
    assert result.stdout.decode().startswith("usage: memcheck [DIRECTORY]\n")
    assert result.returncode == 0
