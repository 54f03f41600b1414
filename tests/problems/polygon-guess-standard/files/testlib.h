/*
 * A small stand-in for testlib.h, written for codecage's tests: the part of testlib's API that
 * the checkers and interactors of tests/problems/polygon-* use, with testlib's exit codes
 * (0 ok, 1 wrong answer, 2 presentation error, 3 fail, 7 points with "points P" first on stderr).
 * It is not testlib (https://github.com/MikeMirzayanov/testlib): real Polygon packages carry the
 * real one in files/, and codecage builds their checkers with that.
 */
#ifndef CODECAGE_TESTLIB_STANDIN_H
#define CODECAGE_TESTLIB_STANDIN_H

#include <cctype>
#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>

enum TResult { _ok = 0, _wa = 1, _pe = 2, _fail = 3, _points = 7 };

static std::string testlib_format(const char *format, va_list args) {
    char buffer[4096];
    vsnprintf(buffer, sizeof buffer, format, args);
    return buffer;
}

[[noreturn]] static void quit(TResult result, const std::string &message) {
    static const char *const names[] = {"ok", "wrong answer", "wrong output format", "FAIL"};
    if (result == _points) {
        std::fprintf(stderr, "points %s\n", message.c_str());
    } else {
        std::fprintf(stderr, "%s %s\n", names[result], message.c_str());
    }
    std::exit(result);
}

[[noreturn]] static void quitf(TResult result, const char *format, ...) {
    va_list args;
    va_start(args, format);
    std::string message = testlib_format(format, args);
    va_end(args);
    quit(result, message);
}

/* Partial credit: the share of the test's points, 0 to 1. */
[[noreturn]] static void quitp(double points, const char *format = "", ...) {
    va_list args;
    va_start(args, format);
    std::string message = testlib_format(format, args);
    va_end(args);
    char head[64];
    std::snprintf(head, sizeof head, "%.6f ", points);
    quit(_points, head + message);
}

#define quitif(condition, result, ...) \
    do { if (condition) quitf(result, __VA_ARGS__); } while (0)
#define ensuref(condition, ...) \
    do { if (!(condition)) quitf(_fail, __VA_ARGS__); } while (0)
#define ensure(condition) ensuref(condition, "%s", #condition)

/* One stream: the input (inf), the participant's output (ouf) or the answer (ans). Reading what
   is not there is the participant's presentation error in ouf, the judge's failure elsewhere. */
struct InStream {
    std::FILE *file = nullptr;
    TResult onError = _fail;

    void open(std::FILE *f, TResult error) { file = f; onError = error; }

    [[noreturn]] void fail(const std::string &what) { quit(onError, what); }

    int peek() { int c = std::getc(file); if (c != EOF) std::ungetc(c, file); return c; }

    static bool blank(int c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

    bool seekEof() { while (blank(peek())) std::getc(file); return peek() == EOF; }
    bool eof() { return peek() == EOF; }

    std::string readToken() {
        if (seekEof()) fail("unexpected end of file: a token expected");
        std::string token;
        while (peek() != EOF && !blank(peek())) token += char(std::getc(file));
        return token;
    }
    std::string readWord() { return readToken(); }

    std::string readLine() {
        if (eof()) fail("unexpected end of file: a line expected");
        std::string line;
        int c;
        while ((c = std::getc(file)) != EOF && c != '\n') if (c != '\r') line += char(c);
        return line;
    }
    std::string readString() { return readLine(); }

    long long readLong() {
        std::string token = readToken();
        char *end = nullptr;
        errno = 0;
        long long value = std::strtoll(token.c_str(), &end, 10);
        bool digits = !token.empty() && std::isdigit((unsigned char)token.back());
        if (errno != 0 || *end != '\0' || !digits) fail("expected an integer, found \"" + token + "\"");
        return value;
    }
    long long readLong(long long low, long long high, const std::string &name = "") {
        long long value = readLong();
        if (value < low || value > high) fail(name + " is out of range");
        return value;
    }
    int readInt() { return int(readLong(-2147483648LL, 2147483647LL)); }
    int readInt(int low, int high, const std::string &name = "") { return int(readLong(low, high, name)); }

    double readDouble() {
        std::string token = readToken();
        char *end = nullptr;
        double value = std::strtod(token.c_str(), &end);
        if (*end != '\0') fail("expected a number, found \"" + token + "\"");
        return value;
    }
    double readReal() { return readDouble(); }
};

static InStream inf, ouf, ans;
/* An interactor's output file, which Polygon gives its checker. */
static std::ofstream tout;

static void setName(const char *, ...) {}

static std::FILE *testlib_open(const char *path) {
    std::FILE *f = std::fopen(path, "rb");
    if (!f) quitf(_fail, "cannot open %s", path);
    return f;
}

/* checker INPUT OUTPUT ANSWER */
static void registerTestlibCmd(int argc, char *argv[]) {
    if (argc < 4) quitf(_fail, "usage: %s input output answer", argv[0]);
    inf.open(testlib_open(argv[1]), _fail);
    ouf.open(testlib_open(argv[2]), _pe);
    ans.open(testlib_open(argv[3]), _fail);
}

/* interactor INPUT OUTPUT [ANSWER]: the participant's output on stdin, ours on stdout. */
static void registerInteraction(int argc, char *argv[]) {
    if (argc < 3) quitf(_fail, "usage: %s input output [answer]", argv[0]);
    inf.open(testlib_open(argv[1]), _fail);
    tout.open(argv[2]);
    ouf.open(stdin, _pe);
    if (argc > 3) ans.open(testlib_open(argv[3]), _fail);
}

#endif
