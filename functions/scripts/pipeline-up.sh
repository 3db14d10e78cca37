#!/usr/bin/env bash
# `pipeline up`: the whole pipeline on this machine, on loopback only.
#   Azurite (blob + queue)            127.0.0.1:10000 / 10001   data in .cache/up/azurite
#   docker-registry (CNCF distribution) 127.0.0.1:5000          data in .cache/up/registry
#     its notifications go to the ingress with a shared secret header
#   the function app, standalone        127.0.0.1:7071          queue listeners per host.json
# Usage: pipeline up [--webhook URL]... [--webhook-secret whsec_...] [--format cloudevents|slack|teams] [--db FILE]
#   --db FILE publishes a compiled vulnerability database (default: the CLI's, ~/.cache/pipeline/db/pipeline.db, when present);
#             images stored by earlier runs are re-matched against it, and new findings announced
# Ctrl-C stops everything this script started (and nothing else).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
state="$repo/.cache/up"
tenant="local"
webhooks=()
webhook_secret=""
db="${PIPELINE_DB:-${XDG_CACHE_HOME:-$HOME/.cache}/pipeline/db/pipeline.db}"
format="CloudEvents"
blob_port="${PIPELINE_BLOB_PORT:-10000}"
queue_port="${PIPELINE_QUEUE_PORT:-10001}"
table_port="${PIPELINE_TABLE_PORT:-10002}"
registry_addr="${PIPELINE_REGISTRY_ADDR:-127.0.0.1:5000}"
app_addr="${PIPELINE_APP_ADDR:-127.0.0.1:7071}"

usage() { sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    --webhook) webhooks+=("${2:?--webhook needs a URL}"); shift 2 ;;
    --webhook=*) webhooks+=("${1#*=}"); shift ;;
    --webhook-secret) webhook_secret="${2:?--webhook-secret needs whsec_...}"; shift 2 ;;
    --webhook-secret=*) webhook_secret="${1#*=}"; shift ;;
    --db) db="${2:?--db needs a database file}"; [[ -f "$db" ]] || { echo "pipeline up: $db does not exist" >&2; exit 2; }; shift 2 ;;
    --format) format="${2:?--format needs cloudevents, slack or teams}"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "pipeline up: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done

case "${format,,}" in
  cloudevents) format="CloudEvents" ;; slack) format="Slack" ;; teams) format="Teams" ;;
  *) echo "pipeline up: --format must be cloudevents, slack or teams" >&2; exit 2 ;;
esac

if [[ -n "$webhook_secret" && ! "$webhook_secret" =~ ^whsec_[A-Za-z0-9+/=]{20,}$ ]]; then
  echo "pipeline up: --webhook-secret must be whsec_ followed by a base64 key" >&2; exit 2
