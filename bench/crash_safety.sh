#!/usr/bin/env bash
# Crash-safety harness: does anything a user can do to a training process leave a run folder torn, unloadable, mixed
# or at a dead end? Each trial trains a small MLP VAE on the 2-D ring (6 epochs, two 1,000-unit hidden layers so that a
# checkpoint is ~12 MB (weights and Adam's moments) and its write takes long enough to be hit), does something to it, then checks the folder:
#   kill     kill -9 at a random moment                               (KILLS trials)
#   aimed    kill -9 the moment a checkpoint's temporary file appears (AIMED trials)
#   signal   SIGINT or SIGTERM at a random moment                     (SIGNALS trials; exit 130/143 expected)
#   disk     the disk fills up after the first checkpoint (a small tmpfs; needs root for mount); then `plot` on the
#            full disk must fail and write nothing
#   writers  two `train` processes started on one folder at once, with different --latent
# After each fault: the checkpoint (if any) must load (`elbo encode`), metrics.jsonl must not run ahead of it, the run
# must go on (`--resume`, or a fresh start when no checkpoint was written), and the finished run must encode exactly
# as an uninterrupted reference run does (same thread count: the results are bitwise reproducible). No temporary file
# may be left after the resume.
# Usage: bench/crash_safety.sh [KILLS] [AIMED] [SIGNALS]     (defaults 20 12 8; CI runs 4 3 2)
# Prints one line per trial and a summary; exits 1 on any torn, unloadable, dead-end, mixed or diverging folder.
set -uo pipefail
cd "$(dirname "$0")/.."
kills=${1:-20}
aimed=${2:-12}
signals=${3:-8}
py=/usr/bin/python3
dotnet build src/Elbo.Cli -c Release --nologo -v q >/dev/null || { echo "crash_safety: build failed" >&2; exit 1; }
dll="$PWD/src/Elbo.Cli/bin/Release/net10.0/Elbo.Cli.dll"
elbo() { dotnet "$dll" "$@"; }
work=$(mktemp -d /tmp/elbo-crash.XXXXXX)
full="$work/full"
cleanup() { mountpoint -q "$full" 2>/dev/null && umount "$full"; rm -rf "$work"; }
trap cleanup EXIT

epochs=6
base=(--data ring --hidden 1000,1000 --batch-size 256 --epochs $epochs --no-report --threads 2)
args=("${base[@]}" --latent 4)
torn=0 deadend=0 mixed=0 diverged=0 leftovers=0 trials=0 failures=0

# The epoch a checkpoint holds, read from model.safetensors' header (its metadata), or -1 when there is none.
checkpoint_epoch() {
  [ -f "$1/model.safetensors" ] || { echo -1; return; }
  $py - "$1/model.safetensors" <<'EOF'
import json, struct, sys
with open(sys.argv[1], "rb") as f:
    n = struct.unpack("<Q", f.read(8))[0]
    print(json.loads(f.read(n))["__metadata__"]["elbo.epoch"])
EOF
}

# The epochs metrics.jsonl lists, space-separated.
logged_epochs() {
  [ -f "$1/metrics.jsonl" ] || return 0
  $py -c 'import json,sys; print(" ".join(str(json.loads(l)["epoch"]) for l in open(sys.argv[1]) if l.strip()))' "$1/metrics.jsonl"
}

echo "crash_safety: reference run ($(lscpu | sed -n 's/^Model name:[[:space:]]*//p'))"
elbo train --out "$work/reference" "${args[@]}" >/dev/null || { echo "crash_safety: the reference run failed" >&2; exit 1; }
elbo encode "$work/reference" --out "$work/reference.csv" >/dev/null

# Checks a folder after a fault and finishes the run; $1 folder, $2 trial name.
check() {
  local dir=$1 name=$2 verdict=ok epoch logged
  trials=$((trials + 1))
  epoch=$(checkpoint_epoch "$dir")
  if [ "$epoch" -ge 0 ]; then
    if ! elbo encode "$dir" --out "$work/enc.csv" >/dev/null 2>"$work/err"; then
      verdict="torn: $(head -1 "$work/err")"; torn=$((torn + 1))
    fi
    logged=$(logged_epochs "$dir")
    for e in $logged; do
      if [ "$e" -gt "$epoch" ]; then verdict="torn: metrics.jsonl names epoch $e, the checkpoint has $epoch"; torn=$((torn + 1)); break; fi
    done
    resume=(--resume)
  else
    resume=(--force)   # no checkpoint was written: starting over must work
    [ -d "$dir" ] || resume=()
  fi
  if [ "$verdict" = ok ]; then
    if ! elbo train --out "$dir" "${args[@]}" "${resume[@]}" >/dev/null 2>"$work/err"; then
      verdict="dead end: $(head -1 "$work/err")"; deadend=$((deadend + 1))
    elif ! elbo encode "$dir" --out "$work/enc.csv" >/dev/null 2>"$work/err" || ! cmp -s "$work/enc.csv" "$work/reference.csv"; then
      verdict="diverged: the finished run does not encode as the reference does"; diverged=$((diverged + 1))
    elif [ "$(logged_epochs "$dir")" != "$(seq -s ' ' 1 $epochs)" ]; then
      verdict="torn: metrics.jsonl lists epochs '$(logged_epochs "$dir")'"; torn=$((torn + 1))
    elif compgen -G "$dir/.*.tmp" >/dev/null; then
      verdict="leftover temporary files: $(cd "$dir" && ls -a | grep '\.tmp$' | tr '\n' ' ')"; leftovers=$((leftovers + 1))
    fi
  fi
  [ "$verdict" = ok ] || failures=$((failures + 1))
  printf '%-10s checkpoint epoch %2s: %s\n' "$name" "$epoch" "$verdict"
}

