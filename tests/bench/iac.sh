#!/usr/bin/env bash
# IaC scan throughput: 5,000 generated Terraform files on one thread, next to reading the same bytes.
# Usage: tests/bench/iac.sh [files=5000] [seed=42]
set -euo pipefail
cd "$(dirname "$0")/../.."
exec dotnet run -c Release --project tests/Pipeline.Benchmarks -- iac "${1:-5000}" "${2:-42}"
