#!/usr/bin/env python3
# Run-time error: a table of the first ten sums, indexed by N, so N >= 10 raises IndexError
# (exit 1). Right on the sample and on N = 1 and 7; group 1 has N = 10, so the score is 0.
n = int(input())
table = [i * (i + 1) // 2 for i in range(10)]
print(table[n])
