# tests/fuzz/fuzz.mk -- libFuzzer targets for the storage stack: romfs's
# on-disk half (romfs_fuzz), romfs behind the VFS (romfs_vfs_fuzz) and the
# ext2 reader (ext2_fuzz).
#
# Included by the top-level Makefile; also works on its own from the repo root:
#     make -f tests/fuzz/fuzz.mk fuzz FUZZ_SECONDS=600
#
# Targets:
#   fuzz          builds the fuzzers, makes the seed corpus and runs
#                 romfs_vfs_fuzz, then romfs_fuzz, each for FUZZ_SECONDS
#                 (default 60); a crash stops it with a non-zero exit and
#                 leaves build/fuzz/crash-* behind
#   fuzz-ext2     ext2_fuzz on its own seeds (not part of `fuzz`)
#   fuzz-build    only the binaries (all three)
#   fuzz-corpus   only the seeds: genromfs images of small trees, in
#                 build/fuzz/corpus (the fuzzer adds what it finds there too)
#   fuzz-clean    removes build/fuzz
#
# The fuzzer is clang's libFuzzer with AddressSanitizer and UBSan, on the
# same sources as the host unit tests (-DKERNEL_HOST_BUILD). romfs logs a
# warning for every damaged image, so the target's stderr is closed
# (-close_fd_mask=2; libFuzzer keeps its own output) and the sanitizers
# write their reports to build/fuzz/sanitizer.<pid>. To see everything for
# one input: build/fuzz/romfs_fuzz build/fuzz/crash-<hash>
# Every variable and target here starts with FUZZ_/fuzz so nothing clashes
# with the kernel's or the host tests'.

FUZZ_SAVED_DEFAULT_GOAL := $(.DEFAULT_GOAL)
FUZZ_STANDALONE := $(filter 1,$(words $(MAKEFILE_LIST)))

FUZZ_CXX ?= clang++
FUZZ_BUILD_DIR := build/fuzz
FUZZ_SECONDS ?= 60
FUZZ_SANITIZERS := address,undefined
FUZZ_CXXFLAGS ?= -std=c++20 -DKERNEL_HOST_BUILD -I. -g -O1 -fno-omit-frame-pointer \
                 -fsanitize=fuzzer-no-link,$(FUZZ_SANITIZERS) -fno-sanitize-recover=undefined \
                 -Wno-unknown-attributes
FUZZ_LDFLAGS ?= -fsanitize=fuzzer,$(FUZZ_SANITIZERS) -pthread
FUZZ_RUN_FLAGS ?= -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -timeout=20 -rss_limit_mb=2048 \
                  -close_fd_mask=2 -print_final_stats=1

