// Time limit exceeded: reads the input, then spins forever (volatile, so the loop stays).
#include <cstdio>

int main() {
    int n;
    if (std::scanf("%d", &n) != 1) return 1;
    volatile unsigned long counter = 0;
    for (;;) counter = counter + 1;
}
