# Makefile -- build, run, debug and test the kernel.
#
#   make              build/kernel.elf and build/os.iso
#   make run          boot the ISO in QEMU, serial console on this terminal
#   make run-kernel   the same machine, booted with qemu -kernel
#   make debug        the same machine, paused, gdb stub on :1234
#   make gdb          gdb with the kernel's symbols, attached to `make debug`
#   make test         every tier: host unit tests, user programs on the host,
#                     QEMU tests, gdb test, the book's examples, the layering check
#   make bench        benchmarks (figures, never failures)
#   make clean
#
# run, run-kernel, debug, test and bench first install what is missing
# (tools/install-deps), then run a fresh make: nothing below is looked up
# before the tools are there (every $(shell ...) is evaluated lazily, in
# that second make). They build with JOBS parallel jobs (default: the
# number of CPUs).
#
# ACCEL=tcg|kvm|auto picks QEMU's accelerator (default tcg), MEMORY the RAM
# in MiB, APPEND the kernel command line for run-kernel and debug.
# CROSS names another cross-compiler prefix (e.g. CROSS=i686-elf-).

CROSS ?= i686-linux-gnu-
CXX := $(CROSS)g++
NM := $(CROSS)nm
NASM ?= nasm
PYTHON := /usr/bin/python3
BUILD := build

JOBS ?= $(shell nproc 2>/dev/null || echo 2)

export ACCEL ?= tcg
export MEMORY ?= 128
export APPEND

KERNEL_CXXFLAGS := -std=c++20 -ffreestanding -fno-exceptions -fno-rtti -nostdlib \
    -m32 -march=i686 -fno-pie -fno-pic -mgeneral-regs-only \
    -O2 -g -fno-omit-frame-pointer -fno-optimize-sibling-calls \
    -fstack-protector-strong -mstack-protector-guard=global \
    -fno-threadsafe-statics -fcheck-new -fno-asynchronous-unwind-tables \
    -Wall -Wextra -Wshadow -Wno-missing-field-initializers -I. -MMD -MP
KERNEL_LDFLAGS := -nostdlib -no-pie -static -T linker.ld -Wl,--build-id=none -Wl,-z,noexecstack

# Every .cpp and .asm under these folders is part of the kernel.
KERNEL_DIRS := $(wildcard boot kernel drivers fs)
KERNEL_CPP := $(shell find $(KERNEL_DIRS) -name '*.cpp' | sort)
KERNEL_ASM := $(shell find $(KERNEL_DIRS) -name '*.asm' | sort)
KERNEL_OBJS := $(KERNEL_CPP:%.cpp=$(BUILD)/kernel/%.o) $(KERNEL_ASM:%.asm=$(BUILD)/kernel/%.asm.o)

.PHONY: all run run-kernel debug gdb test check-layers test-host test-qemu test-gdb clean deps bench \
        run-built run-kernel-built debug-built bench-built
all: $(BUILD)/kernel.elf $(BUILD)/rootfs.romfs $(BUILD)/os.iso $(BUILD)/ata.img $(BUILD)/virtio.img

deps:
	@tools/install-deps

$(BUILD)/kernel/%.o: %.cpp
	@mkdir -p $(dir $@)
	$(CXX) $(KERNEL_CXXFLAGS) -c $< -o $@

$(BUILD)/kernel/%.asm.o: %.asm
	@mkdir -p $(dir $@)
	$(NASM) -f elf32 -g -F dwarf -I. $< -o $@

# The kernel is linked twice: the first link's function addresses become
# the symbol table embedded in the second (see tools/gensyms.py, linker.ld).
$(BUILD)/symbols/empty.bin: tools/gensyms.py
	@mkdir -p $(dir $@)
	$(PYTHON) tools/gensyms.py --empty $@

$(BUILD)/symbols/%.o: $(BUILD)/symbols/%.bin
	printf 'section .kernel_symbols\nincbin "%s"\n' $< > $(@:.o=.asm)
	$(NASM) -f elf32 $(@:.o=.asm) -o $@

$(BUILD)/kernel.stage1.elf: $(KERNEL_OBJS) $(BUILD)/symbols/empty.o linker.ld
	$(CXX) $(KERNEL_LDFLAGS) -o $@ $(KERNEL_OBJS) $(BUILD)/symbols/empty.o -lgcc

