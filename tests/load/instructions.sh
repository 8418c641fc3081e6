#!/usr/bin/env bash
# Instructions per request of the release `service` example with CORS, with `--cors off` and with
# `--cors floor` (the service's CORS written by hand, in the layer's place: the least code that
# answers these requests there, DESIGN §9.4), for each request shape of actual.lua, counted by
# valgrind's callgrind (user space: hyper, tokio, axum, the handlers, the allocator, CORS; not
# the kernel). Unlike throughput, the count does not move with the machine's load, so it is the
# load test's steady figure (run.sh prints it last).
#
#   bash tests/load/instructions.sh RELEASE_SERVICE_BINARY
#   LOAD_COUNT_REQUESTS=1000 bash tests/load/instructions.sh ...   # default 2000
#
# Each server runs under callgrind twice per shape, sent N and then 2N requests by wrk over one
# keep-alive connection, one at a time (actual.lua stops wrk at the count), with one tokio
# worker: so the runtime's parking does not vary from run to run, and the two counts differ by
# a few instructions per request. The difference of the two totals over N cancels start-up and
# shutdown. Prints each shape's instructions with CORS, without and with the floor, and the ratios
# without/with and without/floor, then both ratios of the four together (the same number of
# requests of each, as in actual.lua): the library's against what even the floor reaches.
set -euo pipefail
cd "$(dirname "$0")/../.."

binary="$1"
count="${LOAD_COUNT_REQUESTS:-2000}"
origins="https://app.example.com https://admin.example.com"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

instructions() { # cors(on|off|floor) shape requests -> the server's instructions over its whole run
    local port=$((20000 + RANDOM % 12000)) server
    APP_ORIGINS="$origins" TOKIO_WORKER_THREADS=1 valgrind --tool=callgrind --callgrind-out-file="$work/out" \
        "$binary" --port "$port" --cors "$1" >"$work/server.log" 2>&1 &
    server=$!
    for _ in $(seq 300); do
        curl -fsS "http://127.0.0.1:$port/api/status" >/dev/null 2>&1 && break
        sleep 0.1
    done
    wrk -t1 -c1 -d600s -s tests/load/actual.lua "http://127.0.0.1:$port" -- "$2" "$3" >"$work/wrk.txt"
    if ! grep -q "^LOAD $2 ok=$3 bad=0 " "$work/wrk.txt"; then
        # Called in a command substitution: the caller's trap does not see this server.
        kill "$server" 2>/dev/null || true
        echo "instructions: $2 with --cors $1: expected $3 answers as expected" >&2
        cat "$work/wrk.txt" "$work/server.log" >&2
        exit 1
    fi
    kill -TERM "$server"
    wait "$server" 2>/dev/null || true
    awk '/^(summary|totals):/ { print $2; exit }' "$work/out"
}

per_request() { # cors shape -> instructions per request
    local once twice
    once="$(instructions "$1" "$2" "$count")"
    twice="$(instructions "$1" "$2" $((2 * count)))"
    echo $(((twice - once) / count))
}

echo "instructions per request (callgrind, user space; release, one tokio worker, one connection, $count and $((2 * count)) requests):"
printf '  %-22s %10s %10s %10s %13s %14s\n' shape "with CORS" without floor without/with without/floor
total_with=0
total_without=0
total_floor=0
for shape in allowed-actual unauthorized-actual foreign-actual public-actual; do
    with="$(per_request on "$shape")"
    without="$(per_request off "$shape")"
    floor="$(per_request floor "$shape")"
    total_with=$((total_with + with))
    total_without=$((total_without + without))
    total_floor=$((total_floor + floor))
    awk -v s="$shape" -v a="$with" -v b="$without" -v f="$floor" \
        'BEGIN { printf "  %-22s %10d %10d %10d %13.3f %14.3f\n", s, a, b, f, b / a, b / f }'
done
awk -v a="$total_with" -v b="$total_without" -v f="$total_floor" 'BEGIN {
    printf "load: instructions ratio without/with CORS, the four shapes together: %.3f (target >= 0.95: %s)\n", b / a, (b / a >= 0.95 ? "met" : "missed")
    printf "load: instructions ratio without/floor (CORS by hand), the four shapes together: %.3f\n", b / f
}'
