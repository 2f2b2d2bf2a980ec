#!/usr/bin/env bash
# Sets up a fresh machine: a virtualenv with the platform and its dependencies.
# With --test, also the test tools and the Debian packages the browser and PDF tests need.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
extras=""
[ "${1:-}" = "--test" ] && extras="[test]"
stamp=".venv/.installed$extras"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  .venv/bin/pip install -q --disable-pip-version-check --upgrade pip
  .venv/bin/pip install -q --disable-pip-version-check -e ".$extras"
  touch "$stamp"
fi
if [ "${1:-}" = "--test" ] && [ -f scripts/setup_test_env.sh ]; then
  bash scripts/setup_test_env.sh
fi
