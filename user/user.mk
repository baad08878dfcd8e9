# user/user.mk -- builds the user-space libc and programs; included by the
# top-level Makefile (`-include user/user.mk`) or used alone:
#
#   make -f user/user.mk user-programs   build/user/bin/<program> for every user/bin/*.c
#   make -f user/user.mk test-user       build, then run tests/user with Debian's pytest
#
# Every program is a static i386 Linux ELF linked at 0x08048000 (user/lib/user.ld)
# on our own libc (build/user/lib/libc.a) and crt0; nothing from glibc: -nostdinc
# leaves only our headers and GCC's freestanding ones (stddef, stdint, stdarg).
# Must stay true: every variable here starts with USER_, so nothing clashes with
# the kernel's CXX/CXXFLAGS/KERNEL_*/HOST_* in the including Makefile.

# Included anywhere in the top-level Makefile, this fragment must not become
# its default goal: remember the goal so far and restore it at the end.
USER_SAVED_DEFAULT_GOAL := $(.DEFAULT_GOAL)

USER_CROSS ?= i686-linux-gnu-
USER_CC := $(USER_CROSS)gcc
USER_AR := $(USER_CROSS)ar
USER_PYTHON ?= /usr/bin/python3
USER_BUILD := build/user
# Looked up once, when a rule first needs it (the `=` that turns itself into
# `:=`), never while the Makefile is read: on a fresh machine the cross
# compiler is not installed yet at that point.
USER_GCC_INCLUDE = $(eval USER_GCC_INCLUDE := $(shell $(USER_CC) -print-file-name=include))$(USER_GCC_INCLUDE)

USER_CFLAGS = -std=gnu11 -m32 -march=i686 -fno-pie -fno-stack-protector -ffreestanding \
    -fno-tree-loop-distribute-patterns -O2 -g -Wall -Wextra \
    -nostdinc -isystem $(USER_GCC_INCLUDE) -Iuser/lib/include -MMD -MP
USER_LDFLAGS := -m32 -static -nostdlib -nostartfiles -no-pie -T user/lib/user.ld \
    -Wl,--build-id=none -Wl,-z,noexecstack

