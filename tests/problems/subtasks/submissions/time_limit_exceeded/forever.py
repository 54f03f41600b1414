#!/usr/bin/env python3
# Time limit exceeded: reads N, then spins forever (CPU time). Score 0.
n = int(input())
while True:
    pass
