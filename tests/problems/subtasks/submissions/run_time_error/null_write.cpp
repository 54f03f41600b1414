// Run-time error everywhere: stores through a null pointer (SIGSEGV). Score 0.
#include <cstdio>

int main() {
    long long n;
    if (std::scanf("%lld", &n) != 1) return 1;
    long long* volatile sum = nullptr;
    *sum = n * (n + 1) / 2;
    std::printf("%lld\n", *sum);
}
