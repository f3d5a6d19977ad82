#!/usr/bin/env bash
# The one entry point:
#   ./run.sh demo   install what is missing, build (Release) and open the window on demo data
#   ./run.sh test   the same set-up, then the whole test suite (headless)
#   ./run.sh bench  the benchmarks (Release), writing build/bench/results.json
set -euo pipefail
cd "$(dirname "$0")"

BUILD_DIR=${PAGEWISE_BUILD_DIR:-build}
PACKAGES=(cmake ninja-build g++ qt6-base-dev qt6-httpserver-dev qt6-websockets-dev qt6-qpa-plugins libgl-dev
          libsimdjson-dev python3)

install_packages() {
    local missing=()
    for p in "${PACKAGES[@]}"; do
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
*)
    echo "usage: ./run.sh demo|test|bench" >&2
    exit 2
    ;;
esac
