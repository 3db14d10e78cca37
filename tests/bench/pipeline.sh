#!/usr/bin/env bash
# Pipeline benchmark, on real components (Azurite, docker-registry, skopeo, the function app as its own process):
# push-to-webhook latency for a debootstrap bookworm minbase image with a cold layer cache and warm (new digests
# sharing the layer), and the wall time of one layer worker against four on a four-layer image; each printed as
# figures and as a ratio (warm vs cold, four vs one) measured in the same run.
# Goals: warm <= 3 s; four workers <= 0.6x one worker.
# BENCH_DIR keeps the built images between runs; BENCH_RUNS (default 3) sets the repetitions; BENCH_APP_LOG=FILE
# appends the function app's timestamped log there.
set -euo pipefail
cd "$(dirname "$0")/../.."
work="${BENCH_DIR:-$(mktemp -d)}"
[ -x node_modules/.bin/azurite ] || npm ci --no-audit --no-fund --loglevel=error
for tool in docker-registry skopeo umoci debootstrap; do
  command -v "$tool" >/dev/null || { echo "bench needs $tool (tests/setup.sh installs it)"; exit 1; }
done

dotnet build functions/Pipeline.Functions -c Release --nologo -v quiet >/dev/null
dotnet run -c Release --project tests/Pipeline.Benchmarks -- pipeline \
  functions/Pipeline.Functions/bin/Release/net10.0/Pipeline.Functions.dll "$work" "${BENCH_RUNS:-3}"
