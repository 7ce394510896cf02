/* profile_load: the counting plugin's file, read strictly.  Its by-hart
 * lines (harts=on) must add up like the rest, or the file is refused. */
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "err.h"
#include "profile.h"

static char path[64];

/* Load text as a plugin file: profile_load's result. */
static int load(struct profile *p, const char *text)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -2;
	fputs(text, f);
	fclose(f);
	return profile_load(p, path);
}

#define HEAD "bootscope-count 1\ntotal 10\ninsn 0x1000 4\ninsn 0x1004 6\n"

int main(void)
{
	struct profile p;
	int fd;

	snprintf(path, sizeof path, "/tmp/test_profile.XXXXXX");
	if ((fd = mkstemp(path)) < 0)
		return 1;
	close(fd);

	CHECK(load(&p, HEAD) == 0);
	CHECK_EQ_U64(p.nharts, 0);
	profile_free(&p);

	CHECK(load(&p, HEAD "hart 0 7\nhinsn 0 0x1000 3\nhinsn 0 0x1004 4\nhart 2 3\nhinsn 2 0x1000 1\n"
			   "hinsn 2 0x1004 2\n") == 0);
	CHECK_EQ_U64(p.nharts, 3);
	CHECK_EQ_U64(p.hart_total[0], 7);
	CHECK_EQ_U64(p.hart_total[1], 0);
	CHECK_EQ_U64(p.hart_total[2], 3);
	CHECK_EQ_U64(p.nh, 4);
	CHECK(p.nh == 4 && p.hinsns[3].hart == 2 && p.hinsns[3].addr == 0x1004 && p.hinsns[3].count == 2);
	profile_free(&p);

	CHECK(load(&p, HEAD "hart 0 7\nhinsn 0 0x1000 3\nhinsn 0 0x1004 3\n") < 0);
	CHECK(strstr(err_msg(), "a hart's counts do not add up to its total") != NULL);
	CHECK(load(&p, HEAD "hinsn 0 0x1000 3\n") < 0);
	CHECK(strstr(err_msg(), "a hart's counts out of order") != NULL);
	CHECK(load(&p, HEAD "hart 0 7\nhinsn 0 0x1004 3\nhinsn 0 0x1000 4\n") < 0);
	CHECK(strstr(err_msg(), "a hart's counts out of order") != NULL);
	CHECK(load(&p, HEAD "hart 1 7\nhart 0 3\n") < 0);
	CHECK(strstr(err_msg(), "wants a new hart's number") != NULL);
	CHECK(load(&p, HEAD "hart 8 7\n") < 0);
	CHECK(strstr(err_msg(), "a hart's number wanted") != NULL);
	CHECK(load(&p, HEAD "hart 0 7\nhinsn 0 0x1000\n") < 0);
	CHECK(strstr(err_msg(), "\"hinsn\" wants a hart, an address and a count") != NULL);
	CHECK(p.insns == NULL && p.hinsns == NULL);	/* nothing kept from a refused file */

	unlink(path);
	return check_done();
}
