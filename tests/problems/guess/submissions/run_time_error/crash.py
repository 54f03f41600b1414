#!/usr/bin/env python3
# Run-time error: makes one guess, reads the reply, then raises (exit status 1). No test case has
# 500 as its secret, so the interactor never accepts first.
import sys

print(500, flush=True)
reply = sys.stdin.readline().strip()
raise RuntimeError(f"giving up after the reply {reply!r}")
