#!/usr/bin/env python3
# Accepted: a folder submission whose entry point is main.py, importing a module beside it.
import sys

from adder import total

tokens = sys.stdin.read().split()
n = int(tokens[0])
print(repr(total(float(t) for t in tokens[1 : n + 1])))
