//! Every language: a real program with stdin and arguments, its exit status, compile errors and the
//! time limit (the thirteen first languages one by one, the forty of issue #18 as table rows).

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

/// One language of the forty, as a table row: a program that reads "20 22" and prints
/// "42 2 y z" (the sum, the argument count and the second argument of `x "y z"`), one that exits
/// with status 3, one that does not compile (with a word of the compiler's diagnostic), and one
/// that never ends.
struct Row {
    /// `--lang`, for a language whose extension another one owns (`c-clang` on `.c`).
    lang: Option<&'static str>,
    /// The first program's file name; the others take its extension.
    file: &'static str,
    hello: &'static str,
    /// What `hello` prints (languages without program arguments print less).
    expect: &'static str,
    exit_3: &'static str,
    /// A program the compiler rejects and a piece of its message (compiled languages only).
    compile_error: Option<(&'static str, &'static str)>,
    forever: &'static str,
}

const SUM: &str = "42 2 y z\n";

impl Row {
    fn file_like(&self, stem: &str) -> String {
        let ext = self.file.rsplit_once('.').map_or("", |(_, e)| e);
        format!("{stem}.{ext}")
    }

    fn args<'a>(&'a self, file: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
        let mut args = vec!["run"];
        if let Some(lang) = self.lang {
            args.extend(["--lang", lang]);
        }
        args.extend(extra);
        args.push(file);
        args
    }

    /// All four programs, each asserting its own outcome.
    fn check(&self) {
        let mut args = self.args(self.file, &[]);
        args.extend(["--", "x", "y z"]);
        let out = Test::new()
            .file(self.file, self.hello)
            .args(args)
            .stdin("20 22\n")
            .status(0);
        assert_eq!(
            out.stdout_str(),
            self.expect,
            "{}: {}",
            self.file,
            out.stderr
        );

        graded_in_a_judge_box(self.lang, self.file, self.hello, self.expect);

        // Not exit.m: an Octave script named after a function shadows it.
        let file = self.file_like("three");
        let out = Test::new()
            .file(&file, self.exit_3)
            .args(self.args(&file, &[]))
            .status(3);
        assert!(!out.stderr.contains("codecage:"), "{file}: {}", out.stderr);

        if let Some((source, diagnostic)) = self.compile_error {
            let file = self.file_like("bad");
            let out = Test::new()
                .file(&file, source)
                .args(self.args(&file, &[]))
                .status(65);
            assert!(out.stderr.contains(diagnostic), "{file}: {}", out.stderr);
            assert!(
                out.stderr.ends_with("codecage: compilation failed\n"),
                "{file}: {}",
                out.stderr
            );
            // The compiler's message, not a stack of the tool that ran it.
            for trace in ["\tat ", "Exception in thread", "Traceback", "backtrace"] {
                assert!(!out.stderr.contains(trace), "{file}: {}", out.stderr);
            }
            assert!(out.stdout.is_empty(), "{file}");
        }

        let file = self.file_like("forever");
        let out = Test::new()
            .file(&file, self.forever)
            .args(self.args(&file, &["--time-limit", "2s"]))
            .status(124);
        assert!(
            out.stderr.contains("time limit exceeded"),
            "{file}: {}",
            out.stderr
        );
    }
}

/// Graded in a judge box: two cases run in the same box (`-j 1`), both accepted, and the image
/// hosts the box (no fall-back to a container per case, which `-v` would say).
fn graded_in_a_judge_box(lang: Option<&str>, file: &str, source: &str, expect: &str) {
    let suite = format!(
        "cases:\n  - name: one\n    stdin: \"20 22\\n\"\n    args: [x, \"y z\"]\n    stdout: {expect:?}\n  - name: two\n    stdin: \"20 22\\n\"\n    args: [x, \"y z\"]\n    stdout: {expect:?}\n"
    );
    let mut args = vec!["-v", "test"];
    if let Some(lang) = lang {
        args.extend(["--lang", lang]);
    }
    // A generous CPU-time limit: the JVM languages start slowly on a loaded machine.
    args.extend([file, "--suite", "suite.yaml", "-j", "1", "-t", "20s"]);
    let out = Test::new()
        .file(file, source)
        .file("suite.yaml", &suite)
        .args(args)
        .status(0);
    assert!(
        !out.stderr.contains("container per case"),
        "{file}: {}",
        out.stderr
    );
}