# dotnet itself in the background (not a shell function around it), so that $! is the training process
start_training() { dotnet "$dll" train --out "$1" "${args[@]}" >/dev/null 2>&1 & pid=$!; }

for i in $(seq 1 "$kills"); do
  dir="$work/kill$i"
  start_training "$dir"
  sleep "$($py -c 'import random; print(round(random.uniform(0.3, 4.5), 2))')"
  kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
  check "$dir" "kill$i"
done

for i in $(seq 1 "$aimed"); do
  dir="$work/aimed$i"
  start_training "$dir"
  # the n-th checkpoint write: wait for its temporary file, then kill at once
  target=$((1 + (i - 1) % (epochs - 1)))
  seen=0 waiting=0
  while kill -0 "$pid" 2>/dev/null; do
    if compgen -G "$dir/.model.safetensors.*.tmp" >/dev/null; then
      seen=$((seen + 1))
      if [ $seen -ge $target ]; then kill -9 "$pid"; break; fi
      while compgen -G "$dir/.model.safetensors.*.tmp" >/dev/null; do :; done
    fi
  done
  wait "$pid" 2>/dev/null
  check "$dir" "aimed$i"
done

for i in $(seq 1 "$signals"); do
  dir="$work/signal$i"
  sig=$([ $((i % 2)) -eq 0 ] && echo TERM || echo INT)
  want=$([ "$sig" = TERM ] && echo 143 || echo 130)
  start_training "$dir"
  sleep "$($py -c 'import random; print(round(random.uniform(0.8, 3.0), 2))')"
  kill -s "$sig" "$pid" 2>/dev/null; wait "$pid"; rc=$?
  if [ "$rc" -ne "$want" ] && [ "$rc" -ne 0 ]; then echo "signal$i    SIG$sig gave exit $rc, not $want"; failures=$((failures + 1)); fi
  check "$dir" "signal$i"
done

# Two writers at once: one trains, the other is refused (exit 2, naming the owner); the folder is the winner's alone.
for i in 1 2 3; do
  dir="$work/writers$i"
  dotnet "$dll" train --out "$dir" "${base[@]}" --latent 4 >"$work/w1" 2>&1 & p1=$!
  dotnet "$dll" train --out "$dir" "${base[@]}" --latent 5 >"$work/w2" 2>&1 & p2=$!
  wait $p1; r1=$?; wait $p2; r2=$?
  trials=$((trials + 1))
  latent=$($py -c 'import json,sys; print(json.load(open(sys.argv[1]))["latent"])' "$dir/config.json" 2>/dev/null)
  winner=$([ $r1 -eq 0 ] && echo 4 || echo 5)
  if ! { [ $r1 -eq 0 ] && [ $r2 -eq 2 ]; } && ! { [ $r1 -eq 2 ] && [ $r2 -eq 0 ]; }; then
    echo "writers$i   exits $r1 and $r2: not one success and one refusal"; mixed=$((mixed + 1)); failures=$((failures + 1))
  elif [ "$latent" != "$winner" ] || ! elbo encode "$dir" --out "$work/enc.csv" >/dev/null 2>&1; then
    echo "writers$i   mixed: config.json has latent $latent, the winner trained $winner"; mixed=$((mixed + 1)); failures=$((failures + 1))
  else
    echo "writers$i   one trained (latent $winner), the other was refused: $(grep -h 'elbo:' "$work/w1" "$work/w2" | head -1)"
  fi
done

# A full disk: a tmpfs with room for the first checkpoint; a filler takes the rest once it is written.
if mkdir -p "$full" && mount -t tmpfs -o size=64m tmpfs "$full" 2>/dev/null; then
  for i in 1 2; do
    dir="$full/run$i"
    dotnet "$dll" train --out "$dir" "${args[@]}" >/dev/null 2>"$work/err" & pid=$!
    while kill -0 "$pid" 2>/dev/null && [ "$(checkpoint_epoch "$dir" 2>/dev/null)" -lt "$i" ] 2>/dev/null; do sleep 0.02; done
    fallocate -l "$(df --output=avail -B1 "$full" | tail -1)" "$full/filler" 2>/dev/null || dd if=/dev/zero of="$full/filler" bs=1M 2>/dev/null
    wait "$pid"; rc=$?
    trials=$((trials + 1))
    if [ "$rc" -ne 1 ]; then
      echo "disk$i      training on a full disk exited $rc, not 1"; failures=$((failures + 1))
    else
      echo "disk$i      training stopped on the full disk: $(head -1 "$work/err")"
    fi
    # plot on the full disk: fails, writes nothing
    before=$(ls -a "$dir" | sort | md5sum)
    elbo plot "$dir" --n 500 >/dev/null 2>"$work/err"; prc=$?
    after=$(ls -a "$dir" | sort | md5sum)
    if [ $prc -eq 0 ] || [ "$before" != "$after" ]; then
      echo "disk$i      plot on a full disk: exit $prc, folder changed: $([ "$before" != "$after" ] && echo yes || echo no)"; failures=$((failures + 1)); torn=$((torn + 1))
    else
      echo "disk$i      plot on the full disk failed and wrote nothing: $(head -1 "$work/err")"
    fi
    rm -f "$full/filler"
    trials=$((trials - 1))
    check "$dir" "disk$i"
    rm -rf "$dir"
  done
else
  echo "disk       skipped: mounting a tmpfs needs root"
fi

echo "crash_safety: $trials trials ($kills random kills, $aimed aimed at checkpoint writes, $signals signals, 3 two-writer races, full disk): torn $torn, dead end $deadend, mixed $mixed, diverged $diverged, temporary files left $leftovers"
[ "$failures" -eq 0 ]
