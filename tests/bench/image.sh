#!/usr/bin/env bash
# Image-scan benchmark: scans a debootstrap bookworm image's OCI layout cold (empty cache) and warm, and
# prints wall time and peak memory, each as a ratio to `gzip -dc` of the same layers measured in this run.
# Then checks that peak memory stays flat as layers are added (1, 2 and 4 layers).
# Goals: cold <= 1.0x gzip -dc, warm <= 0.05x cold, peak memory <= 250 MB and flat.
set -euo pipefail
cd "$(dirname "$0")/../.."
work="${BENCH_DIR:-$(mktemp -d)}"
root="$work/rootfs"
./pipeline --help >/dev/null   # build the CLI before timing anything

if [ ! -d "$root/usr" ]; then
  echo "bench: debootstrap bookworm minbase into $root"
  debootstrap --variant=minbase bookworm "$root" >/dev/null
fi

layout="$work/layout"
if [ ! -f "$layout/index.json" ]; then
  umoci init --layout "$layout" >/dev/null
  umoci new --image "$layout:base" >/dev/null
  umoci unpack --rootless --image "$layout:base" "$work/bundle" >/dev/null 2>&1
  rm -rf "$work/bundle/rootfs" && cp -a "$root" "$work/bundle/rootfs"
  umoci repack --image "$layout:l1" "$work/bundle" >/dev/null
  # Layers 2-4: each adds a copy of /usr/share (documentation and locale data: many real files).
  for n in 2 3 4; do
    cp -a "$root/usr/share" "$work/bundle/rootfs/opt-share-$n"
    umoci repack --image "$layout:l$n" "$work/bundle" >/dev/null
  done
  rm -rf "$work/bundle"
fi

measure() { # prints "seconds maxrss_kb" for a command
  local f; f=$(mktemp)
  /usr/bin/time -o "$f" -f '%e %M' "$@" >/dev/null 2>&1 || { echo "bench: command failed: $*" >&2; }
  tail -n 1 "$f"; rm -f "$f"
}

median() { # runs "$@" three times (after $before, if set) and prints the median "seconds maxrss_kb" by time
  local runs=()
  for _ in 1 2 3; do
    [ -n "${before:-}" ] && eval "$before"
    runs+=("$(measure "$@")")
  done
  printf '%s\n' "${runs[@]}" | sort -n | sed -n 2p
}

layers_of() { # the layer blobs of a tag
  local tag=$1 manifest
  manifest=$(jq -r --arg t "$tag" '.manifests[] | select(.annotations["org.opencontainers.image.ref.name"]==$t) | .digest' "$layout/index.json" | sed 's/sha256://')
  jq -r '.layers[].digest' "$layout/blobs/sha256/$manifest" | sed "s#sha256:#$layout/blobs/sha256/#"
}

command -v jq >/dev/null || { echo "bench needs jq (apt-get install jq)"; exit 1; }
[ -x /usr/bin/time ] || { echo "bench needs GNU time (apt-get install time)"; exit 1; }

# Each figure is the median of three runs: cold runs start from an empty cache, warm runs from the cache the
# cold runs filled.
cache="$work/cache"
scan=(./pipeline scan image "oci:$layout:l1" --cache-dir "$cache" --format json -q --scanners vuln,secret,config)
read -r gz_s gz_kb < <(median bash -c "cat $(layers_of l1 | tr '\n' ' ') | gzip -dc > /dev/null")
read -r cold_s cold_kb < <(before='rm -rf "$cache"' median "${scan[@]}")
read -r warm_s warm_kb < <(median "${scan[@]}")
read -r noop_s noop_kb < <(median ./pipeline --help)

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) b = 0.01; printf "%.2f", a / b }'; }
echo
echo "image scan, debootstrap bookworm minbase (1 layer), median of 3 runs each"
printf '  %-28s %8ss  %8s MB\n' "gzip -dc (reference)" "$gz_s" "$((gz_kb / 1024))"
printf '  %-28s %8ss  %8s MB   time %sx gzip -dc\n' "scan, cold cache" "$cold_s" "$((cold_kb / 1024))" "$(ratio "$cold_s" "$gz_s")"
printf '  %-28s %8ss  %8s MB   time %sx cold (process start alone: %ss)\n' "scan, warm cache" "$warm_s" "$((warm_kb / 1024))" "$(ratio "$warm_s" "$cold_s")" "$noop_s"
echo "  goals: cold <= 1.0x gzip -dc, warm <= 0.05x cold, peak <= 250 MB"
echo
dotnet run -c Release --project tests/Pipeline.Benchmarks -- image "oci:$layout:l1" 3
echo
echo "peak memory as layers grow (cold cache each time)"
for n in 1 2 4; do
  rm -rf "$cache"
  read -r s kb < <(measure ./pipeline scan image "oci:$layout:l$n" --cache-dir "$cache" --format json -q --parallel 1)
  printf '  %d layer(s): %8ss  %6s MB\n' "$n" "$s" "$((kb / 1024))"
done
