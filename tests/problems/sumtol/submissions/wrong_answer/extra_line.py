#!/usr/bin/env python3
# Wrong answer: the right sum, followed by an extra line the validator does not allow.
import math
import sys

tokens = sys.stdin.read().split()
n = int(tokens[0])
print(math.fsum(float(t) for t in tokens[1 : 1 + n]))
print("done")
