# Hostline developer commands. `make demo` runs the platform with demo data; `make test` runs the tests.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
# Three layers of pinned requirements, each file including the one before: the web app (requirements.txt,
# all `make demo` needs), the agent worker's speech stack (requirements-agent.txt) and the test and lint
# tools (requirements-dev.txt). A stamp per layer, named by the hash of its files, reinstalls on a change.
hash = $(shell cat $(1) | sha256sum | cut -c1-12)
WEB_STAMP := $(VENV)/.installed-web-$(call hash,requirements.txt)
AGENT_STAMP := $(VENV)/.installed-agent-$(call hash,requirements.txt requirements-agent.txt)
DEV_STAMP := $(VENV)/.installed-dev-$(call hash,requirements.txt requirements-agent.txt requirements-dev.txt)
HOST ?= 127.0.0.1
PORT ?= 8000
# Links printed by seed_demo and the demo's allowed website follow HOST and PORT (unless set).
PLATFORM_BASE_URL ?= http://$(HOST):$(PORT)

.PHONY: demo demo-about test test-fast lint install install-web install-agent services bench bench-load worker celery beat clean widget

define venv-install
	test -x $(PY) || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r $(1)
endef

$(WEB_STAMP): requirements.txt
	$(call venv-install,requirements.txt)
	rm -f $(VENV)/.installed-web-* && touch $(WEB_STAMP)

$(AGENT_STAMP): requirements.txt requirements-agent.txt
	$(call venv-install,requirements-agent.txt)
	rm -f $(VENV)/.installed-web-* $(VENV)/.installed-agent-* && touch $(WEB_STAMP) $(AGENT_STAMP)

$(DEV_STAMP): requirements.txt requirements-agent.txt requirements-dev.txt
	$(call venv-install,requirements-dev.txt)
	rm -f $(VENV)/.installed-* && touch $(WEB_STAMP) $(AGENT_STAMP) $(DEV_STAMP)

## Everything: the web app, the agent worker and the test and lint tools (what CI and `make test` use).
install: $(DEV_STAMP)
## The web app alone (what `make demo` needs).
install-web: $(WEB_STAMP)
## The web app and the agent worker's speech stack (what `make worker` needs).
install-agent: $(AGENT_STAMP)

## Set up and run the web app with demo data on http://$(HOST):$(PORT) (SQLite unless DATABASE_URL is set).
demo: export PLATFORM_BASE_URL := $(PLATFORM_BASE_URL)
demo: install-web
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo --with-operator
	$(PY) manage.py seed_demo_bookings
	@$(MAKE) --no-print-directory demo-about
	$(PY) manage.py runserver $(HOST):$(PORT)

## What `make demo` runs, and what the voice calls need besides.
demo-about:
	@echo ""
	@echo "== Hostline demo: the web app alone, on SQLite with the demo data"
	@echo "   Demo page  http://$(HOST):$(PORT)/"
	@echo "   Admin      http://$(HOST):$(PORT)/admin/   (the logins are printed above)"
	@echo "   API docs   http://$(HOST):$(PORT)/api/docs/"
	@echo "   Not running: the voice server (LiveKit), the agent worker and the Celery worker (tasks run in-process)."
	@echo "   The demo page's call buttons stay off until a LiveKit server answers (the page says so)."
	@echo ""
	@echo "== Voice calls need the whole stack, in Docker (it serves its own copy on http://localhost:8000/):"
	@echo "   put DEEPGRAM_API_KEY, OPENAI_API_KEY and CARTESIA_API_KEY in platform/.env, then"
	@echo "   docker compose -f platform/compose.yaml up --build"
	@echo "   (Postgres, Redis, a LiveKit server, the web app, the agent worker, Celery; README: Docker Compose)."
	@echo "   With a LiveKit server of your own: set LIVEKIT_URL, LIVEKIT_API_KEY and LIVEKIT_API_SECRET, and run"
	@echo "   the agent worker beside this demo with the three keys: make worker"
	@echo ""

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

## The agent worker (needs LIVEKIT_URL, LIVEKIT_API_KEY/SECRET and the provider keys; README: Agent worker).
worker: install-agent
	$(PY) -m agent_worker dev

celery: install-web
	$(VENV)/bin/celery -A config worker -Q celery,webhooks --loglevel=INFO

beat: install-web
	$(VENV)/bin/celery -A config beat --loglevel=INFO --schedule /tmp/celerybeat-schedule

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache .mypy_cache .ruff_cache widget/node_modules artifacts
