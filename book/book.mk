# book.mk: weave the chapters into the HTML book (out/book/) and the PDF.
# Included by the top-level Makefile, which defines CHAPTERS, TOOLS and the
# rules for $(TOOLS)/nwpandoc and out/chNN/tangle.stamp. See book/README.md.
#
#   chapters/*.nw --book/weave--> out/book/md/NN-slug.md     (all at once,
#                                 rewritten only where they changed)
#   md --pandoc + book/run.lua + xref.lua + plumbing.lua--> out/book/json/NN-slug.json
#      (runs {.run} blocks, folds build plumbing)
#   json --pandoc + book/chunks.lua + template--> out/book/NN-slug.html
#   all json --pandoc + chunks.lua--> out/book/tex/book.tex --pdflatex--> out/book.pdf
#   out/chNN/plain, roots (and chNN-1's) --book/snapshot-pages-->
#                 out/book/snapshots/chNN/*.html (listings; the highlighted
#                 code of each file once, for all snapshots: snap/hl/),
#                 out/book/snapshots/chNN.tar.gz, out/book/snap/NN-slug.md (the end
#                 of chapter N's page: files, changes) --pandoc--> snap/NN-slug.frag
#   all md + md/model.tsv --pandoc + book/index.lua--> out/book/chunks.html, identifiers.html

BOOK        := out/book
BOOK_NAMES  := $(basename $(notdir $(CHAPTERS)))
BOOK_MD     := $(BOOK_NAMES:%=$(BOOK)/md/%.md)
BOOK_JSON   := $(BOOK_NAMES:%=$(BOOK)/json/%.json)
BOOK_HTML   := $(BOOK_NAMES:%=$(BOOK)/%.html)
BOOK_SNAP   := $(BOOK_NAMES:%=$(BOOK)/snap/%.stamp)
BOOK_INDEX  := $(BOOK)/chunks.html $(BOOK)/identifiers.html
BOOK_SEARCH := $(BOOK_NAMES:%=$(BOOK)/search/%.js)
BOOK_SOURCE := $(BOOK_NAMES:%=$(BOOK)/source/%.html) $(BOOK_NAMES:%=$(BOOK)/source/%.nw)
BOOK_SCRIPT := $(BOOK)/book.js $(BOOK)/lunr.min.js $(BOOK)/search-data.js $(BOOK)/search.html
LUNR        := /usr/share/javascript/lunr/lunr.min.js
# The instructor's book (the edition with tangle/solutions) folds each solution
# under its exercise and prints them in an appendix of the PDF; the student
# edition shows its chapters' starter code as it is.
BOOK_SOLUTIONS_LUA := $(if $(wildcard tangle/solutions),book/solutions.lua)
BOOK_SOLUTIONS := $(BOOK_SOLUTIONS_LUA:%=-L %)
BOOK_PAGE   := book/template.html $(BOOK_SOLUTIONS_LUA) book/chunks.lua book/book.yaml book/ld.xml
BOOK_SYNTAX := --syntax-definition=book/ld.xml
PANDOC      := pandoc --preserve-tabs
PDFLATEX    := pdflatex
# Where "Source of this chapter" links (book.yaml's repository, which this
# overrides when set: the publishing workflow sets it to the commit's files).
BOOK_REPOSITORY ?=
BOOK_REPO_FLAG := $(if $(BOOK_REPOSITORY),-M repository=$(BOOK_REPOSITORY))
# Reproducible PDF: fixed dates and document id.
PDF_ENV     := SOURCE_DATE_EPOCH=0 FORCE_SOURCE_DATE=1

# Screenshots the chapters show as ![...](NAME.png), out/chNN/NAME.png of
# their own directory (book/xref.lua writes ../chNN/NAME.png): real boots,
# made by the boot tests (tests/tests.mk). The site has its own copies in
# img/chNN/ (book/chunks.lua points the pages there), and of the PDF:
# out/book/ is complete on its own, for any static host.
BOOK_IMAGES := $(sort $(foreach c,$(CHAPTERS),$(shell grep -o '](\([A-Za-z0-9_-]*\)\.png)' $(c) | \
    sed 's|^](|out/ch$(call num,$(c))/|; s|)$$||')))
BOOK_SITE_IMAGES := $(BOOK_IMAGES:out/%=$(BOOK)/img/%)

