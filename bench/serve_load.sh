#!/usr/bin/env bash
# Load benchmark of `elbo serve`: serves a quick-start-like run (pytorch/examples' 784-400-20 MLP VAE on Fashion-MNIST)
# on the loopback, then sends bursts of 1,000 concurrent decode requests and 1,000 concurrent score requests (k = 100)
# from another process (bench/Elbo.Bench serve-load), three rounds; prints p50/p99 latency and requests/s per round and
# their medians, and exits nonzero if any request was not answered 200.
#   bash bench/serve_load.sh [RUN_DIR] [extra serve-load options, e.g. --requests 1000 --rounds 3 --k 100]
# RUN_DIR defaults to runs/fashion-mnist and is trained (the quick start's ./elbo train) when it has no checkpoint.
# The server runs with its defaults (one model call per core, the others queued).
set -euo pipefail
cd "$(dirname "$0")/.."
run="${1:-runs/fashion-mnist}"
shift || true
[ -f "$run/model.safetensors" ] || ./elbo train --out "$run"
./elbo --version >/dev/null                                    # builds the CLI when needed
dotnet build bench/Elbo.Bench -c Release --nologo -v q >/dev/null
lscpu | grep 'Model name' || true
log="$(mktemp)"
./elbo serve "$run" --port 0 >"$log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -f "$log"' EXIT
url=""
for _ in $(seq 1 600); do
  url="$(grep -o 'explorer  http://[^ ]*' "$log" | awk '{print $2}' || true)"
  [ -n "$url" ] && break
  kill -0 "$server" 2>/dev/null || { cat "$log" >&2; exit 1; }
  sleep 0.1
done
[ -n "$url" ] || { echo "serve_load: the server did not start" >&2; cat "$log" >&2; exit 1; }
head -1 "$log"
dotnet bench/Elbo.Bench/bin/Release/net10.0/Elbo.Bench.dll serve-load --url "$url" "$@"
