"""The shell against dash on a corpus of scripts (tests/user/shell_corpus/).

Each *.cases file holds cases separated by "#### NAME" lines; a case is a
script. It is written to a file and run as `SH case.sh arg1 arg2` in a
fresh directory holding a few files (a.txt b.txt c.log .hidden sub/x),
with standard input "stdin line\\n", once by Debian's dash and once by our
sh. Both must give the same stdout, the same exit status, and stderr of the
same class (empty or not: the messages' wording differs between shells).
PATH holds a directory whose `sh` is the shell under test, then our
programs (build/user/bin), then a few host tools a case may need (grep,
chmod).

    /usr/bin/python3 -m pytest -q tests/user/test_sh_corpus.py
"""
import glob
import os
import subprocess

import pytest

import i386_programs

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "shell_corpus")
BIN = i386_programs.BIN
OUR_SH = os.path.join(BIN, "sh")
DASH = "/usr/bin/dash"
HOST_TOOLS = ["grep", "chmod"]


def load_cases():
    cases = []
    for path in sorted(glob.glob(os.path.join(CORPUS, "*.cases"))):
        name, lines = None, []
        with open(path) as f:
            for line in f:
                if line.startswith("#### "):
                    if name:
                        cases.append((name, "".join(lines)))
                    name = os.path.basename(path)[:-6] + ":" + line[5:].strip()
                    lines = []
                elif name:
                    lines.append(line)
        if name:
            cases.append((name, "".join(lines)))
    return cases


CASES = load_cases()


def test_corpus_is_large_enough_and_names_are_unique():
    names = [name for name, _ in CASES]
    assert len(names) >= 150
    assert len(set(names)) == len(names)


@pytest.fixture(scope="module")
def tool_dirs(tmp_path_factory):
    """Directories for PATH: one with `sh` = dash, one with host tools."""
    base = tmp_path_factory.mktemp("paths")
    dash_dir = base / "dash"
    dash_dir.mkdir()
    os.symlink(DASH, dash_dir / "sh")
    tools = base / "tools"
    tools.mkdir()
    for tool in HOST_TOOLS:
        os.symlink("/usr/bin/" + tool if os.path.exists("/usr/bin/" + tool) else "/bin/" + tool,
                   tools / tool)
    return str(dash_dir), str(tools)


def populate(directory):
    for name, text in [("a.txt", "alpha\n"), ("b.txt", "beta\n"), ("c.log", "log\n"),
                       (".hidden", "h\n")]:
        (directory / name).write_text(text)
    (directory / "sub").mkdir()
    (directory / "sub" / "x").write_text("x\n")


def run(shell, shell_dir, tools, script, directory):
    populate(directory)
    (directory / "case.sh").write_text(script)
    env = {"PATH": ":".join([shell_dir, BIN, tools]), "HOME": str(directory), "LC_ALL": "C",
           "PWD": str(directory)}
    r = subprocess.run([shell, "case.sh", "arg1", "arg2"], input="stdin line\n",
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=directory, env=env,
                       text=True, timeout=60)
    return r.stdout, i386_programs.without_emulator_notes(r.stderr), r.returncode


@pytest.mark.parametrize("name,script", CASES, ids=[name for name, _ in CASES])
def test_same_as_dash(name, script, tmp_path, tool_dirs):
    dash_dir, tools = tool_dirs
    (tmp_path / "dash").mkdir()
    (tmp_path / "ours").mkdir()
    expected = run(DASH, dash_dir, tools, script, tmp_path / "dash")
    got = run(OUR_SH, BIN, tools, script, tmp_path / "ours")
    # Output may name the directory it ran in; each shell had its own.
    got_out = got[0].replace(str(tmp_path / "ours"), str(tmp_path / "dash"))
    assert got_out == expected[0], (name, got[1], expected[1])
    assert got[2] == expected[2], (name, got[1], expected[1])
    assert (got[1] == "") == (expected[1] == ""), (name, got[1], expected[1])
