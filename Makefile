# Two entry points for a fresh machine (see README): `make run` and `make test`.
# Both create .venv and install the project into it; `make test` also installs the system packages the audio
# tests need (apt-get, when run as root or with sudo available).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
APT_PACKAGES := libportaudio2 pulseaudio pulseaudio-utils libasound2-plugins espeak-ng sox

.PHONY: run test lint bench system-deps venv dev-venv clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

venv: $(BIN)/python
	$(BIN)/pip install --quiet -e .

dev-venv: $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"

system-deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null; then SUDO=sudo; else \
	    echo "missing system packages:$$missing (install them, or the audio tests are skipped)"; exit 0; fi; \
	  echo "installing system packages:$$missing"; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

run: venv
	$(BIN)/interview

# The suite runs on every core, at most 4 (pytest-xdist; each worker has its own PulseAudio daemon, homes and
# ports). `pytest` alone runs it in one process.
test: system-deps dev-venv
	$(BIN)/python -m pytest -n auto --maxprocesses=4

lint: dev-venv
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports

clean:
	rm -rf $(VENV) dist build .pytest_cache .ruff_cache
