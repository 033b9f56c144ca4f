#!/usr/bin/env bash
# Run by `dotnet test` before any test (the EnsureBrowser target of Fleet.Tests.csproj): the browser tests drive
# Debian's chromium (Playwright cannot download its own browsers on these machines), and a CJK font makes their
# screenshots readable. Installs both when it can (root with apt-get); otherwise says exactly what to run and stops
# the test run before any test.
set -u
browser=${FLEET_CHROMIUM:-/usr/bin/chromium}
have_font() { fc-list 2>/dev/null | grep -qi "wqy\|noto.*cjk"; }
[ -x "$browser" ] && have_font && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Fleet's browser tests need chromium and a Chinese font: apt-get install -y chromium fonts-wqy-microhei ..."
  apt-get install -y chromium fonts-wqy-microhei >/dev/null 2>&1 ||
    { apt-get update >/dev/null 2>&1 && apt-get install -y chromium fonts-wqy-microhei >/dev/null 2>&1; }
  [ -x "$browser" ] && exit 0
fi
[ -x "$browser" ] && { echo "Fleet: no Chinese font found; screenshots will show boxes (apt-get install fonts-wqy-microhei)."; exit 0; }
cat >&2 <<MSG
error: Fleet's browser tests need chromium at $browser, and it is not there. Run, as root:
  apt-get update && apt-get install -y chromium fonts-wqy-microhei
(or set FLEET_CHROMIUM to a chromium binary), then run 'dotnet test' again. No test was run.
MSG
exit 1
