# Hostline developer commands. `make demo` runs the platform with demo data; `make test` runs the tests.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | sha256sum | cut -c1-12)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test test-fast lint install services bench bench-load worker celery beat clean widget

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	rm -f $(VENV)/.installed-* && touch $(STAMP)

install: $(STAMP)

## Set up and run the platform with demo data on http://127.0.0.1:8000 (SQLite unless DATABASE_URL is set).
demo: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo --with-operator
	$(PY) manage.py seed_demo_bookings
	@echo "Hostline is starting on http://$(HOST):$(PORT)/  (admin: http://$(HOST):$(PORT)/admin/)"
	$(PY) manage.py runserver $(HOST):$(PORT)

## Run the whole test suite against the real Postgres and Redis on 127.0.0.1.
test: install
	$(PY) -m pytest $(PYTEST_ARGS)

## The fast subset while you work: no browser, no Celery worker process, no real provider keys.
test-fast: install
	$(PY) -m pytest -m "not browser and not celery_worker and not real_llm" $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy .
	$(VENV)/bin/lint-imports

## Test the widget's call logic and rebuild static/widget.js and static/widget-call.js (needs Node.js 20 and npm).
widget:
	cd widget && npm ci --no-audit --no-fund && npm test && npm run build

bench: install
	$(PY) -m bench

## Call starts under concurrent load (wrk), Hostline as the Dockerfile runs it beside the article's backend.
bench-load: install
	$(PY) -m bench.dispatch_load $(BENCH_ARGS)

worker: install
	$(PY) -m agent_worker dev

celery: install
	$(VENV)/bin/celery -A config worker -Q celery,webhooks --loglevel=INFO

beat: install
	$(VENV)/bin/celery -A config beat --loglevel=INFO --schedule /tmp/celerybeat-schedule

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache .mypy_cache .ruff_cache widget/node_modules artifacts
