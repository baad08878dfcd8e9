#!/usr/bin/python3
"""tools/gensyms.py -- the kernel's embedded symbol table.

Reads `nm` output for the first link of kernel.elf and writes the binary
table that kernel/debug/symbols.cpp searches (format described there):

    gensyms.py NM KERNEL_ELF OUTPUT.bin
    gensyms.py --empty OUTPUT.bin        the placeholder for the first link
    gensyms.py --compare NM FIRST.elf FINAL.elf
                                         fails if any function moved between
                                         the links (the table would lie)
"""
import struct
import subprocess
import sys

MAGIC = 0x4D59534B  # "KSYM"


def function_symbols(nm, elf):
    out = subprocess.run([nm, "-n", "-C", "--defined-only", elf], check=True,
                         capture_output=True, text=True).stdout
    symbols = []
    for line in out.splitlines():
        parts = line.split(" ", 2)
        if len(parts) != 3 or parts[1] not in "tTwW":
            continue
        address = int(parts[0], 16)
        if address < 0xC0000000:  # boot code runs before paging; skip it
            continue
        symbols.append((address, parts[2]))
    return symbols


def write_table(symbols, path):
    names = bytearray()
    entries = bytearray()
    for address, name in symbols:
        entries += struct.pack("<II", address, len(names))
        names += name.encode() + b"\0"
    with open(path, "wb") as f:
        f.write(struct.pack("<II", MAGIC, len(symbols)))
        f.write(entries)
        f.write(names)


def main(argv):
    if argv[1] == "--empty":
        write_table([], argv[2])
    elif argv[1] == "--compare":
        nm, first, final = argv[2:5]
        if function_symbols(nm, first) != function_symbols(nm, final):
            sys.exit("gensyms: functions moved between the two links; "
                     "keep .kernel_symbols after .text in linker.ld")
    else:
        nm, elf, output = argv[1:4]
        write_table(function_symbols(nm, elf), output)


if __name__ == "__main__":
    main(sys.argv)
