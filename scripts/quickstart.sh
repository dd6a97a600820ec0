#!/usr/bin/env bash
# One command: install dependencies, build, run the bundled default study and plot it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh -DIONHOP_BUILD_TESTS=OFF -DIONHOP_BUILD_BENCH=OFF
./build/app/ionhop run inputs/studies/quickstart.toml -o quickstart.h5
./build/app/ionhop plot quickstart.h5
