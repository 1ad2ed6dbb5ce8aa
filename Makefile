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
/usr/bin/chromium:
	apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium

.PHONY: install demo test bench
install: $(VENV)/.installed

demo: $(VENV)/.installed
	$(PY) app.py

test: $(VENV)/.installed /usr/bin/chromium
	$(PY) -m pytest -q

# Not part of the tests: speed and memory side by side (a few minutes on 2 cores).
bench: $(VENV)/.installed
	$(PY) benchmarks/speed.py --arch base