#[test]
fn kotlin_main_in_any_file() {
    Row {
        lang: None,
        file: "hello.kt",
        hello: "fun main(args: Array<String>) {\n    val (a, b) = readLine()!!.trim().split(\" \").map { it.toInt() }\n    println(\"${a + b} ${args.size} ${args[1]}\")\n}\n",
        expect: SUM,
        exit_3: "import kotlin.system.exitProcess\n\nfun main() { exitProcess(3) }\n",
        compile_error: Some(("fun main() { val x: Int = \"no\" }\n", "type mismatch")),
        forever: "fun main() { while (true) {} }\n",
    }
    .check();
    let out = Test::new()
        .file("proj/util.kt", "fun greet(who: String) = \"hi $who\"\n")
        .file("proj/app.kt", "fun main() { println(greet(\"kotlin\")) }\n")
        .args(["run", "--main", "util.kt", "proj"])
        .status(0);
    assert_eq!(out.stdout_str(), "hi kotlin\n", "{}", out.stderr);
}

#[test]
fn scala() {
    Row {
        lang: None,
        file: "hello.scala",
        hello: "object Hello {\n  def main(args: Array[String]): Unit = {\n    val Array(a, b) = scala.io.StdIn.readLine().trim.split(\" \").map(_.toInt)\n    println(s\"${a + b} ${args.length} ${args(1)}\")\n  }\n}\n",
        expect: SUM,
        exit_3: "object Exit { def main(a: Array[String]): Unit = sys.exit(3) }\n",
        compile_error: Some(("object Bad { def main(a: Array[String]): Unit = { val x: Int = \"no\" } }\n", "type mismatch")),
        forever: "object Forever { def main(a: Array[String]): Unit = while (true) {} }\n",
    }
    .check();
}

#[test]
fn groovy() {
    Row {
        lang: None,
        file: "hello.groovy",
        hello: "def (a, b) = System.in.newReader().readLine().trim().split(\" \").collect { it as int }\nprintln \"${a + b} ${args.length} ${args[1]}\"\n",
        expect: SUM,
        exit_3: "System.exit(3)\n",
        compile_error: Some(("def x = \nprintln(\n", "startup failed:\nbad.groovy: 3: unexpected token")),
        forever: "while (true) {}\n",
    }
    .check();
}

#[test]
fn clojure() {
    Row {
        lang: None,
        file: "hello.clj",
        hello: "(let [[a b] (map #(Integer/parseInt %) (clojure.string/split (clojure.string/trim (read-line)) #\" \"))]\n  (println (+ a b) (count *command-line-args*) (second *command-line-args*)))\n",
        expect: SUM,
        exit_3: "(System/exit 3)\n",
        compile_error: None,
        forever: "(loop [] (recur))\n",
    }
    .check();
}

#[test]
fn csharp_main_in_any_class() {
    Row {
        lang: None,
        file: "hello.cs",
        hello: "using System;\nclass Program { static void Main(string[] args) { var p = Console.ReadLine().Trim().Split(' '); Console.WriteLine($\"{int.Parse(p[0]) + int.Parse(p[1])} {args.Length} {args[1]}\"); } }\n",
        expect: SUM,
        exit_3: "class Whatever { static int Main() { return 3; } }\n",
        compile_error: Some(("class A { static void Main() { int x = \"no\"; } }\n", "CS0029")),
        forever: "class A { static void Main() { while (true) {} } }\n",
    }
    .check();
}

