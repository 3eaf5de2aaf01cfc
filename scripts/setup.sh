#!/usr/bin/env bash
# Installs what Elbo needs on a fresh Debian 12 machine with the .NET 10 SDK (run as root), then restores NuGet
# packages. Safe to run again: it installs only what is missing.
#   ELBO_SETUP_EXTRA="pkg ..."  more Debian packages to install (e.g. python3-torch for the PyTorch peer)
#   --mpi                       also MPICH (mpich: mpiexec.mpich and libmpich.so.12), for data-parallel training
#                               across processes and hosts (docs/distributed.md) and its tests; scripts/test.sh asks for it
set -euo pipefail
cd "$(dirname "$0")/.."
mpi=()
for arg in "$@"; do
  case "$arg" in
    --mpi) mpi=(mpich) ;;
    *) echo "setup: unknown option $arg (known: --mpi)" >&2; exit 2 ;;
  esac
done

# chromium: headless browser for the HTML report's tests (tests/Elbo.Report.Tests, driven by Playwright), with a font
# (installed without recommended packages, chromium would otherwise have none to draw the SVG labels with)
# python3-sklearn: real public tables (breast cancer, wine, iris CSVs) for the table tests (tests/Elbo.Tests/Tables)
# python3-onnx: the ONNX project's own checker (onnx.checker.check_model), run on the files elbo export writes
# afl++: afl-fuzz, which drives the fuzzing harness fuzz/Elbo.Fuzz (scripts/fuzz.sh; a short round is part of the tests)
packages=(libopenblas0-pthread dataset-fashion-mnist chromium fonts-dejavu-core python3-sklearn python3-onnx afl++ "${mpi[@]}" ${ELBO_SETUP_EXTRA:-})
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
fi
command -v dotnet >/dev/null || { echo "setup: the .NET 10 SDK (dotnet) is not on PATH" >&2; exit 1; }
dotnet restore Elbo.sln --nologo -v q
# SharpFuzz.CommandLine (sharpfuzz, which instruments assemblies for afl-fuzz), pinned in .config/dotnet-tools.json
dotnet tool restore >/dev/null
