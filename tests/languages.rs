//! The five foundation languages: a real program with stdin and arguments, and compile errors.

use crate::harness::Test;

fn check(file: &str, source: &str) {
    let out = Test::new()
        .file(file, source)
        .args(["run", file, "--", "x", "y z"])
        .stdin("20 22\n")
        .status(0);
    assert_eq!(
        out.stdout_str(),
        "42 2 y z\n",
        "{file}: stderr {}",
        out.stderr
    );
}

#[test]
fn python() {
    check("main.py", "import sys\na, b = map(int, input().split())\nprint(a + b, len(sys.argv) - 1, sys.argv[2])\n");
}

#[test]
fn javascript() {
    check(
        "app.js",
        "const d = require('fs').readFileSync(0, 'utf8').trim().split(' ').map(Number);\nconst a = process.argv.slice(2);\nconsole.log(`${d[0] + d[1]} ${a.length} ${a[1]}`);\n",
    );
}

#[test]
fn c() {
    check(
        "prog.c",
        "#include <stdio.h>\nint main(int argc, char **argv) { int a, b; if (scanf(\"%d %d\", &a, &b) != 2) return 1; printf(\"%d %d %s\\n\", a + b, argc - 1, argv[2]); return 0; }\n",
    );
}

#[test]
fn cpp() {
    check(
        "main.cpp",
        "#include <iostream>\nint main(int argc, char **argv) { int a, b; std::cin >> a >> b; std::cout << a + b << ' ' << argc - 1 << ' ' << argv[2] << std::endl; }\n",
    );
}

#[test]
fn java_with_any_public_class_name() {
    check(
        "Greeter.java",
        "import java.util.Scanner;\npublic class Greeter { public static void main(String[] args) { Scanner s = new Scanner(System.in); int a = s.nextInt(), b = s.nextInt(); System.out.println((a + b) + \" \" + args.length + \" \" + args[1]); } }\n",
    );
}

#[test]
fn c_compile_error_is_reported_as_such() {
    let out = Test::new()
        .file("bad.c", "int main( { return 0 }\n")
        .args(["run", "bad.c"])
        .status(65);
    assert!(
        out.stderr.contains("bad.c:1"),
        "diagnostics missing: {}",
        out.stderr
    );
    assert!(
        out.stderr.contains("codecage: compilation failed"),
        "{}",
        out.stderr
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn java_compile_error_is_reported_as_such() {
    let out = Test::new()
        .file(
            "Main.java",
            "public class Main { public static void main(String[] a) { int x = \"no\"; } }\n",
        )
        .args(["run", "Main.java"])
        .status(65);
    assert!(out.stderr.contains("incompatible types"), "{}", out.stderr);
}

#[test]
fn a_runtime_failure_is_not_a_compile_error() {
    let out = Test::new()
        .file(
            "crash.cpp",
            "#include <cstdlib>\nint main() { std::abort(); }\n",
        )
        .args(["run", "crash.cpp"])
        .status(134);
    assert!(!out.stderr.contains("compilation failed"), "{}", out.stderr);
}

#[test]
fn c_with_a_header_in_a_directory() {
    let out = Test::new()
        .file("proj/main.c", "#include <stdio.h>\n#include \"util.h\"\nint main(void) { printf(\"%d\\n\", twice(21)); return 0; }\n")
        .file("proj/util.h", "int twice(int x);\n")
        .file("proj/util.c", "#include \"util.h\"\nint twice(int x) { return 2 * x; }\n")
        .args(["run", "proj"])
        .status(0);
    assert_eq!(out.stdout_str(), "42\n");
}

#[test]
fn java_with_two_classes() {
    let out = Test::new()
        .file("proj/Main.java", "public class Main { public static void main(String[] a) { System.out.println(new Helper().greet()); } }\n")
        .file("proj/Helper.java", "public class Helper { String greet() { return \"two classes\"; } }\n")
        .args(["run", "proj"])
        .status(0);
    assert_eq!(out.stdout_str(), "two classes\n");
}
