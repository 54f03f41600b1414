// Shared by the checker: DMOJ compiles a bridged checker's `files` together.
#include <fstream>

static bool read_number(const char *path, long long &n) {
    std::ifstream in(path);
    return static_cast<bool>(in >> n);
}
