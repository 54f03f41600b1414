# The secret number is the argument.
import sys

print(int(sys.argv[1]))
