//! Output: floods without newlines, binary bytes and huge lines arrive intact up to the output
//! limit, and codecage's own memory stays bounded while it streams them.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::attack;
use crate::harness::{assert_no_containers, still_works, Test};

#[test]
pub fn a_flood_without_newlines_stops_at_the_limit() {
    let test = Test::new()
        .file(
            "flood.py",
            "import sys\nwhile True:\n    sys.stdout.write('x' * 65536)\n",
        )
        .args(["run", "--output-limit", "1MiB", "flood.py"]);
    let out = attack(test, 153, Duration::from_secs(20));
    assert_eq!(out.stdout.len(), 1 << 20);
    assert!(out.stdout.iter().all(|b| *b == b'x'));
    assert_eq!(out.stderr, "codecage: output limit exceeded (1 MiB)\n");
}

#[test]
fn binary_and_invalid_utf8_output_passes_through_byte_exact() {
    let test = Test::new()
        .file(
            "bytes.py",
            "import sys\nsys.stdout.buffer.write(bytes(range(256)) * 1000)\nsys.stderr.buffer.write(b'\\xff\\xfe\\x00\\x1b[2J')\n",
        )
        .args(["run", "bytes.py"]);
    let out = attack(test, 0, Duration::from_secs(20));
    let expected: Vec<u8> = (0..=255u8).cycle().take(256 * 1000).collect();
    assert_eq!(out.stdout, expected);
    assert_eq!(
        out.stderr.as_bytes(),
        "\u{fffd}\u{fffd}\0\x1b[2J".as_bytes()
    );
}

/// Peak resident memory (KiB) of codecage itself while it streams 192 MiB of output, measured
/// with `/usr/bin/time -f %M`.
#[test]
fn codecage_memory_stays_bounded_under_a_flood() {
    let test = Test::new().file(
        "flood.py",
        "import sys\nchunk = 'y' * 65536\nfor _ in range(2048):\n    sys.stdout.write(chunk)\nline = 'e' * (1 << 20)\nfor _ in range(64):\n    sys.stderr.write(line)\n",
    );
    let tag = test.tag().to_string();
    let rss_file = test.path().join("rss.txt");
    let test = test.args(["run", "--output-limit", "512MiB", "flood.py"]);
    let inner = test.command();
    let mut cmd = Command::new("/usr/bin/time");
    cmd.args(["-f", "%M", "-o"])
        .arg(&rss_file)
        .arg(inner.get_program())
        .args(inner.get_args());
    if let Some(dir) = inner.get_current_dir() {
        cmd.current_dir(dir);
    }
    for (key, value) in inner.get_envs() {
        match value {
            Some(v) => cmd.env(key, v),
            None => cmd.env_remove(key),
        };
    }
    let start = Instant::now();
    let status = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("run /usr/bin/time codecage");
    assert_eq!(status.code(), Some(0));
    assert!(
        start.elapsed() < Duration::from_secs(60),
        "took {:?}",
        start.elapsed()
    );
    assert_no_containers(&tag);
    let peak_kib: u64 = std::fs::read_to_string(&rss_file)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert!(
        peak_kib < 64 * 1024,
        "codecage peaked at {peak_kib} KiB streaming 192 MiB"
    );
    still_works();
}

#[test]
fn closing_stdout_early_and_a_huge_single_line() {
    let test = Test::new()
        .file(
            "close.py",
            "import os, sys, time\nos.close(1)\ntime.sleep(0.3)\nsys.stderr.write('still here')\n",
        )
        .args(["run", "close.py"]);
    let out = attack(test, 0, Duration::from_secs(20));
    assert!(out.stdout.is_empty());
    assert_eq!(out.stderr, "still here");
    let test = Test::new()
        .file("line.py", "import sys\nsys.stdout.write('x' * (5 << 20))\n")
        .args(["run", "line.py"]);
    let out = attack(test, 0, Duration::from_secs(20));
    assert_eq!(out.stdout.len(), 5 << 20);
}
