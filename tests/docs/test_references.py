"""tests/docs/test_references.py -- the docs point at code that is there.

Two kinds of reference are checked in README.md and docs/*.md (outside
fenced blocks, whose listings are program output):

  `fs/cache/file_mapping.cpp:207` (`FileMapping::read_pages`)
      the file exists and the function is defined within LINE_SLACK lines
      of line 207 (the name followed by "(" on a line that is not a call,
      or an assembly label "name:"); `path:LINE` `name` without the
      parentheses counts too;
  `fs/ext2/ext2_file.cpp`, `kernel/arch/x86/`, `kernel/storage_init.*`
      the file or folder exists (a pattern must match something).

A failure names the document, the reference and where the function is
defined now. Run:

    /usr/bin/python3 -m pytest -q tests/docs/test_references.py
    /usr/bin/python3 tests/docs/test_references.py --fix     # prints the fixes
    /usr/bin/python3 tests/docs/test_references.py --write   # applies them
"""
import glob
import os
import re
import subprocess
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
LINE_SLACK = 3
TOP_FOLDERS = ("boot", "kernel", "drivers", "fs", "user", "tests", "tools", "docs", "disks")
TOP_FILES = ("Makefile", "linker.ld", "README.md")

LINE_REFERENCE = re.compile(
    r"`(?P<path>[\w./+-]+):(?P<line>\d+)`\s*(?:\(\s*`(?P<name1>[^`]+)`\s*\)|`(?P<name2>[^`]+)`)")
BACKTICKED = re.compile(r"`([^`\s]+)`")
FENCE = re.compile(r"^\s*(```|~~~)")


def documents():
    found = [os.path.join(ROOT, "README.md")] + sorted(glob.glob(os.path.join(ROOT, "docs", "*.md")))
    return [path for path in found if os.path.exists(path)]


def prose_lines(path):
    """(line number, text) of the lines outside fenced blocks."""
    inside = False
    with open(path, encoding="utf-8") as document:
        for number, text in enumerate(document, 1):
            if FENCE.match(text):
                inside = not inside
                continue
            if not inside:
                yield number, text


def bare_name(name):
    """`Ext2Inode::read_at()` -> ("Ext2Inode", "read_at"); no class -> (None, name)."""
    name = name.strip().rstrip("()").strip()
    if name.startswith("(anonymous namespace)::"):
        name = name[len("(anonymous namespace)::"):]
    parts = name.split("::")
    return ("::".join(parts[:-1]) or None), parts[-1]


def definition_pattern(name):
    owner, function = bare_name(name)
    qualified = re.escape(owner + "::" + function) if owner else None
    # A definition: the name (qualified, or with a return type or nothing
    # before it) and "(", not behind a call's "return", "=", "." or "->".
    function_name = re.escape(function)
    prefix = r"^\s*(?:[\w:<>,*&\[\]\s\"]*?[\s*&>])?"
    if qualified:
        c_form = re.compile(prefix + r"(?:\w+::)*" + qualified + r"\s*\(")
    else:
        c_form = re.compile(prefix + r"(?:\w+::)*" + function_name + r"\s*\(")
    label = re.compile(r"^\s*" + function_name + r"\s*:")  # assembly
    gdb_define = re.compile(r"^\s*define\s+" + function_name + r"\s*$")
    return c_form, label, gdb_define, function


def is_definition(text, patterns):
    c_form, label, gdb_define, function = patterns
    stripped = text.strip()
    if label.match(text) or gdb_define.match(text):
        return True
    if not c_form.match(text):
        return False
    before = text.split(function + "(")[0] if function + "(" in text else text.split(function)[0]
    if re.search(r"\breturn\b|=|\bif\b|\bwhile\b|\bdelete\b|\.$|->$", before.strip() + ("" if before.strip() else "")):
        return False
    if re.search(r"(\.|->)\s*$", before):
        return False
    # A call statement on its own line: "name(args);" without a type before it.
    if stripped.endswith(";") and not re.match(r"^\s*[\w:<>,*&\s]+\s+[*&]?(?:\w+::)*" + re.escape(function), text):
        return False
    return True


def definitions_in(path, name):
    patterns = definition_pattern(name)
    try:
        with open(path, encoding="utf-8", errors="replace") as source:
            return [n for n, text in enumerate(source, 1) if is_definition(text, patterns)]
    except OSError:
        return []


def find_elsewhere(name):
    """Where in the tree the function is defined: ["path:line", ...]."""
    _, function = bare_name(name)
    try:
        output = subprocess.run(["git", "grep", "-n", "-I", "-w", function, "--", "*.cpp", "*.h", "*.c", "*.S",
                                 "*.asm", "tools/*"], cwd=ROOT, capture_output=True, text=True).stdout
    except OSError:
        return []
    places = []
    patterns = definition_pattern(name)
    for row in output.splitlines():
        path, line, text = row.split(":", 2)
        if is_definition(text + "\n", patterns):
            places.append(f"{path}:{line}")
    return places


