# tests/host/host.mk — host unit tests (GoogleTest) for klib and the kernel heap.
#
# Included by the top-level Makefile; also works on its own from the repo root:
#     make -f tests/host/host.mk test-host
#
# Targets:
#   host-tests   builds build/host/klib_test, build/host/heap_test and any test
#                added to HOST_TEST_NAMES (see below)
#   test-host    builds and runs them; stops with a non-zero exit at the first failure
#   host-clean   removes build/host
#
# The host build compiles the very same kernel/lib and kernel/mm/heap.cpp sources as
# the kernel, only with -DKERNEL_HOST_BUILD and the sanitizers. Every variable and
# target here starts with HOST_/host- so nothing clashes with the kernel's
# CXX, CXXFLAGS, SRCS and OBJS. A kernel/lib source that can only be built for the
# kernel (inline assembly, hardware access) goes into HOST_KERNEL_ONLY_SRCS.

HOST_SAVED_DEFAULT_GOAL := $(.DEFAULT_GOAL)
HOST_STANDALONE := $(filter 1,$(words $(MAKEFILE_LIST)))

HOST_CXX ?= g++
HOST_BUILD_DIR := build/host
HOST_SANITIZERS := -fsanitize=address,undefined -fno-sanitize-recover=all
HOST_CXXFLAGS ?= -std=c++20 -DKERNEL_HOST_BUILD -I. -g -O1 -Wall -Wextra \
                 -fno-omit-frame-pointer $(HOST_SANITIZERS)
HOST_DEPFLAGS := -MMD -MP
HOST_LDFLAGS ?= $(HOST_SANITIZERS)
HOST_LDLIBS ?= -lgtest -lgtest_main -pthread

