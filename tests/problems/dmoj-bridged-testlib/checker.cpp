// DMOJ `bridged` checker, type testlib: checker INPUT OUTPUT ANSWER; exit 0 AC, 1 WA, and 7 with
// "points X" on stderr for X of the case's points (absolute: every case here is worth 10); an
// answer off by two gets 40, more than the case, which must be a judge failure.
#include <cstdio>
#include <fstream>

int main(int argc, char **argv) {
    if (argc < 4) return 3;
    std::ifstream out(argv[2]), ans(argv[3]);
    long long got, want;
    if (!(ans >> want)) return 3;
    if (!(out >> got)) { std::puts("no number"); return 1; }
    if (got == want) { std::puts("ok"); return 0; }
    if (got == want + 1 || got == want - 1) {
        std::puts("off by one");
        std::fprintf(stderr, "points 4\n");
        return 7;
    }
    if (got == want + 2) {
        // More than the case is worth: DMOJ takes that as the checker's failure.
        std::fprintf(stderr, "points 40\n");
        return 7;
    }
    std::printf("expected %lld, got %lld\n", want, got);
    return 1;
}
