#!/usr/bin/env python3
# Accepted: math.fsum, printed at full precision (repr, may use scientific notation).
import math
import sys

tokens = sys.stdin.read().split()
n = int(tokens[0])
print(math.fsum(float(t) for t in tokens[1 : 1 + n]))
