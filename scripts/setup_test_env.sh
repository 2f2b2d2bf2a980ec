#!/usr/bin/env bash
# The system packages the browser tests need: Debian's Chromium and CJK fonts (so 汉字 render in
# screenshots), and the Python `playwright` client that drives that Chromium. Idempotent: skips what is
# already there. Never runs `playwright install` (no browser download: the tests use /usr/bin/chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || need+=(fonts-noto-cjk)
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
if [ -x .venv/bin/python ] && ! .venv/bin/python -c "import playwright" 2>/dev/null; then
  .venv/bin/pip install -q --disable-pip-version-check "playwright>=1.45"
fi
# The PDF tests (credential cards, departments' comment summaries): the CJK font embedded in every PDF,
# poppler's pdftoppm / pdftotext / pdffonts to read the PDFs back, and zbarimg to decode the cards' QR codes.
pdf_need=()
dpkg -s fonts-wqy-microhei >/dev/null 2>&1 || pdf_need+=(fonts-wqy-microhei)
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || pdf_need+=(fonts-noto-cjk)
command -v pdftoppm >/dev/null 2>&1 || pdf_need+=(poppler-utils)
command -v zbarimg >/dev/null 2>&1 || pdf_need+=(zbar-tools)
if [ ${#pdf_need[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${pdf_need[@]}" >/dev/null
fi
# axe-core 4 for the accessibility tests (tests/e2e/test_accessibility.py), from the npm registry into
# .cache/axe (ignored by git); Playwright injects its axe.min.js into each page.
if [ ! -f .cache/axe/node_modules/axe-core/axe.min.js ]; then
  if ! command -v npm >/dev/null 2>&1; then
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends npm >/dev/null
  fi
  npm install --prefix .cache/axe --no-audit --no-fund --no-save --silent "axe-core@4"
fi
# Debian's nginx for the production front's test (tests/integration/test_nginx_config.py runs its own
# instance of deploy/nginx/sanmin.conf on free ports; the package's service is not used). A machine where
# the package cannot be set up (e.g. its service cannot start) still runs every other test: that one skips.
if [ ! -x /usr/sbin/nginx ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq || true
  DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 $SUDO apt-get install -y -qq --no-install-recommends nginx >/dev/null \
    || echo "nginx could not be installed: tests/integration/test_nginx_config.py will be skipped" >&2
fi
