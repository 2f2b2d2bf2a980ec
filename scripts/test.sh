#!/usr/bin/env bash
# Sets everything up and runs the whole test suite, with the linters and the type checker beside it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
echo "== ruff check"; .venv/bin/ruff check .
echo "== ruff format --check"; .venv/bin/ruff format --check .
echo "== mypy"; .venv/bin/mypy
# One worker per core, a test file's tests kept together (module fixtures are built once), each worker with its
# own embedded PostgreSQL (tests/conftest.py), or all on TEST_DATABASE_URL, each test in a schema of its own.
# `-n 0` after the script's name runs everything in one process.
echo "== pytest"; .venv/bin/pytest -n auto --dist loadfile "$@"
