"""Tests of the shell's line editor core (user/bin/sh/editor_*.c, history.c,
completion.c): build/user/tests/line_editor_test feeds key sequences to the
core and checks the line, the cursor and the screen that the bytes it writes
draw on a VT100 model (tests/user/line_editor_test.c); it builds its own
scratch tree for completion and history files.

    /usr/bin/python3 -m pytest -q tests/user/test_line_editor.py
"""
import os
import subprocess

import i386_programs

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TEST = os.path.join(ROOT, "build", "user", "tests", "line_editor_test")


def test_line_editor_core_passes_its_checks(tmp_path):
    env = {"PATH": "/nonexistent", "HOME": str(tmp_path), "LC_ALL": "C"}
    result = subprocess.run([i386_programs.runnable(TEST), str(tmp_path)], stdout=subprocess.PIPE,
                            stdin=subprocess.DEVNULL, env=env, timeout=120)
    output = result.stdout.decode(errors="replace")
    assert result.returncode == 0, output
    assert output.endswith(" 0 failed\n"), output
    checks = int(output.split()[-4])
    assert checks > 1000, output      # every group of checks ran
