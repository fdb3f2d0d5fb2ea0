# The two commands a newcomer needs are `make run` and `make test`; both set
# themselves up on a fresh clone.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed
ASSETS := static/dist/portal.css static/dist/govuk/govuk-frontend.min.js \
	static/dist/plotly/plotly.min.js

.PHONY: run test lint format worker beat setup assets clean

run: setup
	DEBUG=$${DEBUG-true} $(BIN)/python manage.py migrate --no-input
	DEBUG=$${DEBUG-true} $(BIN)/python manage.py seed_demo
	DEBUG=$${DEBUG-true} $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: setup
	$(BIN)/pytest

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

worker: setup
	$(BIN)/celery -A ria_portal worker --loglevel=INFO

beat: setup
	$(BIN)/celery -A ria_portal beat --loglevel=INFO

setup: $(STAMP) $(ASSETS)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python requirements.txt requirements-dev.txt
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts
	touch $@

assets: $(ASSETS)

static/dist/portal.css: node_modules/.package-lock.json static/src/portal.scss
	npm run --silent build:css

# GOV.UK Frontend's JavaScript, its licence notice (the MIT licence asks for it
# to travel with every copy we serve) and the images the stylesheet refers to,
# which collectstatic needs; the GDS Transport fonts are left out on purpose
# (DESIGN.md section 9). The Makefile is a prerequisite so that a checkout built
# before a change to this recipe gets the new files on its next run.
static/dist/govuk/govuk-frontend.min.js: node_modules/.package-lock.json THIRD_PARTY_NOTICES.md Makefile
	mkdir -p static/dist/govuk
	cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js $@
	cp THIRD_PARTY_NOTICES.md static/dist/govuk/LICENCE.md
	mkdir -p static/dist/govuk/assets
	cp -r node_modules/govuk-frontend/dist/govuk/assets/images static/dist/govuk/assets/

# plotly.js draws the benchmarking charts, served from our own static files
# rather than a CDN; its MIT licence travels beside it.
static/dist/plotly/plotly.min.js: node_modules/.package-lock.json
	mkdir -p static/dist/plotly
	cp node_modules/plotly.js-dist-min/plotly.min.js $@
	cp node_modules/plotly.js-dist-min/LICENSE static/dist/plotly/LICENSE

clean:
	rm -rf $(VENV) node_modules static/dist staticfiles
