# Servicegate — install, demo, test. Needs Python >= 3.11 and make.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PORT   ?= 8000
PYTEST_ARGS ?=

.PHONY: install messages demo test test-only browser lint lock clean

install: $(STAMP) messages

$(STAMP): pyproject.toml requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	@touch $(STAMP)

# Compile the German message catalogues (pure Python, no gettext tools needed).
messages: $(STAMP)
	@for po in $$(find servicegate -path '*/locale/*/LC_MESSAGES/django.po'); do \
		$(BIN)/pybabel compile -i $$po -o $${po%.po}.mo -D django || exit 1; \
	done

demo: install
	SERVICEGATE_DEMO=1 $(BIN)/servicegate demo --port $(PORT)

# Debian's Chromium drives the browser tests (Playwright's own browser download is not used).
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
		if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
		echo "Installing Debian's chromium for the browser tests …"; \
		$$SUDO apt-get update -q >/dev/null && $$SUDO apt-get install -y -q chromium >/dev/null; \
	fi

test: install browser test-only

test-only:
	$(BIN)/python -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy servicegate benchmarks
	SERVICEGATE_DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run

# Re-pin the dependencies after changing pyproject.toml.
lock:
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 -o requirements.lock

clean:
	rm -rf $(VENV) var test-artifacts
