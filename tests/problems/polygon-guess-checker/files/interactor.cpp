// Guess the number in the input (1 to 1000): each guess gets "<" (the number is smaller), ">"
// (greater) or "=" (found). The interactor allows 30 guesses and rejects the 31st itself; how
// many were needed goes to its output file ("found SECRET in N"), which the checker reads, so
// the checker, not the interactor, holds a solution to the limit of 10.
#include "testlib.h"

int main(int argc, char *argv[]) {
    registerInteraction(argc, argv);
    int secret = inf.readInt(1, 1000, "the secret");
    for (int guesses = 1; guesses <= 30; guesses++) {
        int guess = ouf.readInt(1, 1000, "the guess");
        if (guess == secret) {
            std::cout << "=" << std::endl;
            tout << "found " << secret << " in " << guesses << "\n";
            quitf(_ok, "found in %d guesses", guesses);
        }
        std::cout << (secret < guess ? "<" : ">") << std::endl;
    }
    quitf(_wa, "30 guesses and no =");
}
