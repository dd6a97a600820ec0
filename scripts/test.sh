#!/usr/bin/env bash
# One command: install dependencies, build everything, run the whole test suite with ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh -DIONHOP_BUILD_TESTS=ON -DIONHOP_BUILD_BENCH=ON
ctest --test-dir build --output-on-failure -j "$(nproc)"
