// Run-time error (memory limit, 256 MiB): allocates 1 GiB and writes one byte in every 4 KiB
// page, so the pages are really resident. Under a cgroup limit the kernel kills it (SIGKILL);
// under an address-space limit malloc fails and it aborts (SIGABRT). Either way, not AC.
#include <cstdio>
#include <cstdlib>

int main() {
    int n;
    if (std::scanf("%d", &n) != 1) return 1;
    const std::size_t size = std::size_t(1) << 30;
    volatile char* block = static_cast<volatile char*>(std::malloc(size));
    if (block == nullptr) std::abort();
    for (std::size_t i = 0; i < size; i += 4096) block[i] = static_cast<char>(i >> 12);
    unsigned long check = 0;
    for (std::size_t i = 0; i < size; i += 4096 * 1024) check += static_cast<unsigned char>(block[i]);
    std::printf("%lu\n", check);
}