#[test]
fn haskell() {
    Row {
        lang: None,
        file: "hello.hs",
        hello: "import System.Environment\nmain :: IO ()\nmain = do\n  [a, b] <- fmap (map read . words) getLine :: IO [Int]\n  args <- getArgs\n  putStrLn (show (a + b) ++ \" \" ++ show (length args) ++ \" \" ++ args !! 1)\n",
        expect: SUM,
        exit_3: "import System.Exit\nmain :: IO ()\nmain = exitWith (ExitFailure 3)\n",
        compile_error: Some(("main :: IO ()\nmain = putStrLn (1 :: Int)\n", "Couldn't match")),
        forever: "import Control.Concurrent\nmain :: IO ()\nmain = threadDelay 100000000\n",
    }
    .check();
}

#[test]
fn ocaml() {
    Row {
        lang: None,
        file: "hello.ml",
        hello: "let () = Scanf.scanf \" %d %d\" (fun a b -> Printf.printf \"%d %d %s\\n\" (a + b) (Array.length Sys.argv - 1) Sys.argv.(2))\n",
        expect: SUM,
        exit_3: "let () = exit 3\n",
        compile_error: Some(("let () = print_int \"no\"\n", "Error")),
        forever: "let () = while true do () done\n",
    }
    .check();
}

#[test]
fn common_lisp() {
    Row {
        lang: None,
        file: "hello.lisp",
        hello: "(let ((a (read)) (b (read)) (args (cdr sb-ext:*posix-argv*)))\n  (format t \"~a ~a ~a~%\" (+ a b) (length args) (second args)))\n",
        expect: SUM,
        exit_3: "(sb-ext:exit :code 3)\n",
        compile_error: None,
        forever: "(loop)\n",
    }
    .check();
}

#[test]
fn scheme() {
    Row {
        lang: None,
        file: "hello.scm",
        hello: "(define a (read))\n(define b (read))\n(define args (cdr (command-line)))\n(display (+ a b)) (display \" \") (display (length args)) (display \" \") (display (cadr args)) (newline)\n",
        expect: SUM,
        exit_3: "(exit 3)\n",
        compile_error: None,
        forever: "(let loop () (loop))\n",
    }
    .check();
}

#[test]
fn racket() {
    Row {
        lang: None,
        file: "hello.rkt",
        hello: "#lang racket/base\n(define a (read))\n(define b (read))\n(define args (current-command-line-arguments))\n(printf \"~a ~a ~a\\n\" (+ a b) (vector-length args) (vector-ref args 1))\n",
        expect: SUM,
        exit_3: "#lang racket/base\n(exit 3)\n",
        compile_error: None,
        forever: "#lang racket/base\n(let loop () (loop))\n",
    }
    .check();
}

#[test]
fn elixir() {
    Row {
        lang: None,
        file: "hello.exs",
        hello: "[a, b] = IO.gets(\"\") |> String.split() |> Enum.map(&String.to_integer/1)\nIO.puts(\"#{a + b} #{length(System.argv())} #{Enum.at(System.argv(), 1)}\")\n",
        expect: SUM,
        exit_3: "System.halt(3)\n",
        compile_error: None,
        forever: "Process.sleep(:infinity)\n",
    }
    .check();
}

#[test]
fn erlang_module_or_escript() {
    Row {
        lang: None,
        file: "prog.erl",
        hello: "-module(hello).\n-export([main/1]).\nmain(Args) ->\n    {ok, [A, B]} = io:fread(\"\", \"~d ~d\"),\n    io:format(\"~B ~B ~s~n\", [A + B, length(Args), lists:nth(2, Args)]).\n",
        expect: SUM,
        exit_3: "-module(main).\n-export([main/0]).\nmain() -> halt(3).\n",
        compile_error: Some(("-module(main).\n-export([main/0]).\nmain() -> x +.\n", "bad.erl:3:14: syntax error")),
        forever: "-module(main).\n-export([main/0]).\nmain() -> timer:sleep(infinity).\n",
    }
    .check();
    let out = Test::new()
        .file(
            "script.erl",
            "#!/usr/bin/env escript\nmain(Args) -> io:format(\"escript ~p~n\", [Args]).\n",
        )
        .args(["run", "script.erl", "--", "a"])
        .status(0);
    assert_eq!(out.stdout_str(), "escript [\"a\"]\n", "{}", out.stderr);
}

