#!/usr/bin/env bash
# Debian packages Clearance needs beyond a stock Python machine; run by `make setup` (and so by
# `make demo` and `make test`) before anything is installed into .venv. Idempotent.
#   As root: installs whatever is missing (apt-get).
#   Otherwise: if a REQUIRED package is missing, prints the one apt-get line to run and exits 1,
#   so `make` stops before the tests; a missing OPTIONAL package is only reported.
# On a machine without dpkg (not Debian or Ubuntu) it says so and checks nothing.
set -euo pipefail
REQUIRED=(
  # libicu-dev, pkg-config: PyICU (via rigour) builds against ICU
  libicu-dev
  pkg-config
  # gcc, g++: PyICU's build, mypyc's compile of the screening engine and its C postings merge
  gcc
  g++
  # fonts-noto-cjk: the PDF report (WeasyPrint) prints Chinese names with it
  fonts-noto-cjk
  # WeasyPrint's text libraries (Pango, and HarfBuzz-Subset, whose absence it warns about;
  # the suite turns warnings into errors)
  libpango-1.0-0
  libpangoft2-1.0-0
  libharfbuzz-subset0
  # chromium: the web pages' browser tests (tests/web) drive Debian's Chromium with Playwright
  # (launched on this executable; Playwright's own browser download is never used)
  chromium
)
OPTIONAL=(
  # postgresql: `make test` runs the store tests on a throwaway PostgreSQL too
  # (scripts/with-postgres.sh); without it those cases are skipped (they fail under CI=true)
  postgresql
)
if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "system-deps: no dpkg here; install the equivalents of: ${REQUIRED[*]} ${OPTIONAL[*]}" >&2
  exit 0
fi
missing_required=()
missing_optional=()
for pkg in "${REQUIRED[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing_required+=("$pkg")
done
for pkg in "${OPTIONAL[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing_optional+=("$pkg")
done
missing=("${missing_required[@]}" "${missing_optional[@]}")
if [ "${#missing[@]}" -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -eq 0 ]; then
  echo "system-deps: installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  exit 0
fi
if [ "${#missing_required[@]}" -gt 0 ]; then
  {
    echo "system-deps: Debian packages missing; run this once, then make again:"
    echo "  sudo apt-get install -y --no-install-recommends ${missing[*]}"
  } >&2
  exit 1
fi
echo "system-deps: optional ${missing_optional[*]} not installed (PostgreSQL tests will be skipped);" \
  "to add it: sudo apt-get install -y --no-install-recommends ${missing_optional[*]}" >&2
