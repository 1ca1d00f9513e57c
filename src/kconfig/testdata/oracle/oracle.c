/* lkc oracle for kmeta front-end tests: parses a Kconfig tree with the
 * kernel's own conf_parse() and prints the finalized model in the format of
 * kmeta's dump_model() (printer.h), so both can be diffed. Build with build.sh.
 * This is kmeta code linked against the kernel's objects; nothing of lkc is
 * copied here. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lkc.h"
#ifdef V612
#include "internal.h"
#define FNAME(x) ((x)->filename)
#define P_SYMBOL 999
#else
#define FNAME(x) ((x)->file->name)
#endif

static void esc(const char *s) {
	for (; *s; s++) {
		if (*s == '\n') fputs("\\n", stdout);
		else if (*s == '\t') fputs("\\t", stdout);
		else if (*s == '\\') fputs("\\\\", stdout);
		else putchar(*s);
	}
}
static const char *nm(struct symbol *s) { return s->name ? s->name : "<choice>"; }
static void pfn(void *d, struct symbol *s, const char *str) { fputs(str, stdout); }
static void pe(struct expr *e) { expr_print(e, pfn, NULL, E_NONE); }
static void ind(int d) { for (int i = 0; i < d * 2; i++) putchar(' '); }
static void prop_line(struct property *p, int d) {
	ind(d); printf("  prop %s", prop_get_type_name(p->type));
	if (p->type == P_PROMPT || p->type == P_MENU || p->type == P_COMMENT) { printf(" \""); esc(p->text); printf("\""); }
	if (p->type == P_RANGE) { printf(" "); pe(p->expr); }
	else if (p->expr && p->type != P_SYMBOL) { printf(" "); pe(p->expr); }
	printf(" @%s:%d cond: ", FNAME(p), p->lineno);
	pe(p->visible.expr);
	printf("\n");
}
static void dump(struct menu *m, int d) {
	ind(d); printf("node");
	if (m->sym) printf(" sym %s", nm(m->sym));
	if (m->prompt) { printf(" %s \"", prop_get_type_name(m->prompt->type)); esc(m->prompt->text); printf("\""); }
	if (m == &rootmenu) printf(" @root\n"); else printf(" @%s:%d\n", FNAME(m), m->lineno);
	if (m->dep) { ind(d); printf("  dep: "); pe(m->dep); printf("\n"); }
	if (m->visibility) { ind(d); printf("  visibility: "); pe(m->visibility); printf("\n"); }
	if (m->help) { ind(d); printf("  help: \""); esc(m->help); printf("\"\n"); }
	if (m != &rootmenu) {
		if (m->sym) {
			for (struct property *p = m->sym->prop; p; p = p->next)
				if (p->menu == m
#ifndef V612
				    && p->type != P_CHOICE
#endif
				)
					prop_line(p, d);
		} else if (m->prompt) prop_line(m->prompt, d);
	}
	for (struct menu *c = m->list; c; c = c->next) dump(c, d + 1);
}
int main(int argc, char **argv) {
	struct symbol *sym;
	conf_parse(argv[1]);
	fflush(stderr);
	printf("mainmenu \""); esc(menu_get_prompt(&rootmenu)); printf("\"\n");
	printf("modules %s\n", modules_sym ? nm(modules_sym) : "-");
	dump(&rootmenu, 0);
#ifdef V612
	for_all_symbols(sym) {
#else
	int i;
	for_all_symbols(i, sym) {
#endif
		printf("sym %s type=%s", nm(sym), sym_type_name(sym->type));
		if (sym->flags & SYMBOL_CONST) printf(" const");
		if (sym_is_choice(sym)) printf(" choice");
		if (sym_is_choice_value(sym)) printf(" choiceval");
		printf("\n");
		if (sym->dir_dep.expr) { printf("  dir_dep: "); pe(sym->dir_dep.expr); printf("\n"); }
		if (sym->rev_dep.expr) { printf("  rev_dep: "); pe(sym->rev_dep.expr); printf("\n"); }
		if (sym->implied.expr) { printf("  implied: "); pe(sym->implied.expr); printf("\n"); }
	}
	return 0;
}
