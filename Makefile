# Clearance: make setup | make demo | make test
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

NATIVE := src/clearance/matching/compiled.json
NATIVE_SOURCES := $(addprefix src/clearance/matching/,spelling.py words.py romanised.py \
	normalise.py cantonese.py likeness.py alignment.py features.py postings.py index_build.py \
	index.py acronyms.py score.py results.py hits.py batch.py screen.py native.py _postings.c)

.PHONY: setup system-deps compile demo test lint typecheck pytest lock clean

setup: system-deps $(STAMP) $(NATIVE)

# Debian packages (C compiler, ICU, Pango, CJK fonts; PostgreSQL for the tests): installed when
# missing if run as root, otherwise make stops here with the one apt-get line to run.
system-deps:
	@bash scripts/system-deps.sh

# Reinstall only when the dependency declarations change (idempotent).
$(STAMP): pyproject.toml constraints.txt | system-deps
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	@touch $(STAMP)

# The screening engine's hot modules compiled with mypyc (about twice as fast); rebuilt when
# their sources change. Without it (or with CLEARANCE_PURE_PYTHON=1) they run interpreted.
compile: $(NATIVE)

$(NATIVE): $(STAMP) $(NATIVE_SOURCES) scripts/compile_native.py
	$(BIN)/python scripts/compile_native.py

# The main job on the bundled demo organisation (devices emulated on loopback); exit 1 just
# means restricted equipment was found, which is the point of the demo.
demo: setup
	$(BIN)/clearance audit --demo --out demo-report/ || test $$? -eq 1
	@echo "demo: open demo-report/report.html (also report.pdf, findings.xlsx, findings.json)"

lint: setup
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: setup
	$(BIN)/mypy

# The whole suite, with a throwaway PostgreSQL when its server binaries are installed.
pytest: setup
	bash scripts/with-postgres.sh $(BIN)/pytest -q
	CLEARANCE_PURE_PYTHON=1 $(BIN)/pytest -q tests/matching

test: lint typecheck pytest

# Re-pin every dependency after a change to pyproject.toml.
lock: setup
	$(BIN)/python -m pip freeze --exclude-editable --exclude pip > constraints.txt

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache $(NATIVE)
	find src -name '*.so' -delete
