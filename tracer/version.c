/* version: the versions of what bootscope runs with.
 *
 * QEMU says its own (`qemu-system-riscv64 --version`, first line).
 * OpenSBI's banner prints its version with %d.%d, so a Debian build
 * holds no version string; only one built from git does ("OpenSBI
 * v1.3-12-g..."), and then that string is used.  Otherwise the firmware
 * file's Debian package says it (dpkg-query -S, then -W): opensbi 1.1-2
 * for fw_jump.bin, and for QEMU's default firmware qemu-system-data,
 * which is what is said then, as the OpenSBI in it is the one QEMU
 * bundles.  libopcodes is named by its file, libopcodes-2.40-multiarch.so,
 * as loaded into this process: bfd's version macro would be the one
 * compiled against, not the one run.
 */
#include "version.h"

#include <fcntl.h>
#include <link.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "clock.h"

#ifndef BOOTSCOPE_VERSION
#define BOOTSCOPE_VERSION "unknown"
#endif

#define VERSION_WAIT_MS 2000

/* The first line argv prints on stdout, in buf; 0, or -1 if it could not
 * be run, printed nothing, or took longer than VERSION_WAIT_MS. */
static int version_first_line(char *const argv[], char *buf, size_t cap)
{
	int fds[2];
	size_t n = 0;
	pid_t pid;

	if (pipe2(fds, O_CLOEXEC) < 0)
		return -1;
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);

		setpgid(0, 0);	/* a script's children go with it when killed */
		dup2(fds[1], STDOUT_FILENO);
		if (null >= 0) {
			dup2(null, STDIN_FILENO);
			dup2(null, STDERR_FILENO);
		}
		execvp(argv[0], argv);
		_exit(127);
	}
	close(fds[1]);
	long long end = clock_ms() + VERSION_WAIT_MS;
	for (;;) {
		struct pollfd p = { .fd = fds[0], .events = POLLIN };
		long long left = end - clock_ms();
		ssize_t k;

		if (left <= 0 || poll(&p, 1, (int)left) <= 0)
			break;
		k = read(fds[0], buf + n, cap - 1 - n);
		if (k <= 0)
			break;
		n += (size_t)k;
		buf[n] = '\0';
		if (strchr(buf, '\n') || n == cap - 1)
			break;
	}
	close(fds[0]);
	kill(-pid, SIGKILL);	/* done with it, or it hangs: either way */
	kill(pid, SIGKILL);	/* before its setpgid() */
	waitpid(pid, NULL, 0);
	buf[n] = '\0';
	buf[strcspn(buf, "\r\n")] = '\0';
	return buf[0] ? 0 : -1;
}

static void version_qemu(FILE *out, const char *qemu)
{
	static const char prefix[] = "QEMU emulator version ";
	char line[256];
	char *argv[] = { (char *)qemu, "--version", NULL };

	if (version_first_line(argv, line, sizeof line) < 0) {
		fprintf(out, "QEMU not found (%s did not say its version)", qemu);
		return;
	}
	fprintf(out, "QEMU %s", strncmp(line, prefix, sizeof prefix - 1) ? line : line + sizeof prefix - 1);
}

/* "OpenSBI v1.3..." in the file, as a git build has it; 0 if found. */
static int version_opensbi_string(const char *path, char *buf, size_t cap)
{
	static const char tag[] = "OpenSBI v";
	static char data[1 << 20];	/* OpenSBI images are some 100 KiB */
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f)
		return -1;
	n = fread(data, 1, sizeof data, f);
	fclose(f);
	for (size_t i = 0; i + sizeof tag < n; i++) {
		if (memcmp(data + i, tag, sizeof tag - 1) || data[i + sizeof tag - 1] < '0' ||
		    data[i + sizeof tag - 1] > '9')
			continue;
		size_t k = 0;
		const char *v = data + i + sizeof tag - 1;

		while (k + 1 < cap && i + sizeof tag - 1 + k < n && v[k] > ' ' && v[k] < 0x7f) {
			buf[k] = v[k];
			k++;
		}
		buf[k] = '\0';
		return 0;
	}
	return -1;
}

/* The Debian package that holds path, and its version; 0 if dpkg knows. */
static int version_package(const char *path, char *pkg, size_t pcap, char *ver, size_t vcap)
{
	char real[4096], line[512];
	char *q[] = { "dpkg-query", "-S", real, NULL };
	char *w[] = { "dpkg-query", "-W", "-f=${Version}\n", pkg, NULL };

	if (!realpath(path, real))
		return -1;
	/* "opensbi: /usr/lib/..." -- or "a, b: path" when two share it */
	if (version_first_line(q, line, sizeof line) < 0)
		return -1;
	size_t n = strcspn(line, ":, ");

	if (n == 0 || n >= pcap)
		return -1;
	memcpy(pkg, line, n);
	pkg[n] = '\0';
	return version_first_line(w, ver, vcap) == 0 ? 0 : -1;
}

static void version_opensbi(FILE *out, const char *bios, const char *default_fw)
{
	const char *path = strcmp(bios, "default") == 0 ? default_fw : bios;
	char v[128], pkg[128];

	if (strcmp(bios, "none") == 0) {
		fputs("no firmware (--bios none)", out);
		return;
	}
	if (!path || access(path, R_OK) != 0) {
		fprintf(out, "firmware not found (%s)", path ? path : bios);
		return;
	}
	if (version_opensbi_string(path, v, sizeof v) == 0)
		fprintf(out, "OpenSBI v%s", v);
	else if (version_package(path, pkg, sizeof pkg, v, sizeof v) < 0)
		fprintf(out, "firmware %s (version unknown)", path);
	else if (strcmp(pkg, "opensbi") == 0)
		fprintf(out, "OpenSBI %s", v);
	else
		fprintf(out, "OpenSBI of %s %s", pkg, v);
}

static int version_find_opcodes(struct dl_phdr_info *info, size_t size, void *ctx)
{
	const char *name = info->dlpi_name, *base;

	(void)size;
	if (!name || !(base = strrchr(name, '/')) || strncmp(base + 1, "libopcodes", 10))
		return 0;
	*(const char **)ctx = base + 1;
	return 1;
}

static void version_opcodes(FILE *out)
{
	const char *lib = NULL;

	dl_iterate_phdr(version_find_opcodes, &lib);
	if (!lib) {
		fputs("libopcodes not found", out);
		return;
	}
	/* libopcodes-2.40-multiarch.so: the version is between - and .so */
	size_t len = strlen(lib);
	if (strncmp(lib, "libopcodes-", 11) == 0 && len > 14 && strcmp(lib + len - 3, ".so") == 0)
		fprintf(out, "libopcodes %.*s", (int)(len - 14), lib + 11);
	else
		fprintf(out, "libopcodes (%s)", lib);
}

void version_print(FILE *out, const char *qemu, const char *bios, const char *default_fw)
{
	fprintf(out, "bootscope %s\n", BOOTSCOPE_VERSION);
	fputs("with ", out);
	version_qemu(out, qemu);
	fputs(", ", out);
	version_opensbi(out, bios, default_fw);
	fputs(", ", out);
	version_opcodes(out);
	fputc('\n', out);
}
