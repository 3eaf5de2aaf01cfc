#!/usr/bin/env bash
# The speed issue's table, measured side by side in one script: Elbo (defaults: the GEMM plan it calibrates) and the
# PyTorch peer (../shared/bench/torch_vae.py) in alternating runs on Fashion-MNIST —
#   the MLP VAE (3-epoch runs; the peer with 1 and 2 threads, OPENBLAS_NUM_THREADS=1),
#   the 28x28 conv VAE (channels 32,64, latent 16; 1-epoch runs; the peer with 2 threads, its best),
#   the importance-sampled evidence, k = 1000 on the first 1,000 test images (elbo eval, whole command, against the
#   peer's q-only iw_nll after 1 epoch),
# then each epoch's GEMM floor (bench floor) and the serving latency (bench latency). Prints every run, then the
# medians and ratios. Needs Debian's python3-torch (ELBO_SETUP_EXTRA=python3-torch bash scripts/setup.sh).
#   bench/speed_table.sh [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
data=/usr/share/datasets/fashion-mnist
peer=${ELBO_TORCH_PEER:-../shared/bench/torch_vae.py}
echo "speed table: $rounds round(s); $(lscpu | grep 'Model name' | sed 's/ \+/ /g'), $(nproc) vCPUs;" \
  "OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-(unset)} ELBO_GEMM=${ELBO_GEMM:-(unset)}; $(date -u +%FT%TZ)"
dotnet build src/Elbo.Cli -c Release --nologo -v q >/dev/null
dotnet build bench/Elbo.Bench -c Release --nologo -v q >/dev/null
elbo=(dotnet src/Elbo.Cli/bin/Release/net10.0/Elbo.Cli.dll)
bench=(dotnet bench/Elbo.Bench/bin/Release/net10.0/Elbo.Bench.dll)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2)}'; }
epochs_of() { grep -o '"train_seconds": *[0-9.]*' "$1/metrics.jsonl" | grep -o '[0-9.]*$'; }   # Elbo's epoch seconds
peer_epochs() { grep -o 'train_s [0-9.]*' "$1" | awk '{print $2}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
e_mlp=(); t_mlp1=(); t_mlp2=(); e_conv=(); t_conv=(); e_eval=(); t_iw=()
for r in $(seq 1 "$rounds"); do
  "${elbo[@]}" train --out "$out/mlp" --epochs 3 --no-report --force > "$out/mlp.log"
  head -1 "$out/mlp.log" | grep -o 'GEMM.*' | sed "s/^/  round $r elbo mlp: /"
  m=$(median $(epochs_of "$out/mlp")); e_mlp+=("$m")
  OPENBLAS_NUM_THREADS=1 /usr/bin/python3 "$peer" "$data" 3 1 mlp > "$out/t1.log"
  t1=$(median $(peer_epochs "$out/t1.log")); t_mlp1+=("$t1")
  OPENBLAS_NUM_THREADS=1 /usr/bin/python3 "$peer" "$data" 3 2 mlp > "$out/t2.log"
  t2=$(median $(peer_epochs "$out/t2.log")); t_mlp2+=("$t2")
  echo "round $r: MLP epoch (median of 3): elbo $m s, torch 1 thread $t1 s, 2 threads $t2 s"

  start=$(date +%s.%N)
  "${elbo[@]}" eval "$out/mlp" --k 1000 --n 1000 > "$out/eval.log"
  ev=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN {printf "%.2f", e - s}'); e_eval+=("$ev")
  OPENBLAS_NUM_THREADS=1 /usr/bin/python3 "$peer" "$data" 1 2 mlp 1000 > "$out/iw.log"
  iw=$(grep -o '([0-9.]*s)' "$out/iw.log" | tr -d '()s'); t_iw+=("$iw")
  echo "round $r: IW k=1000 on 1,000 test images: elbo eval $ev s (whole command, both proposals), torch iw_nll $iw s (q only)"

  "${elbo[@]}" train --out "$out/conv" --model conv --latent 16 --channels 32,64 --epochs 1 --no-report --force > "$out/conv.log"
  head -1 "$out/conv.log" | grep -o 'GEMM.*' | sed "s/^/  round $r elbo conv: /"
  c=$(epochs_of "$out/conv"); e_conv+=("$c")
  OPENBLAS_NUM_THREADS=1 /usr/bin/python3 "$peer" "$data" 1 2 conv > "$out/tc.log"
  tc=$(peer_epochs "$out/tc.log"); t_conv+=("$tc")
  echo "round $r: conv 28x28 epoch: elbo $c s, torch 2 threads $tc s"
done
"${bench[@]}" floor --model mlp | tee "$out/floor_mlp.log"
"${bench[@]}" floor --model conv | tee "$out/floor_conv.log"
"${bench[@]}" floor --model eval | tee "$out/floor_eval.log"
"${bench[@]}" latency | tee "$out/latency.log"
floor_of() { grep -o 'floor [0-9.]* s per epoch' "$1" | awk '{print $2}'; }
fm=$(floor_of "$out/floor_mlp.log"); fc=$(floor_of "$out/floor_conv.log")
fe=$(grep -o 'floor [0-9.]* s$' "$out/floor_eval.log" | awk '{print $2}')
me=$(median "${e_mlp[@]}"); m1=$(median "${t_mlp1[@]}"); m2=$(median "${t_mlp2[@]}")
best_t=$(printf '%s\n' "$m1" "$m2" | sort -g | head -1)
ce=$(median "${e_conv[@]}"); ct=$(median "${t_conv[@]}")
ee=$(median "${e_eval[@]}"); ti=$(median "${t_iw[@]}")
echo
echo "| measure | Elbo | PyTorch peer (best) | ratio |"
echo "|---|---|---|---|"
echo "| MLP epoch, defaults (median of $rounds runs' medians) | $me s | $best_t s (1 thread $m1, 2 threads $m2) | $(ratio "$best_t" "$me")× |"
echo "| MLP epoch vs its GEMM floor ($fm s) | $me s | | $(ratio "$me" "$fm")× the floor |"
echo "| conv 28×28 epoch | $ce s | $ct s | $(ratio "$ct" "$ce")× |"
echo "| conv 28×28 epoch vs its GEMM floor ($fc s) | $ce s | | $(ratio "$ce" "$fc")× the floor |"
echo "| IW k=1000, 1,000 images (Elbo: whole eval command, q and prior; peer: q-only iw_nll) | $ee s | $ti s | $(ratio "$ti" "$ee")× |"
echo "| IW eval vs its GEMM floor ($fe s: the decoder's 1.29 TFLOP) | $ee s | | $(ratio "$ee" "$fe")× the floor |"
grep -E '^decode +1 ' "$out/latency.log" | awk '{print "| batch-1 decode latency (MLP) | p50 " $3 " µs, p99 " $4 " µs | | |"}'
