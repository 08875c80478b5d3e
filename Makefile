# The two commands a newcomer needs: `make run` and `make test`.
SHELL := /bin/bash
export DB ?= octowatch
export PORT ?= 8069

.PHONY: setup run test lint bench soak screenshots i18n mailflow

setup:
	@scripts/setup.sh

run: setup
	@scripts/run.sh

test: setup
	@scripts/test.sh

lint: setup
	@scripts/lint.sh

bench: setup
	@scripts/bench.sh

soak: setup
	@scripts/soak.sh

screenshots: setup
	@scripts/screenshots.sh

i18n: setup
	@scripts/i18n.sh

mailflow: setup
	@scripts/mailflow.sh
