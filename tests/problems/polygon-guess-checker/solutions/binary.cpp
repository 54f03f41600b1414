#include <iostream>
#include <string>

int main() {
    int low = 1, high = 1000;
    std::string reply;
    while (true) {
        int guess = (low + high) / 2;
        std::cout << guess << std::endl;
        std::cin >> reply;
        if (reply == "=") return 0;
        if (reply == "<") high = guess - 1; else low = guess + 1;
    }
}
