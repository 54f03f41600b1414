#!/usr/bin/env python3
# A helper module of a folder submission. It sorts before main.py and must not be run as the entry
# point: run on its own, it exits 1 without output.
import math
import sys


def total(numbers):
    return math.fsum(numbers)


if __name__ == "__main__":
    sys.exit(1)
