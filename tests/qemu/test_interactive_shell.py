"""Our shell at the console as a person uses it, through a real pseudo-
terminal (pexpect runs QEMU on one; QEMU's serial line is the console):
line editing and history, Tab completion, Ctrl-C, Ctrl-Z and the jobs it
makes, and globbing across mounts -- checked on the disk images afterwards
with debugfs and e2fsck on the host.

The keys are the bytes a VT100-style terminal sends: ESC [ D is Left,
ESC [ A is Up, 0x09 Tab, 0x03 Ctrl-C, 0x1a Ctrl-Z.
"""
import os
import shutil

import pytest

from disk_checks import assert_fsck_clean, file_of_image
from machine import BUILD, ROOT

LEFT, UP, TAB, CTRL_C, CTRL_Z = "\x1b[D", "\x1b[A", "\t", "\x03", "\x1a"
PROMPT = r"\n/[^\n]*# $"


@pytest.fixture
def images(tmp_path):
    copies = {}
    for name in ("ata", "virtio"):
        copies[name] = str(tmp_path / f"{name}.img")
        shutil.copy(os.path.join(BUILD, f"{name}.img"), copies[name])
    return copies


@pytest.fixture
def shell(make_machine, images):
    return make_machine(append="init=/bin/init quiet", ata_disks=[images["ata"]],
                        virtio_disks=[images["virtio"]]).boot()


def output_of_typed(shell, keys):
    """Types `keys` (ending in Enter) and returns what came before the next
    prompt, carriage returns removed: the line as drawn, then the output."""
    shell.type(keys)
    return shell.expect(PROMPT, timeout=60).replace("\r", "")


def test_left_arrow_edits_and_up_arrow_recalls(shell):
    # "echo helo", cursor one left (before the "o"), insert "l": "echo hello".
    assert output_of_typed(shell, "echo helo" + LEFT + "l\r").endswith("\nhello")
    # Up brings the line back; Enter runs it again.
    assert output_of_typed(shell, UP + "\r").endswith("\nhello")
    # Up twice walks further back; the edit of a recalled line runs as edited.
    output_of_typed(shell, "echo second\r")
    assert output_of_typed(shell, UP + UP + " again\r").endswith("\nhello again")


def test_tab_completes_a_directory_across_mounts(shell):
    shell.type("ls /mnt/vi" + TAB)
    shell.expect("/mnt/virtio/")
    listing = output_of_typed(shell, "\r")
    assert "readme.txt" in listing
    # A command name completes too: "ech" + Tab is "echo ".
    shell.type("ech" + TAB)
    shell.expect("echo ")
    assert output_of_typed(shell, "completed\r").endswith("\ncompleted")


def test_ctrl_c_interrupts_cat_and_the_prompt_comes_back(shell):
    shell.type("cat\r")
    shell.expect("cat\r*\n")
    shell.type(CTRL_C)
    shell.expect(PROMPT, timeout=30)
    assert shell.run("echo $?") == "130\n"


def test_ctrl_z_stops_sleep_and_fg_resumes_it(shell):
    shell.type("sleep 100\r")
    shell.expect("sleep 100\r*\n")
    shell.type(CTRL_Z)
    stopped = shell.expect(PROMPT, timeout=30).replace("\r", "")
    assert "Stopped" in stopped and "sleep 100" in stopped, stopped
    jobs = shell.run("jobs")
    assert "[1]" in jobs and "Stopped" in jobs and "sleep 100" in jobs, jobs
    # The kernel agrees: the process is stopped (state T in /proc/PID/stat).
    pid = shell.run("jobs -p").strip()
    assert shell.run(f"cat /proc/{pid}/stat").split()[2] == "T"
    shell.type("fg\r")
    shell.expect("sleep 100\r*\n")  # fg names the job it resumes
    shell.type(CTRL_C)
    shell.expect(PROMPT, timeout=30)
    assert shell.run("echo $?") == "130\n"
    assert shell.run("jobs") == ""


def test_globbing_copies_every_match_across_mounts(shell, images):
    sources = sorted(["docs/layers.txt", "docs/words.txt"])
    assert shell.run("cp /mnt/ata/*.txt /mnt/ata/docs/*.txt /mnt/virtio/") == ""
    listing = shell.run("ls /mnt/virtio").split()
    for name in ["hello.txt", "layers.txt", "words.txt"]:
        assert name in listing
    assert shell.run("echo /mnt/ata/*.none") == "/mnt/ata/*.none\n"  # no match: left as typed
    shell.run("sync")
    status, _ = shell.poweroff()
    assert status == 0
    assert_fsck_clean(images["virtio"])
    for source in ["hello.txt", *sources]:
        with open(os.path.join(ROOT, "disks", "ata", source), "rb") as f:
            assert file_of_image(images["virtio"], "/" + os.path.basename(source)) == f.read()
