VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck clean

# The compiled scan is built at install: a change to it reinstalls too.
$(STAMP): pyproject.toml setup.py $(wildcard src/postmortems/evidence/columnar/*.c)
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	@mkdir -p build
	$(VENV)/bin/pm draft examples/incident --exclude '*.md' --exclude truth.json -o build/incident-postmortem.md --force
	$(VENV)/bin/pm show build/incident-postmortem.md
	$(VENV)/bin/pm render build/incident-postmortem.md --format html -o build/incident-postmortem.html --force
	@echo "Draft written to build/incident-postmortem.md and build/incident-postmortem.html"
	@echo "Review it: $(VENV)/bin/pm lint build/incident-postmortem.md"
	@echo "(or '. $(VENV)/bin/activate' once, then just: pm lint build/incident-postmortem.md)"

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/ruff format --check src tests bench

typecheck: $(STAMP)
	$(VENV)/bin/mypy src

test: lint typecheck
	$(VENV)/bin/pytest || [ $$? -eq 5 ]  # 5: no tests collected

clean:
	rm -rf $(VENV) build .mypy_cache .pytest_cache .ruff_cache
