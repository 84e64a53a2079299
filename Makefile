# Accord: two commands set everything up on a fresh machine.
#   make demo   creates .venv if missing, installs Accord, runs the main analysis
#   make test   creates .venv if missing, installs the dev extras, runs the whole suite
#   make bench  benchmarks against the anchor libraries (own venv: .venv-bench)
#   make test-gambit  the strategic-game tests against live pygambit too (may compile Gambit)

PYTHON ?= python3
CHROMIUM ?= /usr/bin/chromium
VENV   ?= .venv
BENCH_VENV ?= .venv-bench
PY     := $(VENV)/bin/python
BPY    := $(BENCH_VENV)/bin/python

.PHONY: demo test lint bench install install-dev check clean browser

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(PY) pyproject.toml
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: $(PY) pyproject.toml
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

demo: install
	$(VENV)/bin/accord analyze ukraine-2023

# The browser tests drive Debian's Chromium: install it when it is missing and we can (root
# with apt-get); otherwise those tests skip and say why.
browser:
	@if [ ! -x "$(CHROMIUM)" ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) \
		|| echo "could not install chromium: the browser tests will skip"; \
	fi

test: install-dev browser
	$(VENV)/bin/ruff check src tests benchmarks
	$(PY) -m pytest -q

# The strategic-game tests against live pygambit too, not only its recorded answers
# (tests/data/games/gambit/). pygambit may compile Gambit from source: minutes, not seconds.
.PHONY: test-gambit
test-gambit: $(PY)
	$(PY) -m pip install --quiet -e ".[dev,gambit]"
	$(PY) -m pytest -q tests/test_games_strategic.py

lint: install-dev
	$(VENV)/bin/ruff check src tests benchmarks

check: install
	$(PY) ../shared/checks/analyze_contract.py --accord $(VENV)/bin/accord

$(BENCH_VENV)/.installed: pyproject.toml
	test -x $(BPY) || $(PYTHON) -m venv $(BENCH_VENV)
	$(BPY) -m pip install --quiet --upgrade pip
	$(BPY) -m pip install --quiet -e ".[bench]"
	touch $@

bench: $(BENCH_VENV)/.installed
	$(BPY) benchmarks/run.py

clean:
	rm -rf $(VENV) $(BENCH_VENV) build dist src/*.egg-info .pytest_cache .ruff_cache