USER_LIB_SRCS := $(filter-out user/lib/crt0.S,$(sort $(wildcard user/lib/*.c user/lib/*.S)))
USER_LIB_OBJS := $(patsubst user/lib/%,$(USER_BUILD)/lib/%.o,$(USER_LIB_SRCS))
USER_CRT0 := $(USER_BUILD)/lib/crt0.S.o
USER_LIBC := $(USER_BUILD)/lib/libc.a
USER_PROGRAMS := $(patsubst user/bin/%.c,$(USER_BUILD)/bin/%,$(sort $(wildcard user/bin/*.c)))
# Programs of several files: each folder user/bin/NAME/ holds one program
# (the shell: lexer, parser, executor...; sigcheck: a group of checks a
# file; ls: options, directories, printers), linked from all its *.c by the
# rule made for it below. $(call USER_OBJECTS_OF,NAME) are its objects.
USER_MULTI_FILE_NAMES := $(sort $(patsubst user/bin/%/,%,$(dir $(wildcard user/bin/*/*.c))))
USER_OBJECTS_OF = $(patsubst user/bin/$(1)/%.c,$(USER_BUILD)/obj/bin/$(1)/%.o,$(sort $(wildcard user/bin/$(1)/*.c)))
USER_MULTI_FILE_OBJS := $(foreach name,$(USER_MULTI_FILE_NAMES),$(call USER_OBJECTS_OF,$(name)))
USER_PROGRAMS += $(addprefix $(USER_BUILD)/bin/,$(USER_MULTI_FILE_NAMES))
USER_TESTS := $(USER_BUILD)/tests/libc_test
# Programs built with the cross compiler's own glibc (static), not with
# ours: the kernel's clients that are Debian's C library itself
# (user/glibc/*.c: pthreads). The root image has them in /usr/bin.
USER_GLIBC_PROGRAMS := $(patsubst user/glibc/%.c,$(USER_BUILD)/glibc/%,$(sort $(wildcard user/glibc/*.c)))
# The shell's line editor alone (user/bin/sh/line_editor.c, history.c,
# completion.c, editor_*.c), linked into its key-handling test and the
# driver that the pseudo-terminal test runs.
USER_EDITOR_OBJS := $(patsubst user/bin/sh/%.c,$(USER_BUILD)/obj/bin/sh/%.o,$(sort \
    $(wildcard user/bin/sh/line_editor.c user/bin/sh/history.c user/bin/sh/completion.c user/bin/sh/editor_*.c)))
USER_EDITOR_TESTS := $(USER_BUILD)/tests/line_editor_test $(USER_BUILD)/tests/line_editor_driver
USER_TESTS += $(USER_EDITOR_TESTS) $(USER_BUILD)/tests/line_editor_termios
# Objects of programs live apart from them, so build/user/bin holds only programs.
USER_MAIN_OBJS := $(patsubst $(USER_BUILD)/%,$(USER_BUILD)/obj/%.o,$(USER_PROGRAMS) $(USER_TESTS))
.SECONDARY: $(USER_MAIN_OBJS) $(USER_BUILD)/obj/tests/line_editor_screen.o $(USER_MULTI_FILE_OBJS) $(USER_CRT0)

.PHONY: user-programs user-tests test-user
user-programs: $(USER_PROGRAMS)
user-tests: $(USER_TESTS)

test-user: user-programs user-tests
	$(USER_PYTHON) -m pytest -q tests/user

$(USER_BUILD)/lib/%.c.o: user/lib/%.c
	@mkdir -p $(dir $@)
	$(USER_CC) $(USER_CFLAGS) -c $< -o $@

$(USER_BUILD)/lib/%.S.o: user/lib/%.S
	@mkdir -p $(dir $@)
	$(USER_CC) $(USER_CFLAGS) -c $< -o $@

$(USER_LIBC): $(USER_LIB_OBJS)
	@rm -f $@
	$(USER_AR) rcs $@ $^

$(USER_BUILD)/obj/bin/%.o: user/bin/%.c
	@mkdir -p $(dir $@)
	$(USER_CC) $(USER_CFLAGS) -c $< -o $@

$(USER_BUILD)/obj/tests/%.o: tests/user/%.c
	@mkdir -p $(dir $@)
	$(USER_CC) $(USER_CFLAGS) -c $< -o $@

# Links one program: crt0 first (its _start is the entry), then the program,
# then our libc and libgcc (64-bit division) resolved together.
USER_LINK = $(USER_CC) $(USER_LDFLAGS) -o $@ $(USER_CRT0) $< \
    -Wl,--start-group $(USER_LIBC) -lgcc -Wl,--end-group

$(USER_BUILD)/glibc/%: user/glibc/%.c
	@mkdir -p $(dir $@)
	$(USER_CC) -std=gnu11 -O2 -Wall -Wextra -Werror -static -pthread -o $@ $<

$(USER_BUILD)/bin/%: $(USER_BUILD)/obj/bin/%.o $(USER_CRT0) $(USER_LIBC) user/lib/user.ld
	@mkdir -p $(dir $@)
	$(USER_LINK)

# Several objects, so the one-object USER_LINK does not fit (the objects
# of user/bin/NAME/*.c come from the $(USER_BUILD)/obj/bin/%.o rule above).
define USER_MULTI_FILE_RULE
$(USER_BUILD)/bin/$(1): $(call USER_OBJECTS_OF,$(1)) $(USER_CRT0) $(USER_LIBC) user/lib/user.ld
	@mkdir -p $$(dir $$@)
	$(USER_CC) $(USER_LDFLAGS) -o $$@ $(USER_CRT0) $(call USER_OBJECTS_OF,$(1)) \
	    -Wl,--start-group $(USER_LIBC) -lgcc -Wl,--end-group
endef
$(foreach name,$(USER_MULTI_FILE_NAMES),$(eval $(call USER_MULTI_FILE_RULE,$(name))))

$(USER_BUILD)/tests/line_editor_test: $(USER_BUILD)/obj/tests/line_editor_screen.o
$(USER_EDITOR_TESTS): $(USER_BUILD)/tests/%: $(USER_BUILD)/obj/tests/%.o $(USER_EDITOR_OBJS) $(USER_CRT0) \
    $(USER_LIBC) user/lib/user.ld
	@mkdir -p $(dir $@)
	$(USER_CC) $(USER_LDFLAGS) -o $@ $(USER_CRT0) $(filter-out $(USER_CRT0),$(filter %.o,$^)) \
	    -Wl,--start-group $(USER_LIBC) -lgcc -Wl,--end-group

$(USER_BUILD)/tests/%: $(USER_BUILD)/obj/tests/%.o $(USER_CRT0) $(USER_LIBC) user/lib/user.ld
	@mkdir -p $(dir $@)
	$(USER_LINK)

-include $(wildcard $(USER_BUILD)/lib/*.d $(USER_BUILD)/obj/*/*.d $(USER_BUILD)/obj/bin/*/*.d)

# Alone (make -f user/user.mk) the default goal is user-programs; included, the
# goal is what it was before (if empty, make takes the next target it reads).
ifneq ($(firstword $(MAKEFILE_LIST)),user/user.mk)
.DEFAULT_GOAL := $(USER_SAVED_DEFAULT_GOAL)
endif
