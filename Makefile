# The two set-up commands are `make brief` and `make test`; both build .venv when it is missing.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
EXTRAS := notebook,export,dist,test

.PHONY: brief test bench lab app html lint notebooks clean env i18n

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[$(EXTRAS)]"
	@touch $(STAMP)

env: $(STAMP)

brief: $(STAMP)
	$(BIN)/workbench brief --out reports/

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks notebooks
	$(BIN)/ruff format --check src tests benchmarks notebooks

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[$(EXTRAS),bench]"
	@for f in benchmarks/bench_*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

notebooks: $(STAMP)
	$(BIN)/jupytext --to ipynb --update notebooks/[0-9]*.py

lab: notebooks
	$(BIN)/jupyter lab notebooks/

# the app's own Voila template (the lab template without its CDN stylesheets): nothing is fetched
app: $(STAMP)
	$(BIN)/workbench app

html: $(STAMP)
	$(BIN)/workbench export notebooks/[0-9]*.py --out reports/notebooks

# Messages: extract every text marked _() / _p() / _n() from the package, merge into the Chinese
# catalogue (translate the new entries in the .po file, then run this again), compile the .mo.
LOCALE := src/workbench/locale
i18n: $(STAMP)
	@mkdir -p build
	$(BIN)/pybabel extract --no-location --sort-output --omit-header -k _p:1c,2 -k _n:1,2 \
		-o build/workbench.pot src/workbench
	$(BIN)/pybabel update --no-fuzzy-matching --ignore-obsolete --no-wrap -i build/workbench.pot -d $(LOCALE) -D workbench -l zh_CN
	$(BIN)/pybabel compile --statistics -d $(LOCALE) -D workbench -l zh_CN

clean:
	rm -rf reports/ .pytest_cache .ruff_cache
