// Guess the number in the input (1 to 1000) in at most 10 guesses: each guess gets "<" (the
// number is smaller), ">" (greater) or "=" (found). The number found goes to the output file,
// which Polygon gives the checker (std::wcmp.cpp, whose source this package lacks: codecage
// compares the tokens) to compare with the answer.
#include "testlib.h"

int main(int argc, char *argv[]) {
    registerInteraction(argc, argv);
    int secret = inf.readInt(1, 1000, "the secret");
    for (int guesses = 1; guesses <= 10; guesses++) {
        int guess = ouf.readInt(1, 1000, "the guess");
        if (guess == secret) {
            std::cout << "=" << std::endl;
            tout << guess << "\n";
            quitf(_ok, "found in %d guesses", guesses);
        }
        std::cout << (secret < guess ? "<" : ">") << std::endl;
    }
    quitf(_wa, "10 guesses and no =");
}
