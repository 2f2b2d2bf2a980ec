#!/usr/bin/env bash
# Sets everything up and starts the platform with the demo round on the embedded database.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/sanmin run --demo "$@"
