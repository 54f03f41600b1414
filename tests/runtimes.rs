//! The sandbox under other OCI runtimes than the engine's default: gVisor's `runsc` here. The
//! language smoke tests, `test` and `serve`, and the attack suite's resource, output, network
//! and privilege attacks run again with every codecage started with `CODECAGE_RUNTIME=runsc`
//! (`harness::with_runtime`): the same tests, not copies. Where gVisor differs on purpose (no
//! NoNewPrivs line in its /proc, tmpfs sizes not enforced) the test here says what holds instead.
//!
//! runsc must be registered with the engine (`bash .ci/ensure-runsc.sh` as root): these tests fail
//! when it is not, they are never skipped.

use serde_json::json;
use std::process::Command;
use std::sync::OnceLock;

use crate::attacks::python;
use crate::harness::{with_runtime, Test};
use crate::serve::Server;

/// Run `test` with every sandbox in gVisor; panics (with the fix) when runsc is not registered.
fn runsc(test: impl FnOnce()) {
    runsc_registered();
    with_runtime("runsc", test);
}

fn runsc_registered() {
    static READY: OnceLock<()> = OnceLock::new();
    READY.get_or_init(|| {
        let out = Command::new("docker")
            .args(["info", "--format", "{{json .Runtimes.runsc}}"])
            .output()
            .expect("docker info");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success() && text.contains("runsc"),
            "runsc is not registered with the engine: run `bash .ci/ensure-runsc.sh` as root (these tests are not skipped)"
        );
    });
}

#[test]
fn the_runtime_comes_from_the_config_file_and_the_flag_wins() {
    runsc_registered();
    let kernel = |args: &[&str]| {
        Test::new()
            .file(".config/codecage/config.yaml", "runtime: runsc\n")
            .file("k.py", "import os\nprint(os.uname().release)\n")
            .args(args)
            .status(0)
            .stdout_str()
    };
    let host = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap();
    assert_ne!(
        kernel(&["run", "k.py"]).trim(),
        host.trim(),
        "not under gVisor"
    );
    assert_eq!(
        kernel(&["run", "--runtime", "runc", "k.py"]).trim(),
        host.trim()
    );
    let bad = Test::new()
        .file("k.py", "print(1)\n")
        .args(["run", "--runtime", "../runc", "k.py"])
        .status(125);
    assert!(
        bad.stderr.contains("must be a runtime name like runsc"),
        "{}",
        bad.stderr
    );
}

/// A program reads a line and answers: hello and stdin through the sandbox, in one language.
pub fn hello_and_stdin(file: &str, source: &str) {
    let out = Test::new()
        .file(file, source)
        .args(["run", "--time-limit", "30s", file])
        .stdin("gvisor\n")
        .status(0);
    assert_eq!(out.stdout_str(), "hello gvisor\n", "{file}: {}", out.stderr);
}

#[test]
fn runsc_python_c_java_and_javascript_read_stdin_and_answer() {
    runsc(|| {
        hello_and_stdin("hello.py", "print('hello', input())\n");
        hello_and_stdin(
            "hello.c",
            "#include <stdio.h>\nint main(void) { char s[64]; if (scanf(\"%63s\", s) != 1) return 1; printf(\"hello %s\\n\", s); return 0; }\n",
        );
        hello_and_stdin(
            "Main.java",
            "import java.util.Scanner;\npublic class Main { public static void main(String[] a) { System.out.println(\"hello \" + new Scanner(System.in).next()); } }\n",
        );
        hello_and_stdin(
            "hello.js",
            "let s = '';\nprocess.stdin.on('data', d => s += d);\nprocess.stdin.on('end', () => console.log('hello ' + s.trim()));\n",
        );
    });
}

#[test]
fn runsc_the_program_sees_gvisors_kernel_through_attach() {
    runsc(|| {
        let out = Test::new()
            .file("k.sh", "uname -r\nls /run/codecage 2>&1 || echo no-fifos\n")
            .args(["-v", "run", "k.sh"])
            .status(0);
        let text = out.stdout_str();
        // gVisor reports its own kernel version, never the host's.
        let host = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap();
        assert!(!text.contains(host.trim()), "{text}");
        assert!(text.contains("no-fifos"), "{text}");
        assert!(
            out.stderr.contains("stdio through attach"),
            "{}",
            out.stderr
        );
    });
}

#[test]
fn runsc_test_and_serve_work() {
    // gVisor lets a program reach a box launcher's descriptors, so every case gets a container.
    runsc(|| test_and_serve_smoke(false));
}

/// A program for `test_and_serve_smoke`: a sum, or a command that marks /tmp, looks for the mark,
/// or eats memory.
const SMOKE_PY: &str = "import os\ncmd = input()\nif cmd == 'mark':\n    open('/tmp/mark', 'w').write('x')\n    print('marked')\nelif cmd == 'look':\n    print('seen' if os.path.exists('/tmp/mark') else 'clean')\nelif cmd == 'eat':\n    x = bytearray(300 << 20)\n    print(len(x))\nelse:\n    a, b = map(int, cmd.split())\n    print(a + b)\n";

