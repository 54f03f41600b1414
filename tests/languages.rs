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

#[test]
fn java_public_class_in_a_differently_named_file() {
    let out = Test::new()
        .file("hello.java", "public class Greeter { public static void main(String[] a) { System.out.println(\"hi from \" + a[0]); } }\n")
        .args(["run", "hello.java", "--", "Greeter"])
        .status(0);
    assert_eq!(out.stdout_str(), "hi from Greeter\n");
}

/// A program in `file` that exits with status 3 when run.
fn exits_3(file: &str, source: &str) {
    let out = Test::new().file(file, source).args(["run", file]).status(3);
    assert!(!out.stderr.contains("codecage:"), "{}", out.stderr);
}

fn compile_error(file: &str, source: &str, diagnostic: &str) {
    let out = Test::new()
        .file(file, source)
        .args(["run", file])
        .status(65);
    assert!(out.stderr.contains(diagnostic), "{file}: {}", out.stderr);
    assert!(
        out.stderr.ends_with("codecage: compilation failed\n"),
        "{}",
        out.stderr
    );
}

#[test]
fn typescript() {
    check(
        "main.ts",
        "const data: string = require('fs').readFileSync(0, 'utf8');\nconst [a, b] = data.trim().split(' ').map(Number);\nconst args: string[] = process.argv.slice(2);\nconsole.log(`${a + b} ${args.length} ${args[1]}`);\n",
    );
    exits_3("exit.ts", "process.exit(3);\n");
    compile_error("bad.ts", "let x = ;\n", "Unexpected \";\"");
}

#[test]
fn go() {
    check(
        "main.go",
        "package main\n\nimport (\n\t\"fmt\"\n\t\"os\"\n)\n\nfunc main() {\n\tvar a, b int\n\tfmt.Scan(&a, &b)\n\tfmt.Printf(\"%d %d %s\\n\", a+b, len(os.Args)-1, os.Args[2])\n}\n",
    );
    exits_3(
        "exit.go",
        "package main\n\nimport \"os\"\n\nfunc main() { os.Exit(3) }\n",
    );
    compile_error(
        "bad.go",
        "package main\n\nfunc main() { undefinedThing() }\n",
        "undefined: undefinedThing",
    );
}

#[test]
fn rust() {
    check(
        "main.rs",
        "use std::io::Read;\nfn main() {\n    let mut s = String::new();\n    std::io::stdin().read_to_string(&mut s).unwrap();\n    let v: Vec<i64> = s.split_whitespace().map(|x| x.parse().unwrap()).collect();\n    let args: Vec<String> = std::env::args().skip(1).collect();\n    println!(\"{} {} {}\", v[0] + v[1], args.len(), args[1]);\n}\n",
    );
    exits_3("exit.rs", "fn main() { std::process::exit(3) }\n");
    compile_error("bad.rs", "fn main() { let x: i32 = \"no\"; }\n", "E0308");
}

#[test]
fn ruby() {
    check(
        "main.rb",
        "a, b = STDIN.read.split.map(&:to_i)\nputs \"#{a + b} #{ARGV.size} #{ARGV[1]}\"\n",
    );
    exits_3("exit.rb", "exit 3\n");
}

#[test]
fn php() {
    check(
        "main.php",
        "<?php\n[$a, $b] = array_map('intval', preg_split('/\\s+/', trim(stream_get_contents(STDIN))));\necho ($a + $b) . ' ' . (count($argv) - 1) . ' ' . $argv[2] . \"\\n\";\n",
    );
    exits_3("exit.php", "<?php exit(3);\n");
}

#[test]
fn lua() {
    check(
        "main.lua",
        "local a, b = io.read('n', 'n')\nprint(string.format('%d %d %s', a + b, #arg, arg[2]))\n",
    );
    exits_3("exit.lua", "os.exit(3)\n");
}

#[test]
fn perl() {
    check(
        "main.pl",
        "my ($a, $b) = split ' ', <STDIN>;\nprint $a + $b, ' ', scalar(@ARGV), \" $ARGV[1]\\n\";\n",
    );
    exits_3("exit.pl", "exit 3;\n");
}

#[test]
fn bash() {
    check("main.sh", "read -r a b\necho \"$((a + b)) $# $2\"\n");
    exits_3("exit.sh", "exit 3\n");
}

#[test]
fn non_zero_exit_in_the_first_five_languages() {
    exits_3("exit.py", "raise SystemExit(3)\n");
    exits_3("exit.js", "process.exit(3);\n");
    exits_3(
        "Exit.java",
        "public class Exit { public static void main(String[] a) { System.exit(3); } }\n",
    );
    exits_3("exit.c", "int main(void) { return 3; }\n");
    exits_3("exit.cpp", "int main() { return 3; }\n");
}
