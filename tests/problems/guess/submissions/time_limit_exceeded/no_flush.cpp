// Time limit exceeded: writes its guess without flushing, then waits for the reply. cin is
// untied from cout (and stdout is a pipe, so fully buffered), so the guess stays in this
// process's buffer: the interactor never sees it, and both wait until the judge's wall-clock
// limit kills the submission. It uses next to no CPU time: only a wall-clock limit catches it.
#include <iostream>
#include <string>

int main() {
    std::ios::sync_with_stdio(false);
    std::cin.tie(nullptr);
    std::cout << 500 << '\n';
    std::string reply;
    std::cin >> reply;
    std::cout << reply << '\n';
    return 0;
}
