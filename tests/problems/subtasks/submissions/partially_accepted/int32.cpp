// Partially accepted (30 points): a 32-bit accumulator. Right for group 1 (N <= 10); every
// group 2 sum exceeds 2^32 and wraps. (uint32_t so the wrap is defined, not signed overflow.)
#include <cstdint>
#include <cstdio>

int main() {
    std::uint32_t n, sum = 0;
    if (std::scanf("%u", &n) != 1) return 1;
    for (std::uint32_t i = 1; i <= n; ++i) sum += i;
    std::printf("%u\n", sum);
}