HOST_KERNEL_ONLY_SRCS ?=
HOST_KERNEL_SRCS := $(filter-out $(HOST_KERNEL_ONLY_SRCS),$(wildcard kernel/lib/*.cpp)) \
                    kernel/mm/heap.cpp
HOST_KERNEL_OBJS := $(HOST_KERNEL_SRCS:%.cpp=$(HOST_BUILD_DIR)/%.o)

# Test programs: tests/host/<name>.cpp becomes build/host/<name>, linked with the
# kernel sources above plus HOST_EXTRA_SRCS_<name>. Other layers add theirs before
# this file is included (or here), e.g.
#     HOST_TEST_NAMES += command_line_test
#     HOST_EXTRA_SRCS_command_line_test := kernel/command_line.cpp
# The CMOS clock's register decoding, against glibc's calendar.
HOST_TEST_NAMES += rtc_decode_test
HOST_EXTRA_SRCS_rtc_decode_test := drivers/rtc/rtc_decode.cpp
HOST_TEST_NAMES += klib_test klib_containers_test heap_test line_discipline_test command_line_test
HOST_LINE_DISCIPLINE_SRCS := drivers/console/line_discipline.cpp drivers/console/output_processing.cpp
HOST_EXTRA_SRCS_line_discipline_test := $(HOST_LINE_DISCIPLINE_SRCS)
# The terminal's modes, and the same keys typed into a Linux pseudo-terminal.
HOST_TEST_NAMES += line_discipline_modes_test line_discipline_linux_test
HOST_EXTRA_SRCS_line_discipline_modes_test := $(HOST_LINE_DISCIPLINE_SRCS)
HOST_EXTRA_SRCS_line_discipline_linux_test := $(HOST_LINE_DISCIPLINE_SRCS)
HOST_EXTRA_SRCS_command_line_test := kernel/command_line.cpp
# The block layer (every drivers/block source), on the host platform, with
# the recording fake disk of tests/host/support/.
HOST_BLOCK_LAYER_SRCS := $(wildcard drivers/block/*.cpp) tests/host/platform/host_platform.cpp \
                         tests/host/support/recording_device.cpp
HOST_TEST_NAMES += block_layer_test
HOST_EXTRA_SRCS_block_layer_test := $(HOST_BLOCK_LAYER_SRCS)
HOST_TEST_NAMES += noop_scheduler_test
HOST_EXTRA_SRCS_noop_scheduler_test := $(HOST_BLOCK_LAYER_SRCS)
# The schedulers on the fake disk with a moving head.
HOST_TEST_NAMES += io_scheduler_test
HOST_EXTRA_SRCS_io_scheduler_test := $(HOST_BLOCK_LAYER_SRCS) tests/host/support/seek_cost_device.cpp
HOST_TEST_NAMES += buffer_cache_test
HOST_EXTRA_SRCS_buffer_cache_test := $(HOST_BLOCK_LAYER_SRCS) fs/cache/buffer_cache.cpp
# The page cache (file data) over the recording disk, with a fake block map.
HOST_TEST_NAMES += page_cache_test
HOST_EXTRA_SRCS_page_cache_test := $(HOST_BLOCK_LAYER_SRCS) fs/cache/page_cache.cpp fs/cache/file_mapping.cpp \
                                   fs/cache/page_io.cpp
# Its memory limits and the flusher, on the same fixture.
HOST_TEST_NAMES += page_cache_memory_test
HOST_EXTRA_SRCS_page_cache_memory_test := $(HOST_EXTRA_SRCS_page_cache_test)
# Large requests: physical pieces and merging to the drivers' limits, with
# the ATA driver's PRD table builder as the judge of what a chain needs.
HOST_TEST_NAMES += block_limits_test
HOST_EXTRA_SRCS_block_limits_test := $(HOST_BLOCK_LAYER_SRCS) drivers/ata/prd_table.cpp
# The split virtqueue of the virtio drivers: a pure data structure, tested
# against a fake device that works on the ring memory.
HOST_TEST_NAMES += virtqueue_test
HOST_EXTRA_SRCS_virtqueue_test := drivers/virtio/virtqueue.cpp tests/host/platform/host_platform.cpp
HOST_TEST_BINARIES = $(HOST_TEST_NAMES:%=$(HOST_BUILD_DIR)/%)
HOST_TEST_OBJS = $(HOST_TEST_NAMES:%=$(HOST_BUILD_DIR)/tests/host/%.o)
HOST_EXTRA_SRCS = $(sort $(foreach test,$(HOST_TEST_NAMES),$(HOST_EXTRA_SRCS_$(test))))

HOST_DEPS = $(patsubst %.cpp,$(HOST_BUILD_DIR)/%.d,$(HOST_KERNEL_SRCS) $(HOST_EXTRA_SRCS)) \
            $(HOST_TEST_OBJS:.o=.d)

.PHONY: host-tests test-host host-clean

# Second expansion: test binaries declared further down (after this rule was
# read) are prerequisites too.
.SECONDEXPANSION:
host-tests: $$(HOST_TEST_BINARIES)

# One target per binary, so `make -j -O` runs them side by side and keeps
# each one's output together; any failing binary fails test-host.
test-host: $$(patsubst %,host-run-%,$$(HOST_TEST_NAMES))

host-run-%: $(HOST_BUILD_DIR)/%
	./$<

host-clean:
	rm -rf $(HOST_BUILD_DIR)

# One link rule per test binary: its own test file, all the kernel sources under
# test, and its extra sources.
define HOST_TEST_LINK_RULE
$(HOST_BUILD_DIR)/$(1): $(HOST_BUILD_DIR)/tests/host/$(1).o $(HOST_KERNEL_OBJS) \
        $(patsubst %.cpp,$(HOST_BUILD_DIR)/%.o,$(HOST_EXTRA_SRCS_$(1)))
	$$(HOST_CXX) $$(HOST_LDFLAGS) -o $$@ $$^ $$(HOST_LDLIBS)
endef
$(foreach test,$(HOST_TEST_NAMES),$(eval $(call HOST_TEST_LINK_RULE,$(test))))

# The test programs' own files (GoogleTest's macros, heavy to optimize)
# build at -O0: three times faster to compile, and they only call into the
# code under test, which keeps -O1.
$(HOST_BUILD_DIR)/tests/host/%_test.o: HOST_CXXFLAGS += -O0

$(HOST_BUILD_DIR)/%.o: %.cpp
	@mkdir -p $(dir $@)
	$(HOST_CXX) $(HOST_CXXFLAGS) $(HOST_DEPFLAGS) -c $< -o $@


# Leave the including Makefile's default goal alone; on our own, default to the tests.
ifneq ($(HOST_STANDALONE),)
.DEFAULT_GOAL := test-host
else
.DEFAULT_GOAL := $(HOST_SAVED_DEFAULT_GOAL)
endif

# romfs, the on-disk half (fs/romfs/), against images made by genromfs.
HOST_TEST_NAMES += romfs_test
HOST_EXTRA_SRCS_romfs_test := fs/romfs/romfs_storage.cpp fs/romfs/romfs_image.cpp \
    tests/host/support/image_file_device.cpp tests/host/support/romfs_fixture.cpp \
    tests/host/platform/host_platform.cpp $(wildcard drivers/block/*.cpp) fs/cache/buffer_cache.cpp
# The link rules above were made before this line: make romfs_test's here.
$(eval $(call HOST_TEST_LINK_RULE,romfs_test))

# The VFS (fs/vfs/) on the in-memory "testfs" of tests/host/support/memory_fs.
# The link rules above were made before this line:
# make vfs_test's here.
HOST_TEST_NAMES += vfs_test
HOST_EXTRA_SRCS_vfs_test := $(wildcard fs/vfs/*.cpp) tests/host/support/memory_fs.cpp \
                            tests/host/platform/host_platform.cpp
$(eval $(call HOST_TEST_LINK_RULE,vfs_test))

# The region list of an address space (kernel/proc/mapped_regions.cpp),
# which holds VFS files.
HOST_TEST_NAMES += mapped_regions_test
HOST_EXTRA_SRCS_mapped_regions_test := kernel/proc/mapped_regions.cpp $(wildcard fs/vfs/*.cpp) \
                                       tests/host/support/memory_fs.cpp tests/host/platform/host_platform.cpp
$(eval $(call HOST_TEST_LINK_RULE,mapped_regions_test))

# Pipes' poll events and the PollTable's sleep on several wait queues.
HOST_TEST_NAMES += pipe_poll_test
HOST_EXTRA_SRCS_pipe_poll_test := $(wildcard fs/vfs/*.cpp) tests/host/support/memory_fs.cpp \
                                  tests/host/platform/host_platform.cpp
$(eval $(call HOST_TEST_LINK_RULE,pipe_poll_test))

# romfs behind the VFS (fs/romfs/romfs_super, romfs_inode), driven through
# vfs_* calls against the genromfs fixture of tests/host/support/romfs_fixture.
HOST_TEST_NAMES += romfs_vfs_test
HOST_EXTRA_SRCS_romfs_vfs_test := fs/romfs/romfs_storage.cpp fs/romfs/romfs_image.cpp \
    fs/romfs/romfs_super.cpp fs/romfs/romfs_inode.cpp $(wildcard fs/vfs/*.cpp) fs/cache/buffer_cache.cpp \
    $(wildcard drivers/block/*.cpp) tests/host/platform/host_platform.cpp \
    tests/host/support/image_file_device.cpp tests/host/support/romfs_fixture.cpp
$(eval $(call HOST_TEST_LINK_RULE,romfs_vfs_test))

# devfs (fs/devfs/) mounted on /dev of a "testfs" root, with the block layer's
# registry and fake disks; console_device.cpp is kernel-only and left out.
HOST_TEST_NAMES += devfs_test
HOST_EXTRA_SRCS_devfs_test := $(wildcard fs/vfs/*.cpp) fs/devfs/devfs.cpp fs/devfs/memory_devices.cpp \
    fs/devfs/block_device_file.cpp fs/devfs/block_device_ioctl.cpp $(wildcard drivers/block/*.cpp) \
    tests/host/platform/host_platform.cpp tests/host/support/memory_fs.cpp tests/host/support/recording_device.cpp \
    tests/host/support/image_file_device.cpp tests/host/support/fake_user_memory.cpp
$(eval $(call HOST_TEST_LINK_RULE,devfs_test))

# tmpfs (fs/tmpfs/) mounted as the root, driven through vfs_* calls.
HOST_TEST_NAMES += tmpfs_test
HOST_EXTRA_SRCS_tmpfs_test := $(wildcard fs/vfs/*.cpp) $(wildcard fs/tmpfs/*.cpp) \
                              tests/host/platform/host_platform.cpp
$(eval $(call HOST_TEST_LINK_RULE,tmpfs_test))

# procfs (fs/procfs/) on /proc of a tmpfs root, with the fake process table
# of tests/host/support/fake_procfs_sources and the block layer's registry.
HOST_TEST_NAMES += procfs_test
HOST_EXTRA_SRCS_procfs_test := $(wildcard fs/vfs/*.cpp) $(wildcard fs/tmpfs/*.cpp) $(wildcard fs/procfs/*.cpp) \
    $(wildcard drivers/block/*.cpp) tests/host/platform/host_platform.cpp \
    tests/host/support/fake_procfs_sources.cpp tests/host/support/recording_device.cpp
$(eval $(call HOST_TEST_LINK_RULE,procfs_test))

# Partition tables (drivers/block/partition_table, partition_device) on disk
# images that sfdisk makes at test time.
HOST_TEST_NAMES += partition_table_test
HOST_EXTRA_SRCS_partition_table_test := $(wildcard drivers/block/*.cpp) tests/host/platform/host_platform.cpp \
    tests/host/support/image_file_device.cpp
$(eval $(call HOST_TEST_LINK_RULE,partition_table_test))

# The ATA driver's pure parts: PRD table building and IDENTIFY parsing.
HOST_TEST_NAMES += ata_test
HOST_EXTRA_SRCS_ata_test := drivers/ata/prd_table.cpp drivers/ata/ata_identify.cpp drivers/ata/ata_commands.cpp \
    $(wildcard drivers/block/*.cpp) tests/host/platform/host_platform.cpp
$(eval $(call HOST_TEST_LINK_RULE,ata_test))

# ext2, read side (fs/ext2/), mounted through the VFS from images that
# mke2fs -d makes at test time (tests/host/support/ext2_fixture).
HOST_TEST_NAMES += ext2_test
HOST_EXTRA_SRCS_ext2_test := $(wildcard fs/ext2/*.cpp) $(wildcard fs/vfs/*.cpp) $(wildcard fs/cache/*.cpp) \
    $(wildcard drivers/block/*.cpp) tests/host/platform/host_platform.cpp \
    tests/host/support/image_file_device.cpp tests/host/support/ext2_fixture.cpp
$(eval $(call HOST_TEST_LINK_RULE,ext2_test))

# ext2 on damaged images: refused at mount, or EIO, never a crash.
HOST_TEST_NAMES += ext2_damage_test
HOST_EXTRA_SRCS_ext2_damage_test := $(HOST_EXTRA_SRCS_ext2_test)
$(eval $(call HOST_TEST_LINK_RULE,ext2_damage_test))

# ext2's write side, driven through the VFS against a model of the tree and
# judged by e2fsck and debugfs (tests/host/support/ext2_model, ext2_operations,
# ext2_write_support).
HOST_TEST_NAMES += ext2_write_test
HOST_EXTRA_SRCS_ext2_write_test := $(HOST_EXTRA_SRCS_ext2_test) tests/host/support/ext2_model.cpp \
    tests/host/support/ext2_operations.cpp tests/host/support/ext2_operation_generator.cpp \
    tests/host/support/ext2_write_support.cpp tests/host/support/ext2_image_check.cpp \
    tests/host/support/ext2_write_steps.cpp
$(eval $(call HOST_TEST_LINK_RULE,ext2_write_test))
# The same, on the lives of files: space given back, open files, groups.
HOST_TEST_NAMES += ext2_write_files_test
HOST_EXTRA_SRCS_ext2_write_files_test := $(HOST_EXTRA_SRCS_ext2_write_test)
$(eval $(call HOST_TEST_LINK_RULE,ext2_write_files_test))

# Header dependencies of every object above, read once all the tests are
# declared: HOST_DEPS expands here, so no test's objects are missed.
-include $(HOST_DEPS)
