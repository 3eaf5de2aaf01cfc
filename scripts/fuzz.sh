#!/usr/bin/env bash
# Coverage-guided fuzzing of Elbo's parsers with afl++ and SharpFuzz (docs/fuzzing.md).
#   scripts/fuzz.sh TARGET SECONDS     one target (idx, safetensors, config, png, jpeg, csv, parquet, http)
#   scripts/fuzz.sh all SECONDS        every target in turn, SECONDS each (or a list: csv,parquet SECONDS)
# Publishes fuzz/Elbo.Fuzz into artifacts/fuzz/bin, instruments Elbo's assemblies and the format libraries the readers
# call (SharpFuzz.CommandLine, the pinned local tool of .config/dotnet-tools.json), then runs afl-fuzz on each target
# from its seed corpus fuzz/corpus/TARGET for SECONDS of fuzzing (-V). Prints per target the executions, exec/s, paths
# (afl's corpus entries) and the crashes and hangs; copies every crashing or hanging input to
# artifacts/fuzz/findings/TARGET/{crashes,hangs}/ and replays it to show what it raised. Exits 1 if any target had a
# crash or a hang, 2 on a usage error.
#   ELBO_FUZZ_OUT=DIR   where the build, afl's output and the findings go (default artifacts/fuzz)
set -euo pipefail
cd "$(dirname "$0")/.."

usage() { echo "usage: scripts/fuzz.sh TARGET[,TARGET...]|all SECONDS" >&2; exit 2; }
[ $# -eq 2 ] || usage
which="$1" seconds="$2"
[[ "$seconds" =~ ^[1-9][0-9]*$ ]] || usage
command -v afl-fuzz >/dev/null || { echo "fuzz: afl-fuzz is missing (Debian's afl++: scripts/setup.sh installs it)" >&2; exit 1; }

out="${ELBO_FUZZ_OUT:-artifacts/fuzz}"
bin="$out/bin"
mkdir -p "$out"
out="$(cd "$out" && pwd)" bin="$out/bin"

# A fresh publish each time: sharpfuzz instruments in place and refuses an assembly it has instrumented already.
rm -rf "$bin"
dotnet publish fuzz/Elbo.Fuzz -c Release -o "$bin" --nologo -v q >"$out/publish.log" 2>&1 || { cat "$out/publish.log" >&2; exit 1; }
dotnet tool restore >/dev/null
# Elbo's own code, and the third-party code it hands the bytes to: the image decoder, the Parquet and CSV readers.
for dll in Elbo.dll Elbo.Engine.dll Elbo.Server.dll StbImageSharp.dll Parquet.dll Sep.dll; do
  dotnet tool run sharpfuzz "$bin/$dll" >/dev/null || { echo "fuzz: sharpfuzz could not instrument $dll" >&2; exit 1; }
done
harness=(dotnet "$bin/Elbo.Fuzz.dll")
mapfile -t known < <("${harness[@]}" list | cut -f1)
if [ "$which" = all ]; then targets=("${known[@]}")
else
  IFS=, read -r -a targets <<<"$which"
  for t in "${targets[@]}"; do
    printf '%s\n' "${known[@]}" | grep -qx -- "$t" || { echo "fuzz: no target '$t' (targets: ${known[*]})" >&2; exit 2; }
  done
fi

# The dotnet binary is not afl-instrumented (SharpFuzz writes the coverage from inside the runtime), and these machines
# are shared VMs: no CPU frequency control, no core to pin, core dumps handled by the system.
export AFL_SKIP_BIN_CHECK=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_AFFINITY=1 AFL_NO_UI=1
# A timeout is confirmed at AFL_HANG_TMOUT before it counts as a hang: the 2 shared cores are often loaded by others.
export AFL_SKIP_CRASHES=1 AFL_FORKSRV_INIT_TMOUT=60000 AFL_HANG_TMOUT=20000 AFL_FAST_CAL=1
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

stat() { awk -F' *: *' -v k="$2" '$1 == k { print $2 }' "$1"; }
status=0
printf '%-12s %8s %10s %8s %7s %8s %6s\n' target seconds execs exec/s paths crashes hangs
for t in "${targets[@]}"; do
  dir="$out/$t"
  rm -rf "$dir"
  mkdir -p "$dir"
  timeout_ms=$("${harness[@]}" list | awk -F'\t' -v t="$t" '$1 == t { print $2 }')
  dict=()
  case "$t" in
    config|safetensors|http) dict=(-x fuzz/dict/json.dict) ;;
    csv|png|jpeg|parquet) dict=(-x "fuzz/dict/$t.dict") ;;
  esac
  ELBO_FUZZ_SCRATCH="$dir/scratch" afl-fuzz -i "fuzz/corpus/$t" -o "$dir/afl" -t "$timeout_ms" -m none -V "$seconds" "${dict[@]}" \
    -- "${harness[@]}" "$t" >"$dir/afl.log" 2>&1 || true
  rm -rf "$dir/scratch"
  stats="$dir/afl/default/fuzzer_stats"
  if [ ! -f "$stats" ]; then
    echo "fuzz: $t: afl-fuzz did not run; the end of $dir/afl.log:" >&2
    tail -20 "$dir/afl.log" >&2
    status=1
    continue
  fi
  crashes=$(stat "$stats" saved_crashes) hangs=$(stat "$stats" saved_hangs)
  printf '%-12s %8s %10s %8s %7s %8s %6s\n' "$t" "$(stat "$stats" run_time)" "$(stat "$stats" execs_done)" \
    "$(stat "$stats" execs_per_sec)" "$(stat "$stats" corpus_count)" "$crashes" "$hangs"
  if [ "${crashes:-0}" != 0 ] || [ "${hangs:-0}" != 0 ]; then
    status=1
    for kind in crashes hangs; do
      found=("$dir/afl/default/$kind"/id:*)
      [ -e "${found[0]}" ] || continue
      mkdir -p "$out/findings/$t/$kind"
      cp "${found[@]}" "$out/findings/$t/$kind/"
      echo "fuzz: $t: ${#found[@]} $kind in $out/findings/$t/$kind/"
      [ "$kind" = crashes ] && { "${harness[@]}" replay "$t" "${found[@]}" | grep -A3 FINDING | head -40 || true; }
    done
  fi
done
exit $status
