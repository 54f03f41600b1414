#!/usr/bin/env python3
# Input validator: the input is the secret, one integer 1..1000 on one line. Exit 42 if valid.
import re
import sys

text = sys.stdin.read()
ok = re.fullmatch(r"[1-9][0-9]*\n", text) is not None and 1 <= int(text) <= 1000
sys.exit(42 if ok else 43)
