"""What ext2 keeps about a file besides its bytes, checked on the host.

- A write sets the file's modification and change times to the kernel's
  clock (the RTC, which QEMU sets to the host's time), and leaves the
  times of a file nobody wrote alone.
- Deleting a file gives back its extended-attribute block (File ACL), so
  the bitmap marks it free and e2fsck -fn finds nothing to fix.

The images are made here with mke2fs -d and prepared with debugfs; the
answers are read back with debugfs after the guest powered off.
"""
import re
import subprocess
import time

from disk_checks import assert_fsck_clean

OLD_TIME = 946684800  # 2000-01-01 00:00:00 UTC


def debugfs(image, request, write=False):
    result = subprocess.run(["debugfs", *(["-w"] if write else []), "-R", request, image],
                            capture_output=True, text=True, check=True)
    return result.stdout


def inode_field(image, path, field):
    """A number debugfs's `stat` shows ("mtime: 0x6b1678d2 -- ...", "File ACL: 162")."""
    match = re.search(rf"\b{field}: (0x[0-9a-f]+|\d+)", debugfs(image, f"stat {path}"))
    assert match, f"no {field} for {path} on {image}"
    return int(match.group(1), 0)


def make_image(tmp_path, files):
    folder = tmp_path / "tree"
    folder.mkdir()
    for name, data in files.items():
        (folder / name).write_bytes(data)
    image = str(tmp_path / "disk.img")
    subprocess.run(["mke2fs", "-q", "-F", "-t", "ext2", "-I", "128", "-E", "root_owner=0:0",
                    "-d", str(folder), image, "4M"], check=True, capture_output=True)
    return image


def boot_with(make_machine, image):
    return make_machine(append="init=/bin/init quiet", virtio_disks=[image]).boot()


def test_a_write_sets_mtime_and_ctime_and_other_files_keep_theirs(make_machine, tmp_path):
    image = make_image(tmp_path, {"written": b"first\n", "untouched": b"same\n"})
    for name in ["written", "untouched"]:
        for field in ["mtime", "ctime"]:
            debugfs(image, f"set_inode_field /{name} {field} @{OLD_TIME}", write=True)
    assert inode_field(image, "/written", "mtime") == OLD_TIME
    before = int(time.time())
    shell = boot_with(make_machine, image)
    assert shell.run("echo more >> /mnt/virtio/written; echo $?") == "0\n"
    status, _ = shell.poweroff()
    after = int(time.time())
    assert status == 0
    assert_fsck_clean(image)
    # The RTC has whole seconds and the guest's clock may lag the host's
    # by a second or two.
    for field in ["mtime", "ctime"]:
        assert before - 5 <= inode_field(image, "/written", field) <= after + 5, field
        assert inode_field(image, "/untouched", field) == OLD_TIME, field


def test_deleting_a_file_frees_its_extended_attribute_block(make_machine, tmp_path):
    image = make_image(tmp_path, {"tagged": b"", "kept": b"kept\n"})
    # 300 bytes do not fit in a 128-byte inode: debugfs puts them in a block.
    debugfs(image, "ea_set /tagged user.note " + "n" * 300, write=True)
    attribute_block = inode_field(image, "/tagged", "File ACL")
    assert attribute_block != 0
    assert "marked in use" in debugfs(image, f"testb {attribute_block}")
    assert_fsck_clean(image)
    shell = boot_with(make_machine, image)
    assert shell.run("rm /mnt/virtio/tagged; echo $?") == "0\n"
    status, _ = shell.poweroff()
    assert status == 0
    assert_fsck_clean(image)
    assert "not in use" in debugfs(image, f"testb {attribute_block}")
    assert debugfs(image, "cat /kept") == "kept\n"
