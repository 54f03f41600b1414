# DMOJ coci-type interactor, arguments ANSWER INPUT (from args_format_string).
import sys

answer = open(sys.argv[1]).read().strip()
question = open(sys.argv[2]).read().strip()
print(question)
reply = sys.stdin.readline().strip()
if reply == answer:
    sys.exit(0)
if reply == "give up":
    # Stands for a bug in the interactor: DMOJ's exit 3, a judge failure.
    print("interactor cannot go on", file=sys.stderr)
    sys.exit(3)
if reply.lstrip("-").isdigit() and abs(int(reply) - int(answer)) == 1:
    print("partial 1/4", file=sys.stderr)
    print("off by one", file=sys.stderr)
    sys.exit(7)
print(f"expected {answer}, got {reply!r}", file=sys.stderr)
sys.exit(1)
