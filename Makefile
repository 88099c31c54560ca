# Two commands do all set-up on a fresh machine (see README):
#   make assess   installs alliance and runs the main job
#   make test     installs alliance with its test tools (and Debian's Chromium) and runs every test
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: assess test install browser bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

assess: $(STAMP)
	$(BIN)/alliance assess

# Debian's Chromium for the real-browser tests (Playwright cannot download a browser here).
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium; \
	fi

test: $(STAMP) browser
	$(BIN)/python -m pytest -n 2 --dist loadfile

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_startup.py
	$(BIN)/python benchmarks/bench_planning.py
	$(BIN)/python benchmarks/bench_deterrence.py

clean:
	rm -rf $(VENV) alliance-out .pytest_cache test-artifacts