def line_references():
    """(document, doc line, path, line, name) for every `path:LINE` (`name`)."""
    for document in documents():
        for number, text in prose_lines(document):
            for match in LINE_REFERENCE.finditer(text):
                name = match.group("name1") or match.group("name2")
                yield document, number, match.group("path"), int(match.group("line")), name


def looks_like_tree_path(token):
    token = token.rstrip(".,;:")
    if token in TOP_FILES:
        return True
    if "/" not in token or token.startswith(("/", ".", "http")):
        return False
    # A pattern such as user/bin/PROGRAM.c names no file: a capitalised
    # placeholder word stands for any name.
    if re.search(r"\b(?!README\b)[A-Z]{3,}\b", token.replace("_", " ")):
        return False
    return token.split("/")[0] in TOP_FOLDERS


def path_references():
    """(document, doc line, path) for every backticked path in the tree."""
    for document in documents():
        for number, text in prose_lines(document):
            for match in BACKTICKED.finditer(text):
                token = match.group(1)
                if re.search(r":\d+$", token):
                    token = token.rsplit(":", 1)[0]
                if looks_like_tree_path(token):
                    yield document, number, token.rstrip(".,;:")


def check_line_reference(path, line, name):
    """None when right; otherwise (message, the right line or None)."""
    full = os.path.join(ROOT, path)
    if not os.path.isfile(full):
        places = find_elsewhere(name)
        if not places:
            return f"{path} does not exist, and `{name}` is defined nowhere in the tree", None
        moved = places[0] if len(places) == 1 else None
        return f"{path} does not exist; `{name}` is defined at {', '.join(places)}", moved
    lines = definitions_in(full, name)
    if any(abs(found - line) <= LINE_SLACK for found in lines):
        return None
    if lines:
        best = min(lines, key=lambda found: abs(found - line))
        return f"`{name}` is not defined near line {line}; it is at {path}:{best}", best
    places = find_elsewhere(name)
    if not places:
        return f"`{name}` is not defined in {path}, nor anywhere else in the tree", None
    moved = places[0] if len(places) == 1 else None
    return f"`{name}` is not defined in {path}; it is at {', '.join(places)}", moved


def relative(document):
    return os.path.relpath(document, ROOT)


def line_reference_failures():
    failures, fixes = [], []
    for document, number, path, line, name in line_references():
        problem = check_line_reference(path, line, name)
        if problem:
            message, right = problem
            failures.append(f"{relative(document)}:{number}: `{path}:{line}` (`{name}`): {message}")
            if isinstance(right, int):
                fixes.append((document, number, f"`{path}:{line}`", f"`{path}:{right}`"))
            elif right is not None:  # "new/path.cpp:LINE", the one definition elsewhere
                fixes.append((document, number, f"`{path}:{line}`", f"`{right}`"))
    return failures, fixes


def path_failures():
    failures = []
    for document, number, path in path_references():
        full = os.path.join(ROOT, path)
        exists = glob.glob(full) if any(c in path for c in "*?[") else os.path.exists(full)
        # A stem such as kernel/multiboot names its .h and .cpp together.
        exists = exists or bool(glob.glob(full + ".*"))
        if not exists:
            failures.append(f"{relative(document)}:{number}: `{path}` does not exist")
    return failures


def test_there_are_references_to_check():
    assert sum(1 for _ in line_references()) > 0


def test_line_references_name_functions_defined_there():
    failures, _ = line_reference_failures()
    assert not failures, "stale references (tests/docs/test_references.py --fix prints the fixes):\n" + "\n".join(failures)


def test_paths_exist():
    failures = path_failures()
    assert not failures, "paths that are not in the tree:\n" + "\n".join(failures)


def main(arguments):
    failures, fixes = line_reference_failures()
    failures += path_failures()
    count = sum(1 for _ in line_references())
    paths = sum(1 for _ in path_references())
    for failure in failures:
        print(failure)
    if "--fix" in arguments or "--write" in arguments:
        for document, number, old, new in fixes:
            print(f"{relative(document)}:{number}: {old} -> {new}")
    if "--write" in arguments:
        by_document = {}
        for document, number, old, new in fixes:
            by_document.setdefault(document, []).append((number, old, new))
        for document, changes in by_document.items():
            with open(document, encoding="utf-8") as f:
                lines = f.readlines()
            for number, old, new in changes:
                lines[number - 1] = lines[number - 1].replace(old, new, 1)
            with open(document, "w", encoding="utf-8") as f:
                f.writelines(lines)
        print(f"{len(fixes)} references rewritten")
    print(f"{count} line references and {paths} paths checked, {len(failures)} wrong")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
