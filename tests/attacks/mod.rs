//! Hostile programs: each one's exact safe outcome, and no container left (the harness checks).

use std::time::Duration;

use crate::harness::Test;

/// Run a Python probe and return its stdout (status 0 required).
fn python(source: &str) -> String {
    Test::new()
        .file("attack.py", source)
        .args(["run", "attack.py"])
        .status(0)
        .stdout_str()
}

#[test]
fn privilege_escalation_attempts_fail() {
    let out = python(
        "import ctypes, errno, os, socket, subprocess\n\
         def attempt(name, f):\n\
         \x20   try:\n\
         \x20       f()\n\
         \x20       print(name, 'ALLOWED')\n\
         \x20   except OSError as e:\n\
         \x20       print(name, 'denied')\n\
         attempt('setuid', lambda: os.setuid(0))\n\
         attempt('setgid', lambda: os.setgid(0))\n\
         attempt('raw socket', lambda: socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP))\n\
         attempt('chroot', lambda: os.chroot('/tmp'))\n\
         attempt('sysrq', lambda: open('/proc/sysrq-trigger', 'w').write('b'))\n\
         attempt('sys', lambda: open('/sys/kernel/mm/transparent_hugepage/enabled', 'w').write('never'))\n\
         libc = ctypes.CDLL(None, use_errno=True)\n\
         key = libc.syscall(248, b'user', b'codecage', b'x', 1, -2)\n\
         print('keyring', 'denied' if key == -1 else 'ALLOWED')\n\
         for cmd in (['mount', '-t', 'tmpfs', 'none', '/mnt'], ['unshare', '-U', 'true'], ['unshare', '-r', 'true']):\n\
         \x20   r = subprocess.run(cmd, capture_output=True)\n\
         \x20   print(cmd[0], 'denied' if r.returncode != 0 else 'ALLOWED')\n\
         print('kcore', 'absent' if not os.path.exists('/proc/kcore') or not os.access('/proc/kcore', os.R_OK) else 'READABLE')\n",
    );
    assert!(
        !out.contains("ALLOWED") && !out.contains("READABLE"),
        "{out}"
    );
    assert_eq!(out.matches("denied").count(), 10, "{out}");
}

#[test]
fn inode_exhaustion_is_contained() {
    let out = python(
        "import errno\nn = 0\ntry:\n    while n < 100000:\n        open(f'/work/f{n}', 'w').close()\n        n += 1\nexcept OSError as e:\n    print('stopped', errno.errorcode[e.errno], n < 100000)\n",
    );
    assert_eq!(out, "stopped ENOSPC True\n");
}

#[test]
fn zombies_and_forks_are_bounded_by_the_pids_limit() {
    let out = python(
        "import os\nn = 0\ntry:\n    for _ in range(1000):\n        if os.fork() == 0:\n            os._exit(0)\n        n += 1\nexcept OSError:\n    print('capped', n < 1000)\n",
    );
    assert_eq!(out, "capped True\n");
}

#[test]
fn closing_stdout_early_and_a_huge_single_line() {
    let out = Test::new()
        .file(
            "close.py",
            "import os, sys, time\nos.close(1)\ntime.sleep(0.3)\nsys.stderr.write('still here')\n",
        )
        .args(["run", "close.py"])
        .status(0);
    assert!(out.stdout.is_empty());
    assert_eq!(out.stderr, "still here");
    let out = Test::new()
        .file("line.py", "import sys\nsys.stdout.write('x' * (5 << 20))\n")
        .args(["run", "line.py"])
        .status(0);
    assert_eq!(out.stdout.len(), 5 << 20);
}

#[test]
fn hostile_source_files_are_handled_safely() {
    // Not UTF-8: the interpreter rejects it, nothing else happens.
    let out = Test::new()
        .file("bin.py", b"\xff\xfe\x00print(1)\n")
        .args(["run", "bin.py"])
        .status(1);
    assert!(out.stderr.contains("SyntaxError"), "{}", out.stderr);
    // Larger than the workspace: refused before Docker is touched.
    let out = Test::new()
        .file("huge.py", vec![b'#'; 65 << 20])
        .args(["run", "huge.py"])
        .run();
    assert_eq!(out.status, 125);
    assert!(
        out.stderr.contains("more than the workspace limit"),
        "{}",
        out.stderr
    );
    // A very long name is refused with a clear error.
    let long = format!("{}.py", "n".repeat(300));
    let out = Test::new()
        .file("proj/main.py", "")
        .args(["run", "proj", "--main", &long])
        .run();
    assert_eq!(out.status, 125);
}

#[test]
fn the_compiler_cannot_leak_host_files_or_run_forever() {
    let out = Test::new()
        .file(
            "leak.c",
            "#include \"/etc/shadow\"\nint main(void) { return 0; }\n",
        )
        .args(["run", "leak.c"])
        .status(65);
    assert!(!out.stderr.contains("root:"), "{}", out.stderr);
    assert!(out.stderr.contains("/etc/shadow"), "{}", out.stderr);
    let out = Test::new()
        .file(
            "explode.cpp",
            "template <int N> struct F { static const long v = F<N - 1>::v + F<N - 2>::v; };\n\
             template <> struct F<0> { static const long v = 0; };\n\
             template <> struct F<1> { static const long v = 1; };\n\
             template <int N> struct G { typedef typename G<N - 1>::t t; };\n\
             template <> struct G<0> { typedef int t; };\n\
             int main() { G<100000>::t x = F<40>::v; return x != 0; }\n",
        )
        .args(["run", "--time-limit", "5s", "explode.cpp"])
        .status(65);
    assert!(
        out.elapsed < Duration::from_secs(30),
        "took {:?}",
        out.elapsed
    );
}

#[test]
fn the_engine_and_the_host_network_are_unreachable() {
    let out = python(
        "import socket\nfor host, port in [('172.17.0.1', 2375), ('172.17.0.1', 2376), ('127.0.0.1', 2375), ('169.254.169.254', 80), ('10.0.0.1', 22)]:\n    try:\n        socket.create_connection((host, port), timeout=2)\n        print(host, port, 'CONNECTED')\n    except OSError:\n        print(host, port, 'refused')\n",
    );
    assert!(!out.contains("CONNECTED"), "{out}");
    assert_eq!(out.matches("refused").count(), 5);
}