$(BUILD)/symbols/kernel.bin: $(BUILD)/kernel.stage1.elf tools/gensyms.py
	$(PYTHON) tools/gensyms.py $(NM) $< $@

$(BUILD)/kernel.elf: $(KERNEL_OBJS) $(BUILD)/symbols/kernel.o linker.ld
	$(CXX) $(KERNEL_LDFLAGS) -o $@ $(KERNEL_OBJS) $(BUILD)/symbols/kernel.o -lgcc
	$(PYTHON) tools/gensyms.py --compare $(NM) $(BUILD)/kernel.stage1.elf $@

# User programs (user/user.mk: the libc in user/lib/, programs in user/bin/).
include user/user.mk

# The root file system: user/rootfs, the programs in /bin, Debian's
# static busybox and bash when they could be fetched (real outside programs
# to try; the build goes on without them when offline), and the empty directories the run
# contract names (git keeps no empty folders) plus /mnt/a and /mnt/b, where
# the storage benchmark (etc/bench/storage.sh) mounts its disks, packed by genromfs.
ROOTFS_FILES := $(shell find user/rootfs -type f 2>/dev/null)
BUSYBOX := $(BUILD)/busybox/busybox
BASH_STATIC := $(BUILD)/bash-static/bash
FETCH_BUSYBOX := tools/fetch-debian-program busybox-static bin/busybox
FETCH_BASH := tools/fetch-debian-program bash-static bin/bash-static
$(BUILD)/rootfs.romfs: $(ROOTFS_FILES) $(USER_PROGRAMS) $(USER_GLIBC_PROGRAMS) $(wildcard $(BUSYBOX) $(BASH_STATIC)) | outside-programs-if-possible
	rm -rf $(BUILD)/rootfs
	mkdir -p $(BUILD)/rootfs
	cp -a user/rootfs/. $(BUILD)/rootfs/
	mkdir -p $(addprefix $(BUILD)/rootfs/,bin dev proc tmp mnt/a mnt/b mnt/ata mnt/virtio mnt/hdb mnt/hdc mnt/hdd mnt/vdb mnt/vdc mnt/vdd)
	cp $(USER_PROGRAMS) $(BUILD)/rootfs/bin/
	mkdir -p $(BUILD)/rootfs/usr/bin
	cp $(USER_GLIBC_PROGRAMS) $(BUILD)/rootfs/usr/bin/
	if [ -f $(BUSYBOX) ]; then cp $(BUSYBOX) $(BUILD)/rootfs/bin/busybox; fi
	if [ -f $(BASH_STATIC) ]; then cp $(BASH_STATIC) $(BUILD)/rootfs/bin/bash; fi
	genromfs -f $@ -d $(BUILD)/rootfs -V rootfs

.PHONY: outside-programs-if-possible
outside-programs-if-possible:
	@test -f $(BUSYBOX) || { mkdir -p $(dir $(BUSYBOX)) && $(FETCH_BUSYBOX) $(BUSYBOX); } || \
	    echo "note: busybox-static:i386 could not be fetched; the root image has no /bin/busybox"
	@test -f $(BASH_STATIC) || { mkdir -p $(dir $(BASH_STATIC)) && $(FETCH_BASH) $(BASH_STATIC); } || \
	    echo "note: bash-static:i386 could not be fetched; the root image has no /bin/bash"

# The demo disks of the run contract: ext2 file systems made by mke2fs -d
# from disks/ata and disks/virtio (16 MiB each, files owned by root).
MKE2FS = $(shell command -v mke2fs 2>/dev/null || echo /sbin/mke2fs)
DEMO_DISK_MIB := 16
$(BUILD)/%.img: $(shell find disks -type f 2>/dev/null)
	@mkdir -p $(dir $@)
	rm -f $@
	$(MKE2FS) -q -F -t ext2 -L $* -E root_owner=0:0 -d disks/$* $@ $(DEMO_DISK_MIB)M

