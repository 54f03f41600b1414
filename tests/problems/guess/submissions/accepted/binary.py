#!/usr/bin/env python3
# Accepted: binary search over 1..1000, flushing after every guess.
import sys

low, high = 1, 1000
while low <= high:
    guess = (low + high) // 2
    print(guess, flush=True)
    reply = sys.stdin.readline().strip()
    if reply in ("=", ""):
        break
    if reply == "<":
        high = guess - 1
    else:
        low = guess + 1
