#!/usr/bin/env bash
# Secret-scanning throughput over a debootstrap root (or the directory given), against reading the same bytes.
# Usage: tests/bench/secrets.sh [ROOT]
set -euo pipefail
cd "$(dirname "$0")/../.."
dotnet run -c Release --project tests/Pipeline.Benchmarks -- secrets "$@"
