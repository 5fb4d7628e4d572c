# Two commands on a fresh machine: `make demo` runs a live demo, `make test` runs the tests.
PYTHON ?= python3
PORT ?= 8050
APT_PACKAGES := redis-server chromium chromium-driver
export DASH_TEST_CHROMEPATH ?= /usr/bin/chromium

.PHONY: demo test install install-test system-deps screenshots bench lint

install:  ## the app and its runtime dependencies
	$(PYTHON) -m pip install --quiet --disable-pip-version-check -e .

install-test: install  ## plus the test tools
	$(PYTHON) -m pip install --quiet --disable-pip-version-check -e ".[test,e2e]"

system-deps:  ## redis-server and headless Chromium for the tests (Debian/Ubuntu; needs root)
	@missing=""; for bin in redis-server chromium chromedriver; do \
	  command -v $$bin >/dev/null 2>&1 || missing="$$missing $$bin"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(APT_PACKAGES); \
	fi

demo: install  ## a live demo on a simulated floor at http://127.0.0.1:$(PORT)/ (no Redis needed)
	$(PYTHON) -m wallboard.cli demo --port $(PORT)

test: system-deps install-test  ## the whole test suite: real redis-server, real headless Chromium
	$(PYTHON) -m pytest --headless -p no:cacheprovider -n 2 --dist loadfile

screenshots: install-test  ## PNGs of every kiosk view (1920x1080, 3840x2160), manager page and /me into screenshots/
	$(PYTHON) -m bench.screenshots
	$(PYTHON) -m bench.manage_screenshots
	$(PYTHON) -m bench.me_screenshots
	$(PYTHON) -m bench.challenge_screenshots

lint: install-test  ## ruff: lint and formatting
	$(PYTHON) -m ruff check .
	$(PYTHON) -m ruff format --check .

bench: install-test  ## the benchmarks; each prints its figures
	$(PYTHON) -m bench.ingest
	$(PYTHON) -m bench.kiosk
	$(PYTHON) -m bench.screen_cache
	$(PYTHON) -m bench.sync
	$(PYTHON) -m bench.manage
	$(PYTHON) -m bench.points
	$(PYTHON) -m bench.achievements
	$(PYTHON) -m bench.me
	$(PYTHON) -m bench.challenges
	$(PYTHON) -m bench.load
