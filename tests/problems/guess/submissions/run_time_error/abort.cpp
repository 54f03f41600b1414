// Run-time error: makes one guess, reads the reply, then aborts (SIGABRT). No test case has 500 as
// its secret, so the interactor never accepts first; it sees the end of the submission's output
// after the submission died, so the crash wins.
#include <cstdlib>
#include <iostream>
#include <string>

int main() {
    std::cout << 500 << std::endl;
    std::string reply;
    std::cin >> reply;
    std::abort();
}
