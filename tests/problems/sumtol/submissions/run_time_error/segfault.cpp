// Run-time error: writes through a null pointer (SIGSEGV). The pointer is volatile so the
// compiler must really load it and store through it.
#include <cstdio>

int main() {
    int n;
    if (std::scanf("%d", &n) != 1) return 1;
    int* volatile pointer = nullptr;
    *pointer = n;
    std::printf("%d\n", *pointer);
}
