"""The docs tier: every console example in README.md and docs/*.md is typed
at a booted kernel and its output compared with what the example shows.

The convention (docs/testing.md explains it for writers):
- A fenced code block whose info string is `console` is run; blocks with
  any other info string (text, sh, gdb, none) are not.
- A line starting with a prompt -- the working directory followed by
  "# " (`/# ls /mnt`), or the kernel monitor's "monitor# " -- is typed
  at the machine; the lines after it, up to the next prompt line or the end
  of the block, are its expected output.
- Lines are compared exactly, after trailing whitespace and "\\r" are
  stripped, except that a line that is exactly `...` matches zero or more
  lines, and `<...>` inside a line matches any run of characters in it.
- Each file boots one machine as `make run` does (tests/docs/conftest.py)
  and runs its blocks in order; `<!-- docs-machine: append="..." -->`
  before the first block sets the kernel command line for that file.
- The prompt's directory is checked too: `/etc# ls` must be typed where
  the shell's prompt says /etc.

Run: /usr/bin/python3 -m pytest -q tests/docs (or make test-docs).
"""
import difflib
import functools
import glob
import os
import re

import pexpect
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PROMPT_LINE = re.compile(r"^(?:(/\S*)# |(monitor)# )(.*)$")
FENCE = re.compile(r"^(`{3,}|~{3,})\s*([^\s`]*)")
MACHINE_DIRECTIVE = re.compile(r'^<!--\s*docs-machine:\s*append="([^"]*)"\s*-->\s*$')
ANY_LINES = "..."
ANY_TEXT = "<...>"


class ExampleError(Exception):
    """A console block that does not follow the convention."""


class Command:
    def __init__(self, path, line, block_line, directory, text):
        self.path = path
        self.line = line              # 1-based line of the prompt in the file
        self.block_line = block_line  # 1-based line of the block's opening fence
        self.directory = directory    # "/etc", or "monitor"
        self.text = text              # what is typed
        self.expected = []            # the lines shown after it

    def where(self):
        return f"{self.path}:{self.line} (block at line {self.block_line})"


class DocFile:
    def __init__(self, path):
        self.path = path
        self.append = ""
        self.commands = []
        self.block_count = 0


def parse(path, text):
    """Reads one Markdown file: its console blocks' commands in order."""
    doc = DocFile(path)
    fence = None          # the opening fence while inside a block
    running = False       # inside a console block
    command = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip()
        if fence is None:
            directive = MACHINE_DIRECTIVE.match(line)
            if directive:
                if doc.block_count:
                    raise ExampleError(f"{path}:{number}: docs-machine must come before the first console block")
                doc.append = directive.group(1)
                continue
            opening = FENCE.match(line)
            if opening:
                fence = opening.group(1)
                running = opening.group(2) == "console"
                block_line = number
                command = None
                if running:
                    doc.block_count += 1
            continue
        if line.startswith(fence) and line.strip() == fence[0] * len(line.strip()) and len(line.strip()) >= len(fence):
            fence = None
            running = False
            continue
        if not running:
            continue
        prompt = PROMPT_LINE.match(line)
        if prompt:
            directory = prompt.group(1) or prompt.group(2)
            command = Command(path, number, block_line, directory, prompt.group(3).strip())
            doc.commands.append(command)
        elif command is None:
            raise ExampleError(f"{path}:{number}: a console block must start with a prompt line "
                               f"such as '/# ls'; use a text block for output alone")
        else:
            command.expected.append(line)
    if fence is not None:
        raise ExampleError(f"{path}: the code block opened at line {block_line} is never closed")
    return doc


def line_pattern(expected):
    """One expected line as a regular expression: <...> is any run of characters."""
    return re.compile(".*".join(re.escape(piece) for piece in expected.split(ANY_TEXT)))


def matches(expected, actual):
    """Whether the actual lines fit the expected ones (with ... and <...>)."""
    patterns = [None if line == ANY_LINES else line_pattern(line) for line in expected]

    @functools.lru_cache(maxsize=None)
    def fit(i, j):
        if i == len(patterns):
            return j == len(actual)
        if patterns[i] is None:
            return fit(i + 1, j) or (j < len(actual) and fit(i, j + 1))
        return j < len(actual) and patterns[i].fullmatch(actual[j]) is not None and fit(i + 1, j + 1)

    return fit(0, 0)


def normalize(output):
    """Output as lines without "\\r" and trailing whitespace."""
    text = output.replace("\r", "")
    if not text:
        return []
    if text.endswith("\n"):
        text = text[:-1]
    return [line.rstrip() for line in text.split("\n")]


