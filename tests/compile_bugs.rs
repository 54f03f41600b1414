//! Compile bugs a peer suite found (issue #29): each ordinary program here was a compile error or
//! a failure to start.

use crate::harness::Test;

/// A problem's memory limit is the program's, never the compiler's: `<bits/stdc++.h>` under a
/// judge's 256 MiB was "compilation failed (memory limit exceeded: 256 MiB)", and the Go linker
/// was killed under 64 MiB.
#[test]
fn the_compiler_gets_its_own_memory_whatever_the_programs_limit() {
    let out = Test::new()
        .file(
            "b.cpp",
            "#include <bits/stdc++.h>\nint main() { std::vector<int> v{1, 2}; std::cout << \"hi \" << v.size() << std::endl; }\n",
        )
        .args(["run", "-m", "256MiB", "b.cpp"])
        .status(0);
    assert_eq!(out.stdout_str(), "hi 2\n", "{}", out.stderr);
    let out = Test::new()
        .file(
            "main.go",
            "package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(\"go\") }\n",
        )
        .args(["run", "-m", "64MiB", "main.go"])
        .status(0);
    assert_eq!(out.stdout_str(), "go\n", "{}", out.stderr);
    // The program itself still gets only its limit.
    let out = Test::new()
        .file(
            "hog.cpp",
            "#include <bits/stdc++.h>\nint main() { std::vector<char> v(200 << 20, 1); std::cout << (int)v[12345] << std::endl; }\n",
        )
        .args(["run", "-m", "64MiB", "hog.cpp"])
        .status(137);
    assert!(
        out.stderr.contains("memory limit exceeded (64 MiB)"),
        "{}",
        out.stderr
    );
}

/// A Go file whose package is not `main` "compiled", then failed to start (exit 126, "./main:
/// Permission denied"): it is a compile error saying why.
#[test]
fn a_go_package_other_than_main_is_a_compile_error_that_says_so() {
    let out = Test::new()
        .file(
            "lib.go",
            "package geometry\n\nfunc Area(w, h int) int { return w * h }\n",
        )
        .args(["run", "lib.go"])
        .status(65);
    assert!(
        out.stderr
            .contains("package geometry is not a main package: a Go program needs `package main`"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("Permission denied"), "{}", out.stderr);
}

/// Java allows a public class with a non-ASCII name; it was a compile error.
#[test]
fn a_java_public_class_may_have_a_non_ascii_name() {
    let out = Test::new()
        .file(
            "Main.java",
            "public class Привет {\n    public static void main(String[] args) { System.out.println(\"привет \" + args.length); }\n}\n",
        )
        .args(["run", "Main.java", "--", "a"])
        .status(0);
    assert_eq!(out.stdout_str(), "привет 1\n", "{}", out.stderr);
}

/// A Java file with a `package` line compiled, then failed with ClassNotFoundException: it runs
/// as `pkg.Class`, as `java` expects, in a folder submission too.
#[test]
fn a_java_file_with_a_package_line_runs_as_its_qualified_class() {
    let out = Test::new()
        .file(
            "Solution.java",
            "package contest.a;\n\nimport java.util.*;\n\npublic class Solution {\n    public static void main(String[] args) {\n        Scanner s = new Scanner(System.in);\n        System.out.println(s.nextInt() * 2);\n    }\n}\n",
        )
        .args(["run", "Solution.java"])
        .stdin("21\n")
        .status(0);
    assert_eq!(out.stdout_str(), "42\n", "{}", out.stderr);
    let out = Test::new()
        .file(
            "sol/Main.java",
            "package app;\npublic class Main { public static void main(String[] a) { System.out.println(Helper.twice(4)); } }\n",
        )
        .file(
            "sol/Helper.java",
            "package app;\nclass Helper { static int twice(int x) { return 2 * x; } }\n",
        )
        .args(["run", "sol"])
        .status(0);
    assert_eq!(out.stdout_str(), "8\n", "{}", out.stderr);
}

/// A compile stopped at a limit with no compiler output left the JSON report's `compile_output`
/// empty, while stderr said why: the report carries the reason too.
#[test]
fn a_compile_stopped_by_a_limit_gives_its_reason_in_the_json_report() {
    let out = Test::new()
        .file(
            "bomb.c",
            "#include \"/dev/zero\"\nint main(void) { return 0; }\n",
        )
        .file("cases/1.in", "")
        .file("cases/1.out", "")
        .args([
            "test",
            "bomb.c",
            "--cases",
            "cases",
            "--json",
            "report.json",
        ])
        .status(1);
    let report: serde_json::Value = serde_json::from_slice(&out.read("report.json")).unwrap();
    assert_eq!(report["verdict"], "CE", "{report}");
    let compile_output = report["compile_output"].as_str().unwrap();
    assert!(
        compile_output.contains("codecage: compilation failed (")
            && compile_output.contains("limit exceeded"),
        "{compile_output:?}"
    );
}
