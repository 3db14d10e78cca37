#!/usr/bin/env bash
# Builds a real rpm SQLite database in OUT/root/var/lib/rpm/rpmdb.sqlite with rpm's own tools, and writes
# OUT/expected.txt: what `rpm -qa` says about it. Packages: three small Debian packages converted by alien
# (no epoch, no vendor) and osan-demo, built here by rpmbuild with an epoch, a vendor, a license, files and
# directories. A public key is imported too, which rpm stores as a gpg-pubkey pseudo-package that
# expected.txt leaves out (debian-bookworm-stable.asc: Debian's archive key, exported by gpg).
# Needs: apt-get (Debian's archive), alien, rpm, rpmbuild (package rpm).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$(realpath -m "$1")
rm -rf "$out" && mkdir -p "$out/debs" "$out/rpms" "$out/root"
cd "$out/debs"
apt-get download hello tree libpopt0 >/dev/null 2>&1
cd "$out/rpms"
for deb in "$out"/debs/*.deb; do alien --to-rpm "$deb" >/dev/null 2>&1; done
cat > "$out/osan-demo.spec" <<'SPEC'
Name: osan-demo
Epoch: 2
Version: 1.4.1
Release: 3.el9
Summary: Fixture package with an epoch, a vendor and a license
License: MIT AND BSD-3-Clause
Vendor: Red Hat, Inc.
BuildArch: x86_64

%description
Fixture package.

%install
mkdir -p %{buildroot}/usr/bin %{buildroot}/usr/share/osan-demo/data
echo '#!/bin/sh' > %{buildroot}/usr/bin/osan-demo
echo x > %{buildroot}/usr/share/osan-demo/data/a.txt

%files
/usr/bin/osan-demo
/usr/share/osan-demo
SPEC
rpmbuild --define "_topdir $out/top" -bb "$out/osan-demo.spec" >/dev/null 2>&1
cp "$out"/top/RPMS/*/*.rpm "$out/rpms/"
rpm --root "$out/root" --dbpath /var/lib/rpm -i --justdb --nodeps --noscripts --ignorearch --ignoreos "$out"/rpms/*.rpm 2>/dev/null
rpm --root "$out/root" --dbpath /var/lib/rpm --import "$here/debian-bookworm-stable.asc"
rpm -qa --root "$out/root" --dbpath /var/lib/rpm --qf '%{NAME} %{EPOCHNUM} %{VERSION} %{RELEASE} %{ARCH} %{SOURCERPM}\n' |
  grep -v '^gpg-pubkey ' | sort > "$out/expected.txt"
test "$(wc -l < "$out/expected.txt")" -eq 4
