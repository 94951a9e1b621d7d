#!/usr/bin/env bash
# Make sure Debian's chromium and the Noto CJK fonts are present for the browser tests.
# Installs them when missing and we are root; otherwise says loudly that browser tests will skip.
set -u
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
if ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then need+=(fonts-noto-cjk); fi
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing for the browser tests: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  (apt-get update -qq && apt-get install -y -qq "${need[@]}") >/tmp/bangban-apt.log 2>&1 \
    || { echo "!!! apt-get install ${need[*]} failed (see /tmp/bangban-apt.log): browser tests will be SKIPPED"; exit 0; }
else
  echo "!!! ${need[*]} missing and not root: the browser (Playwright) tests will be SKIPPED."
  echo "!!! Install them with: sudo apt-get install -y ${need[*]}"
fi
exit 0