$(BUILD)/os.iso: $(BUILD)/kernel.elf $(BUILD)/rootfs.romfs boot/grub.cfg
	rm -rf $(BUILD)/isodir
	mkdir -p $(BUILD)/isodir/boot/grub
	cp $(BUILD)/kernel.elf $(BUILD)/isodir/boot/kernel.elf
	cp $(BUILD)/rootfs.romfs $(BUILD)/isodir/boot/rootfs.romfs
	cp boot/grub.cfg $(BUILD)/isodir/boot/grub/grub.cfg
	grub-mkrescue -o $@ $(BUILD)/isodir 2>$(BUILD)/grub-mkrescue.log || \
	    { cat $(BUILD)/grub-mkrescue.log; exit 1; }

# The demo disks ride along: ata.img as the IDE primary master, virtio.img
# as the first virtio disk (ATA_DISKS / VIRTIO_DISKS on the command line
# replace them).
DEMO_DISKS := ATA_DISKS=$${ATA_DISKS-$(BUILD)/ata.img} VIRTIO_DISKS=$${VIRTIO_DISKS-$(BUILD)/virtio.img}

# The commands a person types first: tools first, then a fresh make that
# builds in parallel and starts the machine.
AFTER_DEPS = @tools/install-deps && $(MAKE) --no-print-directory -j$(JOBS)

run:
	$(AFTER_DEPS) all && $(MAKE) --no-print-directory run-built
run-built:
	$(DEMO_DISKS) tools/run-qemu iso $(BUILD)/os.iso

run-kernel:
	$(AFTER_DEPS) $(BUILD)/kernel.elf $(BUILD)/rootfs.romfs $(BUILD)/ata.img $(BUILD)/virtio.img && \
	    $(MAKE) --no-print-directory run-kernel-built
run-kernel-built:
	$(DEMO_DISKS) MODULES=$(BUILD)/rootfs.romfs tools/run-qemu kernel $(BUILD)/kernel.elf

debug:
	$(AFTER_DEPS) all && $(MAKE) --no-print-directory debug-built
debug-built:
	@echo "QEMU is paused with a gdb stub on :$${GDB_PORT:-1234}; in another terminal: make gdb"
	$(DEMO_DISKS) DEBUG=1 MODULES=$(BUILD)/rootfs.romfs tools/run-qemu kernel $(BUILD)/kernel.elf

gdb: $(BUILD)/kernel.elf
	gdb -q -x tools/gdbinit $(BUILD)/kernel.elf

include tests/host/host.mk
-include tests/fuzz/fuzz.mk

# make test: the tools, then everything built in parallel, then the tiers.
# The host tiers (unit tests, user programs on the host, the layering
# check) run side by side, each one's output kept together (-O); then the
# tiers that boot QEMU, whose machines take every CPU. Busybox and bash are
# fetched by the root image's outside-programs-if-possible alone (two
# fetches of one program at once would share a work folder); test-qemu
# then requires them.
test:
	$(AFTER_DEPS) all host-tests user-programs user-tests
	@$(MAKE) --no-print-directory -j$(JOBS) -O check-layers test-host test-user
	@$(MAKE) --no-print-directory test-qemu
	@$(MAKE) --no-print-directory test-docs
	@$(MAKE) --no-print-directory test-gdb

# Lower layers never include higher ones (the order: tools/check-layers --table).
check-layers:
	$(PYTHON) tools/check-layers

test-qemu: all $(BUSYBOX) $(BASH_STATIC)
	$(PYTHON) -m pytest -q -n $(JOBS) tests/qemu

# Debian's static busybox and bash for i386: the outside clients the QEMU
# tests run (tests/qemu/test_busybox.py, test_outside_shells.py), which must
# be there for them. Downloaded once with apt.
$(BUSYBOX):
	mkdir -p $(dir $@)
	$(FETCH_BUSYBOX) $@
$(BASH_STATIC):
	mkdir -p $(dir $@)
	$(FETCH_BASH) $@

# Benchmarks print figures and never fail on them (tests/bench/).
bench:
	$(AFTER_DEPS) all && $(MAKE) --no-print-directory bench-built
bench-built:
	$(PYTHON) tests/bench/raw_read.py
	$(PYTHON) tests/bench/storage.py

test-gdb: all
	tests/gdb/run-gdb-test

# The docs' console examples, run against the kernel (tests/docs/).
.PHONY: test-docs
test-docs: all
	$(PYTHON) -m pytest -q tests/docs

clean:
	rm -rf $(BUILD)

-include $(KERNEL_OBJS:.o=.d)
