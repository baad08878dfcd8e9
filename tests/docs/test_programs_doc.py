"""docs/programs.md is generated from the programs' --help (tools/gen-programs-doc):
regenerate it and fail, with a diff, when the page in the repository drifts
from what the programs in build/user/bin print now."""
import difflib
import os
import subprocess

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GENERATOR = os.path.join(ROOT, "tools", "gen-programs-doc")
PAGE = os.path.join(ROOT, "docs", "programs.md")
BIN = os.path.join(ROOT, "build", "user", "bin")


def test_programs_page_matches_the_programs_help():
    if not os.path.isdir(BIN):
        pytest.fail(f"{BIN} is missing: run make first")
    result = subprocess.run([GENERATOR, "-o", "-"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    with open(PAGE, encoding="utf-8") as page:
        committed = page.read()
    if committed != result.stdout:
        diff = "\n".join(difflib.unified_diff(committed.splitlines(), result.stdout.splitlines(),
                                              fromfile="docs/programs.md", tofile="tools/gen-programs-doc",
                                              lineterm=""))
        pytest.fail("docs/programs.md differs from the programs' --help; run tools/gen-programs-doc "
                    "and commit the page:\n" + diff, pytrace=False)


def test_every_program_in_bin_has_a_section():
    with open(PAGE, encoding="utf-8") as page:
        text = page.read()
    missing = [name for name in sorted(os.listdir(BIN)) if f"\n### {name}\n" not in text]
    assert not missing, f"programs without a section in docs/programs.md: {missing}"
