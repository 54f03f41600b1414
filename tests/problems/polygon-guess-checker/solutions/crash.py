# One guess, then a crash.
print(500, flush=True)
input()
raise RuntimeError("no")
