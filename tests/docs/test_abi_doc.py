"""docs/abi.md is generated from the system-call tables (tools/gen-abi-doc):
regenerate it and fail, with a diff, when the page in the repository drifts
from kernel/syscall/*.cpp -- or when a table registers a call under a
number that Linux's i386 table gives another name."""
import difflib
import os
import subprocess

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GENERATOR = os.path.join(ROOT, "tools", "gen-abi-doc")
PAGE = os.path.join(ROOT, "docs", "abi.md")


def test_abi_page_matches_the_system_call_tables():
    result = subprocess.run([GENERATOR, "-o", "-"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    with open(PAGE, encoding="utf-8") as page:
        committed = page.read()
    if committed != result.stdout:
        diff = "\n".join(difflib.unified_diff(committed.splitlines(), result.stdout.splitlines(),
                                              fromfile="docs/abi.md", tofile="tools/gen-abi-doc", lineterm=""))
        pytest.fail("docs/abi.md differs from the system-call tables; run tools/gen-abi-doc "
                    "and commit the page:\n" + diff, pytrace=False)
