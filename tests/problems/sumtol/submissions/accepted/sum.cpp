// Accepted: sums in long double and prints with 10 decimals.
#include <cstdio>

int main() {
    int n;
    if (std::scanf("%d", &n) != 1) return 1;
    long double sum = 0;
    for (int i = 0; i < n; ++i) {
        double x;
        if (std::scanf("%lf", &x) != 1) return 1;
        sum += x;
    }
    std::printf("%.10Lf\n", sum);
}
