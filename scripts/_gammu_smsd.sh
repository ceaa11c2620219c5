# Sourced by scripts/test: Debian's gammu-smsd, the peer of scripts/bench_pipeline.py, so its
# smoke tests run. Installed once with apt; if that is impossible those tests skip and say why.
if ! command -v gammu-smsd >/dev/null 2>&1; then
  SUDO=""
  if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo -n"; fi
  echo "installing Debian's gammu-smsd for the benchmark's peer tests ..." >&2
  if ! { $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q gammu-smsd >/dev/null 2>&1 \
         || { $SUDO apt-get update -q >/dev/null 2>&1 \
              && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q gammu-smsd >/dev/null 2>&1; }; }; then
    echo "could not install gammu-smsd: the benchmark's peer tests will be skipped" >&2
  fi
fi
