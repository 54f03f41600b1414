// gen N SEED: N numbers in [-10^9, 10^9] from a fixed generator, so a test is the same every time.
#include <cstdio>
#include <cstdlib>

int main(int argc, char *argv[]) {
    if (argc != 3) return 1;
    int n = std::atoi(argv[1]);
    unsigned long long state = std::strtoull(argv[2], nullptr, 10);
    std::printf("%d\n", n);
    for (int i = 0; i < n; i++) {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        long long x = (long long)((state >> 33) % 2000000001ULL) - 1000000000LL;
        std::printf("%lld%c", x, i + 1 < n ? ' ' : '\n');
    }
}
