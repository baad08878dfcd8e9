"""Two promises of the run contract, checked as the book states them: a
panic ends QEMU with exit status 3 after the report (control registers and
a symbolized backtrace); `ata=pio` turns bus-master DMA off and files on
the IDE disk still read back right."""
import os
import re
import shutil

from machine import BUILD, ROOT


def test_a_panic_prints_its_report_and_ends_qemu_with_status_3(machine):
    machine.type("panic claims\n")  # the message is the first word
    status, output = machine.wait_exit()
    output = output.replace("\r", "")
    assert "KERNEL PANIC: claims\nin thread 1 (init)\n" in output, output
    assert re.search(r"^cr0=[0-9a-f]{8} cr2=[0-9a-f]{8} cr3=[0-9a-f]{8} cr4=[0-9a-f]{8}$", output, re.M), output
    backtrace = output[output.index("Backtrace:"):]
    for function in ["command_panic", "run_monitor(void*)", "thread_entry"]:
        assert function in backtrace, backtrace
    assert status == 3, (status, output)


def test_ata_pio_boots_and_reads_a_file_from_the_ide_disk(make_machine, tmp_path):
    disk = str(tmp_path / "ata.img")
    shutil.copy(os.path.join(BUILD, "ata.img"), disk)
    shell = make_machine(append="init=/bin/init ata=pio", ata_disks=[disk]).boot()
    assert "ata: ata=pio on the command line: DMA is off" in shell.boot_output, shell.boot_output
    assert re.search(r"hda: QEMU HARDDISK, .*, PIO \(16 sectors per interrupt\)", shell.boot_output), \
        shell.boot_output
    assert "DMA (" not in shell.boot_output
    with open(os.path.join(ROOT, "disks", "ata", "hello.txt")) as f:
        expected = f.read()
    assert shell.run("cat /mnt/ata/hello.txt") == expected
    fields = next(line.split() for line in shell.run("cat /proc/diskstats").splitlines()
                  if len(line.split()) > 3 and line.split()[2] == "hda")
    assert int(fields[3]) > 0 and int(fields[5]) > 0, fields  # reads completed, sectors read
    status, _ = shell.poweroff()
    assert status == 0
