#!/usr/bin/env bash
# Packs Elbo into NuGet packages: Elbo.Engine and Elbo (the libraries, with their XML docs; Elbo depends on
# Elbo.Engine, Parquet.Net, Sep and StbImageSharp) and Elbo.Tool (the elbo command as a .NET tool).
#   scripts/pack.sh [--out DIR] [--suffix SUFFIX]
#     --out DIR        where the .nupkg files go (default: ./artifacts)
#     --suffix SUFFIX  a pre-release suffix: version 0.1.0-SUFFIX instead of Directory.Build.props' 0.1.0
# Then: dotnet tool install --global --add-source ./artifacts Elbo.Tool   (see docs/library.md)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/artifacts"
suffix=""
while [ $# -gt 0 ]; do
  case "$1" in
    --out) [ $# -ge 2 ] || { echo "pack.sh: --out needs a folder" >&2; exit 2; }; out="$2"; shift 2 ;;
    --suffix) [ $# -ge 2 ] || { echo "pack.sh: --suffix needs a value" >&2; exit 2; }; suffix="$2"; shift 2 ;;
    -h|--help) sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "pack.sh: unknown argument '$1' (see scripts/pack.sh --help)" >&2; exit 2 ;;
  esac
done
mkdir -p "$out"
out="$(cd "$out" && pwd)"
args=(-c Release --nologo -v q -o "$out")
# A suffix is a global property: the three packages and their dependencies on each other get the same version.
[ -n "$suffix" ] && args+=("-p:VersionSuffix=$suffix")
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
# Packing the tool builds the libraries it references with the same properties, so they are packed without building
# again (one restore and one build instead of three).
pack() { if ! dotnet pack "$root/$1" "${args[@]}" "${@:2}" >"$log" 2>&1; then cat "$log" >&2; exit 1; fi; }
pack src/Elbo.Cli
pack src/Elbo.Engine --no-build
pack src/Elbo --no-build
version="$(dotnet msbuild "$root/src/Elbo" -getProperty:Version ${suffix:+"-p:VersionSuffix=$suffix"})"
for id in Elbo.Engine Elbo Elbo.Tool; do
  package="$out/$id.$version.nupkg"
  [ -f "$package" ] || { echo "pack.sh: $package was not written" >&2; exit 1; }
  echo "$package"
done
