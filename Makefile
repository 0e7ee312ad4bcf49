VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck clean

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/pm show examples/checkout-outage.md
	$(VENV)/bin/pm render examples/checkout-outage.md --to html -o build/checkout-outage.html --force
	@echo "HTML written to build/checkout-outage.html"

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/ruff format --check src tests bench

typecheck: $(STAMP)
	$(VENV)/bin/mypy src

test: lint typecheck
	$(VENV)/bin/pytest || [ $$? -eq 5 ]  # 5: no tests collected

clean:
	rm -rf $(VENV) build .mypy_cache .pytest_cache .ruff_cache