#[test]
fn pascal() {
    Row {
        lang: None,
        file: "hello.pas",
        hello: "program Hello;\nvar a, b: integer;\nbegin\n  readln(a, b);\n  writeln(a + b, ' ', ParamCount, ' ', ParamStr(2));\nend.\n",
        expect: SUM,
        exit_3: "begin\n  halt(3);\nend.\n",
        compile_error: Some(("begin\n  x := ;\nend.\n", "Error")),
        forever: "begin\n  while true do ;\nend.\n",
    }
    .check();
}

#[test]
fn fortran() {
    Row {
        lang: None,
        file: "hello.f90",
        hello: "program hello\n  integer :: a, b, n\n  character(len=32) :: arg\n  read(*,*) a, b\n  n = command_argument_count()\n  call get_command_argument(2, arg)\n  write(*,'(I0,1X,I0,1X,A)') a + b, n, trim(arg)\nend program hello\n",
        expect: SUM,
        exit_3: "program e\n  call exit(3)\nend program e\n",
        compile_error: Some(("program x\n  integer :: a\n  a = 'no'\nend program x\n", "Error")),
        forever: "program f\n  do\n  end do\nend program f\n",
    }
    .check();
}

#[test]
fn d() {
    Row {
        lang: None,
        file: "hello.d",
        hello: "import std.stdio, std.conv, std.array;\nvoid main(string[] args) {\n    auto p = readln().split();\n    writefln(\"%d %d %s\", p[0].to!int + p[1].to!int, args.length - 1, args[2]);\n}\n",
        expect: SUM,
        exit_3: "int main() { return 3; }\n",
        compile_error: Some(("void main() { int x = \"no\"; }\n", "cannot implicitly convert")),
        forever: "import core.thread;\nvoid main() { Thread.sleep(100.seconds); }\n",
    }
    .check();
}

#[test]
fn ada_any_file_name() {
    Row {
        lang: None,
        file: "prog.adb",
        hello: "with Ada.Text_IO; use Ada.Text_IO;\nwith Ada.Integer_Text_IO; use Ada.Integer_Text_IO;\nwith Ada.Command_Line; use Ada.Command_Line;\nprocedure Hello is\n   A, B : Integer;\nbegin\n   Get (A);\n   Get (B);\n   Put (A + B, Width => 0);\n   Put (\" \");\n   Put (Argument_Count, Width => 0);\n   Put_Line (\" \" & Argument (2));\nend Hello;\n",
        expect: SUM,
        exit_3: "with Ada.Command_Line;\nprocedure Exit_3 is\nbegin\n   Ada.Command_Line.Set_Exit_Status (3);\nend Exit_3;\n",
        compile_error: Some(("procedure Bad is\nbegin\n   X := 1;\nend Bad;\n", "\"X\" is undefined")),
        forever: "procedure Forever is\nbegin\n   delay 100.0;\nend Forever;\n",
    }
    .check();
}

#[test]
fn cobol() {
    Row {
        lang: None,
        file: "hello.cob",
        hello: "IDENTIFICATION DIVISION.\nPROGRAM-ID. HELLO.\nDATA DIVISION.\nWORKING-STORAGE SECTION.\n01 LINE-IN PIC X(80).\n01 A PIC 9(5).\n01 B PIC 9(5).\n01 S PIC Z(5)9.\n01 N PIC 9.\n01 ARG PIC X(20).\nPROCEDURE DIVISION.\n    ACCEPT LINE-IN.\n    UNSTRING LINE-IN DELIMITED BY SPACE INTO A B.\n    COMPUTE S = A + B.\n    ACCEPT N FROM ARGUMENT-NUMBER.\n    ACCEPT ARG FROM ARGUMENT-VALUE.\n    ACCEPT ARG FROM ARGUMENT-VALUE.\n    DISPLAY FUNCTION TRIM(S) \" \" N \" \" FUNCTION TRIM(ARG).\n    STOP RUN.\n",
        expect: SUM,
        exit_3: "IDENTIFICATION DIVISION.\nPROGRAM-ID. EXIT3.\nPROCEDURE DIVISION.\n    MOVE 3 TO RETURN-CODE.\n    STOP RUN.\n",
        compile_error: Some(("IDENTIFICATION DIVISION.\nPROGRAM-ID. BAD.\nPROCEDURE DIVISION.\n    DISPLAY NOSUCH.\n    STOP RUN.\n", "error")),
        forever: "IDENTIFICATION DIVISION.\nPROGRAM-ID. FOREVER.\nPROCEDURE DIVISION.\n    PERFORM UNTIL 1 = 0\n        CONTINUE\n    END-PERFORM.\n    STOP RUN.\n",
    }
    .check();
}

