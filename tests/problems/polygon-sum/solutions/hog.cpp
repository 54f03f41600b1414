// Touches 1 GiB, past the 128 MiB limit.
#include <cstdio>
#include <cstdlib>

int main() {
    const size_t size = size_t(1) << 30;
    char *p = static_cast<char *>(std::malloc(size));
    for (size_t i = 0; i < size; i += 4096) p[i] = 1;
    std::printf("%d\n", p[size / 2]);
}
