// DMOJ `bridged` checker, type peg (WCIPEG's): checker ANSWER OUTPUT INPUT; exit 0 AC, 1 WA, and
// two stdout lines A and B award the share A/B of the case.
#include <cstdio>
#include <fstream>

int main(int argc, char **argv) {
    if (argc < 4) return 3;
    std::ifstream ans(argv[1]), out(argv[2]), in(argv[3]);
    long long a, b, got, want;
    if (!(in >> a >> b) || !(ans >> want) || want != a + b) return 3;
    if (!(out >> got)) return 1;
    if (got == want) return 0;
    if (got == want + 1 || got == want - 1) {
        std::puts("off by one\n1\n2");
        return 1;
    }
    std::puts("wrong");
    return 1;
}
