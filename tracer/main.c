/* main: the command line, the wiring, and the exit codes.
 *
 * Exit status: 0 all well (also q, or Ctrl-C twice, in the screen), 1
 * something failed at run time, 2 a usage error.  Every failure is one line
 * on stderr that says what is wrong and what to do; the session is always
 * ended (QEMU stopped, socket removed) and the terminal restored before
 * exit.  A signal that ends bootscope (any but the screen's Ctrl-C, see
 * sig.h) ends it in the same order -- the report printed as far as it
 * got, the screen put away, the session ended -- and then by that signal
 * again, so the shell sees 128 + its number (130 for SIGINT in --batch,
 * 143 for SIGTERM, 131 and maybe a core for SIGQUIT).  A crash does the
 * least of that which is safe in a signal handler, and is the same crash.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "board.h"
#include "bytes.h"
#include "doctor.h"
#include "err.h"
#include "paths.h"
#include "profile_report.h"
#include "report.h"
#include "session.h"
#include "sig.h"
#include "ui.h"
#include "version.h"

#define MAX_QEMU_ARGS 64

static volatile sig_atomic_t main_cancel;
static int main_stdout_closed;	/* started with fd 1 closed (>&-) */

/* xv6's per-user port: a class on one server never collides. */
static int user_port(void)
{
	return (int)(getuid() % 5000 + 25000);
}

static void on_signal(int sig)
{
	main_cancel = sig;
}

