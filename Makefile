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

.PHONY: notebooks
# Rewrites the output blocks of the lessons in notebooks-text/ after a deliberate change (see docs/lessons.md).
notebooks: setup
	$(SWIFT) build --build-tests
	CONVMAT_UPDATE_NOTEBOOKS=1 $(SWIFT) test --skip-build --filter NotebookTests
