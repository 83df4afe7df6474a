# Two commands for a fresh machine: `make run` and `make test`.
#   make test          every test on SQLite (browser tests too when /usr/bin/chromium is there)
#   make test-pg       the same tests on a throwaway PostgreSQL cluster (.ci/postgres.sh; needs PostgreSQL)
#   make test-browser  only the browser tests (needs `apt-get install chromium`)
#   make bench-peers   the statsforecast peers of the forecast benchmark, in .venv-peers (pandas < 3): 20–40 min
# Extra pytest arguments: make test ARGS="-k companies -x"
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
ARGS ?=

.PHONY: run test test-pg test-browser bench-peers demo migrate clean

$(STAMP): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $(STAMP)

run: $(STAMP)
	$(PY) -m tracker migrate
	$(PY) -m streamlit run app.py

test: $(STAMP)
	$(PY) -m pytest -q $(ARGS)

test-pg: $(STAMP)
	bash .ci/postgres.sh $(PY) -m pytest -q $(ARGS)

test-browser: $(STAMP)
	$(PY) -m pytest -q -m browser tests/browser $(ARGS)

PEERS_VENV := .venv-peers
PEERS_STAMP := $(PEERS_VENV)/.installed

$(PEERS_STAMP): requirements-peers.txt
	$(PYTHON) -m venv $(PEERS_VENV)
	echo '*' > $(PEERS_VENV)/.gitignore
	$(PEERS_VENV)/bin/python -m pip install --quiet -r requirements-peers.txt
	touch $(PEERS_STAMP)

bench-peers: $(PEERS_STAMP)
	for d in M3 M1; do for n in 24 36; do \
		nice -n 10 $(PEERS_VENV)/bin/python benchmarks/peers.py --dataset $$d --length $$n || exit 1; \
	done; done

demo: $(STAMP)
	$(PY) -m tracker demo

migrate: $(STAMP)
	$(PY) -m tracker migrate

clean:
	rm -rf $(VENV) .pytest_cache
