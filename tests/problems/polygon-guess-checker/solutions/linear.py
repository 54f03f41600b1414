# 1, 2, 3, ...: the interactor itself rejects the 31st guess.
guess = 1
while True:
    print(guess, flush=True)
    if input() == "=":
        break
    guess += 1
