"""Fixtures for the QEMU tests: a booted machine per test, always cleaned up,
and a root image with Debian's busybox in /bin (for tests that use its dd...)."""
import os
import shutil
import subprocess
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from machine import BUILD, Machine  # noqa: E402

BUSYBOX = os.path.join(BUILD, "busybox", "busybox")
ROOTFS_TREE = os.path.join(BUILD, "rootfs")


@pytest.fixture
def make_machine(tmp_path):
    machines = []

    def start(**options):
        index = len(machines)
        path = tmp_path / f"machine{index}"
        path.mkdir()
        machine = Machine(path, **options)
        machines.append(machine)
        return machine

    yield start
    for machine in machines:
        machine.close()


@pytest.fixture
def machine(make_machine):
    return make_machine().boot()


def root_image_with(work, files):
    """The root file system's tree with `files` ({path in the image: host
    file}) added, packed by genromfs into the folder `work`; its path."""
    tree = work / "tree"
    shutil.copytree(ROOTFS_TREE, tree, symlinks=True)
    for inside, host_file in files.items():
        shutil.copy(host_file, tree / inside.lstrip("/"))
    image = work / "rootfs.romfs"
    subprocess.run(["genromfs", "-f", str(image), "-d", str(tree), "-V", "rootfs"], check=True)
    return str(image)


@pytest.fixture(scope="module")
def busybox_root(tmp_path_factory):
    """The root file system's tree with busybox added, packed by genromfs."""
    if not os.path.exists(BUSYBOX):
        pytest.fail(f"{BUSYBOX} is missing: run `make {os.path.relpath(BUSYBOX, os.path.dirname(BUILD))}`")
    return root_image_with(tmp_path_factory.mktemp("busybox-root"), {"/bin/busybox": BUSYBOX})
