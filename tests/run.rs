//! `codecage run` as a Unix filter: streams, stdin, arguments and exit statuses.

use std::io::{BufRead, BufReader, Write};
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::harness::{assert_no_containers, Test};

#[test]
fn hello_world() {
    let out = Test::new()
        .file("hello.py", "print('Hello, World!')\n")
        .args(["run", "hello.py"])
        .status(0);
    assert_eq!(out.stdout_str(), "Hello, World!\n");
    assert_eq!(out.stderr, "");
}

#[test]
fn stdin_is_streamed_to_eof_and_streams_stay_apart() {
    let input: String = (1..=100).map(|i| format!("{i}\n")).collect();
    let out = Test::new()
        .file(
            "sum.py",
            "import sys\ntotal = sum(int(x) for x in sys.stdin)\nprint(total)\nprint('to stderr', file=sys.stderr)\n",
        )
        .args(["run", "sum.py"])
        .stdin(input)
        .status(0);
    assert_eq!(out.stdout_str(), "5050\n");
    assert_eq!(out.stderr, "to stderr\n");
}

#[test]
fn a_program_that_reopens_dev_stdin_by_name_reads_its_input() {
    // Opened after codecage has sent all the input and closed its end, as competitive
    // programmers' Node and Python solutions do; under a bare FIFO this waited for ever.
    for (file, source) in [
        ("late.py", "import time\ntime.sleep(1)\nprint(open('/dev/stdin').read().upper(), end='')\n"),
        ("late.js", "setTimeout(() => process.stdout.write(require('fs').readFileSync('/dev/stdin', 'utf8').toUpperCase()), 1000);\n"),
        ("late.sh", "sleep 1\ntr a-z A-Z < /dev/stdin\n"),
    ] {
        let out = Test::new()
            .file(file, source)
            .args(["run", "-t", "10s", file])
            .stdin("two\nlines\n")
            .status(0);
        assert_eq!(out.stdout_str(), "TWO\nLINES\n", "{file}: {}", out.stderr);
        assert!(out.elapsed < Duration::from_secs(8), "{file} took {:?}", out.elapsed);
    }
}

#[test]
fn a_program_that_exits_early_ends_the_run_while_its_input_is_still_open() {
    // The stdin feeder must not keep the sandbox alive: the run ends with the program (exit 3
    // after reading one line), not with the writer of the input, which stays open and idle.
    let test = Test::new()
        .file(
            "one.py",
            "import sys\nprint(sys.stdin.readline().strip())\nsys.exit(3)\n",
        )
        .args(["run", "-t", "30s", "one.py"]);
    let start = Instant::now();
    let mut child = test
        .command()
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn codecage");
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(b"first\nsecond\n").unwrap();
    let out = child.wait_with_output().expect("wait for codecage");
    let elapsed = start.elapsed();
    drop(stdin);
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.stdout, b"first\n");
    assert!(elapsed < Duration::from_secs(15), "took {elapsed:?}");
    assert_no_containers(test.tag());
}

#[test]
fn large_stdin_and_stdout_round_trip_byte_for_byte() {
    // 3 MiB of every byte value: larger than pipe buffers in both directions at once, so it
    // deadlocks unless stdin and stdout are pumped concurrently.
    let input: Vec<u8> = (0..3 * 1024 * 1024).map(|i| (i * 7 % 256) as u8).collect();
    let out = Test::new()
        .file(
            "cat.py",
            "import sys, shutil\nshutil.copyfileobj(sys.stdin.buffer, sys.stdout.buffer)\n",
        )
        .args(["run", "cat.py"])
        .stdin(&input)
        .status(0);
    assert_eq!(out.stdout.len(), input.len());
    assert!(out.stdout == input, "output differs from input");
}

