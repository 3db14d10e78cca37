/* Writes header blobs into an rpm ndb Packages.db with rpm's own rpmpkg.c. Usage: ndbput DB BLOB... */
#include <stdio.h>
#include <stdlib.h>
#include <fcntl.h>
#include "rpmpkg.h"  /* rpm lib/backend/ndb/rpmpkg.h */
int main(int argc, char **argv) {
    rpmpkgdb db;
    if (rpmpkgOpen(&db, argv[1], O_RDWR | O_CREAT, 0644)) { fprintf(stderr, "open failed\n"); return 1; }
    if (rpmpkgLock(db, 1)) { fprintf(stderr, "lock failed\n"); return 1; }
    for (int i = 2; i < argc; i++) {
        FILE *f = fopen(argv[i], "rb"); if (!f) return 2;
        fseek(f, 0, SEEK_END); long n = ftell(f); fseek(f, 0, SEEK_SET);
        unsigned char *b = malloc(n); if (fread(b, 1, n, f) != (size_t)n) return 3; fclose(f);
        unsigned int idx;
        if (rpmpkgNextPkgIdx(db, &idx) || rpmpkgPut(db, idx, b, n)) { fprintf(stderr, "put failed\n"); return 4; }
        free(b);
    }
    rpmpkgUnlock(db, 1);
    rpmpkgClose(db);
    return 0;
}
