#!/usr/bin/env python3
# Input validator: exit 42 if stdin is a valid input, 43 otherwise.
import re
import sys

REAL = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]{1,9})?")


def main() -> int:
    lines = sys.stdin.read().split("\n")
    if len(lines) != 3 or lines[2] != "":
        return 43
    if not re.fullmatch(r"[1-9][0-9]*", lines[0]) or not 1 <= int(lines[0]) <= 1000:
        return 43
    tokens = lines[1].split(" ")
    if len(tokens) != int(lines[0]):
        return 43
    for t in tokens:
        if not REAL.fullmatch(t) or abs(float(t)) > 1e9 or t == "-0":
            return 43
    return 42


sys.exit(main())
