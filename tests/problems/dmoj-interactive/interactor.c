/* DMOJ testlib-type interactor: argv is INPUT OUTPUT ANSWER (OUTPUT a log it may write). */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "expected 3 arguments, got %d\n", argc - 1);
        return 3;
    }
    FILE *in = fopen(argv[1], "r");
    FILE *log = fopen(argv[2], "w");
    FILE *answer = fopen(argv[3], "r");
    int n;
    if (!in || !log || !answer || fscanf(in, "%d", &n) != 1) {
        fprintf(stderr, "cannot read the case's files\n");
        return 3;
    }
    long long guess = 0;
    int guesses = 0;
    while (guess != n) {
        if (scanf("%lld", &guess) != 1 || guess < 1 || guess > 100) {
            fprintf(stderr, "guess %d is not a number from 1 to 100\n", guesses + 1);
            return 2;
        }
        guesses++;
        fprintf(log, "%lld\n", guess);
        /* No fflush: DMOJ's interactors need none. */
        puts(guess == n ? "OK" : guess > n ? "LOWER" : "HIGHER");
    }
    if (guesses <= 7) {
        fprintf(stderr, "%d guesses\n", guesses);
        return 0;
    }
    if (guesses <= 30) {
        fprintf(stderr, "points 4\n%d guesses is a few too many\n", guesses);
        return 7;
    }
    fprintf(stderr, "%d guesses\n", guesses);
    return 1;
}
