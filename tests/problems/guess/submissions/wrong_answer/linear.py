#!/usr/bin/env python3
# Wrong answer: guesses 1, 2, 3, ... so it needs more than 12 guesses unless the secret is at
# most 12 (it is accepted on the case whose secret is 1). The interactor rejects the 12th wrong
# guess and exits; the empty read that follows ends this program quietly (exit 0).
import sys

for guess in range(1, 1001):
    print(guess, flush=True)
    reply = sys.stdin.readline().strip()
    if reply in ("=", ""):
        break
