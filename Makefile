# bootscope: one entry point for building, running, tracing, testing and
# benchmarking.  `make help` lists the targets.

# `make V=1` shows every command; by default one short line each.
ifeq ($(V),1)
Q :=
say = @true
else
Q := @
say = @printf '  %-6s %s\n' $(1) $(2)
endif

# ---- the kernel (cross-compiled, freestanding) -----------------------------
CROSS    ?= riscv64-unknown-elf-
KCC      := $(CROSS)gcc
KOBJCOPY := $(CROSS)objcopy
KOBJDUMP := $(CROSS)objdump
KNM      := $(CROSS)nm
KCFLAGS  := -march=rv64gc -mabi=lp64d -mcmodel=medany -ffreestanding -nostdlib \
            -fno-builtin -fno-stack-protector -fno-pie -no-pie -O2 -g \
            -Wall -Wextra -Werror -Ikernel
KLDFLAGS := -T linker.ld -Wl,--build-id=none -Wl,-z,max-page-size=4096

# ---- the x86_64 kernel (the host's gcc and binutils) -----------------------
# Freestanding 64-bit code for a CPU with nothing set up: no red zone (no
# interrupt may land under the stack pointer) and no SSE registers (boot.S
# never enables them).  kernel/x86_64/linker.ld links it at 0x7C00.
X86_KCC      ?= gcc
X86_KOBJCOPY ?= objcopy
X86_KOBJDUMP ?= objdump
X86_KNM      ?= nm
X86_KCFLAGS  := -m64 -ffreestanding -nostdlib -fno-builtin -fno-stack-protector -fno-pie -no-pie \
                -mno-red-zone -mgeneral-regs-only -fno-asynchronous-unwind-tables -O2 -g \
                -Wall -Wextra -Werror -Ikernel/x86_64
# The image is one RWX segment on purpose (linker.ld says why).
X86_KLDFLAGS := -T kernel/x86_64/linker.ld -Wl,--build-id=none -Wl,-z,max-page-size=4096 \
                -Wl,--no-warn-rwx-segments

# SAN=1 builds the same tree with AddressSanitizer + UndefinedBehaviorSanitizer
# into build/san, so both builds can sit side by side.
CC      ?= cc
BUILD   := build
ifeq ($(SAN),1)
BUILD   := build/san
SANFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
endif
CFLAGS  ?= -O2 -g
CFLAGS  += -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
           -Wmissing-prototypes -Itracer $(SANFLAGS)
LDFLAGS += $(SANFLAGS)
# RISC-V disassembly is only in binutils' multiarch build (docs/libopcodes.md).
LDLIBS  += $(shell pkg-config --libs ncursesw libelf libdw 2>/dev/null || echo -lncursesw -ltinfo -lelf -ldw) \
           -lopcodes-multiarch -lbfd-multiarch

