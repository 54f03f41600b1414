# The right sum, in words the checker cannot read as a number: a presentation error.
n = int(input())
print("sum:", sum(map(int, input().split())))