# romfs with everything below it: the caches, the block layer (its RAM
# disk holds the input), the host platform and klib.
FUZZ_ROMFS_SRCS := tests/fuzz/romfs_fuzz.cpp fs/romfs/romfs_storage.cpp fs/romfs/romfs_image.cpp \
                   $(wildcard fs/cache/*.cpp) $(wildcard drivers/block/*.cpp) \
                   tests/host/platform/host_platform.cpp $(wildcard kernel/lib/*.cpp)
FUZZ_ROMFS_OBJS := $(FUZZ_ROMFS_SRCS:%.cpp=$(FUZZ_BUILD_DIR)/obj/%.o)
FUZZ_CORPUS := $(FUZZ_BUILD_DIR)/corpus

.PHONY: fuzz fuzz-build fuzz-corpus fuzz-clean

fuzz: fuzz-build fuzz-corpus
	ASAN_OPTIONS=log_path=$(FUZZ_BUILD_DIR)/sanitizer UBSAN_OPTIONS=log_path=$(FUZZ_BUILD_DIR)/sanitizer \
	    $(FUZZ_BUILD_DIR)/romfs_fuzz $(FUZZ_RUN_FLAGS) -dict=$(FUZZ_BUILD_DIR)/romfs.dict \
	    -artifact_prefix=$(FUZZ_BUILD_DIR)/ $(FUZZ_CORPUS)

fuzz-build: $(FUZZ_BUILD_DIR)/romfs_fuzz

$(FUZZ_BUILD_DIR)/romfs_fuzz: $(FUZZ_ROMFS_OBJS)
	$(FUZZ_CXX) $(FUZZ_LDFLAGS) -o $@ $^

$(FUZZ_BUILD_DIR)/obj/%.o: %.cpp
	@mkdir -p $(dir $@)
	$(FUZZ_CXX) $(FUZZ_CXXFLAGS) -MMD -MP -c $< -o $@

# Seeds: a few small trees, each through genromfs. Hard links, symlinks, a
# fifo, nested and empty directories, a file crossing 1 KiB blocks.
fuzz-corpus:
	@rm -rf $(FUZZ_BUILD_DIR)/seed_trees
	@mkdir -p $(FUZZ_CORPUS) $(FUZZ_BUILD_DIR)/seed_trees/full/sub/deeper $(FUZZ_BUILD_DIR)/seed_trees/empty \
	    $(FUZZ_BUILD_DIR)/seed_trees/flat
	@cd $(FUZZ_BUILD_DIR)/seed_trees/full && \
	    printf 'hello\n' > hello && head -c 1500 /dev/urandom > crossing && : > empty_file && \
	    ln hello sub/hello_again && ln -s ../hello sub/up && ln -s /nowhere dangling && \
	    mkfifo pipe && printf '#!/bin/sh\n' > script && chmod 755 script && \
	    printf 'deep\n' > sub/deeper/file && mkdir empty_dir
	@cd $(FUZZ_BUILD_DIR)/seed_trees/flat && for i in 0 1 2 3 4 5 6 7 8 9; do printf "$$i" > "file_$$i"; done
	@for tree in full empty flat; do \
	    genromfs -f $(FUZZ_CORPUS)/seed_$$tree.romfs -d $(FUZZ_BUILD_DIR)/seed_trees/$$tree -V "seed $$tree" || exit 1; \
	done
	@printf '"-rom1fs-"\n"\\x00\\x00\\x00\\x00"\n".\\x00"\n"..\\x00"\n' > $(FUZZ_BUILD_DIR)/romfs.dict
	@echo "fuzz corpus: $$(ls $(FUZZ_CORPUS) | wc -l) inputs in $(FUZZ_CORPUS)"

fuzz-clean:
	rm -rf $(FUZZ_BUILD_DIR)

-include $(FUZZ_ROMFS_OBJS:.o=.d)

# Leave the including Makefile's default goal alone; on our own, default to fuzz.
ifneq ($(FUZZ_STANDALONE),)
.DEFAULT_GOAL := fuzz
else
.DEFAULT_GOAL := $(FUZZ_SAVED_DEFAULT_GOAL)
endif

# romfs behind the VFS (tests/fuzz/romfs_vfs_fuzz.cpp): each input mounted as
# "/" of a fresh MountNamespace and walked with vfs_* calls. `make fuzz` runs
# it first, then romfs_fuzz, each for FUZZ_SECONDS; it starts from the same
# seeds, in a corpus folder of its own (build/fuzz/corpus_vfs).
FUZZ_ROMFS_VFS_SRCS := tests/fuzz/romfs_vfs_fuzz.cpp fs/romfs/romfs_storage.cpp fs/romfs/romfs_image.cpp \
                       fs/romfs/romfs_super.cpp fs/romfs/romfs_inode.cpp $(wildcard fs/vfs/*.cpp) \
                       $(wildcard fs/cache/*.cpp) $(wildcard drivers/block/*.cpp) \
                       tests/host/platform/host_platform.cpp $(wildcard kernel/lib/*.cpp)
FUZZ_ROMFS_VFS_OBJS := $(FUZZ_ROMFS_VFS_SRCS:%.cpp=$(FUZZ_BUILD_DIR)/obj/%.o)
FUZZ_VFS_CORPUS := $(FUZZ_BUILD_DIR)/corpus_vfs

.PHONY: fuzz-romfs-vfs
fuzz: fuzz-romfs-vfs
fuzz-build: $(FUZZ_BUILD_DIR)/romfs_vfs_fuzz

fuzz-romfs-vfs: $(FUZZ_BUILD_DIR)/romfs_vfs_fuzz fuzz-corpus
	@mkdir -p $(FUZZ_VFS_CORPUS)
	cp $(FUZZ_CORPUS)/seed_*.romfs $(FUZZ_VFS_CORPUS)/
	ASAN_OPTIONS=log_path=$(FUZZ_BUILD_DIR)/sanitizer UBSAN_OPTIONS=log_path=$(FUZZ_BUILD_DIR)/sanitizer \
	    $(FUZZ_BUILD_DIR)/romfs_vfs_fuzz $(FUZZ_RUN_FLAGS) -dict=$(FUZZ_BUILD_DIR)/romfs.dict \
	    -artifact_prefix=$(FUZZ_BUILD_DIR)/vfs- $(FUZZ_VFS_CORPUS)

$(FUZZ_BUILD_DIR)/romfs_vfs_fuzz: $(FUZZ_ROMFS_VFS_OBJS)
	$(FUZZ_CXX) $(FUZZ_LDFLAGS) -o $@ $^

-include $(FUZZ_ROMFS_VFS_OBJS:.o=.d)

# The ext2 reader's on-disk half (tests/fuzz/ext2_fuzz.cpp), on seeds that
# mke2fs -d makes of a small tree at 1 KiB blocks (64 KiB images, so they fit
# -max_len), one with revision 0 and one without filetype. Not part of
# `make fuzz` yet: run it on its own with `make fuzz-ext2`.
FUZZ_EXT2_SRCS := tests/fuzz/ext2_fuzz.cpp $(wildcard fs/ext2/*.cpp) $(wildcard fs/vfs/*.cpp) \
                  $(wildcard fs/cache/*.cpp) $(wildcard drivers/block/*.cpp) \
                  tests/host/platform/host_platform.cpp $(wildcard kernel/lib/*.cpp)
FUZZ_EXT2_OBJS := $(FUZZ_EXT2_SRCS:%.cpp=$(FUZZ_BUILD_DIR)/obj/%.o)
FUZZ_EXT2_CORPUS := $(FUZZ_BUILD_DIR)/corpus_ext2

.PHONY: fuzz-ext2 fuzz-ext2-corpus
fuzz-build: $(FUZZ_BUILD_DIR)/ext2_fuzz

fuzz-ext2: $(FUZZ_BUILD_DIR)/ext2_fuzz fuzz-ext2-corpus
	ASAN_OPTIONS=log_path=$(FUZZ_BUILD_DIR)/sanitizer UBSAN_OPTIONS=log_path=$(FUZZ_BUILD_DIR)/sanitizer \
	    $(FUZZ_BUILD_DIR)/ext2_fuzz $(FUZZ_RUN_FLAGS) -artifact_prefix=$(FUZZ_BUILD_DIR)/ext2- $(FUZZ_EXT2_CORPUS)

fuzz-ext2-corpus:
	@rm -rf $(FUZZ_BUILD_DIR)/ext2_seed_tree
	@mkdir -p $(FUZZ_EXT2_CORPUS) $(FUZZ_BUILD_DIR)/ext2_seed_tree/sub/deeper
	@cd $(FUZZ_BUILD_DIR)/ext2_seed_tree && \
	    printf 'hello\n' > hello && head -c 15000 /dev/urandom > indirect && : > empty_file && \
	    ln hello sub/hello_again && ln -s ../hello sub/up && \
	    ln -s /a/target/that/is/longer/than/sixty/bytes/so/it/needs/a/block slow && \
	    printf 'deep\n' > sub/deeper/file && mkdir empty_dir
	@for variant in "default:" "rev0:-r 0" "nofiletype:-O ^filetype"; do \
	    name=$${variant%%:*}; flags=$${variant#*:}; rm -f $(FUZZ_EXT2_CORPUS)/seed_$$name.ext2; \
	    /sbin/mke2fs -t ext2 -F -q -b 1024 -N 32 -m 0 $$flags -d $(FUZZ_BUILD_DIR)/ext2_seed_tree \
	        $(FUZZ_EXT2_CORPUS)/seed_$$name.ext2 64k || exit 1; \
	done
	@echo "ext2 fuzz corpus: $$(ls $(FUZZ_EXT2_CORPUS) | wc -l) inputs in $(FUZZ_EXT2_CORPUS)"

$(FUZZ_BUILD_DIR)/ext2_fuzz: $(FUZZ_EXT2_OBJS)
	$(FUZZ_CXX) $(FUZZ_LDFLAGS) -o $@ $^

-include $(FUZZ_EXT2_OBJS:.o=.d)
