#!/usr/bin/env bash
# Installs what the tests and `pipeline up` need on a fresh Debian machine. Idempotent: installs only what
# is missing (gcc, libc6-dev and zlib1g-dev link the native command-line tool). Needs root (or sudo) for apt.
set -euo pipefail
cd "$(dirname "$0")/.."

apt_packages=(docker-registry skopeo umoci debootstrap rpm alien gcc libc6-dev zlib1g-dev apache2-utils db5.3-util dpkg-dev golang-go xz-utils zstd jq time openssh-client openssl gnupg python3-packaging ruby)
missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ] || ! ls /var/lib/apt/lists/*_Packages* >/dev/null 2>&1; then
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  echo "setup: installing ${missing[*]}"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # The Debian registry package starts a system service on port 5000; tests and `pipeline up` run their own.
  if command -v systemctl >/dev/null 2>&1; then $sudo_cmd systemctl disable --now docker-registry >/dev/null 2>&1 || true; fi
  pkill -f '/usr/bin/docker-registry serve /etc/docker/registry/config.yml' 2>/dev/null || true
fi

if [ -f package.json ]; then
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules ]; then
    echo "setup: npm ci"
    npm ci --no-audit --no-fund --loglevel=error
  fi
fi

echo "setup: dotnet restore"
dotnet restore Pipeline.sln --verbosity quiet
