#!/usr/bin/env python3
# Input validator: one integer 1 <= N <= 10^6 on one line. Exit 42 if valid.
import re
import sys

text = sys.stdin.read()
ok = re.fullmatch(r"[1-9][0-9]*\n", text) is not None and 1 <= int(text) <= 10**6
sys.exit(42 if ok else 43)
