#!/usr/bin/env bash
# Regenerates docs/explorer.png: the latent explorer of `elbo serve` on the quick start's Fashion-MNIST run, in headless
# Chromium (Debian's, driven by Playwright), after a pointer move and a click on two test points.
#   bash scripts/explorer_screenshot.sh [RUN_DIR] [OUT.png]     (defaults: runs/fashion-mnist, docs/explorer.png)
# Trains the quick start's run first when RUN_DIR has no checkpoint. The picture is taken by the test
# Screenshot_of_the_explorer_shows_every_panel_filled (tests/Elbo.Server.Tests), which also checks it.
set -euo pipefail
cd "$(dirname "$0")/.."
run="${1:-runs/fashion-mnist}"
out="${2:-docs/explorer.png}"
[ -f "$run/model.safetensors" ] || ./elbo train --out "$run"
dotnet build tests/Elbo.Server.Tests -c Release --nologo -v q
ELBO_EXPLORER_RUN="$(realpath "$run")" ELBO_EXPLORER_SCREENSHOT="$(realpath -m "$out")" \
  dotnet test tests/Elbo.Server.Tests -c Release --no-build --nologo --filter "FullyQualifiedName~Screenshot_of_the_explorer"
echo "wrote $out"
