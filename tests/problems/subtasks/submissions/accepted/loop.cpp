// Accepted: the naive O(N) loop with a 64-bit accumulator.
#include <cstdio>

int main() {
    long long n, sum = 0;
    if (std::scanf("%lld", &n) != 1) return 1;
    for (long long i = 1; i <= n; ++i) sum += i;
    std::printf("%lld\n", sum);
}
