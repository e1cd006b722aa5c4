#!/usr/bin/env bash
# Starts FerretDB 1.24 (the MongoDB wire protocol on SQLite) for the MongoDB
# read store contract suite, and prints what the caller should evaluate:
#
#   eval "$(bash .ci/start-ferretdb.sh)"
#   ...
#   kill "$(cat "$FERRETDB_PID_FILE")"
#
# Only the export lines go to stdout; everything else goes to the log file.
# Running it again while that server is up prints the same lines.
set -euo pipefail

if ! command -v go >/dev/null; then
  echo 'start-ferretdb: Go is needed to build FerretDB' >&2
  exit 1
fi

version=v1.24.2
module=github.com/FerretDB/FerretDB
binary="$(go env GOPATH)/bin/ferretdb"

state="${FERRETDB_STATE_DIR:-${TMPDIR:-/tmp}/hakkiri-ferretdb}"
pid_file="$state/ferretdb.pid"
port_file="$state/ferretdb.port"
log="$state/ferretdb.log"

mkdir -p "$state"

say() {
  echo "$(date -u +%FT%TZ) start-ferretdb: $*" >>"$log"
}

fail() {
  say "$*"
  echo "start-ferretdb: $* (log: $log)" >&2
  exit 1
}

print_exports() {
  echo "export MONGODB_URL=mongodb://127.0.0.1:$1/"
  echo "export FERRETDB_PID_FILE=$pid_file"
}

accepts_connections() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

running_port() {
  [[ -f "$pid_file" && -f "$port_file" ]] || return 1
  kill -0 "$(cat "$pid_file")" 2>/dev/null || return 1
  accepts_connections "$(cat "$port_file")" || return 1
  cat "$port_file"
}

# A plain `go install ...@version` leaves build/version/version.txt empty,
# and such a binary panics at start. So the module source is built from a
# writable copy, with the version file that FerretDB's own build writes.
build_ferretdb() {
  local source work
  say "building FerretDB $version into $binary"

  source="$(go mod download -json "$module@$version" |
    sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
  [[ -n "$source" ]] || fail "could not download $module@$version"

  work="$(mktemp -d)"
  cp -R "$source/." "$work/"
  chmod -R u+w "$work"
  echo "$version" >"$work/build/version/version.txt"

  mkdir -p "$(dirname "$binary")"
  (cd "$work" && GOFLAGS=-buildvcs=false go build -o "$binary" ./cmd/ferretdb) \
    >>"$log" 2>&1 || fail "building FerretDB failed"
  rm -rf "$work"
}

ensure_binary() {
  if ! "$binary" --version >>"$log" 2>&1; then
    build_ferretdb
  fi
  # Read the whole output first: with pipefail, `grep -q` closing the pipe
  # early would make the check fail at random.
  local reported
  reported="$("$binary" --version 2>>"$log")" ||
    fail "$binary --version failed"
  grep -q "version: $version" <<<"$reported" ||
    fail "$binary is not FerretDB $version"
}

free_port() {
  if ! accepts_connections 27018; then
    echo 27018
    return
  fi
  node -e "
    const server = require('node:net').createServer();
    server.listen(0, '127.0.0.1', () => {
      console.log(server.address().port);
      server.close();
    });"
}

start_ferretdb() {
  local port="$1" data="$state/data"
  rm -rf "$data"
  mkdir -p "$data"
  say "starting FerretDB on 127.0.0.1:$port with data in $data"

  # Detached, and with no hold on our stdout, so `$(...)` returns.
  setsid "$binary" \
    --handler=sqlite \
    --sqlite-url="file:$data/" \
    --listen-addr="127.0.0.1:$port" \
    --state-dir="$state" \
    --debug-addr=- \
    --telemetry=disable \
    </dev/null >>"$log" 2>&1 &
  echo $! >"$pid_file"
  echo "$port" >"$port_file"
}

wait_until_ready() {
  local port="$1" pid
  pid="$(cat "$pid_file")"

  for _ in $(seq 1 150); do
    if accepts_connections "$port"; then
      say "FerretDB (pid $pid) accepts connections on port $port"
      return
    fi
    kill -0 "$pid" 2>/dev/null || fail "FerretDB exited during start"
    sleep 0.2
  done

  fail "FerretDB did not accept connections on port $port within 30s"
}

main() {
  local port
  if port="$(running_port)"; then
    say "FerretDB is already running on port $port"
    print_exports "$port"
    return
  fi

  ensure_binary
  port="$(free_port)"
  start_ferretdb "$port"
  wait_until_ready "$port"
  print_exports "$port"
}

main
