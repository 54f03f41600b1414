# DMOJ default-type interactor: argv is INPUT ANSWER; exit 0 accepted, 1 wrong answer.
import sys

if len(sys.argv) != 3:
    print(f"expected 2 arguments, got {len(sys.argv) - 1}", file=sys.stderr)
    sys.exit(3)
question = open(sys.argv[1]).read().strip()
answer = open(sys.argv[2]).read().strip()
# No flush: DMOJ's interactors need none.
print(question)
reply = sys.stdin.readline().strip()
if reply != answer:
    print(f"expected {answer}, got {reply!r}", file=sys.stderr)
    sys.exit(1)
sys.exit(0)
