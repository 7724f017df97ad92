# ConvMatrix: `make demo` and `make test` work on a fresh Debian machine with Swift.
SWIFT ?= swift
APT_PACKAGES := libsuitesparse-dev
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: setup build demo test clean

# Installs the C libraries ConvMatrix links against, only when they are missing.
setup:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi

build: setup
	$(SWIFT) build

demo: build
	$(SWIFT) run --skip-build convmat demo

test: setup
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

clean:
	rm -rf .build

# LaTeX (pdflatex with amsmath, xcolor, geometry, TikZ) and rsvg-convert, for the rendering tests
# and `make gallery`. Without recommends these are 18 Debian packages, about 1 minute to install
# (85 packages and over 2 minutes with recommends); the tests skip with a message where they are missing.
DOC_APT_PACKAGES := texlive-latex-base texlive-latex-recommended texlive-pictures librsvg2-bin
.PHONY: setup-doc-tools gallery
test: setup-doc-tools
setup-doc-tools:
	@missing=""; for p in $(DOC_APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

# Regenerates the figures in docs/gallery (see docs/pictures.md); every SVG is checked with rsvg-convert.
gallery: build setup-doc-tools
	sh docs/gallery/generate.sh .build/debug/convmat
