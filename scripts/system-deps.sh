#!/usr/bin/env bash
# Debian packages that the test suite needs beyond a stock Python machine, installed only when
# missing (idempotent; needs root, as on CI). One package per line in PACKAGES, with a reason.
set -euo pipefail
PACKAGES=(
  # libicu-dev  pkg-config     # PyICU (via rigour) builds against ICU
  libicu-dev
  pkg-config
  # gcc: PyICU's build, mypyc's compile of the screening engine and its C postings merge (make compile)
  gcc
  g++
  # fonts-noto-cjk: the PDF report (WeasyPrint) prints Chinese names with it
  fonts-noto-cjk
  # WeasyPrint's text libraries (Pango, and HarfBuzz-Subset, whose absence it warns about;
  # the suite turns warnings into errors)
  libpango-1.0-0
  libpangoft2-1.0-0
  libharfbuzz-subset0
  # postgresql: the store tests run on PostgreSQL too (server started by scripts/pg-throwaway.sh)
  postgresql
)
missing=()
for pkg in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "system-deps: missing Debian packages (install as root): ${missing[*]}" >&2
    exit 0
  fi
  echo "system-deps: installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