#[test]
fn assembly() {
    Row {
        lang: None,
        file: "hello.asm",
        hello: "section .data\nmsg: db \"hello \"\nsection .bss\nbuf: resb 64\nsection .text\nglobal _start\n_start:\n    mov eax, 1\n    mov edi, 1\n    lea rsi, [rel msg]\n    mov edx, 6\n    syscall\n    mov eax, 0\n    mov edi, 0\n    lea rsi, [rel buf]\n    mov edx, 64\n    syscall\n    mov edx, eax\n    mov eax, 1\n    mov edi, 1\n    lea rsi, [rel buf]\n    syscall\n    mov eax, 60\n    xor edi, edi\n    syscall\n",
        expect: "hello 20 22\n",
        exit_3: "section .text\nglobal _start\n_start:\n    mov eax, 60\n    mov edi, 3\n    syscall\n",
        compile_error: Some(("section .text\nglobal _start\n_start:\n    mov eax,\n", "error")),
        forever: "section .text\nglobal _start\n_start:\n    jmp _start\n",
    }
    .check();
}

/// 32-bit x86 (issue #29): NASM `-f elf32`, `int 0x80` with i386 numbers, run by the host
/// kernel's IA32 emulation under Docker's default seccomp profile.
#[test]
fn assembly32() {
    Row {
        lang: Some("assembly32"),
        file: "hello.asm",
        hello: "section .data\nmsg: db \"hello \"\nsection .bss\nbuf: resb 64\nsection .text\nglobal _start\n_start:\n    mov eax, 4\n    mov ebx, 1\n    mov ecx, msg\n    mov edx, 6\n    int 0x80\n    mov eax, 3\n    xor ebx, ebx\n    mov ecx, buf\n    mov edx, 64\n    int 0x80\n    mov edx, eax\n    mov eax, 4\n    mov ebx, 1\n    mov ecx, buf\n    int 0x80\n    mov eax, 1\n    xor ebx, ebx\n    int 0x80\n",
        expect: "hello 20 22\n",
        exit_3: "section .text\nglobal _start\n_start:\n    mov eax, 1\n    mov ebx, 3\n    int 0x80\n",
        compile_error: Some(("section .text\nglobal _start\n_start:\n    mov eax,\n", "error")),
        forever: "section .text\nglobal _start\n_start:\n    jmp _start\n",
    }
    .check();
    // A 64-bit register is no 32-bit instruction: assembled as ELF32, NASM says so.
    let out = Test::new()
        .file(
            "wide.asm",
            "section .text\nglobal _start\n_start:\n    mov rax, 60\n",
        )
        .args(["run", "--lang", "asm32", "wide.asm"])
        .status(65);
    assert!(
        out.stderr.contains("not supported in 32-bit mode"),
        "{}",
        out.stderr
    );
}

/// gVisor has no 32-bit mode (the binary fails to start there, "Exec format error", exit 126):
/// assembly32 under runsc is refused in one line before anything is built or run.
#[test]
fn assembly32_under_gvisor_is_refused_in_one_line() {
    let out = Test::new()
        .file("hello.asm", "section .text\nglobal _start\n_start:\n    mov eax, 1\n    xor ebx, ebx\n    int 0x80\n")
        .args(["run", "--runtime", "runsc", "--lang", "assembly32", "hello.asm"])
        .status(125);
    assert_eq!(
        out.stderr,
        "codecage: assembly32 cannot run under the runtime runsc: its programs are 32-bit x86, which need the kernel's IA32 emulation, and gVisor runs 64-bit programs only; run it with the engine's default runtime (runc)\n"
    );
    assert!(out.stdout.is_empty());
}

