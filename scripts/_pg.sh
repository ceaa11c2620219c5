# Sourced by scripts/test: start a throwaway PostgreSQL cluster on a local port so the storage
# and end-to-end tests also run against PostgreSQL, and stop it on exit.
# SMSBOT_TEST_PG=none skips it; an SMSBOT_TEST_PG URL you set yourself is used as it is.
if [ -z "${SMSBOT_TEST_PG:-}" ]; then
  PG_BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  if [ -z "$PG_BIN" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing PostgreSQL from the distribution packages ..." >&2
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql) >&2 \
      || echo "could not install PostgreSQL" >&2
    PG_BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  fi
  if [ -n "$PG_BIN" ]; then
    PG_DIR="$(mktemp -d /tmp/smsbot-pg.XXXXXX)"
    PG_PORT="${SMSBOT_TEST_PG_PORT:-54329}"
    as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
    [ "$(id -u)" = 0 ] && chown postgres "$PG_DIR"
    if as_pg "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres -A trust --no-sync >/dev/null \
       && as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w \
            -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" \
            start >/dev/null; then
      export SMSBOT_TEST_PG="postgresql+psycopg://postgres@127.0.0.1:$PG_PORT/postgres"
      echo "PostgreSQL test cluster on 127.0.0.1:$PG_PORT" >&2
      trap 'as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast stop >/dev/null 2>&1; rm -rf "$PG_DIR"' EXIT
    else
      echo "could not start PostgreSQL (see $PG_DIR/log); PostgreSQL tests will be skipped" >&2
    fi
  else
    echo "PostgreSQL not available; PostgreSQL tests will be skipped" >&2
  fi
fi
