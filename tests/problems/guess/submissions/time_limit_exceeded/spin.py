#!/usr/bin/env python3
# Time limit exceeded: makes one guess, reads the reply, then spins forever (CPU time).
import sys

print(500, flush=True)
sys.stdin.readline()
while True:
    pass
