#!/usr/bin/env bash
# A bounded fuzzing run of every target on the stable toolchain (cargo-fuzz needs nightly
# flags; RUSTC_BOOTSTRAP=1 lets stable accept them). Each target starts from its committed
# seeds in corpus/<target>/ and writes what it discovers to a scratch directory, so the
# committed corpus stays small. A crash stops the run with the input saved in artifacts/.
#
#   bash fuzz/run.sh            # 20 s per target
#   FUZZ_SECONDS=300 bash fuzz/run.sh
set -euo pipefail
cd "$(dirname "$0")"

seconds="${FUZZ_SECONDS:-20}"
export RUSTC_BOOTSTRAP=1
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

# No sanitizer: the code under test is safe Rust, so ASan would only slow the build and runs.
cargo fuzz build --sanitizer none
for target in $(cargo fuzz list); do
    mkdir -p "$scratch/$target"
    echo "-- fuzz $target for ${seconds}s"
    cargo fuzz run --sanitizer none "$target" "$scratch/$target" "corpus/$target" -- \
        -max_total_time="$seconds" -max_len=4096 -print_final_stats=1 2>&1 \
        | grep -E '^(#[0-9]+ +DONE|stat::number_of_executed_units|stat::peak_rss_mb|==|SUMMARY|Done)' || true
    # `grep` hides libFuzzer's progress lines; a failure still fails the run:
    test "${PIPESTATUS[0]}" -eq 0
done
