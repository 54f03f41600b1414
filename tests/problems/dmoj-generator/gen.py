# DMOJ generator: A and B from the arguments, else from stdin (the case's `in` file); the input
# on stdout, the answer on stderr.
import sys

if sys.argv[1:] == ["fail"]:
    sys.exit("must not run: the case has both in and out")
if len(sys.argv) == 3:
    a, b = map(int, sys.argv[1:])
else:
    a, b = map(int, sys.stdin.read().split())
print(a, b)
print(a + b, file=sys.stderr)