static void usage(FILE *out)
{
	const struct board *b = board_default();

	fprintf(out,
	      "usage: bootscope [OPTIONS] [KERNEL]\n"
	      "\n"
	      "Step through how a kernel boots on QEMU's %s machine (%s): the reset\n"
	      "vector at 0x%" PRIx64 ", the SBI firmware, and the kernel.  KERNEL is an ELF file or\n"
	      "a raw image (default: the bundled kernel, build/kernel.elf or, installed,\n"
	      "share/bootscope/kernel.elf).  A disk image with a boot sector, or --board pc,\n"
	      "boots QEMU's x86 PC instead: reset vector, SeaBIOS, boot sector, long mode.\n"
	      "\n"
	      "  --batch               walk the boot without a screen and print a report\n"
	      "  --check               the layout doctor: check the files, then run the\n"
	      "                        kernel briefly and say why it does not boot\n"
	      "                        e.g. bootscope --check build/kernel.elf\n"
	      "  --profile             run the boot with QEMU counting every instruction, and\n"
	      "                        say where they went: per stage, section, function, loop\n"
	      "                        (exact counts, from reset to power-off or --timeout)\n"
	      "  --profile-out DIR     --profile, and write DIR/boot.folded (for flamegraph.pl,\n"
	      "                        speedscope) and DIR/boot.trace.json (Perfetto, chrome://tracing)\n"
	      "  --no-events           do not record the boot's events (traps, returns from\n"
	      "                        them, firmware calls, system register writes): faster\n"
	      "                        on a slow or remote gdbstub\n"
	      "  --at N                with --batch: also the machine after N instructions\n"
	      "                        since reset, reached by going back once the walk is done\n"
	      "  --json                the report as one JSON object (with --batch, --check\n"
	      "                        or --profile)\n"
	      "  --timeout SECONDS     how long the kernel may run (--batch: after the last\n"
	      "                        stage; --check: to its entry and after; default 5)\n"
	      "  --reply-timeout SECONDS\n"
	      "                        how long each answer of the gdbstub may take (default 3;\n"
	      "                        more for a slow or remote QEMU)\n"
	      "  --bios default|none|FILE\n"
	      "                        QEMU's own firmware (default), no firmware (the kernel\n"
	      "                        starts at 0x%" PRIx64 " in M mode), or a firmware file\n"
	      "                        e.g. --bios /usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.bin\n"
	      "  --bios-symbols ELF    sections and symbols for the firmware (found beside a\n"
	      "                        .bin when an .elf of the same name is there)\n"
	      "  --load ADDR           where a raw image goes, e.g. --load 0x%" PRIx64 "\n"
	      "  --symbols ELF         symbols for a raw image: build/os.bin --symbols build/kernel.elf\n"
	      "  --board virt|pc       the machine: RISC-V virt (default), or the x86 PC booting\n"
	      "                        a disk image (found by itself: an ELF's machine, a boot\n"
	      "                        sector's 0x55AA): build/x86_64/disk.img --symbols build/x86_64/kernel.elf\n"
	      "  --attach ENDPOINT     use a QEMU you started with -s -S: --attach localhost:1234\n"
	      "                        or --attach unix:/tmp/gdb.sock; it is never restarted or killed\n"
	      "  --gdb-port[=PORT]     serve a gdbstub for your own gdb-multiarch on 127.0.0.1\n"
	      "                        (PORT, or your own port, uid %% 5000 + 25000, %d for you;\n"
	      "                        any local user can reach it): gdb drives through bootscope\n"
	      "                        (target remote 127.0.0.1:PORT) and the screen follows each\n"
	      "                        stop it makes.  QEMU's own gdbstub stays private\n"
	      "  --gdb-socket[=PATH]   the same on a unix socket only you can use (PATH, or one\n"
	      "                        in a new private directory, named on the screen): the\n"
	      "                        choice on a shared machine\n"
	      "  --qemu PATH           the QEMU binary (default %s)\n"
	      "  --qemu-arg ARG        one more QEMU argument, repeatable: --qemu-arg -m --qemu-arg 256M\n"
	      "  --smp N               N harts (-smp N), 1 to 8: h on the screen selects one, and\n"
	      "                        s and n step it alone\n"
	      "  --lang en|zh          the language of the lessons beside the code (default:\n"
	      "                        from LANG; zh_CN.UTF-8 gives Chinese)\n"
	      "  --lessons FILE        the lessons file (default: walkthrough/lessons.txt, or\n"
	      "                        share/bootscope/lessons.txt where bootscope is installed)\n"
	      "  --no-mouse            leave the mouse to the terminal (to select text); else a\n"
	      "                        click selects the code or console panel, the wheel scrolls it\n"
	      "  -h, --help            this text\n"
	      "  -V, --version         the version\n"
	      "\n"
	      "Exit status: 0 all well, 1 a failure (or --check found a problem), 2 bad usage.\n"
	      "A signal (SIGTERM, SIGQUIT, ...) ends it cleanly, and then by that signal (128 + N).\n"
	      "The --batch --json report: {\"kernel\", \"firmware\", \"stages\": [{\"number\", \"name\", \"entry\",\n"
	      "\"priv\", \"section\", \"symbol\", \"instruction\", \"registers\": {\"pc\", \"zero\", \"ra\", ...,\n"
	      "and every system register the gdbstub has}}], \"events\": [{\"kind\" (stage, trap, return, sbi_call,\n"
	      "sysreg, wait, breakpoint, power_off), \"pc\", \"insn\" (instructions before it, exact), \"from\",\n"
	      "\"to\" (modes), \"symbol\", \"text\", and per kind \"cause\", \"tval\", \"handler\" / \"target\" /\n"
	      "\"eid\", \"fid\", \"name\", \"args\", \"error_name\", \"value\" / \"register\", \"old\"}],\n"
	      "\"end\", \"console\"}, and with --at \"at\" (as a stage, with \"insn\"); addresses and values\n"
	      "are hex strings, counts numbers.\n",
	      b->name, b->arch->name, b->reset_vector, b->kernel_addr(1), b->kernel_addr(0), user_port(), b->qemu);
}

