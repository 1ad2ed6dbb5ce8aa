# Two entry points, each installing what it needs first: `make demo` (web demo) and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	# torch first and pinned, so nothing lets pip pick a multi-GB CUDA build.
	$(PY) -m pip install -q torch==2.13.0
	$(PY) -m pip install -q -e ".[all]"
	touch $@

# The browser test drives Debian's Chromium (a browser download by Playwright is not possible offline).
# Installing it needs root; without root the browser test alone is skipped, saying why (never in CI).
/usr/bin/chromium:
	@if [ "$$(id -u)" = 0 ]; then apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; \
	else echo "note: not root, so Debian's chromium is not installed (apt-get install chromium): the browser test will be skipped"; fi

.PHONY: install demo test bench
install: $(VENV)/.installed

# Flags for the server: make demo ARGS="--config configs/fast.toml --port 8000"
demo: $(VENV)/.installed
	$(PY) app.py $(ARGS)

test: $(VENV)/.installed /usr/bin/chromium
	$(PY) -m pytest -q

# Not part of the tests: speed and memory side by side (a few minutes on 2 cores).
bench: $(VENV)/.installed
	$(PY) benchmarks/speed.py --arch base
