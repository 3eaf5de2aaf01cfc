#!/usr/bin/env bash
# Data-parallel training on this machine: each model trains 2 epochs in one process (--threads 2) and on 2 ranks
# (mpiexec.mpich -n 2, one thread each), and the second epoch's figures are printed: step time, images/s, the time
# rank 0 spends in the gradient Allreduce per step (waiting for the other rank included), the gradient bytes per step,
# and the test −ELBO. Models: the MLP and the 28×28 conv on a 12,800-picture Fashion-MNIST subset (batch 128, 100
# steps an epoch) and the 64×64 VanillaVAE layout on 704 Fashion-MNIST pictures scaled to 64×64 RGB (batch 32).
# Then a pure Allreduce of each model's gradient buffer (elbo's own MPI process group, 2 ranks).
#   bench/distributed.sh           (needs mpich: bash scripts/setup.sh --mpi)
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build src/Elbo.Cli -c Release --nologo -v q >/dev/null
dotnet build bench/Elbo.Bench -c Release --nologo -v q >/dev/null
dll=$PWD/src/Elbo.Cli/bin/Release/net10.0/Elbo.Cli.dll
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export ELBO_GEMM=${ELBO_GEMM:-managed} ELBO_GEMM_CACHE=$work/gemm.json
echo "bench: $(lscpu | grep 'Model name' | sed 's/ \+/ /g'), $(nproc) vCPUs, ELBO_GEMM=$ELBO_GEMM, $(date -u +%F)"

# the Fashion-MNIST subset (IDX) and the 64×64 pictures
/usr/bin/python3 - "$work/fashion" <<'EOF'
import gzip, os, struct, sys
out = sys.argv[1]; os.makedirs(out)
src = '/usr/share/datasets/fashion-mnist'
for name, header, record, n in [('train-images-idx3-ubyte', 16, 784, 12800), ('train-labels-idx1-ubyte', 8, 1, 12800),
                                ('t10k-images-idx3-ubyte', 16, 784, 2000), ('t10k-labels-idx1-ubyte', 8, 1, 2000)]:
    b = bytearray(gzip.open(os.path.join(src, name + '.gz')).read(header + n * record)); b[4:8] = struct.pack('>i', n)
    open(os.path.join(out, name), 'wb').write(b)
EOF
/usr/bin/python3 bench/fashion_pictures.py "$work/pictures" 704

field() { grep -o "\"$2\":[0-9.e+-]*" "$1" | sed -n 2p | cut -d: -f2 || true; }
run() {  # name ranks args...
  local name=$1 ranks=$2; shift 2
  local out=$work/$name-$ranks
  if [ "$ranks" = 1 ]; then dotnet "$dll" train "$@" --threads 2 --epochs 2 --no-report --out "$out" > "$out.log" 2>&1
  else mpiexec.mpich -n "$ranks" dotnet "$dll" train "$@" --epochs 2 --no-report --out "$out" > "$out.log" 2>&1; fi
  local m=$out/metrics.jsonl params steps seconds
  [ -f "$m" ] || { echo "bench: $name on $ranks rank(s) failed:" >&2; cat "$out.log" >&2; exit 1; }
  params=$(grep -o '[0-9,]* parameters' "$out.log" | head -1 | tr -d ', parameters')
  echo "$params" > "$work/$name.params"
  seconds=$(field "$m" train_seconds)
  steps=$STEPS
  awk -v n="$name" -v r="$ranks" -v s="$seconds" -v st="$steps" -v ips="$(field "$m" examples_per_second)" \
      -v ar="$(field "$m" allreduce_seconds)" -v p="$params" -v t="$(field "$m" test_loss)" 'BEGIN {
    printf "| %s | %d | %.1f ms | %.0f | %s | %.2f MB | %.2f |\n", n, r, 1000 * s / st, ips,
      (ar == "" ? "–" : sprintf("%.2f ms", 1000 * ar / st)), p * 4 / 1e6, t }'
}
echo "| model | ranks | step | img/s | Allreduce / step | gradient / step | test −ELBO |"
echo "|---|---|---|---|---|---|---|"
for ranks in 1 2; do STEPS=100 run mlp "$ranks" --data "$work/fashion" --batch-size 128; done
for ranks in 1 2; do STEPS=100 run conv28 "$ranks" --data "$work/fashion" --batch-size 128 --model conv; done
for ranks in 1 2; do STEPS=20 run vanilla64 "$ranks" --data "$work/pictures" --batch-size 32 --model conv --channels 32,64,128,256,512 --latent 128; done

echo "pure Allreduce of a gradient buffer, 2 ranks (median of 30):"
for name in mlp conv28 vanilla64; do
  echo -n "$name: "
  mpiexec.mpich -n 2 dotnet bench/Elbo.Bench/bin/Release/net10.0/Elbo.Bench.dll allreduce "$(cat "$work/$name.params")"
done
