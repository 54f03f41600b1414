#!/usr/bin/env python3
# Run-time error: parses the numbers as integers; every test case has a non-integer such as
# "1.5", so int() raises ValueError and Python exits with status 1.
import sys

tokens = sys.stdin.read().split()
n = int(tokens[0])
print(sum(int(t) for t in tokens[1 : 1 + n]))
