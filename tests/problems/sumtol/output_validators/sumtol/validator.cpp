// Output validator for `sumtol` (Kattis convention):
//   validator input_file answer_file feedback_dir [args...] < team_output
// Exit 42: accepted. Exit 43: wrong answer, with the reason in feedback_dir/judgemessage.txt.
// Any other exit (1 here) is a judge error: bad arguments or an unreadable answer file.
//
// The team output must be exactly one floating-point number (surrounding whitespace is fine),
// written as the problem package format's grammar allows: [+-]? (d*.d+ | d+. | d+) ([Ee][+-]?d+)?
// So `nan`, `inf`, hex floats and anything after the number are rejected. It is accepted when
// within absolute or relative error 1e-6 of the answer file's number.
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

namespace {

const double kTolerance = 1e-6;
const std::size_t kMaxOutput = 1 << 20;  // more team output than this is rejected unread

std::string feedback_dir;

[[noreturn]] void judge_error(const std::string& why) {
    std::cerr << "sumtol validator: " << why << "\n";
    std::exit(1);
}

[[noreturn]] void reject(const std::string& why) {
    std::ofstream msg(feedback_dir + "judgemessage.txt", std::ios::app);
    msg << why << "\n";
    msg.close();  // std::exit skips local destructors, so flush the message now
    std::exit(43);
}

// Whether `s` is a float as the problem package format's grammar defines it.
bool is_float(const std::string& s) {
    std::size_t i = 0, n = s.size();
    if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
    std::size_t int_digits = 0, frac_digits = 0;
    while (i < n && std::isdigit(static_cast<unsigned char>(s[i]))) ++i, ++int_digits;
    if (i < n && s[i] == '.') {
        ++i;
        while (i < n && std::isdigit(static_cast<unsigned char>(s[i]))) ++i, ++frac_digits;
    }
    if (int_digits == 0 && frac_digits == 0) return false;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        ++i;
        if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
        std::size_t exp_digits = 0;
        while (i < n && std::isdigit(static_cast<unsigned char>(s[i]))) ++i, ++exp_digits;
        if (exp_digits == 0) return false;
    }
    return i == n;
}

std::string shown(const std::string& s) {
    return s.size() <= 60 ? s : s.substr(0, 60) + "...";
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 4) judge_error("usage: validator input_file answer_file feedback_dir < team_output");
    feedback_dir = argv[3];
    if (!feedback_dir.empty() && feedback_dir.back() != '/') feedback_dir += '/';

    std::ifstream answer_file(argv[2]);
    std::string answer_token;
    if (!(answer_file >> answer_token) || !is_float(answer_token))
        judge_error(std::string("answer file has no number: ") + argv[2]);
    const double answer = std::strtod(answer_token.c_str(), nullptr);

    std::string output;
    std::vector<char> buffer(1 << 16);
    while (std::cin.read(buffer.data(), buffer.size()) || std::cin.gcount() > 0) {
        output.append(buffer.data(), static_cast<std::size_t>(std::cin.gcount()));
        if (output.size() > kMaxOutput) reject("output is larger than 1 MiB");
    }

    std::istringstream tokens(output);
    std::string token, extra;
    if (!(tokens >> token)) reject("no output: expected one number");
    if (tokens >> extra) reject("extra output after the number: \"" + shown(extra) + "\"");
    if (!is_float(token)) reject("not a number: \"" + shown(token) + "\"");
    const double value = std::strtod(token.c_str(), nullptr);
    if (!std::isfinite(value)) reject("number out of range: \"" + shown(token) + "\"");

    const double error = std::fabs(value - answer);
    if (error <= kTolerance || error <= kTolerance * std::fabs(answer)) return 42;

    char why[200];
    std::snprintf(why, sizeof why, "wrong sum: got %.17g, expected %.17g (error %.3g)", value,
                  answer, error);
    reject(why);
}
