# Sourced by scripts/test: Debian's Chromium for the web tests in a real headless browser
# (driven by Playwright, which is in the test extra). Installed once with apt; if that is
# impossible the browser tests skip and say why. SMSBOT_CHROMIUM=/path picks another binary.
if [ -z "${SMSBOT_CHROMIUM:-}" ] && ! command -v chromium >/dev/null 2>&1; then
  SUDO=""
  if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo -n"; fi
  echo "installing Debian's chromium for the browser tests ..." >&2
  if ! { $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null 2>&1 \
         || { $SUDO apt-get update -q >/dev/null 2>&1 \
              && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null 2>&1; }; }; then
    echo "could not install chromium: the browser tests will be skipped" >&2
  fi
fi
