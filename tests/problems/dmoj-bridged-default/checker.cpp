// DMOJ `bridged` checker, type default, with `args_format_string` putting the answer first:
// checker ANSWER INPUT OUTPUT; exit 0 AC, 1 WA, nothing partial.
#include <cstdio>
#include <fstream>

int main(int argc, char **argv) {
    if (argc < 4) return 3;
    std::ifstream ans(argv[1]), in(argv[2]), out(argv[3]);
    long long a, b, got, want;
    if (!(in >> a >> b) || !(ans >> want) || want != a + b) return 3;
    if (!(out >> got) || got != want) { std::puts("wrong"); return 1; }
    return 0;
}
