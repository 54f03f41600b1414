#!/usr/bin/env python3
# Accepted: the closed form (Python integers do not overflow).
n = int(input())
print(n * (n + 1) // 2)
