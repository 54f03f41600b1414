# Not a number: the interactor's presentation error.
print("five hundred", flush=True)
input()
