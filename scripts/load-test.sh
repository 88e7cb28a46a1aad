#!/usr/bin/env bash
# Load test of the example app on loopback (issue 8): GET /healthz, GET /account with a valid
# session (SQLite, and Redis when redis-server is installed) and POST /api/preferences with its
# CSRF token. Server pinned to CPU 0, wrk to CPU 1; bounded in time; prints a Markdown table.
#
#   scripts/load-test.sh [seconds per scenario, default 10] [connections, default 64]
#
# Needs wrk (apt-get install -y wrk) and curl; redis-server for the Redis rows.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-10}
conns=${2:-64}
command -v wrk >/dev/null || { echo "wrk is not installed: apt-get install -y wrk" >&2; exit 1; }

cargo build --release -q -p axum-app
bin=target/release/axum-app
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

start_app() { # $1 = extra env (e.g. REDIS_URL=...)
  local port; port=$(free_port)
  env DATA_DIR="$work/data-$port" BIND="127.0.0.1:$port" PUBLIC_ORIGIN="http://127.0.0.1:$port" \
      SESSION_SECRET="load-test secret that is long enough, 32+" RUST_LOG=warn $1 \
      taskset -c 0 "$bin" >/dev/null 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
  echo "$port"
}

login() { # $1 = port; prints "cookie|token"
  local base="http://127.0.0.1:$1"
  local cookie token
  cookie=$(curl -si -X POST "$base/api/login" -H 'Content-Type: application/json' \
      -d '{"email":"masa@example.com","password":"correct-horse-battery-staple"}' \
      | tr -d '\r' | sed -n 's/^set-cookie: \([^;]*\);.*/\1/p')
  token=$(curl -s "$base/api/csrf" -H "Cookie: $cookie" | sed 's/.*"token":"\([^"]*\)".*/\1/')
  echo "$cookie|$token"
}

run() { # $1 label, $2 url, $3.. extra wrk args
  local label=$1 url=$2; shift 2
  local out; out=$(taskset -c 1 wrk -t1 -c"$conns" -d"${secs}s" --latency "$@" "$url")
  local rps p50 p99 errs
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1=="50%" {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  errs=$(echo "$out" | awk '/Non-2xx or 3xx/ {print $5}')
  printf '| %s | %s | %s | %s | %s |\n' "$label" "$rps" "$p50" "$p99" "${errs:-0}"
}

post_script() { # $1 cookie, $2 token
  cat > "$work/post.lua" <<LUA
wrk.method = "POST"
wrk.body = '{"theme":"dark","locale":"de"}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Sec-Fetch-Site"] = "same-origin"
wrk.headers["Cookie"] = "$1"
wrk.headers["X-CSRF-Token"] = "$2"
LUA
  echo "$work/post.lua"
}

echo "| scenario | requests/s | p50 | p99 | non-2xx |"
echo "|---|---:|---:|---:|---:|"
port=$(start_app "")
IFS='|' read -r cookie token < <(login "$port")
run "GET /healthz" "http://127.0.0.1:$port/healthz"
run "GET /account (SQLite)" "http://127.0.0.1:$port/account" -H "Cookie: $cookie"
run "POST /api/preferences + CSRF (SQLite)" "http://127.0.0.1:$port/api/preferences" -s "$(post_script "$cookie" "$token")"

if command -v redis-server >/dev/null; then
  rport=$(free_port)
  redis-server --port "$rport" --bind 127.0.0.1 --save '' --appendonly no >/dev/null 2>&1 &
  pids+=($!)
  sleep 0.3
  port=$(start_app "REDIS_URL=redis://127.0.0.1:$rport/")
  IFS='|' read -r cookie token < <(login "$port")
  run "GET /account (Redis)" "http://127.0.0.1:$port/account" -H "Cookie: $cookie"
  run "POST /api/preferences + CSRF (Redis)" "http://127.0.0.1:$port/api/preferences" -s "$(post_script "$cookie" "$token")"
else
  echo "(redis-server not installed: Redis rows skipped)" >&2
fi
