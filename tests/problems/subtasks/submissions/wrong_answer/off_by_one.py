#!/usr/bin/env python3
# Wrong answer everywhere: sums 1..N-1 instead of 1..N. Score 0.
n = int(input())
print(n * (n - 1) // 2)