/// Brainf*ck (issue #29) by Debian's beef: no arguments and no exit status of its own, so the
/// table row's programs do not fit. The judges' echo relies on `,` storing -1 at the end of input
/// (DMOJ's BF compiles `,` to getchar()); a program that never ends is TLE; unbalanced brackets are
/// beef's error (exit status 1), before anything runs.
#[test]
fn brainfuck() {
    let echo = ",+[-.,+]\n";
    // Arguments are dropped (beef takes none).
    let out = Test::new()
        .file("echo.bf", echo)
        .args(["run", "echo.bf", "--", "x"])
        .stdin("20 22\n")
        .status(0);
    assert_eq!(out.stdout_str(), "20 22\n", "{}", out.stderr);
    graded_in_a_judge_box(None, "echo.b", echo, "20 22\n");
    // Hello from cells that wrap: 0 - 184 is 72 ('H') only if cells are bytes.
    let out = Test::new()
        .file("h.bf", format!("{}.\n", "-".repeat(184)))
        .args(["run", "--lang", "bf", "h.bf"])
        .status(0);
    assert_eq!(out.stdout_str(), "H");
    let out = Test::new()
        .file("forever.bf", "+[]\n")
        .args(["run", "--time-limit", "2s", "forever.bf"])
        .status(124);
    assert!(out.stderr.contains("time limit exceeded"), "{}", out.stderr);
    let out = Test::new()
        .file("bad.bf", "+[.\n")
        .args(["run", "bad.bf"])
        .status(1);
    assert!(out.stderr.contains("Unbalanced brackets"), "{}", out.stderr);
    // beef's one rule of its own: `!` ends the program, and what follows is its input.
    let out = Test::new()
        .file("bang.bf", ",.!A\n")
        .args(["run", "bang.bf"])
        .stdin("Z")
        .status(0);
    assert_eq!(out.stdout_str(), "A");
}

/// Python 2 is not in Debian trixie: naming it is one line saying so, not "unknown language".
#[test]
fn python2_is_an_unsupported_language_saying_why() {
    for name in ["python2", "PY2", "pypy2"] {
        let out = Test::new()
            .file("old.py", "print 'hi'\n")
            .args(["run", "--lang", name, "old.py"])
            .status(125);
        assert_eq!(
            out.stderr,
            format!("codecage: unsupported language {name:?}: Python 2 is not in Debian trixie, which codecage's images are built from (its end of life was 2020); Python 3 is `python` and `pypy3`\n")
        );
    }
}

#[test]
fn crystal() {
    Row {
        lang: None,
        file: "hello.cr",
        hello:
            "a, b = gets.not_nil!.split.map(&.to_i)\nputs \"#{a + b} #{ARGV.size} #{ARGV[1]}\"\n",
        expect: SUM,
        exit_3: "exit 3\n",
        compile_error: Some(("x : Int32 = \"no\"\n", "Error")),
        forever: "sleep 100.seconds\n",
    }
    .check();
}

const C_WITHOUT_UNISTD: &str = "#include <stdio.h>\nint main(int argc, char **argv) { int a, b; alarm(10); if (scanf(\"%d %d\", &a, &b) != 2) return 1; printf(\"%d %d %s\\n\", a + b, argc - 1, argv[2]); return 0; }\n";

#[test]
fn c_accepts_an_implicit_declaration_like_judges() {
    check("main.c", C_WITHOUT_UNISTD);
}

