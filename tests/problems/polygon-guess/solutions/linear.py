# 1, 2, 3...: right when the number is at most 10 (test 2), out of guesses otherwise.
guess = 1
while True:
    print(guess, flush=True)
    try:
        if input() == "=":
            break
    except EOFError:
        break
    guess += 1
