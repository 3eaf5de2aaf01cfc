#!/usr/bin/env bash
# The table training step of Elbo against bench/table_step.py (PyTorch) on the same layout, alternating, one epoch
# each: Elbo on the `Elbo.Bench tables` Parquet file (its epoch line's rows/s), PyTorch on a random matrix of that
# file's encoded layout at 1 and 2 threads. Usage: bash bench/tables_vs_torch.sh DIR [ROUNDS]
#   DIR: a folder with bench.parquet (dotnet run -c Release --project bench/Elbo.Bench -- tables --dir DIR)
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$1; rounds=${2:-1}
echo "# CPU: $(lscpu | sed -n 's/^Model name:[[:space:]]*//p'), $(nproc) cores, OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-unset}"
for r in $(seq "$rounds"); do
  ./elbo train --data "$dir/bench.parquet" --epochs 1 --no-report --force --out "$dir/run" | grep -E "^epoch 1/1"
  for t in 1 2; do OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/table_step.py 800000 24 4 3,4,5,6,7,8,9,10,11,12,7 "$t"; done
done
