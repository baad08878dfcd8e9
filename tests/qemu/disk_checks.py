"""Checks of ext2 images on the host, after the guest has written them.

`e2fsck -fn` must find the file system clean: its status is 0 *and* it
prints the five passes and the summary line, nothing else (a "Fix? no",
"Inode ... has", "Free blocks count wrong" line is a problem even where
the status stays 0). `debugfs` reads back what is on the image -- whole
trees with `rdump`, single files with `dump` -- and the tests compare that
with what the host computed from its own files, never with what the guest
said.
"""
import hashlib
import os
import re
import subprocess
import tempfile

E2FSCK_PASSES = [
    "Pass 1: Checking inodes, blocks, and sizes",
    "Pass 2: Checking directory structure",
    "Pass 3: Checking directory connectivity",
    "Pass 4: Checking reference counts",
    "Pass 5: Checking group summary information",
]
E2FSCK_SUMMARY = re.compile(r".+: \d+/\d+ files \(\d+\.\d% non-contiguous\), \d+/\d+ blocks")
DIRECTORY = "directory"


def md5(data):
    return hashlib.md5(data).hexdigest()


def md5_of_file(path):
    with open(path, "rb") as f:
        return md5(f.read())


def assert_fsck_clean(image):
    """e2fsck -fn finds nothing to fix on `image`; returns its summary line."""
    result = subprocess.run(["e2fsck", "-fn", image], capture_output=True, text=True)
    report = f"e2fsck -fn {image}: status {result.returncode}\n{result.stdout}{result.stderr}"
    assert result.returncode == 0, report
    lines = result.stdout.splitlines()
    assert lines[:-1] == E2FSCK_PASSES and E2FSCK_SUMMARY.fullmatch(lines[-1]), report
    # stderr carries only the version banner ("e2fsck 1.47.0 (5-Feb-2023)").
    assert [line for line in result.stderr.splitlines() if not line.startswith("e2fsck ")] == [], report
    return lines[-1]


def debugfs(image, request):
    """debugfs's output for one request; any complaint of debugfs fails."""
    result = subprocess.run(["debugfs", "-R", request, image], capture_output=True, text=True)
    complaints = [line for line in result.stderr.splitlines() if not line.startswith("debugfs ")]
    assert result.returncode == 0 and complaints == [], f"debugfs -R '{request}' {image}: {result.stderr}"
    return result.stdout


def tree_of_folder(folder):
    """{relative path: md5 of a file, DIRECTORY, or "-> target" of a symlink}."""
    tree = {}
    for directory, subdirectories, names in os.walk(folder):
        for name in subdirectories + names:
            path = os.path.join(directory, name)
            relative = os.path.relpath(path, folder)
            if os.path.islink(path):
                tree[relative] = "-> " + os.readlink(path)
            elif os.path.isdir(path):
                tree[relative] = DIRECTORY
            else:
                tree[relative] = md5_of_file(path)
    return tree


def tree_of_image(image):
    """The whole tree of an ext2 image as tree_of_folder gives it, read by debugfs."""
    with tempfile.TemporaryDirectory() as out:
        debugfs(image, f"rdump / {out}")
        return tree_of_folder(out)


def tree_made_by_mke2fs(folder):
    """What `mke2fs -d folder` puts on a new image: the folder and lost+found."""
    return {**tree_of_folder(folder), "lost+found": DIRECTORY}


def subtree(tree, prefix):
    """The entries of `tree` moved under the directory `prefix`."""
    return {os.path.join(prefix, path): value for path, value in tree.items()}


def file_of_image(image, path):
    """The bytes of one file of an ext2 image, read by debugfs."""
    with tempfile.TemporaryDirectory() as out:
        target = os.path.join(out, "file")
        debugfs(image, f"dump -p {path} {target}")
        assert os.path.exists(target), f"{path} is not on {image}"
        with open(target, "rb") as f:
            return f.read()


def superblock_field(image, name):
    """One line of `dumpe2fs -h`: "Filesystem state", "Free blocks", ..."""
    result = subprocess.run(["dumpe2fs", "-h", image], capture_output=True, text=True, check=True)
    for line in result.stdout.splitlines():
        if line.startswith(name + ":"):
            return line.split(":", 1)[1].strip()
    raise AssertionError(f"{name} not in dumpe2fs -h {image}")
