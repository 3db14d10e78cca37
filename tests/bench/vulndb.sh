#!/usr/bin/env bash
# Vulnerability database benchmark: build time and size for 200,000 synthetic OSV records, and matching
# time for 1,000 packages (goal: <= 100 ms), each next to a reference measured in the same run.
# Usage: tests/bench/vulndb.sh [--records N] [--packages N] [--runs N] [--seed N] [--work DIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
exec dotnet run -c Release --project tests/Pipeline.Benchmarks -- vulndb "$@"
