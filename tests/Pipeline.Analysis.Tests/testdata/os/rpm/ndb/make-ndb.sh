#!/usr/bin/env bash
# Regenerates ndb/Packages.db and ndb/expected.txt. Debian's rpm is built without the ndb backend, so the
# database is written by rpm's own ndb code (lib/backend/ndb/rpmpkg.c from Debian's rpm source package)
# compiled with the small driver ndbput.c, from the header blobs of the SQLite database make-rpmdb.sh makes.
# Needs a deb-src entry for Debian's archive (apt-get source) and gcc; the tests only read the result.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$here/../make-rpmdb.sh" "$work/db"
(cd "$work" && apt-get source --download-only rpm >/dev/null && tar xf rpm_*.orig.tar.xz)
src=$(echo "$work"/rpm-*/lib/backend/ndb)
mkdir -p "$work/shim/rpm"
printf '#include <stdlib.h>\n#include <string.h>\n#define _(x) x\n#define xcalloc calloc\n#define xmalloc malloc\n#define xrealloc realloc\n#define xstrdup strdup\nstatic inline void *_free(void *p) { free(p); return NULL; }\n' > "$work/shim/system.h"
printf '#include <stdio.h>\n#define RPMLOG_ERR 3\n#define RPMLOG_WARNING 4\n#define rpmlog(level, ...) fprintf(stderr, __VA_ARGS__)\n' > "$work/shim/rpm/rpmlog.h"
gcc -O1 -I"$work/shim" -I"$src" -o "$work/ndbput" "$here/ndbput.c" "$src/rpmpkg.c"
mkdir -p "$work/blobs"
sqlite3 "$work/db/root/var/lib/rpm/rpmdb.sqlite" "select hnum, hex(blob) from Packages order by hnum" |
  while IFS='|' read -r n hex; do printf '%s' "$hex" | xxd -r -p > "$work/blobs/$(printf '%04d' "$n").bin"; done
rm -f "$here/Packages.db"
"$work/ndbput" "$here/Packages.db" "$work"/blobs/*.bin
cp "$work/db/expected.txt" "$here/expected.txt"