TRACER_SRC := $(wildcard tracer/*.c)
TRACER_OBJ := $(TRACER_SRC:tracer/%.c=$(BUILD)/obj/%.o)
LIB_OBJ    := $(filter-out $(BUILD)/obj/main.o,$(TRACER_OBJ))
UNIT_SRC   := $(wildcard tests/unit/test_*.c)
UNIT_BIN   := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/unit/%)
# The QEMU plugin (plugin/count.c): see its rule below.
PLUGIN     := build/bootscope-count.so

KERNEL_SRC := $(wildcard kernel/*.c kernel/*.S)
KERNEL_OBJ := $(patsubst kernel/%,build/kernel/%.o,$(KERNEL_SRC))
X86_SRC    := $(wildcard kernel/x86_64/*.c kernel/x86_64/*.S)
X86_OBJ    := $(patsubst kernel/x86_64/%,build/x86_64/obj/%.o,$(X86_SRC))

QEMU     ?= qemu-system-riscv64
# `make run SMP=4` boots four harts; -smp is left out for one, so the
# command lines stay the ones the walkthrough shows.
SMP      ?= 1
QEMU_VIRT = $(QEMU) -machine virt -nographic$(if $(filter-out 1,$(SMP)), -smp $(SMP))
FW_JUMP  ?= /usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.bin
# Where the raw image goes: the kernel's link address, whose one home is
# linker.ld (BASE_ADDRESS).
KERNEL_BASE := $(shell sed -n 's/^BASE_ADDRESS = \(0x[0-9a-fA-F]*\);.*/\1/p' linker.ld)
# The PC: QEMU's default machine (i440fx + PIIX4, SeaBIOS from the seabios
# package), booting build/x86_64/disk.img as its first IDE hard disk.
# COM1 goes to the terminal; the VGA screen is shown in a window when there
# is a display to show it on, and left out in a plain terminal.
QEMU_X86 ?= qemu-system-x86_64
QEMU_PC   = $(QEMU_X86) -machine pc -drive format=raw,file=build/x86_64/disk.img \
            -serial stdio$(if $(DISPLAY)$(WAYLAND_DISPLAY),, -display none)
# A per-user TCP port, as xv6 does, so a class on one server never collides.
GDBPORT  ?= $(shell expr `id -u` % 5000 + 25000)

# The Debian 12 packages bootscope needs; `make deps` installs what is missing.
DEBS := gcc make pkg-config python3 gcc-riscv64-unknown-elf qemu-system-misc opensbi \
        gdb-multiarch libncurses-dev libelf-dev libdw-dev binutils-dev \
        binutils-multiarch-dev tmux clang libclang-rt-14-dev mandoc groff-base man-db \
        qemu-system-x86 seabios

.PHONY: all kernel kernel-x86 tracer run run-loader run-x86 trace trace-x86 trace-gdb debug gdb check test bench \
        fuzz deps clean help install uninstall deb test-deb deps-deb
.DEFAULT_GOAL := all

all: kernel kernel-x86 tracer

kernel: build/kernel.elf build/os.bin build/kernel.asm build/kernel.sym

kernel-x86: build/x86_64/kernel.elf build/x86_64/disk.img build/x86_64/kernel.asm build/x86_64/kernel.sym

tracer: $(BUILD)/bootscope $(UNIT_BIN) $(PLUGIN)

# ---- kernel rules -----------------------------------------------------------
build/kernel/%.c.o: kernel/%.c $(wildcard kernel/*.h) | build/kernel
	$(call say,KCC,$<)
	$(Q)$(KCC) $(KCFLAGS) -c $< -o $@

build/kernel/%.S.o: kernel/%.S $(wildcard kernel/*.h) | build/kernel
	$(call say,KAS,$<)
	$(Q)$(KCC) $(KCFLAGS) -c $< -o $@

build/kernel.elf: $(KERNEL_OBJ) linker.ld
	$(call say,KLD,$@)
	$(Q)$(KCC) $(KCFLAGS) $(KLDFLAGS) $(KERNEL_OBJ) -o $@

# The raw image the seeds boot: every loadable byte, no ELF header, no symbols.
build/os.bin: build/kernel.elf
	$(call say,OBJCOPY,$@)
	$(Q)$(KOBJCOPY) --strip-all -O binary $< $@

build/kernel.asm: build/kernel.elf
	$(Q)$(KOBJDUMP) -d -S $< > $@

build/kernel.sym: build/kernel.elf
	$(Q)$(KNM) -n $< > $@

build/kernel:
	mkdir -p $@

# ---- x86_64 kernel rules ----------------------------------------------------
build/x86_64/obj/%.c.o: kernel/x86_64/%.c $(wildcard kernel/x86_64/*.h) | build/x86_64/obj
	$(call say,KCC,$<)
	$(Q)$(X86_KCC) $(X86_KCFLAGS) -c $< -o $@

build/x86_64/obj/%.S.o: kernel/x86_64/%.S $(wildcard kernel/x86_64/*.h) | build/x86_64/obj
	$(call say,KAS,$<)
	$(Q)$(X86_KCC) $(X86_KCFLAGS) -c $< -o $@

build/x86_64/kernel.elf: $(X86_OBJ) kernel/x86_64/linker.ld
	$(call say,KLD,$@)
	$(Q)$(X86_KCC) $(X86_KCFLAGS) $(X86_KLDFLAGS) $(X86_OBJ) -o $@

# The disk: every loaded byte from 0x7C00 on, so sector 0 is the boot
# sector; linker.ld pads it to whole sectors.
build/x86_64/disk.img: build/x86_64/kernel.elf
	$(call say,OBJCOPY,$@)
	$(Q)$(X86_KOBJCOPY) --strip-all -O binary $< $@

# Each part disassembled in the mode the CPU runs it in.
build/x86_64/kernel.asm: build/x86_64/kernel.elf
	$(Q){ $(X86_KOBJDUMP) -d -S -m i8086 -j .boot $<; \
	      $(X86_KOBJDUMP) -d -S -m i386 -j .text32 $<; \
	      $(X86_KOBJDUMP) -d -S -j .text $<; } > $@

build/x86_64/kernel.sym: build/x86_64/kernel.elf
	$(Q)$(X86_KNM) -n $< > $@

build/x86_64/obj:
	mkdir -p $@

# ---- host rules -------------------------------------------------------------
$(BUILD)/obj/%.o: tracer/%.c | $(BUILD)/obj
	$(call say,CC,$<)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/bootscope: $(TRACER_OBJ)
	$(call say,LD,$@)
	$(Q)$(CC) $(LDFLAGS) $^ $(LDLIBS) -o $@

$(BUILD)/tests/unit/%: tests/unit/%.c tests/check.h $(wildcard tests/unit/*.h) $(LIB_OBJ) | $(BUILD)/tests/unit
	$(call say,CC,$@)
	$(Q)$(CC) $(CFLAGS) -Itests $< $(LIB_OBJ) $(LDFLAGS) $(LDLIBS) -o $@

$(BUILD)/obj $(BUILD)/tests/unit:
	mkdir -p $@

-include $(TRACER_OBJ:.o=.d)

# ---- the QEMU plugin ----------------------------------------------------------
# Loaded into QEMU, so never sanitized: one build, in build/, whatever SAN
# says (a SAN=1 bootscope loads this same file).  Its qemu_plugin_* calls are
# resolved against the QEMU binary that loads it.  CPPFLAGS and LDFLAGS
# still reach it, for the hardening dpkg-buildflags asks of a package.
PLUGIN_CFLAGS := -O2 -g -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
                 -Wmissing-prototypes -fPIC -shared -fvisibility=hidden

$(PLUGIN): plugin/count.c plugin/qemu_plugin.h
	@mkdir -p build
	$(call say,CC,$@)
	$(Q)$(CC) $(CPPFLAGS) $(PLUGIN_CFLAGS) $(filter-out $(SANFLAGS),$(LDFLAGS)) $< -o $@ -lpthread

# ---- running ----------------------------------------------------------------
run: deps
	@$(MAKE) --no-print-directory kernel
	$(QEMU_VIRT) -bios default -kernel build/kernel.elf

# The seeds' way: a jump firmware, and the raw image placed where it jumps.
run-loader: deps
	@$(MAKE) --no-print-directory kernel
	$(QEMU_VIRT) -bios $(FW_JUMP) -device loader,file=build/os.bin,addr=$(KERNEL_BASE)

# The PC boot: SeaBIOS, our boot sector, long mode, "Hello World!" on COM1
# (and on the VGA screen, when there is a display), then ACPI off.
run-x86: deps
	@$(MAKE) --no-print-directory kernel-x86
	$(QEMU_PC)

trace: deps
	@$(MAKE) --no-print-directory kernel $(BUILD)/bootscope
	$(BUILD)/bootscope $(BOOTSCOPE_ARGS) build/kernel.elf

# The PC boot in bootscope: the disk, with its ELF for symbols.
trace-x86: deps
	@$(MAKE) --no-print-directory kernel-x86 $(BUILD)/bootscope
	$(BUILD)/bootscope $(BOOTSCOPE_ARGS) build/x86_64/disk.img --symbols build/x86_64/kernel.elf

# The same walk in plain gdb: QEMU paused at the reset vector with its
# gdbstub on the per-user port, and gdb-multiarch with gdbscripts/ loaded.
debug:
	@$(MAKE) --no-print-directory kernel
	@echo "QEMU is paused at the reset vector (0x1000); its gdbstub is on 127.0.0.1:$(GDBPORT)"
	@echo "in a second terminal: make gdb     (here, Ctrl-A x quits QEMU)"
	$(QEMU_VIRT) -bios default -kernel build/kernel.elf -S -gdb tcp:127.0.0.1:$(GDBPORT)

gdb:
	@$(MAKE) --no-print-directory kernel
	@echo "connecting to make debug's QEMU (or make trace-gdb's bootscope) on 127.0.0.1:$(GDBPORT); then type boot-walk"
	gdb-multiarch -x gdbscripts/bootscope.gdb -ex 'target remote 127.0.0.1:$(GDBPORT)'

# Your gdb with bootscope's screen: bootscope serves a gdbstub on the port
# make debug's QEMU would use, so make gdb connects to either, and follows
# every stop gdb makes.
trace-gdb: deps
	@$(MAKE) --no-print-directory kernel $(BUILD)/bootscope
	$(BUILD)/bootscope --gdb-port=$(GDBPORT) $(BOOTSCOPE_ARGS) build/kernel.elf

# ---- testing ----------------------------------------------------------------
# The fast tier: every test that needs no QEMU, in seconds.
check:
	@$(MAKE) --no-print-directory kernel tracer
	@bash tests/run build fast lint

# The whole suite: the normal build, then the same tests under ASan + UBSan.
test: deps
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory SAN=1 tracer
	@bash tests/run build unit lint integration tui; a=$$?; \
	 echo "---- again under AddressSanitizer + UndefinedBehaviorSanitizer ----"; \
	 ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
	 bash tests/run build/san unit integration; b=$$?; \
	 [ $$a -eq 0 ] && [ $$b -eq 0 ]

# ---- fuzzing ------------------------------------------------------------------
# libFuzzer targets for the parsers (tests/fuzz/targets.h says what each
# does).  `make fuzz FUZZ_SECONDS=600` runs each that long, two at a time,
# from a copy of its committed corpus in build/fuzz/corpus-NAME, so new
# inputs never land in the tree; a crash is kept in build/fuzz/crashes-NAME/
# and belongs in tests/fuzz/regressions/NAME/ once fixed.  Always clang with
# ASan + UBSan, whatever CC and SAN say; each links only what it fuzzes.
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_WORK    ?= build/fuzz
FUZZ_TARGETS := rsp stop tdesc image
FUZZ_CFLAGS  := -O1 -g -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow -Wmissing-prototypes \
                -Itracer -fno-omit-frame-pointer -fno-sanitize-recover=all
FUZZ_OBJ      = $(1:%=build/fuzz/obj/%.o) build/fuzz/obj/err.o build/fuzz/obj/text.o

fuzz: $(FUZZ_TARGETS:%=build/fuzz/fuzz_%)
	@bash tests/fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_WORK) $(FUZZ_TARGETS)

build/fuzz/obj/%.o: tracer/%.c | build/fuzz/obj
	$(call say,FUZZCC,$<)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link,address,undefined -MMD -MP -c $< -o $@

build/fuzz/fuzz_rsp build/fuzz/fuzz_stop: $(call FUZZ_OBJ,rsp)
build/fuzz/fuzz_tdesc: $(call FUZZ_OBJ,tdesc)
build/fuzz/fuzz_image: $(call FUZZ_OBJ,image bytes)
build/fuzz/fuzz_image: FUZZ_LIBS := -lelf -ldw
build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/targets.h | build/fuzz/obj
	$(call say,FUZZLD,$@)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer,address,undefined $< $(filter %.o,$^) $(FUZZ_LIBS) -o $@

build/fuzz/obj:
	mkdir -p $@

-include $(wildcard build/fuzz/obj/*.d)

# The regression replay is a unit test that also needs the targets' code.
FUZZ_REPLAY_SRC := $(FUZZ_TARGETS:%=tests/fuzz/fuzz_%.c)

$(BUILD)/tests/unit/test_fuzz_regressions: tests/unit/test_fuzz_regressions.c $(FUZZ_REPLAY_SRC) \
		tests/fuzz/targets.h tests/check.h $(LIB_OBJ) | $(BUILD)/tests/unit
	$(call say,CC,$@)
	$(Q)$(CC) $(CFLAGS) -DFUZZ_REPLAY -Itests $< $(FUZZ_REPLAY_SRC) $(LIB_OBJ) $(LDFLAGS) $(LDLIBS) -o $@

# ---- benchmarking -------------------------------------------------------------
# bootscope against gdb-multiarch, side by side on the same QEMU and kernel:
# prints a table and writes bench/RESULTS.md (BENCH_N=30000 for a longer
# run).  Never part of `make test`: nothing here asserts a timing.
BENCH_OBJ := $(filter-out $(BUILD)/obj/ui%.o,$(LIB_OBJ))

bench: deps
	@$(MAKE) --no-print-directory kernel kernel-x86 $(BUILD)/bootscope $(PLUGIN) $(BUILD)/bench/bench_step
	BENCH_N=$(BENCH_N) python3 bench/bench.py $(BUILD)

$(BUILD)/bench/bench_step: bench/bench_step.c $(BENCH_OBJ) | $(BUILD)/bench
	$(CC) $(CFLAGS) $< $(BENCH_OBJ) $(LDFLAGS) $(LDLIBS) -o $@

$(BUILD)/bench:
	mkdir -p $@

# ---- installing -------------------------------------------------------------
# `make install PREFIX=/usr DESTDIR=/tmp/stage`, as every Debian tool does.
# Where each file goes follows the FHS: the TCG plugin is an ELF object for
# the host's architecture, so it is under lib/ (FHS 4.6: object files and
# internal binaries), not share/; the bundled kernels are RISC-V images,
# the same on every host, so with the lessons they are under share/ (4.11:
# architecture-independent data).  bootscope finds both relative to its
# own bin/ (tracer/paths.h), so a tree under DESTDIR, or moved, still works.
PREFIX     ?= /usr/local
DATADIR_REL := share/bootscope
LIBDIR_REL  := lib/bootscope
INSTALL    ?= install
BINDIR     := $(DESTDIR)$(PREFIX)/bin
DATADIR    := $(DESTDIR)$(PREFIX)/$(DATADIR_REL)
PLUGINDIR  := $(DESTDIR)$(PREFIX)/$(LIBDIR_REL)
MANDIR     := $(DESTDIR)$(PREFIX)/share/man/man1
COMPDIR    := $(DESTDIR)$(PREFIX)/share/bash-completion/completions
DOCDIR     := $(DESTDIR)$(PREFIX)/share/doc/bootscope
DOC_FILES  := README.md
WALK_FILES := $(wildcard walkthrough/*.md) walkthrough/lessons.txt
EXAMPLE_FILES := $(wildcard walkthrough/examples/*)
GDB_FILES  := $(wildcard gdbscripts/*.gdb)

$(BUILD)/obj/paths.o: CFLAGS += -DBOOTSCOPE_DATADIR='"$(DATADIR_REL)"' -DBOOTSCOPE_LIBDIR='"$(LIBDIR_REL)"'
$(BUILD)/obj/paths.o: Makefile
# The version's one home is debian/changelog, as dpkg-buildpackage wants.
VERSION := $(shell sed -n '1s/^bootscope .\([0-9][^ ]*\). .*/\1/p' debian/changelog)
$(BUILD)/obj/version.o: CFLAGS += -DBOOTSCOPE_VERSION='"$(VERSION)"'
$(BUILD)/obj/version.o: debian/changelog

install: kernel kernel-x86 $(BUILD)/bootscope $(PLUGIN)
	$(call say,INSTALL,$(DESTDIR)$(PREFIX))
	$(Q)$(INSTALL) -d $(BINDIR) $(DATADIR) $(DATADIR)/x86_64 $(PLUGINDIR) $(MANDIR) $(COMPDIR) \
		$(DOCDIR)/gdbscripts $(DOCDIR)/walkthrough/examples
	$(Q)$(INSTALL) -m 755 $(BUILD)/bootscope $(BINDIR)/bootscope
	$(Q)$(INSTALL) -m 644 $(PLUGIN) $(PLUGINDIR)/
	$(Q)$(INSTALL) -m 644 build/kernel.elf build/os.bin walkthrough/lessons.txt $(DATADIR)/
	$(Q)$(INSTALL) -m 644 build/x86_64/kernel.elf build/x86_64/disk.img $(DATADIR)/x86_64/
	$(Q)$(INSTALL) -m 644 man/bootscope.1 $(MANDIR)/bootscope.1
	$(Q)$(INSTALL) -m 644 completions/bootscope.bash $(COMPDIR)/bootscope
	$(Q)$(INSTALL) -m 644 $(DOC_FILES) $(DOCDIR)/
	$(Q)$(INSTALL) -m 644 $(GDB_FILES) $(DOCDIR)/gdbscripts/
	$(Q)$(INSTALL) -m 644 $(WALK_FILES) $(DOCDIR)/walkthrough/
	$(Q)$(INSTALL) -m 644 $(EXAMPLE_FILES) $(DOCDIR)/walkthrough/examples/

# Every file install made, and the directories that are bootscope's own;
# bin/, man1/ and the like are shared with other packages and stay.
uninstall:
	$(call say,RM,$(DESTDIR)$(PREFIX))
	$(Q)rm -f $(BINDIR)/bootscope $(PLUGINDIR)/bootscope-count.so \
		$(DATADIR)/kernel.elf $(DATADIR)/os.bin $(DATADIR)/lessons.txt \
		$(DATADIR)/x86_64/kernel.elf $(DATADIR)/x86_64/disk.img \
		$(MANDIR)/bootscope.1 $(COMPDIR)/bootscope \
		$(addprefix $(DOCDIR)/,$(notdir $(DOC_FILES))) \
		$(addprefix $(DOCDIR)/gdbscripts/,$(notdir $(GDB_FILES))) \
		$(addprefix $(DOCDIR)/walkthrough/,$(notdir $(WALK_FILES))) \
		$(addprefix $(DOCDIR)/walkthrough/examples/,$(notdir $(EXAMPLE_FILES)))
	$(Q)for d in $(DOCDIR)/walkthrough/examples $(DOCDIR)/walkthrough $(DOCDIR)/gdbscripts $(DOCDIR) \
		$(DATADIR)/x86_64 $(DATADIR) $(PLUGINDIR); do [ ! -d $$d ] || rmdir --ignore-fail-on-non-empty $$d; done

# ---- the Debian package ---------------------------------------------------------
# dpkg-buildpackage in a copy of the tree under DEB_DIR, so its clean step
# (make clean) never removes this tree's build/, and the .deb, .changes and
# .buildinfo land in DEB_DIR rather than in this tree's parent.  debian/
# says how: rules calls make kernel tracer, make install PREFIX=/usr.
DEB_DIR  ?= build/deb
DEB_SRC   = $(DEB_DIR)/bootscope-$(VERSION)
# What building the package needs besides DEBS (Build-Depends in
# debian/control); make deb installs what is missing.
DEB_DEBS := debhelper dpkg-dev fakeroot lintian

deb: deps-deb
	$(call say,DEB,$(DEB_DIR))
	$(Q)rm -rf $(DEB_SRC) && mkdir -p $(DEB_SRC)
	$(Q)tar -c --exclude=./build --exclude=./.git . | tar -x -C $(DEB_SRC)
	$(Q)cd $(DEB_SRC) && dpkg-buildpackage -us -uc -b $(if $(V),,>../build.log 2>&1) || \
	  { echo "make deb: dpkg-buildpackage failed; its output is in $(DEB_DIR)/build.log" >&2; \
	    tail -20 ../build.log >&2; exit 1; }
	@ls $(DEB_DIR)/bootscope_$(VERSION)_*.deb

# Builds the package in a temporary directory and checks it: contents,
# dependencies, lintian, the packaged bootscope run.  Slow (see
# tests/deb/package.sh), so not part of make test.
test-deb: deps-deb
	@$(MAKE) --no-print-directory kernel tracer
	@bash tests/run build deb

# ---- dependencies -----------------------------------------------------------
# install_missing LIST: apt-get install the packages of LIST that are not
# installed (through sudo when not root).
install_missing = missing=$$(for p in $(1); do \
	    dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; \
	  done); \
	if [ -n "$$missing" ]; then \
	  sudo=; [ "$$(id -u)" -eq 0 ] || sudo=sudo; \
	  echo "make $@: installing" $$missing; \
	  $$sudo apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq $$missing >/dev/null || \
	  { echo "make $@: could not install $$missing; install them with apt-get and try again" >&2; exit 1; }; \
	fi

deps:
	@$(call install_missing,$(DEBS))

deps-deb:
	@$(call install_missing,$(DEBS) $(DEB_DEBS))

clean:
	rm -rf build

help:
	@echo "make            build the kernel and bootscope"
	@echo "make run        boot the kernel with QEMU's OpenSBI (ends by itself; SMP=N for N harts)"
	@echo "make run-loader boot build/os.bin the seeds' way (fw_jump.bin + loader)"
	@echo "make run-x86    boot the x86_64 PC kernel (SeaBIOS, disk.img): COM1 here, VGA in a window"
	@echo "                if there is a display; ends by itself (ACPI off)"
	@echo "make trace      open bootscope on the bundled kernel (BOOTSCOPE_ARGS= to add options)"
	@echo "make trace-gdb  the same, serving a gdbstub for your gdb; then make gdb in another terminal"
	@echo "make trace-x86  open bootscope on the x86_64 PC kernel: reset vector, SeaBIOS, boot sector, long mode"
	@echo "make debug      QEMU paused, gdbstub on 127.0.0.1:$(GDBPORT) (your own port)"
	@echo "make gdb        gdb-multiarch with gdbscripts/ on that port (a second terminal)"
	@echo "make check      the fast tests: no QEMU, a few seconds"
	@echo "make test       run the whole test suite (also under ASan + UBSan)"
	@echo "make bench      bootscope against gdb-multiarch, side by side (bench/RESULTS.md)"
	@echo "make fuzz       run each libFuzzer target FUZZ_SECONDS (default 60)"
	@echo "make install    install bootscope, its man page and completion (PREFIX=/usr/local, DESTDIR=)"
	@echo "make uninstall  remove what make install put there (the same PREFIX and DESTDIR)"
	@echo "make deb        build a Debian package: build/deb/bootscope_VERSION_ARCH.deb"
	@echo "make test-deb   build the package and check it with lintian (slow: not in make test)"
	@echo "make deps       install the Debian packages that are missing"
	@echo "make clean      remove build/"
