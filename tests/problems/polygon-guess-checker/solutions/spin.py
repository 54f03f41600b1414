# Never guesses.
while True:
    pass
