low, high = 1, 1000
while True:
    guess = (low + high) // 2
    print(guess, flush=True)
    reply = input()
    if reply == "=":
        break
    if reply == "<":
        high = guess - 1
    else:
        low = guess + 1
