// DMOJ `bridged` checker, type coci: checker INPUT OUTPUT ANSWER; exit 0 AC, 1 WA, and 7 with
// "partial A/B" on stderr for the share A/B of the case's points.
#include <cstdio>
#include "common.h"

int main(int argc, char **argv) {
    if (argc < 4) return 3;
    long long got, want;
    if (!read_number(argv[3], want)) return 3;
    if (!read_number(argv[2], got)) { std::puts("no number"); return 1; }
    if (got == want) return 0;
    if (got == want + 1 || got == want - 1) {
        std::puts("off by one");
        std::fprintf(stderr, "partial 1/4\n");
        return 7;
    }
    std::puts("wrong");
    return 1;
}
