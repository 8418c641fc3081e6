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
#
# Then the throughput ratio (DESIGN §9.4): release builds of the service and of the same service
# with CORS removed (`--cors off`: the same handlers, auth and paths on plain axum routes),
# each sent the actual requests of the mix (actual.lua) in interleaved rounds of
# LOAD_RATIO_SECONDS (default 5) each, LOAD_RATIO_ROUNDS (default 5) rounds, the servers pinned to
# one core and wrk to the other; it prints both medians and their ratio (target ≥ 0.95), then
# each server's CPU time per request over all rounds and their ratio, then (instructions.sh,
# when valgrind is installed) instructions per request of each shape, counted, also for the
# service's CORS written by hand (`--cors floor`, the least code in the layer's place).
# Throughput is wall-clock on a shared machine and CPU time moves with it too, less; the
# instruction count does not move. All three are reported, not held: CI holds the per-request cost with `bench guard`
# (docs/performance.md).
set -euo pipefail
cd "$(dirname "$0")/../.."

seconds="${LOAD_SECONDS:-30}"
connections="${LOAD_CONNECTIONS:-256}"
threads=9 # one per request shape in mixed.lua
port="${LOAD_PORT:-$((20000 + RANDOM % 20000))}"
work="$(mktemp -d)"
target_dir="${CARGO_TARGET_DIR:-target}"
origins="https://app.example.com https://admin.example.com"

cargo build --quiet --example service
APP_ORIGINS="$origins" "$target_dir/debug/examples/service" --port "$port" >"$work/server.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT

for _ in $(seq 100); do
    curl -fsS "http://127.0.0.1:$port/api/status" >/dev/null 2>&1 && break
    sleep 0.1
done
curl -fsS "http://127.0.0.1:$port/api/status" >/dev/null

rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$server/status"; }

check() { # wrk output file [number of shapes]
    local out="$1" expected="${2:-$threads}" shapes
    shapes="$(grep -c '^LOAD ' "$out" || true)"
    if [ "$shapes" -ne "$expected" ]; then
        echo "expected $expected shapes, got $shapes"; cat "$out"; return 1
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

# ---- throughput with CORS against the same service without CORS, in the same run
kill "$server" 2>/dev/null || true
wait "$server" 2>/dev/null || true
ratio_seconds="${LOAD_RATIO_SECONDS:-5}"
rounds="${LOAD_RATIO_ROUNDS:-5}"
ratio_threads=4 # one per request shape in actual.lua
cargo build --quiet --release --example service
release="$target_dir/release/examples/service"
with_port=$((port + 1))
without_port=$((port + 2))
# The servers on the first core, wrk on the second (when the machine has two and `taskset`), so
# the two do not take turns on one core at the scheduler's whim.
pin_server=()
pin_client=()
if command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ]; then
    pin_server=(taskset -c 0)
    pin_client=(taskset -c 1)
fi
APP_ORIGINS="$origins" "${pin_server[@]}" "$release" --port "$with_port" >"$work/with.log" 2>&1 &
with_cors=$!
APP_ORIGINS="$origins" "${pin_server[@]}" "$release" --port "$without_port" --cors off >"$work/without.log" 2>&1 &
without_cors=$!
trap 'kill "$server" "$with_cors" "$without_cors" 2>/dev/null || true; rm -rf "$work"' EXIT
for p in "$with_port" "$without_port"; do
    for _ in $(seq 100); do
        curl -fsS "http://127.0.0.1:$p/api/status" >/dev/null 2>&1 && break
        sleep 0.1
    done
    curl -fsS "http://127.0.0.1:$p/api/status" >/dev/null
done

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; } # utime + stime, in clock ticks
rate() { # port pid label round -> requests/s of one wrk run; its requests and the server's CPU ticks go to label.cpu
    local out="$work/$3.$4.txt" before after
    before="$(cpu_ticks "$2")"
    "${pin_client[@]}" wrk -t"$ratio_threads" -c64 -d"${ratio_seconds}s" -s tests/load/actual.lua "http://127.0.0.1:$1" >"$out"
    after="$(cpu_ticks "$2")"
    check "$out" "$ratio_threads" >&2
    echo "$(awk '/ requests in / { print $1 }' "$out") $((after - before))" >>"$work/$3.cpu"
    awk '/^Requests\/sec:/ { print $2 }' "$out"
}
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# One short warm-up each, then the rounds, alternating which goes first.
rate "$with_port" "$with_cors" warm-with 0 >/dev/null
rate "$without_port" "$without_cors" warm-without 0 >/dev/null
: >"$work/with.rates"
: >"$work/without.rates"
for round in $(seq "$rounds"); do
    if [ $((round % 2)) -eq 1 ]; then
        rate "$with_port" "$with_cors" with "$round" >>"$work/with.rates"
        rate "$without_port" "$without_cors" without "$round" >>"$work/without.rates"
    else
        rate "$without_port" "$without_cors" without "$round" >>"$work/without.rates"
        rate "$with_port" "$with_cors" with "$round" >>"$work/with.rates"
    fi
done
with_median="$(median <"$work/with.rates")"
without_median="$(median <"$work/without.rates")"
echo "throughput, actual requests (release, $rounds interleaved rounds of ${ratio_seconds}s, median requests/s):"
echo "  with CORS:    $with_median  (rounds: $(tr '\n' ' ' <"$work/with.rates"))"
echo "  without CORS: $without_median  (rounds: $(tr '\n' ' ' <"$work/without.rates"))"
awk -v a="$with_median" -v b="$without_median" 'BEGIN {
    r = a / b
    printf "load: throughput ratio with/without CORS: %.3f (target >= 0.95: %s)\n", r, (r >= 0.95 ? "met" : "missed")
}'
# The server's CPU time (user and kernel) per request over all rounds: what a request costs
# whatever else the machine does, so it moves far less than throughput from run to run.
us_per_request() { awk -v hz="$(getconf CLK_TCK)" '{ r += $1; t += $2 } END { printf "%.3f", t * 1e6 / hz / r }' "$work/$1.cpu"; }
with_cpu="$(us_per_request with)"
without_cpu="$(us_per_request without)"
echo "server CPU time per request (user + kernel, all rounds): with CORS ${with_cpu} us, without ${without_cpu} us"
awk -v a="$with_cpu" -v b="$without_cpu" 'BEGIN {
    r = b / a
    printf "load: CPU time ratio without/with CORS: %.3f (target >= 0.95: %s)\n", r, (r >= 0.95 ? "met" : "missed")
}'
for pid in "$with_cors" "$without_cors"; do
    if ! kill -0 "$pid" 2>/dev/null; then
        echo "a ratio server exited"; cat "$work/with.log" "$work/without.log"; exit 1
    fi
done
kill "$with_cors" "$without_cors" 2>/dev/null || true

# ---- the same ratio in instructions, which the machine's load does not move
if command -v valgrind >/dev/null; then
    bash tests/load/instructions.sh "$release"
else
    echo "load: valgrind is not installed: instructions per request not counted"
fi
