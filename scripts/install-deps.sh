#!/usr/bin/env bash
# Installs ionhop's build and test dependencies from Debian 12 packages (run as root).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
packages=(
  g++ cmake ninja-build
  libeigen3-dev libboost-graph-dev libhdf5-dev libtomlplusplus-dev libomp-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  gemmi-dev tao-pegtl-dev
  python3-matplotlib python3-h5py python3-numpy
  lammps python3-ase
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
