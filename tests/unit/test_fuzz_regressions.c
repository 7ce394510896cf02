/* test_fuzz_regressions: every input the fuzzers ever crashed on, again.
 *
 * Each file in tests/fuzz/regressions/TARGET/ goes through the fuzz
 * target's own function (tests/fuzz/fuzz_TARGET.c, built without its
 * libFuzzer entry point), so `make test` runs each past finding on the
 * normal build and under ASan + UBSan (build/san).  The seed corpora in
 * tests/fuzz/corpus/TARGET/ are replayed the same way, one check per
 * target: they are real gdbstub replies, target descriptions and kernels.
 * A crash here is a crash of this program, which tests/run reports; the
 * "# replaying" line before it names the input.
 */
#include <dirent.h>
#include <stdlib.h>

#include "check.h"
#include "slurp.h"
#include "fuzz/targets.h"

static const struct {
	const char *name;
	const char *(*run)(const uint8_t *, size_t);
} targets[] = {
	{ "rsp", fuzz_rsp },
	{ "stop", fuzz_stop },
	{ "tdesc", fuzz_tdesc },
	{ "image", fuzz_image },
};

static int not_hidden(const struct dirent *e)
{
	return e->d_name[0] != '.';
}

/* Replays every file in dir through run.  With one_check, reports one
 * line for the whole directory, else one per file.  Returns how many
 * files there were (-1 if dir cannot be read). */
static int replay_dir(const char *dir, const char *label,
		      const char *(*run)(const uint8_t *, size_t), int one_check)
{
	struct dirent **names;
	char path[4096], what[512], why[512];
	int n, i, bad = 0;

	n = scandir(dir, &names, not_hidden, alphasort);
	if (n < 0)
		return -1;
	why[0] = '\0';
	for (i = 0; i < n; i++) {
		const char *broken;
		uint8_t *data;
		size_t len;

		snprintf(path, sizeof path, "%s/%s", dir, names[i]->d_name);
		printf("# replaying %s\n", path);
		fflush(stdout);
		data = slurp(path, &len);
		broken = data ? run(data, len) : "cannot read the file";
		free(data);
		if (broken && !bad++)
			snprintf(why, sizeof why, "%s: %s", names[i]->d_name, broken);
		if (!one_check) {
			snprintf(what, sizeof what, "%s/%s", label, names[i]->d_name);
			check_report(!broken, __FILE__, __LINE__, what, broken ? broken : "");
		}
		free(names[i]);
	}
	free(names);
	if (one_check) {
		snprintf(what, sizeof what, "%s: %d inputs", label, n);
		check_report(n > 0 && !bad, __FILE__, __LINE__, what, n ? why : "no inputs");
	}
	return n;
}

int main(void)
{
	const char *top = getenv("TOP");
	char dir[2048], label[64];
	size_t t;

	if (!top || !*top)
		top = ".";
	for (t = 0; t < sizeof targets / sizeof targets[0]; t++) {
		/* A target that never crashed has no regressions directory. */
		snprintf(dir, sizeof dir, "%s/tests/fuzz/regressions/%s", top, targets[t].name);
		snprintf(label, sizeof label, "fuzz regression %s", targets[t].name);
		replay_dir(dir, label, targets[t].run, 0);
		snprintf(dir, sizeof dir, "%s/tests/fuzz/corpus/%s", top, targets[t].name);
		snprintf(label, sizeof label, "fuzz corpus %s", targets[t].name);
		if (replay_dir(dir, label, targets[t].run, 1) < 0)
			check_report(0, __FILE__, __LINE__, label, "cannot read its directory (is TOP the top of the tree?)");
	}
	return check_done();
}
