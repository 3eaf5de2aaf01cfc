#!/usr/bin/env bash
# The image-folder benchmark: Elbo and the PyTorch peer (../shared/bench/torch_vae.py conv64, PyTorch-VAE's VanillaVAE
# on 64x64 RGB, batch 128, Adam 1e-3, Gaussian sigma 1) train on the same folder of pictures, in alternating runs.
# Prints per run the training seconds of each epoch and the peak RSS (/usr/bin/time -v), then the medians and the
# ratio. Needs Debian's python3-torch and python3-pil (not installed by setup.sh: apt-get install them for this).
#   bench/image_folder.sh [IMAGE_DIR] [EPOCHS] [ROUNDS] [THREADS]
# IMAGE_DIR defaults to /tmp/elbo-bench-images, made on first use from tuxpaint-stamps-default (10,000 pictures,
# bench/make_image_folder.py; ELBO_BENCH_IMAGES=N for another count).
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-/tmp/elbo-bench-images}
epochs=${2:-1}
rounds=${3:-2}
threads=${4:-2}
peer=${ELBO_TORCH_PEER:-../shared/bench/torch_vae.py}
if [ ! -d "$dir" ]; then
  stamps=/usr/share/tuxpaint/stamps
  [ -d "$stamps" ] || { echo "bench: $dir is missing and so is $stamps (apt-get install tuxpaint-stamps-default)" >&2; exit 1; }
  /usr/bin/python3 bench/make_image_folder.py "$stamps" "$dir" "${ELBO_BENCH_IMAGES:-10000}"
fi
echo "bench: $(find "$dir" -name '*.png' | wc -l) pictures in $dir, $epochs epoch(s), $rounds round(s), $threads threads; $(lscpu | grep 'Model name' | sed 's/ \+/ /g')"
dotnet build src/Elbo.Cli -c Release --nologo -v q >/dev/null
elbo_dll=src/Elbo.Cli/bin/Release/net10.0/Elbo.Cli.dll
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
rss() { grep 'Maximum resident' "$1" | awk '{print $NF}'; }   # KB
elbo_s=(); torch_s=(); elbo_rss=(); torch_rss=()
for r in $(seq 1 "$rounds"); do
  /usr/bin/time -v dotnet "$elbo_dll" train --data "$dir" --model conv --channels 32,64,128,256,512 --latent 128 \
    --epochs "$epochs" --threads "$threads" --no-report --force --out "$out/elbo" > "$out/elbo.log" 2> "$out/elbo.time"
  e=$(grep -o '"train_seconds": *[0-9.]*' "$out/elbo/metrics.jsonl" | tail -1 | grep -o '[0-9.]*$')
  grep -E '^images: [0-9,]+ (decoded in|pictures read)' "$out/elbo.log" | sed 's/^/  elbo  /'
  OPENBLAS_NUM_THREADS=1 /usr/bin/time -v /usr/bin/python3 "$peer" "$dir" "$epochs" "$threads" conv64 > "$out/torch.log" 2> "$out/torch.time"
  t=$(grep -o 'train_s [0-9.]*' "$out/torch.log" | tail -1 | awk '{print $2}')
  elbo_s+=("$e"); torch_s+=("$t"); elbo_rss+=("$(rss "$out/elbo.time")"); torch_rss+=("$(rss "$out/torch.time")")
  echo "round $r: elbo epoch $epochs ${e} s, peak RSS $(( ${elbo_rss[-1]} / 1024 )) MB; torch epoch $epochs ${t} s, peak RSS $(( ${torch_rss[-1]} / 1024 )) MB"
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2)}'; }
me=$(median "${elbo_s[@]}"); mt=$(median "${torch_s[@]}")
echo "median epoch: elbo $me s, torch $mt s, torch/elbo $(awk -v a="$mt" -v b="$me" 'BEGIN {printf "%.2f", a / b}')x;" \
  "peak RSS: elbo $(( $(median "${elbo_rss[@]}") / 1024 )) MB, torch $(( $(median "${torch_rss[@]}") / 1024 )) MB"
