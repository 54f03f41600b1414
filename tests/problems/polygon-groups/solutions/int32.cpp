// A 32-bit sum: right while it fits (samples, small), wrong on every larger test.
#include <cstdint>
#include <iostream>

int main() {
    uint32_t n, sum = 0;
    std::cin >> n;
    for (uint32_t i = 1; i <= n; i++) sum += i;
    std::cout << sum << "\n";
}
