//! Compile time: the compiler is untrusted code too. It cannot read host files into its errors,
//! see codecage's environment, or run forever.

use std::time::Duration;

use super::attack;
use crate::harness::Test;

#[test]
fn the_compiler_cannot_leak_host_files_or_run_forever() {
    let test = Test::new()
        .file(
            "leak.c",
            "#include \"/etc/shadow\"\nint main(void) { return 0; }\n",
        )
        .args(["run", "leak.c"]);
    let out = attack(test, 65, Duration::from_secs(30));
    assert!(!out.stderr.contains("root:"), "{}", out.stderr);
    assert!(out.stderr.contains("/etc/shadow"), "{}", out.stderr);
    let test = Test::new()
        .file(
            "explode.cpp",
            "template <int N> struct F { static const long v = F<N - 1>::v + F<N - 2>::v; };\n\
             template <> struct F<0> { static const long v = 0; };\n\
             template <> struct F<1> { static const long v = 1; };\n\
             template <int N> struct G { typedef typename G<N - 1>::t t; };\n\
             template <> struct G<0> { typedef int t; };\n\
             int main() { G<100000>::t x = F<40>::v; return x != 0; }\n",
        )
        .args(["run", "--time-limit", "5s", "explode.cpp"]);
    attack(test, 65, Duration::from_secs(30));
}

#[test]
fn the_compiler_sees_no_secret_of_codecages_environment() {
    const CANARY: &str = "codecage-canary-compile";
    // GCC reads /proc files as empty (they report size 0), so this include alone shows nothing,
    // leak or not; the report must hold no secret either way.
    let test = Test::new()
        .file(
            "env.c",
            "#include \"/proc/self/environ\"\n#include <stdio.h>\nint main(void) { puts(\"compiled\"); return 0; }\n",
        )
        .args(["run", "--json", "report.json", "env.c"])
        .env("CODECAGE_SECRET_CANARY", CANARY);
    let out = attack(test, 0, Duration::from_secs(30));
    assert_eq!(out.stdout_str(), "compiled\n");
    assert!(!out.stderr.contains(CANARY), "{}", out.stderr);
    let report = String::from_utf8_lossy(&out.read("report.json")).into_owned();
    assert!(!report.contains(CANARY), "{report}");
    // A compile command that prints its whole environment (a build script may: Judge0's
    // `compile`, a Makefile), its own and that of the sandbox's PID 1, as diagnostics. The
    // sandbox's own variables are there, which shows this channel would carry a leaked one.
    let dump = "for f in /proc/self/environ /proc/1/environ; do tr '\\0' '\\n' < $f; done >&2\nenv >&2\nexit 1\n";
    let test = Test::new()
        .file(
            "my/profiles/envdump.yaml",
            "name: envdump\nversion: sh\nextensions: [envdump]\nimage: gcc\ncompile: [sh, '{main}']\nrun: ['true']\n",
        )
        .file("dump.envdump", dump)
        .args(["--profiles", "my/profiles", "run", "--json", "report.json", "dump.envdump"])
        .env("CODECAGE_SECRET_CANARY", CANARY);
    let out = attack(test, 65, Duration::from_secs(30));
    for var in ["HOME=/tmp", "LANG=C.UTF-8"] {
        assert!(
            out.stderr.matches(var).count() >= 2,
            "{var}: {}",
            out.stderr
        );
    }
    assert!(!out.stderr.contains(CANARY), "{}", out.stderr);
    assert!(!out.stderr.contains("CODECAGE_"), "{}", out.stderr);
    let report = String::from_utf8_lossy(&out.read("report.json")).into_owned();
    assert!(!report.contains(CANARY), "{report}");
}

#[test]
fn a_constexpr_infinite_loop_is_a_compile_error() {
    let test = Test::new()
        .file(
            "loop.cpp",
            "constexpr int spin() { for (;;) {} return 0; }\nint main() { constexpr int x = spin(); return x; }\n",
        )
        .args(["run", "--time-limit", "10s", "loop.cpp"]);
    let out = attack(test, 65, Duration::from_secs(40));
    assert!(out.stderr.contains("constexpr"), "{}", out.stderr);
    assert!(
        out.stderr.ends_with("codecage: compilation failed\n")
            || out
                .stderr
                .contains("codecage: compilation failed (time limit exceeded"),
        "{}",
        out.stderr
    );
}