static int usage_error(const char *fmt, const char *arg)
{
	fputs("bootscope: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs(" (see bootscope --help)\n", stderr);
	return 2;
}

/* A closed fd 0, 1 or 2 would be handed to the next open(): the kernel
 * file, a socket, and the report would be written into it.  So they are
 * held by /dev/null; a closed stdout is remembered, since a report written
 * there is lost. */
static void reserve_std_fds(void)
{
	for (int fd = 0; fd <= 2; fd++) {
		if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
			continue;
		int n = open("/dev/null", fd ? O_WRONLY : O_RDONLY);

		if (n >= 0 && n != fd) {	/* fd is the lowest free one: cannot be */
			dup2(n, fd);
			close(n);
		}
		if (fd == 1)
			main_stdout_closed = 1;
	}
}

/* Did what was printed on stdout get there?  A report that ran into a
 * full disk or a closed stdout is lost, so it is a failure, said once:
 * 0, or 1 after the message. */
static int finish_stdout(const char *what)
{
	int failed = ferror(stdout), e = errno;	/* a write that failed while printing */

	if (fflush(stdout) != 0) {
		failed = 1;
		e = errno;
	}
	if (main_stdout_closed) {
		failed = 1;
		e = EBADF;
	}
	if (!failed)
		return 0;
	fprintf(stderr, "bootscope: cannot write %s: %s\n", what, strerror(e ? e : EIO));
	return 1;
}

/* --timeout and --reply-timeout: seconds that become a whole number of
 * milliseconds, so nan and inf (which strtod() takes) and anything under
 * 1 ms are refused before (int)(s * 1000) could be undefined or 0. */
static int parse_timeout(const char *arg, double *out)
{
	char *end;
	double s;

	errno = 0;
	s = strtod(arg, &end);
	if (errno || end == arg || *end || !isfinite(s) || s < 0.001 || s > 86400)
		return -1;
	*out = s;
	return 0;
}

/* --check: the files first; the machine only if running it can tell more. */
static int run_check(const struct session_opts *o, int json, int timeout_ms)
{
	struct doctor d;
	struct session s;
	const struct board *b = o->board ? o->board : board_default();
	int fatal = doctor_static(&d, o, b, qemu_ram_size(o->qemu_args, o->nqemu_args, b->ram_default));

	if (!fatal && !main_cancel) {
		sig_crash_qemu(&s.qemu);
		if (session_start(&s, o) < 0)
			doctor_add(&d, "start", d.n ? "the findings above say why QEMU would not start" : "see what QEMU says", "%s", err_msg());
		else if (doctor_dynamic(&d, &s, timeout_ms, &main_cancel) < 0) {
			fprintf(stderr, "bootscope: %s\n", err_msg());
			session_end(&s);
			sig_crash_qemu(NULL);
			return 1;
		}
		session_end(&s);
		sig_crash_qemu(NULL);	/* s goes with this frame */
	}
	doctor_print(&d, o, json, stdout);
	return d.n || main_cancel ? 1 : 0;
}

int main(int argc, char **argv)
{
	enum { OPT_JSON = 256, OPT_TIMEOUT, OPT_BIOS, OPT_BIOS_SYMS, OPT_LOAD, OPT_SYMBOLS,
	       OPT_ATTACH, OPT_QEMU, OPT_QEMU_ARG, OPT_GDB_PORT, OPT_BATCH, OPT_CHECK, OPT_LANG,
	       OPT_LESSONS, OPT_REPLY_TIMEOUT, OPT_PROFILE, OPT_PROFILE_OUT, OPT_NO_EVENTS, OPT_AT, OPT_GDB_SOCKET, OPT_SMP,
	       OPT_NO_MOUSE, OPT_BOARD };
	static const struct option longopts[] = {
		{ "batch", no_argument, NULL, OPT_BATCH },
		{ "check", no_argument, NULL, OPT_CHECK },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "profile", no_argument, NULL, OPT_PROFILE },
		{ "profile-out", required_argument, NULL, OPT_PROFILE_OUT },
		{ "no-events", no_argument, NULL, OPT_NO_EVENTS },
		{ "at", required_argument, NULL, OPT_AT },
		{ "gdb-socket", optional_argument, NULL, OPT_GDB_SOCKET },
		{ "timeout", required_argument, NULL, OPT_TIMEOUT },
		{ "reply-timeout", required_argument, NULL, OPT_REPLY_TIMEOUT },
		{ "bios", required_argument, NULL, OPT_BIOS },
		{ "bios-symbols", required_argument, NULL, OPT_BIOS_SYMS },
		{ "load", required_argument, NULL, OPT_LOAD },
		{ "symbols", required_argument, NULL, OPT_SYMBOLS },
		{ "board", required_argument, NULL, OPT_BOARD },
		{ "attach", required_argument, NULL, OPT_ATTACH },
		{ "qemu", required_argument, NULL, OPT_QEMU },
		{ "qemu-arg", required_argument, NULL, OPT_QEMU_ARG },
		{ "smp", required_argument, NULL, OPT_SMP },
		{ "gdb-port", optional_argument, NULL, OPT_GDB_PORT },
		{ "lang", required_argument, NULL, OPT_LANG },
		{ "lessons", required_argument, NULL, OPT_LESSONS },
		{ "no-mouse", no_argument, NULL, OPT_NO_MOUSE },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ 0 },
	};
	struct session_opts o = { .bios = "default" };
	const char *qemu_args[MAX_QEMU_ARGS];
	char smp[8];
	int smp_given = 0;
	int batch = 0, check = 0, profile = 0, json = 0, events = 1, version = 0, c;
	struct report_opts ro = { 0 };
	const char *profile_out = NULL;
	double timeout_s = 5, reply_s;
	char kbuf[PATH_MAX], sbuf[PATH_MAX], lbuf[PATH_MAX], pbuf[PATH_MAX];
	struct ui_opts uo = { 0 };
	struct proxy proxy;
	const char *gdb_opt = NULL, *gdb_socket = NULL;	/* the option that asked for the proxy */
	int gdb_port = 0;
	uint64_t v;

	reserve_std_fds();
	opterr = 0;	/* our own one-line messages below, not getopt's */
	while ((c = getopt_long(argc, argv, ":hV", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_BATCH: batch = 1; break;
		case OPT_CHECK: check = 1; break;
		case OPT_JSON: json = 1; break;
		case OPT_PROFILE: profile = 1; break;
		case OPT_NO_EVENTS: events = 0; break;
		case OPT_AT:
			if (!isdigit((unsigned char)optarg[0]) || bytes_parse_u64(optarg, 10, &ro.at) < 0)
				return usage_error("--at wants a number of instructions since reset, e.g. --at 11845098, not \"%s\"",
						   optarg);
			ro.at_set = 1;
			break;
		case OPT_PROFILE_OUT: profile = 1, profile_out = optarg; break;
		case OPT_TIMEOUT:
			if (parse_timeout(optarg, &timeout_s) < 0)
				return usage_error("--timeout wants seconds from 0.001 to 86400, e.g. --timeout 5, not \"%s\"",
						   optarg);
			break;
		case OPT_REPLY_TIMEOUT:
			if (parse_timeout(optarg, &reply_s) < 0)
				return usage_error("--reply-timeout wants seconds from 0.001 to 86400, e.g. --reply-timeout 10, not \"%s\"",
						   optarg);
			o.timeout_ms = (int)(reply_s * 1000);
			break;
		case OPT_BIOS: o.bios = optarg; break;
		case OPT_BIOS_SYMS: o.bios_symbols = optarg; break;
		case OPT_LOAD:
			if (bytes_parse_u64(optarg, 0, &o.load_addr) < 0) {
				char msg[160];

				snprintf(msg, sizeof msg, "--load wants an address, e.g. --load 0x%" PRIx64 ", not \"%%s\"",
					 board_default()->kernel_addr(0));
				return usage_error(msg, optarg);
			}
			o.load_addr_set = 1;
			break;
		case OPT_SYMBOLS: o.symbols = optarg; break;
		case OPT_BOARD:
			if (!(o.board = board_named(optarg)))
				return usage_error("--board wants virt or pc, not \"%s\"", optarg);
			break;
		case OPT_ATTACH: o.attach = optarg; break;
		case OPT_QEMU: o.qemu = optarg; break;
		case OPT_SMP:
			if (bytes_parse_u64(optarg, 10, &v) < 0 || v < 1 || v > 8)
				return usage_error("--smp wants a number of harts from 1 to 8, not \"%s\"", optarg);
			if (o.nqemu_args + 2 > MAX_QEMU_ARGS)
				return usage_error("too many --qemu-arg (at most %s)", "64");
			snprintf(smp, sizeof smp, "%u", (unsigned)v);
			qemu_args[o.nqemu_args++] = "-smp";
			qemu_args[o.nqemu_args++] = smp;
			o.qemu_args = qemu_args;
			smp_given = 1;
			break;
		case OPT_QEMU_ARG:
			if (o.nqemu_args == MAX_QEMU_ARGS)
				return usage_error("too many --qemu-arg (at most %s)", "64");
			qemu_args[o.nqemu_args++] = optarg;
			o.qemu_args = qemu_args;
			break;
		case OPT_GDB_PORT:
			if (gdb_opt && strcmp(gdb_opt, "--gdb-port"))
				return usage_error("%s: choose one", "--gdb-port or --gdb-socket");
			gdb_opt = "--gdb-port";
			if (!optarg) {
				gdb_port = user_port();
				break;
			}
			if (bytes_parse_u64(optarg, 0, &v) < 0 || v == 0 || v > 65535)
				return usage_error("--gdb-port wants a port number from 1 to 65535, not \"%s\"", optarg);
			gdb_port = (int)v;
			break;
		case OPT_LANG:
			if (strcmp(optarg, "en") != 0 && strcmp(optarg, "zh") != 0)
				return usage_error("--lang is en or zh, not \"%s\"", optarg);
			uo.lang = optarg;
			break;
		case OPT_LESSONS: uo.lessons = optarg; break;
		case OPT_NO_MOUSE: uo.no_mouse = 1; break;
		case OPT_GDB_SOCKET:
			if (gdb_opt && strcmp(gdb_opt, "--gdb-socket"))
				return usage_error("%s: choose one", "--gdb-port or --gdb-socket");
			gdb_opt = "--gdb-socket", gdb_socket = optarg;
			break;
		case 'h': usage(stdout); return finish_stdout("the help");
		case 'V': version = 1; break;	/* after the loop: --qemu and --bios may follow it */
		case ':': return usage_error("%s needs a value", argv[optind - 1]);
		default: {
			char shortopt[3] = { '-', (char)optopt, 0 };

			return usage_error("unknown option \"%s\"",
					   optopt > 0 && optopt < 256 ? shortopt : argv[optind - 1]);
		}
		}
	}
	if (version) {
		version_print(stdout, o.qemu ? o.qemu : board_default()->qemu, o.bios,
			      board_default()->firmware_symbols);
		return finish_stdout("the version");
	}
	if (argc - optind > 1)
		return usage_error("one kernel at a time; got also \"%s\"", argv[optind + 1]);
	if (ro.at_set && !batch)
		return usage_error("%s goes with --batch", "--at");
	if (gdb_opt && (batch || check || profile))
		return usage_error("%s is for the screen: gdb drives, the screen follows", gdb_opt);
	if (json && !batch && !check && !profile)
		return usage_error("%s goes with --batch, --check or --profile", "--json");
	if (batch + check + profile > 1)
		return usage_error("%s: choose one", "--batch, --check or --profile");
	if ((check || profile) && o.attach)
		return usage_error("%s starts its own QEMU: drop --attach", check ? "--check" : "--profile");
	/* They shape a QEMU that bootscope starts; the QEMU attached to is
	 * the user's, started with options of their own. */
	if (o.attach && (o.qemu || o.nqemu_args))
		return usage_error("%s is for a QEMU that bootscope starts: drop it with --attach, "
				   "or give it to your own QEMU", o.qemu ? "--qemu" : smp_given ? "--smp" : "--qemu-arg");
	if (optind < argc)
		o.kernel = argv[optind];
	else if (o.board == board_named("pc") && !o.attach) {
		/* The bundled PC kernel: its disk, and its ELF for symbols. */
		if (!(o.kernel = paths_find(PATHS_PC_DISK, kbuf, sizeof kbuf)))
			o.kernel = "build/x86_64/disk.img";
		if (!o.symbols)
			o.symbols = paths_find(PATHS_PC_ELF, sbuf, sizeof sbuf);
	} else if (!o.attach && !(o.kernel = paths_find(PATHS_KERNEL, kbuf, sizeof kbuf)))
		o.kernel = "build/kernel.elf";	/* not there: the message will say how to build it */
	/* The machine a kernel is for, when not told: an ELF says, and so
	 * does a boot sector's signature (board.h). */
	if (!o.board)
		o.board = board_for_file(o.kernel, o.symbols);
	if (!uo.lessons)
		uo.lessons = paths_find(PATHS_LESSONS, lbuf, sizeof lbuf);
	/* The boot's story but in the doctor's short runs and the profile
	 * (each event's stop makes QEMU throw its translated code away,
	 * which costs the profile ten times its run); instruction counts
	 * wherever the plugin is. */
	o.story = events && !check && !profile;
	if (!o.attach)
		o.plugin = paths_find(PATHS_PLUGIN, pbuf, sizeof pbuf);
	if (profile && !o.plugin) {
		fputs("bootscope: the counting plugin bootscope-count.so is neither beside bootscope nor in its lib/bootscope: build it with make\n",
		      stderr);
		return 1;
	}

	/* No SA_RESTART: a blocking call in the walk returns EINTR and the
	 * walk sees main_cancel. */
	sig_catch(on_signal, 0, NULL);
	signal(SIGPIPE, SIG_IGN);
	sig_crash_init();

	struct session s;
	int rc = 0;

	int report = batch || check || profile;

	if (report && main_stdout_closed)	/* not worth starting QEMU for */
		return finish_stdout("the report");
	/* The report in one write at the end, so that the error of a write
	 * that fails (ENOSPC) is still in errno when finish_stdout() asks;
	 * stdio's 4 KiB buffer would flush, fail and lose it midway. */
	static char report_buf[1 << 16];
	if (report)
		setvbuf(stdout, report_buf, _IOFBF, sizeof report_buf);
	if (check) {
		rc = run_check(&o, json, (int)(timeout_s * 1000)) | finish_stdout("the report");
		if (main_cancel)
			sig_reraise(main_cancel);
		return rc;
	}
	if (!report && ui_check_terminal() < 0) {
		fprintf(stderr, "bootscope: %s\n", err_msg());
		return 1;
	}
	/* Before QEMU starts: a port that is taken is said at once, with
	 * nothing started to clean up. */
	proxy_init(&proxy);
	if (gdb_opt) {
		if ((gdb_port ? proxy_listen_tcp(&proxy, gdb_port) : proxy_listen(&proxy, gdb_socket)) < 0) {
			fprintf(stderr, "bootscope: %s\n", err_msg());
			return 1;
		}
		uo.proxy = &proxy;
	}
	sig_crash_qemu(&s.qemu);
	if (session_start(&s, &o) < 0)
		rc = 1;
	else if (batch) {
		ro.json = json;
		ro.timeout_ms = (int)(timeout_s * 1000);
		rc = report_run(&s, &ro, stdout, &main_cancel) < 0;
	} else if (profile)
		rc = profile_report_run(&s, json, (int)(timeout_s * 1000), profile_out, stdout, &main_cancel) < 0;
	else
		rc = ui_run(&s, &uo, &main_cancel) < 0;
	if (rc)
		fprintf(stderr, "bootscope: %s\n", err_msg());
	session_end(&s);
	proxy_close(&proxy);
	sig_crash_qemu(NULL);	/* a leak report at exit comes after main's frame */
	if (!rc && main_cancel)
		rc = 1;
	if (report)
		rc |= finish_stdout("the report");
	if (main_cancel)
		sig_reraise(main_cancel);
	return rc;
}