.PHONY: book pdf
# The HTML book alone, what an author re-weaves after an edit; the PDF takes
# longer (pdflatex, several passes) and is a target of its own.
# Screenshots that no chapter shows any more leave the site, and so do the
# pages of chapters that no longer exist (renamed or renumbered), as they
# would be missing from a clean build. Then the listings' highlighting cache
# (book/snapshot-pages) loses what no snapshot uses, once they are all made.
book: $(BOOK)/index.html $(BOOK_HTML) $(BOOK_INDEX) $(BOOK)/book.css \
	$(BOOK_IMAGES) $(BOOK_SITE_IMAGES) $(BOOK_SCRIPT) $(BOOK_SOURCE)
	@[ ! -d $(BOOK)/img ] || { { printf '%s\n' $(BOOK_SITE_IMAGES); echo; find $(BOOK)/img -type f; } | \
	    awk 'NF == 0 { found = 1; next } !found { keep[$$0] = 1; next } !($$0 in keep)' | \
	    xargs -r rm -f; find $(BOOK)/img -mindepth 1 -type d -empty -delete; }
	@for f in $(BOOK)/[0-9][0-9]-*.html $(addprefix $(BOOK)/json/[0-9][0-9]-*.,json runs) \
	    $(addprefix $(BOOK)/source/[0-9][0-9]-*.,html nw) $(addprefix $(BOOK)/snap/[0-9][0-9]-*.,keys); do \
	    case " $(BOOK_NAMES) " in *" $$(basename $${f%.*}) "*) ;; *) rm -f "$$f" ;; esac; done
	@book/snapshot-pages -c $(BOOK)
pdf: out/book.pdf $(BOOK)/book.pdf

# All the Markdown from one pipeline; pages whose Markdown did not change keep
# their timestamps, and the empty recipe below makes make look at them again.
$(BOOK)/md.stamp: $(CHAPTERS) $(TOOLS)/nwmodel $(TOOLS)/nwpandoc book/weave book/xrefs
	@echo "weave   $(BOOK)/md"
	@NWMODEL=$(TOOLS)/nwmodel NWPANDOC=$(TOOLS)/nwpandoc book/weave $(BOOK)/md $(CHAPTERS)
	@touch $@
BOOK_CODE   := $(BOOK_NAMES:%=$(BOOK)/md/code/%.md)
$(BOOK_MD) $(BOOK)/md/index.md $(BOOK)/md/model.tsv $(BOOK_CODE) \
	$(BOOK_NAMES:%=$(BOOK)/md/sidebar/%.yaml): $(BOOK)/md.stamp ;

# Chapter NN's commands run in out/chNN/try (or src); they may use what the
# snapshot's build made (../kernel.elf), so the snapshot must be built.
# Their outputs are kept in json/NN-slug.runs: they run again only when the
# commands or the files they see changed (book/run.lua), not for prose.
#
# snap_plain,NAME: the plain stamps of snapshot NAME and of the one before
# it, whose plain/ files and roots book/snapshot-pages reads (it tangles
# nothing again: each snapshot is tangled once, by tangle/snapshot, which
# touches plain.stamp only when a file of plain/ or the roots changed).
snap_plain = $(foreach c,chapters/$(1).nw $(lastword $(filter-out chapters/$(1).nw,\
  $(call upto,chapters/$(1).nw))),out/ch$(call num,$(c))/plain.stamp)
define book_chapter
$(BOOK)/json/$(1).json: $(BOOK)/md/$(1).md book/run.lua book/plumbing.lua book/xref.lua out/ch$(2)/build.stamp
	@mkdir -p $$(@D)
	@echo "run     $$@"
	@$(PANDOC) -f markdown -t json -L book/run.lua -L book/xref.lua -L book/plumbing.lua -M chapterdir=out/ch$(2) \
	    -M runcache=$$(@:.json=.runs) -o $$@.tmp $$<
	@mv $$@.tmp $$@

