/* version: what `bootscope --version` says -- its own version, and the
 * QEMU, OpenSBI and libopcodes this run would use, so a bug report (or a
 * teacher comparing two servers) names them all. */
#ifndef BOOTSCOPE_VERSION_H
#define BOOTSCOPE_VERSION_H

#include <stdio.h>

/* Two lines on out: "bootscope VERSION", then the QEMU binary qemu (run
 * with --version), the firmware bios ("default", "none" or a file; for
 * default, default_fw is QEMU's own firmware file) and the libopcodes
 * this process has loaded.  Whatever cannot be found is "not found" or
 * "version unknown"; a QEMU that does not answer in two seconds is
 * killed.  Never fails: the caller checks out with ferror(). */
void version_print(FILE *out, const char *qemu, const char *bios, const char *default_fw);

#endif
