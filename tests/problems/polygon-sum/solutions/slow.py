# Right, but too slow on test 3 (1000 numbers): time-limit-exceeded-or-accepted.
n = int(input())
numbers = list(map(int, input().split()))
while n == 1000:
    pass
print(sum(numbers))
