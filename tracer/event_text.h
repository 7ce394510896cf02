/* event_text: the boot's story events (traps, returns, firmware calls,
 * system register writes, waits) in words, one line each, for the status
 * line, the events pane and the text report alike.  Addresses are named
 * by the stage model's symbols. */
#ifndef BOOTSCOPE_EVENT_TEXT_H
#define BOOTSCOPE_EVENT_TEXT_H

#include <stddef.h>

#include "event.h"
#include "stage.h"

/* The event in words into buf: 1, or 0 if it is not one of the story's
 * kinds (the caller phrases those itself). */
int event_text(const struct event *e, const struct stage_model *m, const struct arch *a, char *buf,
	       size_t cap);

/* "0x80200000 <_start>", or the bare address where no symbol names it. */
void event_text_addr(const struct stage_model *m, uint64_t addr, char *buf, size_t cap);

#endif
