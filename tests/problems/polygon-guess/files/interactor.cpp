// Guess the number in the input (1 to 1000) in at most 10 guesses: each guess gets "<" (the
// number is smaller), ">" (greater) or "=" (found). The number of guesses goes to the output file
// for the checker, as Polygon's interactors do.
#include "testlib.h"

int main(int argc, char *argv[]) {
    registerInteraction(argc, argv);
    int secret = inf.readInt(1, 1000, "the secret");
    for (int guesses = 1; guesses <= 10; guesses++) {
        int guess = ouf.readInt(1, 1000, "the guess");
        if (guess == secret) {
            std::cout << "=" << std::endl;
            tout << guesses << "\n";
            quitf(_ok, "found in %d guesses", guesses);
        }
        std::cout << (secret < guess ? "<" : ">") << std::endl;
    }
    quitf(_wa, "10 guesses and no =");
}
