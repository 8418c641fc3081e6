#!/usr/bin/env bash
# Load test on loopback: the example `service` under mixed CORS traffic (allowed, a 401 from
# auth, foreign, public, preflights granted and refused, malformed, strict, non-UTF-8) from wrk.
#
#   bash tests/load/run.sh                      # 256 connections, 5 s warm-up, then 30 s
#   LOAD_SECONDS=10 bash tests/load/run.sh      # shorter
#
# Passes when every response of every shape had its expected status and
# Access-Control-Allow-Origin, wrk saw no socket errors, the server never panicked and is
# still up, and its resident memory at the end is within 10% of what it was after warm-up.
set -euo pipefail
cd "$(dirname "$0")/../.."

seconds="${LOAD_SECONDS:-30}"
connections="${LOAD_CONNECTIONS:-256}"
threads=9 # one per request shape in mixed.lua
port="${LOAD_PORT:-$((20000 + RANDOM % 20000))}"
work="$(mktemp -d)"

cargo build --quiet --example service
APP_ORIGINS="https://app.example.com https://admin.example.com" \
    target/debug/examples/service --port "$port" >"$work/server.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT

for _ in $(seq 100); do
    curl -fsS "http://127.0.0.1:$port/api/status" >/dev/null 2>&1 && break
    sleep 0.1
done
curl -fsS "http://127.0.0.1:$port/api/status" >/dev/null

rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$server/status"; }

check() { # wrk output file
    local out="$1" shapes
    shapes="$(grep -c '^LOAD ' "$out" || true)"
    if [ "$shapes" -ne "$threads" ]; then
        echo "expected $threads shapes, got $shapes"; cat "$out"; return 1
    fi
    if grep -q 'Socket errors' "$out"; then
        echo "wrk saw socket errors"; cat "$out"; return 1
    fi
    if grep '^LOAD ' "$out" | grep -v ' bad=0 ' | grep -q .; then
        echo "unexpected answers:"; grep '^LOAD ' "$out"; return 1
    fi
    if grep '^LOAD ' "$out" | grep -q ' ok=0 '; then
        echo "a shape got no answers at all:"; grep '^LOAD ' "$out"; return 1
    fi
}

# One wrk run: memory is sampled after the warm-up and again just before the run ends, over
# the same open connections, so what is compared is per-request memory, not the buffers
# of connections being replaced.
warmup=5
wrk -t"$threads" -c"$connections" -d"$((warmup + seconds + 1))s" --latency -s tests/load/mixed.lua \
    "http://127.0.0.1:$port" >"$work/load.txt" &
client=$!
sleep "$warmup"
warm_rss="$(rss_kb)"
sleep "$seconds"
end_rss="$(rss_kb)"
wait "$client"
check "$work/load.txt"

grep -E '^LOAD |Requests/sec|Latency|99%' "$work/load.txt"
echo "resident memory: ${warm_rss} KB after warm-up, ${end_rss} KB at the end"

if ! kill -0 "$server" 2>/dev/null; then
    echo "the server exited"; cat "$work/server.log"; exit 1
fi
if grep -qi 'panicked' "$work/server.log"; then
    echo "the server panicked:"; grep -i -A3 'panicked' "$work/server.log"; exit 1
fi
if [ "$end_rss" -gt $((warm_rss * 110 / 100)) ]; then
    echo "resident memory grew by more than 10% under load"; exit 1
fi
echo "load: every answer as expected, no panic, memory steady"
