# One number from 1 to 1000, on a line of its own.
import sys

text = sys.stdin.read()
if not text.endswith("\n") or not text[:-1].isdigit() or not 1 <= int(text) <= 1000:
    sys.exit("the secret is not a number from 1 to 1000 on one line")