/// `codecage test` grades cases in one judge box (`boxes`; else a container each, which `-v`
/// says), each from a clean box, a memory-limit kill is MLE and the case after it runs normally;
/// and `codecage serve` runs a program with input.
pub fn test_and_serve_smoke(boxes: bool) {
    let out = Test::new()
        .file("sol.py", SMOKE_PY)
        .file("cases/1.in", "1 2\n")
        .file("cases/1.out", "3\n")
        .file("cases/2.in", "mark\n")
        .file("cases/2.out", "marked\n")
        .file("cases/3.in", "look\n")
        .file("cases/3.out", "clean\n")
        .file("cases/4.in", "eat\n")
        .file("cases/4.out", "314572800\n")
        .file("cases/5.in", "40 2\n")
        .file("cases/5.out", "42\n")
        .args(["-v", "test", "sol.py", "--cases", "cases", "-j", "1"])
        .args(["-m", "96MiB", "-t", "10s", "--json", "-"])
        .status(1);
    assert_eq!(
        !out.stderr.contains("container per case"),
        boxes,
        "graded in a judge box ({boxes} expected): {}",
        out.stderr
    );
    if !boxes {
        assert!(
            out.stderr.contains("/proc/1/fd"),
            "says why: {}",
            out.stderr
        );
    }
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let verdicts: Vec<&str> = report["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["verdict"].as_str().unwrap())
        .collect();
    assert_eq!(verdicts, ["AC", "AC", "AC", "MLE", "AC"], "{report:#}");
    let server = Server::start(&[]);
    let (status, body) = server.post(
        "/execute",
        &json!({"language": "python3", "code": "import sys\nprint(sys.stdin.read().upper())", "stdin": "abc"}),
    );
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["stdout"], "ABC\n", "{body}");
    assert_eq!(body["verdict"], "AC", "{body}");
}

#[test]
fn runsc_no_capabilities_no_new_privileges_not_root() {
    // gVisor's /proc/self/status has no NoNewPrivs line: ask the kernel with prctl instead. No
    // seccomp filter of the program's own (`Seccomp: 0`): its calls go to gVisor's kernel, which
    // the host's seccomp confines (see src/sandbox/runtime.rs and .ci/ensure-runsc.sh).
    runsc(|| {
        let out = python(
            "import ctypes\nstatus = dict(l.split(':', 1) for l in open('/proc/self/status').read().splitlines() if ':' in l)\n\
             print(*[status[c].strip() for c in ['CapInh', 'CapPrm', 'CapEff', 'CapBnd']])\n\
             print('seccomp', status['Seccomp'].strip(), 'uid', status['Uid'].split()[0])\n\
             print('nnp', ctypes.CDLL(None).prctl(39, 0, 0, 0, 0))\n",
        );
        let zero = "0000000000000000";
        assert_eq!(
            out,
            format!("{zero} {zero} {zero} {zero}\nseccomp 0 uid 10001\nnnp 1\n")
        );
    });
}

#[test]
fn runsc_root_filesystem_is_read_only_and_the_network_is_gone() {
    runsc(|| {
        // Permission comes before the read-only check in gVisor (EACCES where runc says EROFS):
        // the root's mount says read-only, and a directory in it is refused as such.
        let out = python(
            "import errno, os\nfor path in ['/etc/x', '/usr/bin/x', '/x', '/proc/sys/kernel/panic']:\n    try:\n        open(path, 'w').write('1')\n        print(path, 'WRITABLE')\n    except OSError as e:\n        print(path, errno.errorcode[e.errno])\n\
             print('root', [l.split()[3].split(',')[0] for l in open('/proc/mounts') if l.split()[1] == '/'])\n\
             try:\n    os.mkdir('/newdir')\nexcept OSError as e:\n    print('mkdir', errno.errorcode[e.errno])\n",
        );
        assert!(!out.contains("WRITABLE"), "{out}");
        assert!(out.ends_with("root ['ro']\nmkdir EROFS\n"), "{out}");
        crate::hardening::no_network();
        crate::attacks::network::the_engine_and_the_host_network_are_unreachable();
    });
}

#[test]
fn runsc_fork_bombs_are_contained() {
    runsc(|| {
        crate::attacks::resources::shell_fork_bomb_is_contained();
        crate::attacks::resources::zombies_and_forks_are_bounded_by_the_pids_limit();
    });
}

#[test]
fn runsc_memory_bombs_are_memory_limit_verdicts() {
    runsc(|| {
        crate::limits::memory_limit_in_the_main_process();
        // The OOM killer on the host sees one process, gVisor's kernel, which holds all of the
        // sandbox's memory: a child's bomb ends the whole run (the parent's later output is
        // lost), still as a memory-limit verdict.
        let out = Test::new()
            .file(
                "child.py",
                "import subprocess, sys\nprint('parent starts', flush=True)\nsubprocess.run([sys.executable, '-c', 'x = bytearray(1 << 30)'])\nprint('parent done')\n",
            )
            .args(["run", "--memory", "128MiB", "child.py"])
            .status(137);
        assert!(
            out.stdout_str().starts_with("parent starts\n"),
            "{}",
            out.stdout_str()
        );
        assert_eq!(out.stderr, "codecage: memory limit exceeded (128 MiB)\n");
    });
}

#[test]
fn runsc_output_floods_stop_at_the_limit() {
    runsc(|| {
        crate::limits::output_limit_stops_a_flood_at_the_limit();
        crate::attacks::output::a_flood_without_newlines_stops_at_the_limit();
    });
}

#[test]
fn runsc_sleepers_and_busy_loops_end_at_the_time_limit() {
    runsc(|| {
        crate::attacks::resources::sleeping_forever_ends_at_the_time_limit();
        crate::limits::time_limit_kills_a_busy_loop();
        // CPU time is read from the host cgroup, which holds the sandbox, gVisor included.
        crate::limits::cpu_time_limit_kills_a_busy_loop_long_before_the_wall_clock_limit();
    });
}

#[test]
fn runsc_filling_the_disk_is_contained() {
    runsc(crate::limits::workspace_and_tmp_are_size_limited);
}
