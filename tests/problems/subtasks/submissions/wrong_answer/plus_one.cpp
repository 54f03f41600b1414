// Wrong answer everywhere: the right sum plus one. Score 0.
#include <cstdio>

int main() {
    long long n;
    if (std::scanf("%lld", &n) != 1) return 1;
    std::printf("%lld\n", n * (n + 1) / 2 + 1);
}
