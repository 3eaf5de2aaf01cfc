#!/usr/bin/env bash
# Runs every test: sets up the machine (scripts/setup.sh --mpi), builds in Release, runs the xunit suites, a short round of
# the crash-safety harness and a short round of fuzzing.
# Both GEMM backends are exercised: the GEMM tests call each directly, and the engine suite runs a second time with
# ELBO_GEMM=managed and AVX-512 switched off in the JIT, so the Vector256 and scalar fallbacks of every kernel run too.
set -euo pipefail
cd "$(dirname "$0")/.."
# --mpi: MPICH for the data-parallel tests (tests/Elbo.Distributed.Tests run mpiexec.mpich -n 2 on localhost)
bash scripts/setup.sh --mpi
dotnet build Elbo.sln -c Release --nologo -v q --no-restore
log=$(mktemp)
status=0
dotnet test Elbo.sln -c Release --no-build --nologo 2>&1 | tee "$log" || status=$?
# The engine suite once more with the managed GEMM everywhere (the run above uses OpenBLAS where it loads) and without
# AVX-512 (DOTNET_EnableAVX512F=0: Vector512 paths off, the Vector256/scalar ones run).
ELBO_GEMM=managed DOTNET_EnableAVX512F=0 dotnet test tests/Elbo.Engine.Tests -c Release --no-build --nologo 2>&1 | tee -a "$log" || status=$?
# The crash-safety harness, short: kill -9 (random and aimed at checkpoint writes), SIGINT/SIGTERM, two writers, a
# full disk; it exits nonzero on any torn, unloadable, dead-end, mixed or diverging run folder (bench/crash_safety.sh).
bash bench/crash_safety.sh 3 2 2 2>&1 | tee -a "$log" | tail -1 || status=$?
# A short round of coverage-guided fuzzing (scripts/fuzz.sh, docs/fuzzing.md): each parser's afl-fuzz target for 15 s
# from its seed corpus; a crash or a hang fails the run, with its input in artifacts/fuzz/findings/.
bash scripts/fuzz.sh all 15 || status=$?
# One plain closing line for CI: "tests: N passed, N failed, N skipped".
awk '/Failed:[[:space:]]*[0-9]+, Passed:/ {
       for (i = 1; i <= NF; i++) { gsub(",", "", $(i+1));
         if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) } }
     END { printf "tests: %d passed, %d failed, %d skipped\n", p, f, s }' "$log"
rm -f "$log"
exit $status
