// Wrong answer: prints the sum truncated to an integer (right only where the sum is an
// integer or within 1e-6 of 0: sample 01 is 3.25, so it fails there already).
#include <cstdio>

int main() {
    int n;
    if (std::scanf("%d", &n) != 1) return 1;
    double sum = 0;
    for (int i = 0; i < n; ++i) {
        double x;
        if (std::scanf("%lf", &x) != 1) return 1;
        sum += x;
    }
    std::printf("%lld\n", static_cast<long long>(sum));
}
