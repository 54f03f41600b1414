// Interactor (output validator of an interactive problem, Kattis convention):
//   interactor input_file answer_file feedback_dir [args...]
// with the submission's stdout on our stdin and our stdout on the submission's stdin.
// Exit 42: accepted. Exit 43: wrong answer, reason in feedback_dir/judgemessage.txt.
// Exit 1: judge error (bad arguments or input file).
//
// The input file holds the secret (1..1000); the answer file is not needed. Each guess is a line
// with one integer 1..1000 (surrounding spaces and a trailing \r are tolerated); we answer "<",
// ">" or "=" on one line and flush. After "=" the submission must close its output (exit)
// without writing anything else. A wrong 12th guess is rejected at once, without an answer.
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>

namespace {

const int kMaxGuesses = 12;

std::string feedback_dir;

[[noreturn]] void judge_error(const std::string& why) {
    std::cerr << "guess interactor: " << why << "\n";
    std::exit(1);
}

[[noreturn]] void reject(const std::string& why) {
    std::ofstream msg(feedback_dir + "judgemessage.txt", std::ios::app);
    msg << why << "\n";
    msg.close();  // std::exit skips local destructors, so flush the message now
    std::exit(43);
}

std::string shown(const std::string& s) {
    return s.size() <= 60 ? s : s.substr(0, 60) + "...";
}

// Parses a guess line: optional spaces, 1-4 digits without a leading zero, optional spaces.
// Returns 0 if the line is malformed or out of range.
int parse_guess(std::string line) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const std::size_t first = line.find_first_not_of(' ');
    if (first == std::string::npos) return 0;
    const std::size_t last = line.find_last_not_of(' ');
    const std::string digits = line.substr(first, last - first + 1);
    if (digits.empty() || digits.size() > 4 || digits[0] == '0') return 0;
    for (char c : digits)
        if (c < '0' || c > '9') return 0;
    const int value = std::stoi(digits);
    return value <= 1000 ? value : 0;
}

}  // namespace

int main(int argc, char** argv) {
#ifdef SIGPIPE
    // A submission that dies early must not kill us with SIGPIPE when we answer it.
    std::signal(SIGPIPE, SIG_IGN);
#endif
    if (argc < 4) judge_error("usage: interactor input_file answer_file feedback_dir");
    feedback_dir = argv[3];
    if (!feedback_dir.empty() && feedback_dir.back() != '/') feedback_dir += '/';

    std::ifstream input(argv[1]);
    int secret = 0;
    if (!(input >> secret) || secret < 1 || secret > 1000)
        judge_error(std::string("input file has no secret in 1..1000: ") + argv[1]);

    std::string line;
    for (int guesses = 1;; ++guesses) {
        if (!std::getline(std::cin, line))
            reject("output ended after " + std::to_string(guesses - 1) +
                   " guesses without finding the secret " + std::to_string(secret));
        const int guess = parse_guess(line);
        if (guess == 0)
            reject("guess " + std::to_string(guesses) + " is not an integer in 1..1000: \"" +
                   shown(line) + "\"");
        if (guess == secret) {
            std::cout << "=" << std::endl;
            break;
        }
        if (guesses == kMaxGuesses)
            reject("12 guesses used without finding the secret " + std::to_string(secret) +
                   " (last guess " + std::to_string(guess) + ")");
        std::cout << (secret < guess ? "<" : ">") << std::endl;
    }

    // Found: the submission must now end its output. Anything but whitespace is rejected.
    while (std::getline(std::cin, line)) {
        if (line.find_first_not_of(" \t\r") != std::string::npos)
            reject("output after the secret was found: \"" + shown(line) + "\"");
    }
    return 42;
}
