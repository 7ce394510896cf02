/* fuzz_image: a kernel file, as image_open_mem() reads it.
 *
 * The input is the whole file.  A file that is refused must say why and
 * leave nothing open.  One that is accepted is asked every question the
 * tracer asks, at the addresses it would ask about: the entry, the ends
 * of the loaded range, of each section and of each symbol, and one more
 * address taken from the input's last bytes.  Answers must be consistent
 * with the tables the image holds, and image_read() must return the
 * file's own bytes.
 */
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "image.h"
#include "targets.h"

#define MAX_ADDRS	512
#define MAX_EACH	64		/* sections, symbols and segments looked at */
#define MAX_READ	65536

static volatile size_t name_len;

struct addrs {
	uint64_t a[MAX_ADDRS];
	size_t n;
};

static void add(struct addrs *as, uint64_t a)
{
	if (as->n < MAX_ADDRS)
		as->a[as->n++] = a;
}

/* What image_read() must give for the byte at physical address a: 0 or 1
 * if a segment holds it (*b set), -1 if none does. */
static int expected_byte(const struct image *img, const uint8_t *data, uint64_t a, uint8_t *b)
{
	size_t i;

	for (i = 0; i < img->nsegments; i++) {
		const struct image_segment *s = &img->segments[i];
		uint64_t off = a - s->paddr;

		if (off < s->memsz) {
			*b = off < s->filesz ? data[s->offset + off] : 0;
			return 0;
		}
	}
	return -1;
}

static const char *check_read(const struct image *img, const uint8_t *data, uint64_t a, size_t len)
{
	uint8_t *buf = malloc(len), b;
	const char *why = NULL;
	int got;

	if (!buf)
		return NULL;
	got = image_read(img, a, buf, len);
	if (got == 0 && (expected_byte(img, data, a, &b) < 0 || buf[0] != b ||
			 expected_byte(img, data, a + len - 1, &b) < 0 || buf[len - 1] != b))
		why = "image_read gave bytes that are not the file's";
	else if (got < 0 && !err_msg()[0])
		why = "image_read failed without a message";
	else if (got < 0 && expected_byte(img, data, a, &b) == 0 && len == 1)
		why = "image_read refused a byte that a segment holds";
	free(buf);
	return why;
}

static const char *check_addr(const struct image *img, const uint8_t *data, uint64_t a)
{
	static const size_t lens[] = { 1, 4, 16, 4096 };
	const struct image_section *sec = image_section_at(img, a);
	const struct image_symbol *sym = image_symbol_at(img, a);
	const char *file = NULL, *why;
	int line = -1;
	size_t i;

	if (sec && (sec < img->sections || sec >= img->sections + img->nsections || a - sec->addr >= sec->size))
		return "image_section_at gave a section that does not hold the address";
	if (sym && (sym < img->symbols || sym >= img->symbols + img->nsymbols || sym->addr > a))
		return "image_symbol_at gave a symbol above the address";
	if (image_line_at(img, a, &file, &line) == 0) {
		if (!file)
			return "image_line_at gave no file name";
		name_len = strlen(file);	/* for ASan to see the whole name */
	}
	for (i = 0; i < sizeof lens / sizeof lens[0]; i++)
		if ((why = check_read(img, data, a, lens[i])) != NULL)
			return why;
	return NULL;
}

static const char *check_names(const struct image *img)
{
	const char *out[8];
	size_t i, k, n;

	for (i = 0; i < img->nsymbols && i < MAX_EACH; i++) {
		const struct image_symbol *s = &img->symbols[i], *f;

		if (!s->name || !s->name[0])
			return "a symbol has no name";
		if (i > 0 && s->addr < img->symbols[i - 1].addr)
			return "the symbols are not sorted by address";
		f = image_symbol_named(img, s->name);
		if (!f || strcmp(f->name, s->name) != 0)
			return "image_symbol_named does not find a symbol's own name";
		n = image_complete(img, s->name, out, 8);
		if (n < 1 || n > 8 || strcmp(out[0], s->name) != 0)
			return "image_complete does not complete a symbol's own name first";
	}
	n = image_complete(img, "", out, 8);
	if (n > 8 || n > img->nsymbols)
		return "image_complete gave more names than it may";
	for (k = 1; k < n; k++)
		if (strcmp(out[k - 1], out[k]) >= 0)
			return "image_complete's names are not distinct and in order";
	return NULL;
}

const char *fuzz_image(const uint8_t *data, size_t size)
{
	struct image *img = (struct image *)&img;
	struct addrs *as;
	const char *why;
	size_t i;

	err_clear();
	if (image_open_mem(&img, "fuzz.elf", data, size) < 0)
		return img ? "image_open_mem failed but gave an image" :
		       !err_msg()[0] ? "image_open_mem failed without a message" : NULL;
	if (!img)
		return "image_open_mem succeeded without an image";
	as = calloc(1, sizeof *as);
	if (!as) {
		image_close(img);
		return NULL;
	}
	why = !img->is_elf || img->nsegments == 0 || img->lo > img->hi ?
	      "an open ELF image has no segments or an empty range" : NULL;
	add(as, img->entry);
	add(as, img->lo);
	add(as, img->hi - 1);
	add(as, img->hi);
	add(as, 0);
	add(as, UINT64_MAX);
	if (size >= 8) {
		uint64_t v;

		memcpy(&v, data + size - 8, 8);
		add(as, v);
	}
	for (i = 0; i < img->nsections && i < MAX_EACH; i++) {
		const struct image_section *s = &img->sections[i];

		if (!s->name || (i > 0 && s->addr < img->sections[i - 1].addr))
			why = why ? why : "the sections are unnamed or not sorted";
		add(as, s->addr);
		add(as, s->addr + s->size - 1);
		add(as, s->addr + s->size);
	}
	for (i = 0; i < img->nsymbols && i < MAX_EACH; i++) {
		add(as, img->symbols[i].addr);
		add(as, img->symbols[i].addr + img->symbols[i].size);
	}
	for (i = 0; !why && i < as->n; i++)
		why = check_addr(img, data, as->a[i]);
	if (!why)
		why = check_names(img);
	/* Whole segments, as the disassembly view reads them. */
	for (i = 0; !why && i < img->nsegments && i < MAX_EACH; i++) {
		const struct image_segment *s = &img->segments[i];

		why = check_read(img, data, s->paddr, s->memsz < MAX_READ ? s->memsz : MAX_READ);
	}
	free(as);
	image_close(img);
	return why;
}

#ifndef FUZZ_REPLAY
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_entry(fuzz_image, data, size);
}
#endif
