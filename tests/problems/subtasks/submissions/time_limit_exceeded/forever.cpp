// Time limit exceeded: reads N, then loops forever (volatile, so the loop is not removed).
#include <cstdio>

int main() {
    long long n;
    if (std::scanf("%lld", &n) != 1) return 1;
    volatile long long sum = 0;
    for (long long i = 1;; i = i % n + 1) sum = sum + i;
}
