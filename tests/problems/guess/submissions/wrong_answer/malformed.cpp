// Wrong answer: the first guess is not a bare integer, so the interactor rejects it at once.
#include <iostream>
#include <string>

int main() {
    std::cout << "guess 500" << std::endl;
    std::string reply;
    std::cin >> reply;  // the interactor has exited: end of input
    return 0;
}