def doc_files():
    files = [os.path.join(ROOT, "README.md")] + sorted(glob.glob(os.path.join(ROOT, "docs", "*.md")))
    return [os.path.relpath(path, ROOT) for path in files if os.path.exists(path)]


def load(relative):
    with open(os.path.join(ROOT, relative), encoding="utf-8") as source:
        return parse(relative, source.read())


def failure(command, actual, note=""):
    diff = difflib.unified_diff(command.expected, actual, fromfile=f"expected ({command.path}:{command.line + 1})",
                                tofile="actual", lineterm="")
    return f"{command.where()}: `{command.text}`{note}\n" + "\n".join(diff)


def files_with_examples():
    """The chapters that have console examples (each boots one machine)."""
    return [relative for relative in doc_files() if load(relative).commands]


@pytest.mark.parametrize("relative", files_with_examples())
def test_console_examples(relative, docs_machine):
    doc = load(relative)
    machine = docs_machine(doc.append)
    failures = []
    for command in doc.commands:
        if machine.prompt is None:
            failures.append(f"{command.where()}: `{command.text}`: the machine is already off")
            break
        if command.directory != machine.prompt:
            failures.append(f"{command.where()}: `{command.text}` is shown at the prompt "
                            f"'{command.directory}' but the machine's prompt is '{machine.prompt}'")
        try:
            actual = normalize(machine.run(command.text))
        except pexpect.TIMEOUT:
            before = normalize(machine.machine.child.before or "")
            failures.append(failure(command, before, " gave no prompt back in time (output so far below)"))
            machine.prompt = None  # not worth a poweroff: the fixture ends QEMU
            break
        except pexpect.EOF:
            before = normalize(machine.machine.child.before or "")
            failures.append(failure(command, before, ": the machine stopped (output below)"))
            machine.prompt = None
            break
        if not matches(command.expected, actual):
            failures.append(failure(command, actual))
    if machine.prompt is not None:
        status = machine.poweroff()
        if status != 0:
            failures.append(f"{relative}: poweroff after the examples ended with QEMU status {status}")
    if failures:
        pytest.fail(f"{len(failures)} example(s) in {relative} differ:\n\n" + "\n\n".join(failures), pytrace=False)


# ---- the convention itself, without a machine ----

def test_every_console_block_follows_the_convention():
    for relative in doc_files():
        load(relative)  # raises ExampleError with the file and line


def test_prompt_lines_are_recognized():
    doc = parse("x.md", "text\n```console\n/# ls /mnt\nata\nvirtio\n/etc# pwd\n/etc\n```\n"
                        "```text\n/# not run\n```\n```console\nmonitor# uptime\n<...>\n```\n")
    assert [(c.directory, c.text, c.expected, c.line) for c in doc.commands] == [
        ("/", "ls /mnt", ["ata", "virtio"], 3),
        ("/etc", "pwd", ["/etc"], 6),
        ("monitor", "uptime", ["<...>"], 13),
    ]
    assert doc.block_count == 2


def test_machine_directive():
    doc = parse("x.md", '<!-- docs-machine: append="init=monitor quiet" -->\n```console\nmonitor# help\n```\n')
    assert doc.append == "init=monitor quiet"
    with pytest.raises(ExampleError):
        parse("x.md", '```console\n/# true\n```\n<!-- docs-machine: append="quiet" -->\n')


def test_output_before_a_prompt_is_refused():
    with pytest.raises(ExampleError):
        parse("x.md", "```console\nhello\n/# true\n```\n")


def test_matching_rules():
    assert matches(["a", "b"], ["a", "b"])
    assert not matches(["a", "b"], ["a", "b", "c"])
    assert not matches(["a"], ["b"])
    assert matches([], [])
    assert matches(["..."], [])
    assert matches(["a", "...", "z"], ["a", "b", "c", "z"])
    assert matches(["a", "...", "z"], ["a", "z"])
    assert not matches(["a", "...", "z"], ["a", "b"])
    assert matches(["pid <...> sh"], ["pid 42 sh"])
    assert matches(["<...>"], [""])
    assert not matches(["pid <...> sh"], ["pid 42 bash"])
    assert matches(["a.b [x]"], ["a.b [x]"])
    assert not matches(["a.b"], ["axb"])
    assert normalize("one  \r\ntwo\n") == ["one", "two"]
    assert normalize("") == []
    assert normalize("\n") == [""]
