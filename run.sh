#!/usr/bin/env bash
# The one entry point:
#   ./run.sh demo   install what is missing, build (Release) and open the window on demo data
#   ./run.sh test   the same set-up, then the whole test suite (headless)
#   ./run.sh bench  the benchmarks (Release), writing build/bench/results.json
#   ./run.sh sanitize         the whole test suite again, built with AddressSanitizer and
#                             UndefinedBehaviorSanitizer (build-sanitize/)
#   ./run.sh fuzz [SECONDS]   builds the libFuzzer targets with clang (build-fuzz/) and runs each
#                             for SECONDS (default 60) from its seed corpus; fails on any crash
set -euo pipefail
cd "$(dirname "$0")"

BUILD_DIR=${PAGEWISE_BUILD_DIR:-build}
SANITIZE_BUILD_DIR=${PAGEWISE_SANITIZE_BUILD_DIR:-build-sanitize}
FUZZ_BUILD_DIR=${PAGEWISE_FUZZ_BUILD_DIR:-build-fuzz}
# openssl: the TLS integration tests make their certificates with it. nettle-dev: SHA-256 for SigV4.
PACKAGES=(cmake ninja-build g++ qt6-base-dev qt6-httpserver-dev qt6-websockets-dev qt6-qpa-plugins libgl-dev
          libsimdjson-dev nettle-dev python3 openssl)
# libFuzzer comes with clang's runtime libraries.
FUZZ_PACKAGES=(clang-14 libclang-rt-14-dev)

# Installs PACKAGES plus any packages given as arguments.
install_packages() {
    local missing=()
    for p in "${PACKAGES[@]}" "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "run.sh: installing ${missing[*]}" >&2
    local sudo=()
    [ "$(id -u)" -eq 0 ] || sudo=(sudo)
    "${sudo[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

build() {
    local type=$1
    cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE="$type" >/dev/null
    cmake --build "$BUILD_DIR" --parallel "$(nproc)"
}

# Sanitizer run-time settings: stop at the first report of any kind. Leaks are checked too. The
# suppression files in .ci/sanitizers/ list each exception with its reason.
sanitizer_environment() {
    export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:check_initialization_order=1:strict_init_order=1
    export LSAN_OPTIONS=suppressions=$PWD/.ci/sanitizers/lsan.supp:print_suppressions=0
    export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:suppressions=$PWD/.ci/sanitizers/ubsan.supp:print_suppressions=0
}

# Runs one fuzzer for $2 seconds on a scratch copy of its corpus; returns non-zero on a crash,
# leaving the input that caused it in $FUZZ_BUILD_DIR/artifacts/.
run_fuzzer() {
    local target=$1 seconds=$2
    local binary=$FUZZ_BUILD_DIR/tests/fuzz/fuzz_$target
    local work=$FUZZ_BUILD_DIR/corpus-work/$target
    local log=$FUZZ_BUILD_DIR/logs/fuzz_$target.log
    mkdir -p "$work" "$FUZZ_BUILD_DIR/artifacts" "$FUZZ_BUILD_DIR/logs"
    # New inputs go to the scratch directory (first); the committed seeds are only read.
    if "$binary" -max_total_time="$seconds" -timeout=25 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$FUZZ_BUILD_DIR/artifacts/${target}-" "$work" "tests/fuzz/corpus/$target" >"$log" 2>&1; then
        echo "fuzz_$target: ok ($(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo '?') runs)"
        return 0
    fi
    echo "fuzz_$target: FAILED, log: $log" >&2
    grep -E 'ERROR|runtime error|invariant failed|Test unit written' "$log" | head -n 20 >&2 || tail -n 30 "$log" >&2
    return 1
}

cmd=${1:-}
shift || true
case "$cmd" in
demo)
    install_packages
    build Release
    exec "$BUILD_DIR/pagewise" --demo "$@"
    ;;
test)
    install_packages
    build Release
    export QT_QPA_PLATFORM=offscreen
    cd "$BUILD_DIR"
    ctest --output-on-failure --timeout 900 "$@"
    ;;
bench)
    install_packages
    build Release
    exec "$BUILD_DIR/tests/bench/pagewise-bench" "$@"
    ;;
sanitize)
    install_packages
    cmake -S . -B "$SANITIZE_BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DPAGEWISE_SANITIZE=ON >/dev/null
    cmake --build "$SANITIZE_BUILD_DIR" --parallel "$(nproc)"
    export QT_QPA_PLATFORM=offscreen
    sanitizer_environment
    cd "$SANITIZE_BUILD_DIR"
    ctest --output-on-failure --timeout 1800 "$@"
    ;;
fuzz)
    seconds=${1:-60}
    [[ $seconds =~ ^[1-9][0-9]*$ ]] || { echo "usage: ./run.sh fuzz [SECONDS per target, default 60]" >&2; exit 2; }
    install_packages "${FUZZ_PACKAGES[@]}"
    cmake -S . -B "$FUZZ_BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++-14 \
        -DPAGEWISE_FUZZ=ON >/dev/null
    cmake --build "$FUZZ_BUILD_DIR" --parallel "$(nproc)" --target pagewise_fuzzers
    sanitizer_environment
    targets=()
    for source in tests/fuzz/fuzz_*.cpp; do
        name=${source##*/fuzz_}
        targets+=("${name%.cpp}")
    done
    # As many fuzzers at once as there are cores; each is single-threaded.
    started=$SECONDS passed=0 failed=0 running=0
    for target in "${targets[@]}"; do
        if [ "$running" -ge "$(nproc)" ]; then
            wait -n && passed=$((passed + 1)) || failed=$((failed + 1))
            running=$((running - 1))
        fi
        run_fuzzer "$target" "$seconds" &
        running=$((running + 1))
    done
    while [ "$running" -gt 0 ]; do
        wait -n && passed=$((passed + 1)) || failed=$((failed + 1))
        running=$((running - 1))
    done
    echo "fuzz: ${#targets[@]} targets for ${seconds} s each took $((SECONDS - started)) s"
    echo "fuzz: $passed passed, $failed failed"
    [ "$failed" -eq 0 ]
    ;;
*)
    echo "usage: ./run.sh demo|test|bench|sanitize|fuzz [seconds]" >&2
    exit 2
    ;;
esac