#[test]
fn c_clang() {
    Row {
        lang: Some("c-clang"),
        file: "main.c",
        hello: C_WITHOUT_UNISTD,
        expect: SUM,
        exit_3: "int main(void) { return 3; }\n",
        compile_error: Some(("int main( { return 0 }\n", "error:")),
        forever: "#include <unistd.h>\nint main(void) { sleep(100); return 0; }\n",
    }
    .check();
    let out = Test::new().args(["-v", "languages"]).status(0);
    let listing = out.stdout_str();
    let clang = listing
        .split("\nc-clang ")
        .nth(1)
        .unwrap_or_else(|| panic!("{listing}"));
    assert!(
        clang.contains("also takes: .c with --lang c-clang"),
        "{listing}"
    );
    assert!(
        clang.contains("-Wno-error=implicit-function-declaration"),
        "{listing}"
    );
    // The image is built (the harness did it): its size is shown.
    assert!(clang.contains("\n    image:     clang ("), "{listing}");
}

#[test]
fn cpp_clang() {
    Row {
        lang: Some("cpp-clang"),
        file: "main.cpp",
        hello: "#include <iostream>\nint main(int argc, char **argv) { int a, b; std::cin >> a >> b; std::cout << a + b << ' ' << argc - 1 << ' ' << argv[2] << std::endl; }\n",
        expect: SUM,
        exit_3: "int main() { return 3; }\n",
        compile_error: Some(("int main() { int x = \"no\"; }\n", "error:")),
        forever: "#include <unistd.h>\nint main() { sleep(100); }\n",
    }
    .check();
}

#[test]
fn pypy3() {
    Row {
        lang: Some("pypy3"),
        file: "main.py",
        hello: "import sys, platform\na, b = map(int, input().split())\nassert platform.python_implementation() == 'PyPy'\nprint(a + b, len(sys.argv) - 1, sys.argv[2])\n",
        expect: SUM,
        exit_3: "raise SystemExit(3)\n",
        compile_error: None,
        forever: "while True: pass\n",
    }
    .check();
}

#[test]
fn r() {
    Row {
        lang: None,
        file: "hello.R",
        hello: "con <- file(\"stdin\"); v <- scan(con, quiet = TRUE); close(con)\na <- commandArgs(trailingOnly = TRUE)\ncat(paste(sum(v), length(a), a[2]), \"\\n\", sep = \"\")\n",
        expect: SUM,
        exit_3: "quit(status = 3)\n",
        compile_error: None,
        forever: "Sys.sleep(100)\n",
    }
    .check();
}

#[test]
fn octave() {
    Row {
        lang: None,
        file: "hello.m",
        hello: "v = scanf(\"%d %d\", 2);\na = argv();\nprintf(\"%d %d %s\\n\", sum(v), numel(a), a{end});\n",
        expect: SUM,
        exit_3: "exit(3)\n",
        compile_error: None,
        forever: "while true\nend\n",
    }
    .check();
}

#[test]
fn tcl() {
    Row {
        lang: None,
        file: "hello.tcl",
        hello: "gets stdin line\nlassign $line a b\nputs \"[expr {$a + $b}] [llength $argv] [lindex $argv 1]\"\n",
        expect: SUM,
        exit_3: "exit 3\n",
        compile_error: None,
        forever: "while 1 {}\n",
    }
    .check();
}

#[test]
fn awk() {
    // Arguments are awk's operands (files to read): this program only uses them in BEGIN.
    Row {
        lang: None,
        file: "hello.awk",
        hello: "BEGIN { n = ARGC - 1; second = ARGV[2]; ARGC = 1 }\n{ print $1 + $2, n, second }\n",
        expect: SUM,
        exit_3: "BEGIN { exit 3 }\n",
        compile_error: None,
        forever: "BEGIN { while (1) {} }\n",
    }
    .check();
}

#[test]
fn sql_on_an_empty_database_with_stdin() {
    Row {
        lang: None,
        file: "hello.sql",
        hello: "CREATE TABLE input(line TEXT);\n.import '|cat' input\nSELECT (SELECT count(*) FROM sqlite_master) || ' ' || sum(value) FROM input, json_each('[' || replace(trim(line), ' ', ',') || ']');\n",
        expect: "1 42\n",
        exit_3: "SELECT 1;\n.exit 3\n",
        compile_error: None,
        forever: "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c;\n",
    }
    .check();
    let out = Test::new()
        .file("bad.sql", "SELECT nosuch;\n")
        .args(["run", "bad.sql"])
        .status(1);
    assert!(
        out.stderr.contains("no such column: nosuch"),
        "{}",
        out.stderr
    );
}

