"""The PS/2 keyboard and the VGA text screen, reached through QEMU's monitor.

With -nographic, QEMU multiplexes its monitor on the serial terminal: Ctrl-A c
switches between the guest's console and the "(qemu)" prompt. `sendkey`
presses keys on the emulated PS/2 keyboard; `pmemsave` copies guest memory
(here the VGA text buffer at 0xB8000) to a file we can read.
"""
import os
import re

VGA_TEXT_BUFFER = 0xB8000
COLUMNS, ROWS = 80, 25


def to_qemu_monitor(machine):
    machine.type("\x01c")
    machine.expect(r"\(qemu\) ")


def back_to_console(machine):
    machine.type("\x01c")


def qemu_command(machine, command):
    machine.type(command + "\r")
    machine.expect(r"\(qemu\) ")


def press_keys(machine, keys):
    to_qemu_monitor(machine)
    for key in keys:
        qemu_command(machine, f"sendkey {key}")
    back_to_console(machine)


def screen_lines(machine):
    path = os.path.join(machine.workdir, "vga.bin")
    to_qemu_monitor(machine)
    qemu_command(machine, f'pmemsave {VGA_TEXT_BUFFER:#x} {COLUMNS * ROWS * 2} "{path}"')
    back_to_console(machine)
    # QEMU's monitor writes the file before it prompts again.
    cells = open(path, "rb").read()
    assert len(cells) == COLUMNS * ROWS * 2, len(cells)
    text = bytes(cells[0::2]).decode("ascii", "replace")
    return [text[row * COLUMNS:(row + 1) * COLUMNS].rstrip() for row in range(ROWS)]


def test_keyboard_input_reaches_the_console(machine):
    # "uptime", Enter, typed on the PS/2 keyboard: the command runs and its
    # answer comes out on the serial console. (The echo went by while the
    # QEMU monitor had the terminal.)
    press_keys(machine, ["u", "p", "t", "i", "m", "e", "ret"])
    machine.expect(r"up \d+\.\d{3} seconds")


def test_keyboard_shift_and_backspace(machine):
    # Shift-a, backspace, then "help": the shifted A is erased before Enter.
    press_keys(machine, ["shift-a", "backspace", "h", "e", "l", "p", "ret"])
    output = machine.expect(r"poweroff\s+switch the machine off")
    assert "unknown command" not in output


def test_keyboard_control_c_discards_the_line(machine):
    press_keys(machine, ["p", "a", "n", "i", "c", "ctrl-c"])
    # Had "panic" run, QEMU would have exited; the machine still answers,
    # and Enter now runs only what is typed after the Ctrl-C.
    assert "up " in machine.run("uptime")


def test_screen_shows_the_console_and_scrolls(machine):
    for i in range(30):  # more lines than the screen has rows
        machine.run(f"line{i:02d}")
    lines = screen_lines(machine)
    assert lines[-1] == "monitor#"
    assert lines[-2] == "line29: unknown command (try help)"
    assert lines[-3] == "monitor# line29"
    # The boot banner scrolled off the top.
    assert not any("Kernel monitor" in line for line in lines)
    assert re.match(r"line\d\d: unknown command", lines[0]) or lines[0].startswith("monitor# line")


def test_pci_enumeration_finds_the_ide_and_virtio_controllers(make_machine, tmp_path):
    disks = []
    for name in ("ide.img", "virtio.img"):
        disk = tmp_path / name
        disk.write_bytes(bytes(1 << 20))
        disks.append(str(disk))
    machine = make_machine(ata_disks=[disks[0]], virtio_disks=[disks[1]]).boot()
    listing = machine.run("pci")
    # QEMU's pc: the i440FX host bridge, the PIIX3 ISA bridge and its IDE
    # function (legacy mode, bus-master registers in BAR 4), a virtio-blk
    # disk (legacy device id 0x1001) with its I/O ports in BAR 0.
    assert "00:00.0 8086:1237 class 06.00.00 bridge" in listing
    assert re.search(r"00:01\.1 8086:7010 class 01\.01\.[0-9a-f]{2} mass storage controller", listing), listing
    assert re.search(r"1af4:1001 class 01\.00\.00 mass storage controller, irq \d+", listing), listing
    virtio = listing[listing.index("1af4:1001"):]
    assert re.search(r"I/O ports at 0x[0-9a-f]+, \d+ bytes", virtio), listing