#[test]
fn the_attach_fallback_streams_the_same() {
    // Engines that cannot mount our FIFOs (a VM, a remote host) get stdio through attach.
    let input: Vec<u8> = (0..3 * 1024 * 1024).map(|i| (i * 13 % 256) as u8).collect();
    let out = Test::new()
        .file(
            "cat.py",
            "import sys, shutil\nshutil.copyfileobj(sys.stdin.buffer, sys.stdout.buffer)\nprint('done', file=sys.stderr)\nsys.exit(5)\n",
        )
        .args(["run", "-v", "cat.py"])
        .env("CODECAGE_STDIO", "attach")
        .stdin(&input)
        .status(5);
    assert!(out.stdout == input, "output differs from input");
    assert!(
        out.stderr.contains("attached and started"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("done\n"), "{}", out.stderr);
}

#[test]
fn an_engine_that_cannot_see_the_fifos_gets_attach_instead() {
    // codecage in a mount namespace of its own (a user namespace, so no privilege is needed)
    // makes its FIFOs on a tmpfs the engine cannot see: the engine refuses the mounts, and
    // codecage switches to attach for the run instead of failing it.
    let test = Test::new().file(
        "hello.py",
        "import sys\nprint('hi')\nsys.exit(sys.stdin.read() == 'in')\n",
    );
    let private = tempfile::tempdir().unwrap();
    let codecage = test.command();
    let mut cmd = std::process::Command::new("unshare");
    cmd.args(["-rm", "sh", "-c"])
        .arg(r#"mount -t tmpfs none "$1" && shift && TMPDIR="$0" exec "$@""#)
        .arg(private.path())
        .arg(private.path())
        .arg(codecage.get_program())
        .args(codecage.get_args())
        .args(["run", "-v", "hello.py"])
        .current_dir(test.path());
    for (key, value) in codecage.get_envs() {
        match value {
            Some(value) => cmd.env(key, value),
            None => cmd.env_remove(key),
        };
    }
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run unshare (util-linux); unprivileged user namespaces must be enabled");
    use std::io::Write;
    child.stdin.take().unwrap().write_all(b"in").unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("unshare:") && !stderr.contains("mount:"),
        "this test needs unprivileged user and mount namespaces: {stderr}"
    );
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert_eq!(String::from_utf8_lossy(&out.stdout), "hi\n");
    assert!(
        stderr.contains("the engine cannot mount our FIFOs")
            && stderr.contains("attached and started"),
        "{stderr}"
    );
    assert_no_containers(test.tag());
}

#[test]
fn a_local_engine_gets_stdio_on_fifos() {
    let out = Test::new()
        .file("hello.py", "print('hi')\n")
        .args(["run", "-v", "hello.py"])
        .status(0);
    assert_eq!(out.stdout_str(), "hi\n");
    assert!(out.stderr.contains("stdio on FIFOs"), "{}", out.stderr);
}

#[test]
fn a_program_that_closes_its_output_still_ends_with_its_own_status() {
    // Output ends before the program does: the exit is still waited for, within the time limit.
    let program = "import os, sys, time\nprint('bye', flush=True)\nos.close(1)\nos.close(2)\ntime.sleep(1.5)\nos._exit(7)\n";
    for stdio in ["fifo", "attach"] {
        let out = Test::new()
            .file("close.py", program)
            .args(["run", "close.py"])
            .env("CODECAGE_STDIO", stdio)
            .status(7);
        assert_eq!(out.stdout_str(), "bye\n", "{stdio}");
        let out = Test::new()
            .file("close.py", program.replace("1.5", "60"))
            .args(["run", "--time-limit", "2s", "close.py"])
            .env("CODECAGE_STDIO", stdio)
            .status(124);
        assert_eq!(out.stdout_str(), "bye\n", "{stdio}");
    }
}

#[test]
fn binary_and_invalid_utf8_pass_through() {
    let out = Test::new()
        .file(
            "bin.py",
            "import sys\nsys.stdout.buffer.write(bytes([0xff, 0xfe, 0xc3, 0x28, 0, 27, 91, 50, 74, 1, 2]))\nsys.stderr.buffer.write(b'\\x00\\xff')\n",
        )
        .args(["run", "bin.py"])
        .status(0);
    assert_eq!(
        out.stdout,
        vec![0xff, 0xfe, 0xc3, 0x28, 0, 27, 91, 50, 74, 1, 2]
    );
    assert_eq!(out.stderr.as_bytes(), "\u{0}\u{FFFD}".as_bytes());
}

#[test]
fn arguments_after_double_dash() {
    let out = Test::new()
        .file("argv.py", "import sys\nprint(sys.argv[1:])\n")
        .args(["run", "argv.py", "--", "a", "b c", "--flag", "$HOME"])
        .status(0);
    assert_eq!(out.stdout_str(), "['a', 'b c', '--flag', '$HOME']\n");
}

#[test]
fn exit_status_is_passed_through() {
    let out = Test::new()
        .file("exit.py", "import sys\nprint('bye')\nsys.exit(42)\n")
        .args(["run", "exit.py"])
        .status(42);
    assert_eq!(out.stdout_str(), "bye\n");
    assert_eq!(
        out.stderr, "",
        "no codecage message for a program's own status"
    );
}

#[test]
fn killed_by_signal_is_128_plus_n() {
    Test::new()
        .file(
            "segv.py",
            "import os, signal\nos.kill(os.getpid(), signal.SIGSEGV)\n",
        )
        .args(["run", "segv.py"])
        .status(139);
    Test::new()
        .file(
            "term.py",
            "import os, signal\nos.kill(os.getpid(), signal.SIGTERM)\n",
        )
        .args(["run", "term.py"])
        .status(143);
}

#[test]
fn output_arrives_while_the_program_runs() {
    let test = Test::new().file(
        "slow.py",
        "import time, sys\nprint('first', flush=True)\ntime.sleep(3)\nprint('second')\n",
    );
    let tag = test.tag().to_string();
    // The test (and its directory) must outlive the child.
    let test = test.args(["run", "slow.py"]);
    let mut child = test
        .command()
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    assert_eq!(lines.next().unwrap().unwrap(), "first");
    let first_at = start.elapsed();
    assert!(
        child.try_wait().unwrap().is_none(),
        "first line came only after the program ended"
    );
    assert_eq!(lines.next().unwrap().unwrap(), "second");
    let second_at = start.elapsed();
    assert!(
        second_at - first_at >= Duration::from_secs(2),
        "lines were not streamed: first at {first_at:?}, second at {second_at:?}"
    );
    assert!(child.wait().unwrap().success());
    assert_no_containers(&tag);
}

#[test]
fn stdin_eof_reaches_a_program_reading_line_by_line() {
    let out = Test::new()
        .file(
            "lines.py",
            "import sys\nn = 0\nfor line in sys.stdin:\n    n += 1\nprint('lines', n)\n",
        )
        .args(["run", "lines.py"])
        .stdin("a\nb\nc")
        .status(0);
    assert_eq!(out.stdout_str(), "lines 3\n");
}

#[test]
fn multiple_files_and_a_directory_keep_their_layout() {
    let out = Test::new()
        .file(
            "main.py",
            "import util\nprint(util.twice(21), open('data.txt').read().strip())\n",
        )
        .file("util.py", "def twice(x):\n    return 2 * x\n")
        .file("data.txt", "payload\n")
        .args(["run", "main.py", "util.py", "data.txt"])
        .status(0);
    assert_eq!(out.stdout_str(), "42 payload\n");

    let out = Test::new()
        .file("proj/main.py", "from pkg.mod import value\nprint(value)\n")
        .file("proj/pkg/__init__.py", "")
        .file("proj/pkg/mod.py", "value = 'from a package'\n")
        .args(["run", "proj"])
        .status(0);
    assert_eq!(out.stdout_str(), "from a package\n");
}

#[test]
fn forced_language_for_a_file_without_extension() {
    let out = Test::new()
        .file("script", "print('forced')\n")
        .args(["run", "--lang", "py", "script"])
        .status(0);
    assert_eq!(out.stdout_str(), "forced\n");
}