#[test]
fn prolog() {
    Row {
        lang: None,
        file: "hello.pro",
        hello: "main :-\n    read_line_to_string(user_input, L),\n    split_string(L, \" \", \"\", [A, B]),\n    number_string(X, A), number_string(Y, B), S is X + Y,\n    current_prolog_flag(argv, Argv), length(Argv, N), nth1(2, Argv, Arg),\n    format(\"~w ~w ~w~n\", [S, N, Arg]).\n",
        expect: SUM,
        exit_3: "main :- halt(3).\n",
        compile_error: None,
        forever: "main :- repeat, fail.\n",
    }
    .check();
    let out = Test::new()
        .file("bad.pro", "main :- foo(.\n")
        .args(["run", "bad.pro"])
        .status(1);
    assert!(out.stderr.contains("Syntax error"), "{}", out.stderr);
    // A warning is shown but does not fail the program.
    let out = Test::new()
        .file("warn.pro", "main :- X = 1, write(hello), nl.\n")
        .args(["run", "warn.pro"])
        .status(0);
    assert_eq!(out.stdout_str(), "hello\n");
    assert!(
        out.stderr.contains("Singleton variables: [X]"),
        "{}",
        out.stderr
    );
}

/// The web page has an editor mode (or none, on purpose) and a sample for every language, and
/// every mode script it loads is a vendored file the server has.
#[test]
fn the_web_page_knows_every_language() {
    let root = crate::harness::repo_root();
    let page = std::fs::read_to_string(root.join("assets/page.html")).unwrap();
    let table = &page[page.find("const langs = {").unwrap()..page.find("const $ = ").unwrap()];
    for entry in std::fs::read_dir(root.join("profiles")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_str().unwrap().to_string();
        let keys = [
            format!("\n  {name}: {{"),
            format!("\n  '{name}': {{"),
            format!("\n  \"{name}\": {{"),
            format!("\nlangs['{name}'] = "),
            format!("\nlangs.{name} = "),
        ];
        assert!(
            keys.iter().any(|k| table.contains(k.as_str())),
            "{name} has no entry in the page's langs table"
        );
    }
    let statics = std::fs::read_to_string(root.join("src/server/http/static_files.rs")).unwrap();
    for tag in page.split("<script src=\"/static/").skip(1) {
        let file = &tag[..tag.find('"').unwrap()];
        assert!(root.join("assets/static").join(file).is_file(), "{file}");
        assert!(
            statics.contains(&format!("\"{file}\" =>")),
            "{file} is not served"
        );
    }
}

/// `codecage test --problem` takes a submission by its extension in the new languages too, and a
/// compiler that needs more memory than the problem gives the program (kotlinc under 256 MiB)
/// still compiles: the profile's `compile_memory` is the compile step's floor.
#[test]
fn submissions_to_a_problem_in_kotlin_and_haskell() {
    let sumtol = crate::harness::repo_root().join("tests/problems/sumtol");
    let sumtol = sumtol.to_str().unwrap();
    for (file, source) in [
        ("sum.kt", "fun main() {\n    val t = System.`in`.bufferedReader().readText().split(Regex(\"\\\\s+\")).filter { it.isNotEmpty() }\n    println(t.subList(1, 1 + t[0].toInt()).sumByDouble { it.toDouble() })\n}\n"),
        ("sum.hs", "main :: IO ()\nmain = do\n  (n : xs) <- fmap words getContents\n  print (sum (map read (take (read n) xs)) :: Double)\n"),
    ] {
        let out = Test::new()
            .file(file, source)
            .args(["test", file, "--problem", sumtol])
            .status(0);
        assert!(out.stdout_str().contains("6/6 passed: AC"), "{file}: {}{}", out.stdout_str(), out.stderr);
    }
}