# Snapshot NN for the reader (book/snapshot-pages): listing pages, tarball and
# the end of the chapter's page, from out/chNN/plain (and NN-1's, to compare).
# Its outputs change only when their text does; the stamp records the run.
$(BOOK)/snap/$(1).stamp: $(call snap_plain,$(1)) book/snapshot-pages book/listings.lua \
		$(BOOK)/md/sidebar/$(1).yaml $(BOOK_PAGE) | $(DEPS)
	@echo "snap    $(BOOK)/snapshots/ch$(2)"
	@book/snapshot-pages $(BOOK) $(call upto,chapters/$(1).nw)
	@touch $$@
$(BOOK)/snap/$(1).md: $(BOOK)/snap/$(1).stamp ;
endef
$(foreach n,$(BOOK_NAMES),$(eval $(call book_chapter,$(n),$(call num,$(n)))))

# The end of a chapter's page, as an HTML fragment (kept: not intermediate).
.SECONDARY: $(BOOK_NAMES:%=$(BOOK)/snap/%.frag)
$(BOOK)/snap/%.frag: $(BOOK)/snap/%.md book/chunks.lua book/ld.xml
	@$(PANDOC) -f markdown $< -L book/chunks.lua $(BOOK_SYNTAX) -t html -o $@.tmp
	@mv $@.tmp $@

# One page per chapter, numbered from its chapter number.
$(BOOK)/%.html: $(BOOK)/json/%.json $(BOOK)/snap/%.frag $(BOOK_PAGE) book/book.mk
	@echo "page    $@"
	@n=$$(expr "$*" : '\([0-9]*\)'); \
	$(PANDOC) -f json $< $(BOOK_SOLUTIONS) -L book/chunks.lua $(BOOK_SYNTAX) --template book/template.html \
	    --metadata-file book/book.yaml --toc --toc-depth=2 \
	    --include-after-body=$(BOOK)/snap/$*.frag \
	    -M source=chapters/$*.nw -M sourcepage=source/$*.html $(BOOK_REPO_FLAG) \
	    --number-sections --number-offset=$$(expr "$$n" - 1) -t html -o $@.tmp
	@mv $@.tmp $@

# The chunk index and the identifier index, from all chapters' code blocks
# (md/code/, book/weave).
$(BOOK_INDEX): $(BOOK_CODE) $(BOOK)/md/model.tsv book/index.lua $(BOOK_PAGE)
	@echo "page    $@"
	@$(PANDOC) -f markdown $(BOOK_CODE) -L book/index.lua -M index=$(basename $(@F)) \
	    -M model=$(BOOK)/md/model.tsv \
	    --template book/template.html --metadata-file book/book.yaml -t html -o $@.tmp
	@mv $@.tmp $@

$(BOOK)/index.html: book/preface.md $(BOOK)/md/index.md $(BOOK_PAGE)
	@echo "page    $@"
	@$(PANDOC) -f markdown book/preface.md $(BOOK)/md/index.md -L book/chunks.lua \
	    --template book/template.html --metadata-file book/book.yaml -t html -o $@.tmp
	@mv $@.tmp $@

$(BOOK)/book.css: book/book.css
	@mkdir -p $(@D)
	@cp $< $@

# Search (book/book.js on search.html): each chapter's sections, text and
# code, as a script of its own (book/search.lua), all in search-data.js.
$(BOOK)/search/%.js: $(BOOK)/json/%.json book/search.lua
	@mkdir -p $(@D)
	@$(PANDOC) -f json $< -L book/search.lua -M page=$*.html -M searchout=$@.tmp \
	    -t plain -o /dev/null
	@mv $@.tmp $@

$(BOOK)/search-data.js: $(BOOK_SEARCH)
	@echo "page    $@"
	@{ echo 'var SEARCH_DOCS = [];'; cat $^; } > $@.tmp && mv $@.tmp $@

# The sidebar's list of chapters for pages that are no chapter's: the
# "chapters" field of the contents page's metadata (book/nwpandoc).
$(BOOK)/md/chapters.yaml: $(BOOK)/md/index.md
	@awk '/^chapters:/ { p = 1 } p && /^---$$/ { exit } p' $< > $@.tmp
	@mv $@.tmp $@

$(BOOK)/search.html: book/search.md $(BOOK)/md/chapters.yaml $(BOOK_PAGE)
	@echo "page    $@"
	@$(PANDOC) -f markdown $< --template book/template.html --metadata-file book/book.yaml \
	    --metadata-file $(BOOK)/md/chapters.yaml -t html -o $@.tmp
	@mv $@.tmp $@

