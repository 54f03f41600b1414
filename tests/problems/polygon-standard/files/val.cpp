// N (1 to 1000) on its own line, then N numbers of at most 10^9 in absolute value on one line.
// Polygon passes --testset and --group, which this validator does not need.
#include <cstdio>
#include <cstdlib>

static void invalid(const char *why) {
    std::fprintf(stderr, "FAIL %s\n", why);
    std::exit(3);
}

int main() {
    int n;
    char end;
    if (std::scanf("%d%c", &n, &end) != 2 || end != '\n') invalid("N and a new line expected");
    if (n < 1 || n > 1000) invalid("N is out of range");
    for (int i = 0; i < n; i++) {
        long long x;
        if (std::scanf("%lld%c", &x, &end) != 2) invalid("a number expected");
        if (x < -1000000000LL || x > 1000000000LL) invalid("a number is out of range");
        if (end != (i + 1 < n ? ' ' : '\n')) invalid("bad spacing");
    }
    if (std::getchar() != EOF) invalid("extra input");
}
