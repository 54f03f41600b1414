#!/usr/bin/env python3
# Accepted with a different precision: only 7 significant digits ("%.7g", so 4.419753e+09 or
# 4.5e-07), which is within the relative (or, near zero, absolute) tolerance of 1e-6.
import sys

tokens = sys.stdin.read().split()
n = int(tokens[0])
print("%.7g" % sum(float(t) for t in tokens[1 : 1 + n]))
