// Accepted: binary search over 1..1000 (at most 10 guesses), std::endl flushes every guess.
#include <iostream>
#include <string>

int main() {
    int low = 1, high = 1000;
    std::string reply;
    while (low <= high) {
        const int guess = (low + high) / 2;
        std::cout << guess << std::endl;
        if (!(std::cin >> reply) || reply == "=") return 0;
        if (reply == "<") high = guess - 1;
        else low = guess + 1;
    }
    return 0;
}
