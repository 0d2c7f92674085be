#!/usr/bin/env bash
# Installs everything Tillsmith needs on a Debian machine: system packages (socat for the
# serial tests, chromium for the browser tests and browser mode), then the npm packages.
# The Electron binary is never downloaded here (no internet); see README "Electron binary".
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v socat >/dev/null 2>&1 || need+=(socat)
[ -x /usr/bin/chromium ] || need+=(chromium)
# CJK glyphs for browser mode, screenshots and the receipt raster fallback
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || need+=(fonts-noto-cjk)
# node-hid loads libudev and libusb at run time
ldconfig -p 2>/dev/null | grep -q 'libudev.so.1' || need+=(libudev1)
ldconfig -p 2>/dev/null | grep -q 'libusb-1.0.so.0' || need+=(libusb-1.0-0)
if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${need[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"
fi

export ELECTRON_SKIP_BINARY_DOWNLOAD="${ELECTRON_SKIP_BINARY_DOWNLOAD:-1}"
# `npm ci` installs exactly the tree in package-lock.json and never rewrites it, so a fresh clone stays
# clean. The lock is complete: it lists every platform's optional packages (rollup, esbuild), which
# npm 11 needs to accept it. After changing package.json, run `npm install` once and commit the lock.
npm ci --no-audit --no-fund
