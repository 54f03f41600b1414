// Reads what the interactor wrote ("found SECRET in N", as the participant's output) and the
// answer (the same line, from the main solution's run): the secret must agree, and N must be at
// most 10.
#include "testlib.h"

#include <string>

int main(int argc, char *argv[]) {
    registerTestlibCmd(argc, argv);
    ensuref(ouf.readWord() == "found", "the interactor's output does not start with \"found\"");
    int secret = ouf.readInt(1, 1000, "the secret");
    ouf.readWord();
    int guesses = ouf.readInt(1, 30, "the guesses");
    ans.readWord();
    int expected = ans.readInt(1, 1000, "the answer's secret");
    ensuref(secret == expected, "the interactor found %d, the answer says %d", secret, expected);
    if (guesses > 10) quitf(_wa, "%d guesses, at most 10 allowed", guesses);
    quitf(_ok, "%d found in %d guesses", secret, guesses);
}