fi
if [[ ${#webhooks[@]} -gt 0 && -z "$webhook_secret" && "$format" == "CloudEvents" ]]; then
  webhook_secret="whsec_$(openssl rand -base64 32)"
  generated_secret=1
fi

for tool in node dotnet docker-registry curl openssl; do
  command -v "$tool" >/dev/null || { echo "pipeline up: '$tool' is not installed" >&2; exit 1; }
done

mkdir -p "$state/azurite" "$state/registry" "$state/logs"

# 1. Fetch what is missing: Azurite from npm into the repository's own node_modules.
if [[ ! -x "$repo/node_modules/.bin/azurite" ]]; then
  echo "==> installing azurite into $repo/node_modules (npm ci)"
  (cd "$repo" && npm ci --no-audit --no-fund)
fi

echo "==> building the function app"
dotnet build "$repo/functions/Pipeline.Functions" -c Release -v quiet -nologo > "$state/logs/build.log" 2>&1 \
  || { cat "$state/logs/build.log" >&2; exit 1; }
app_dll="$repo/functions/Pipeline.Functions/bin/Release/net10.0/Pipeline.Functions.dll"

pids=()
cleanup() {
  trap - INT TERM EXIT
  if [[ ${#pids[@]} -gt 0 ]]; then
    echo; echo "==> stopping (${pids[*]})"
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  fi
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT TERM

wait_for() { # name url [log]: the last process started must stay alive until the url answers
  local pid="${pids[-1]}"
  for _ in $(seq 1 150); do
    if curl -fsS -o /dev/null "$2" 2>/dev/null || [[ "$(curl -s -o /dev/null -w '%{http_code}' "$2" 2>/dev/null)" =~ ^[2-4] ]]; then return 0; fi
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "pipeline up: $1 stopped while starting${3:+: $(grep -m1 -oE '[A-Za-z.]+Exception: .*' "$3" 2>/dev/null | sed -E 's/^[A-Za-z.]+Exception: //')}" >&2
      echo "pipeline up: see $state/logs" >&2; exit 1
    fi
    sleep 0.2
  done
  echo "pipeline up: $1 did not come up; see $state/logs" >&2; exit 1
}

secret_file="$state/ingress-secret"
[[ -s "$secret_file" ]] || openssl rand -hex 24 > "$secret_file"
ingress_secret="$(cat "$secret_file")"

# 2. Azurite.
"$repo/node_modules/.bin/azurite" --blobHost 127.0.0.1 --blobPort "$blob_port" --queueHost 127.0.0.1 --queuePort "$queue_port" \
  --tableHost 127.0.0.1 --tablePort "$table_port" --location "$state/azurite" --skipApiVersionCheck --loose --disableTelemetry \
  > "$state/logs/azurite.log" 2>&1 &
pids+=($!)
wait_for azurite "http://127.0.0.1:$blob_port/devstoreaccount1?comp=list"

connection="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:$blob_port/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$queue_port/devstoreaccount1;"

# 3. The function app, standalone, with its queue listeners.
app_env=(
  "AzureWebJobsStorage=$connection"
  "ASPNETCORE_URLS=http://$app_addr"
  "Pipeline__HostJsonPath=$repo/functions/host.json"
  "Pipeline__DatabaseCacheDirectory=$state/db"
  "Pipeline__Tenants__${tenant}__AllowedRegistries__0=$registry_addr"
  "Pipeline__Tenants__${tenant}__AllowedRegistries__1=localhost:${registry_addr##*:}"
  "Pipeline__Tenants__${tenant}__WebhookSecrets__0=$ingress_secret"
)
for i in "${!webhooks[@]}"; do
  app_env+=("Pipeline__Tenants__${tenant}__Webhooks__${i}__Url=${webhooks[$i]}" "Pipeline__Tenants__${tenant}__Webhooks__${i}__Format=$format")
  [[ -n "$webhook_secret" ]] && app_env+=("Pipeline__Tenants__${tenant}__Webhooks__${i}__Secret=$webhook_secret")
done
if [[ -f "$db" ]]; then
  app_env+=("Pipeline__PublishDatabase=$db")
else
  echo "note: no vulnerability database at $db: reports will list packages, secrets and misconfigurations but no vulnerabilities (build one with ./pipeline db update or ./pipeline db build, then pass --db)" >&2
fi
env "${app_env[@]}" dotnet "$app_dll" > "$state/logs/app.log" 2>&1 &
pids+=($!)
wait_for "function app" "http://$app_addr/" "$state/logs/app.log"

# 4. A local registry whose notifications go to the ingress.
cat > "$state/registry.yml" <<YAML
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $state/registry
  delete:
    enabled: true
http:
  addr: $registry_addr
notifications:
  events:
    includereferences: true
  endpoints:
    - name: pipeline
      url: http://$app_addr/api/ingress/distribution/$tenant
      headers:
        X-Pipeline-Secret: [$ingress_secret]
      timeout: 5s
      threshold: 5
      backoff: 2s
      ignoredmediatypes:
        - application/octet-stream
YAML
docker-registry serve "$state/registry.yml" > "$state/logs/registry.log" 2>&1 &
pids+=($!)
wait_for registry "http://$registry_addr/v2/"

cat <<INFO

pipeline is up (tenant '$tenant'):
  registry   http://$registry_addr      (notifications -> http://$app_addr/api/ingress/distribution/$tenant)
  ingress    http://$app_addr/api/ingress/{eventgrid|cloudevents|ecr|distribution|harbor}/$tenant
  storage    Azurite blob :$blob_port, queue :$queue_port   (AzureWebJobsStorage="$connection")
  logs       $state/logs/{app,registry,azurite}.log

Push an image (any OCI layout or registry image works):
  skopeo copy --dest-tls-verify=false docker://docker.io/library/debian:bookworm docker://$registry_addr/library/debian:bookworm
  skopeo copy --dest-tls-verify=false oci:/path/to/layout:tag docker://$registry_addr/myapp:1.0

Reports appear in Azurite, container 'reports':
  reports/$registry_addr/<repository>/<manifest digest>/report.json  (report.sarif, sbom.cdx.json next to it)
  reports/$registry_addr/<repository>/tags/<tag>.json                (tag index)
INFO
if [[ ${#webhooks[@]} -gt 0 ]]; then
  echo "Webhooks ($format): ${webhooks[*]}"
  [[ -n "${generated_secret:-}" ]] && echo "  signing secret (generated): $webhook_secret"
fi
echo
echo "Ctrl-C stops everything."

# Exit (and clean up) as soon as any child dies, so a crash is not hidden.
wait -n "${pids[@]}" || true
echo "pipeline up: a component exited; see $state/logs" >&2