$(BOOK)/book.js: book/book.js
	@cp $< $@

$(BOOK)/lunr.min.js: $(LUNR)
	@cp $< $@

# Each chapter's source as the site has it: the file, and a page showing it.
$(BOOK)/source/%.nw: chapters/%.nw
	@mkdir -p $(@D)
	@cp $< $@

$(BOOK)/source/%.html: chapters/%.nw $(BOOK)/md/chapters.yaml $(BOOK_PAGE)
	@mkdir -p $(@D)
	@{ printf '# chapters/%s.nw {.unnumbered}\n\n' $*; \
	   printf 'Download: [%s.nw](%s.nw). ' $* $*; \
	   printf 'The chapter as the book shows it: [%s](../%s.html).\n\n' $* $*; \
	   echo '~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~ {.noweb}'; cat $<; \
	   echo '~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~'; } | \
	$(PANDOC) -f markdown --template book/template.html --metadata-file book/book.yaml \
	    --metadata-file $(BOOK)/md/chapters.yaml -M pagetitle=chapters/$*.nw -M root=../ \
	    -t html -o $@.tmp
	@mv $@.tmp $@

$(BOOK)/img/%.png: out/%.png
	@mkdir -p $(@D)
	@cp $< $@.tmp && mv $@.tmp $@

$(BOOK)/book.pdf: out/book.pdf
	@cp $< $@.tmp && mv $@.tmp $@

# What the PDF is made of, chapter by chapter from the last: each chapter's
# woven page and its screenshots. Make starts them in about this order, and
# the last chapters' take longest (their kernels boot the longest). When
# make makes everything (the top-level Makefile's MAKING_ALL), the listing
# and source pages wait for them, so that the PDF, the longest job, starts
# as soon as it can and they run beside it.
# (reverse,LIST: LIST, last word first.)
reverse = $(if $(1),$(call reverse,$(wordlist 2,$(words $(1)),$(1))) $(firstword $(1)))
PDF_INPUTS := $(foreach n,$(call reverse,$(BOOK_NAMES)),\
    $(BOOK)/json/$(n).json $(filter out/ch$(call num,$(n))/%,$(BOOK_IMAGES)))
ifneq ($(MAKING_ALL),)
$(BOOK_SNAP) $(filter %.html,$(BOOK_SOURCE)): | $(PDF_INPUTS)
endif

# The PDF: all chapters in one LaTeX document, typeset in out/book/ so that
# images written ../chNN/screen.png are found; run until references settle,
# from no earlier run's references (book.aux, .toc), as a clean build does:
# those of an earlier text can settle on other page numbers.
# The preface opens the PDF as an unnumbered chapter (its table of contents
# is the PDF's own).
$(BOOK)/json/preface.json: book/preface.md
	@mkdir -p $(@D)
	@$(PANDOC) -f markdown -t json -o $@.tmp $<
	@mv $@.tmp $@

out/book.pdf: $(BOOK)/json/preface.json $(PDF_INPUTS) book/header.tex $(BOOK_SOLUTIONS_LUA) book/chunks.lua book/book.yaml book/ld.xml
	@echo "pdf     $@"
	@mkdir -p $(BOOK)/tex
	@$(PANDOC) -f json $(BOOK)/json/preface.json $(BOOK_JSON) $(BOOK_SOLUTIONS) -L book/chunks.lua $(BOOK_SYNTAX) -M imagedir=$(BOOK) \
	    --metadata-file book/book.yaml -H book/header.tex -s -t latex \
	    --toc --number-sections --top-level-division=chapter -o $(BOOK)/book.tex
	@rm -f $(BOOK)/tex/book.aux $(BOOK)/tex/book.toc $(BOOK)/tex/book.out
	@cd $(BOOK) && for i in 1 2 3; do \
	    $(PDF_ENV) $(PDFLATEX) -interaction=nonstopmode -halt-on-error \
	        -output-directory=tex book.tex > tex/pdflatex.out 2>&1 \
	    || { tail -40 tex/pdflatex.out; echo "pdflatex failed: see $(BOOK)/tex/book.log" >&2; exit 1; }; \
	    grep -q 'Rerun to get\|There were undefined references' tex/book.log || break; \
	done
	@mv $(BOOK)/tex/book.pdf $@
