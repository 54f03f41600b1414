// The sum, and nothing after it: a malformed number is a presentation error.
#include "testlib.h"

int main(int argc, char *argv[]) {
    registerTestlibCmd(argc, argv);
    long long expected = ans.readLong();
    long long found = ouf.readLong();
    quitif(!ouf.seekEof(), _wa, "extra output after the sum");
    quitif(found != expected, _wa, "expected %lld, found %lld", expected, found);
    quitf(_ok, "the sum is %lld", found);
}
