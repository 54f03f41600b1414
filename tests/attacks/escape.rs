//! Escape and privilege: every attempt to write outside the workspace, gain privileges, reach the
//! kernel's privileged interfaces, other processes or the host's secrets fails.

use std::time::{Duration, Instant};

use super::{attack, python};
use crate::harness::{still_works, Test};

/// Shared by the probes: `attempt(f)` prints `denied ERRNO` or `ALLOWED`; `sys(r)` raises the
/// errno of a failed libc call.
const PRELUDE: &str = "import ctypes, errno, os, socket, subprocess, time\n\
libc = ctypes.CDLL(None, use_errno=True)\n\
def sys(r):\n    if r == -1:\n        e = ctypes.get_errno()\n        raise OSError(e, os.strerror(e))\n\
def attempt(f):\n    try:\n        f()\n        print('ALLOWED')\n    except OSError as e:\n        print('denied', errno.errorcode.get(e.errno, e.errno))\n\
def command(*argv):\n    r = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True)\n    print('denied' if r.returncode != 0 else 'ALLOWED', r.stdout.strip().decode())\n";

/// (name, program after the prelude, its exact output). Each runs as its own program.
const ATTEMPTS: &[(&str, &str, &str)] = &[
    (
        "overwrite a system binary",
        "attempt(lambda: open('/usr/bin/python3', 'ab'))",
        "denied EACCES\n",
    ),
    (
        "create a file in the root filesystem",
        "attempt(lambda: open('/usr/local/bin/x', 'w'))",
        "denied EROFS\n",
    ),
    (
        "write the host-mounted /etc/hosts",
        "attempt(lambda: open('/etc/hosts', 'a').write('6.6.6.6 x'))",
        "denied EACCES\n",
    ),
    (
        "write /proc/sys",
        "attempt(lambda: open('/proc/sys/kernel/hostname', 'w').write('x'))",
        "denied EROFS\n",
    ),
    (
        "write /sys",
        "attempt(lambda: open('/sys/kernel/mm/transparent_hugepage/enabled', 'w').write('never'))",
        "denied EROFS\n",
    ),
    (
        "setuid(0)",
        "attempt(lambda: os.setuid(0))",
        "denied EPERM\n",
    ),
    (
        "a setuid-root binary (su)",
        "command('su', '-c', 'id -u', 'root')",
        "denied \n",
    ),
    (
        "a setuid-root binary (mount)",
        "command('mount', '-t', 'tmpfs', 'none', '/tmp')",
        "denied \n",
    ),
    (
        "mount(2)",
        "attempt(lambda: sys(libc.mount(b'none', b'/tmp', b'tmpfs', 0, None)))",
        "denied EPERM\n",
    ),
    (
        "unshare a user namespace",
        "attempt(lambda: sys(libc.unshare(0x10000000)))",
        "denied EPERM\n",
    ),
    (
        "unshare a mount namespace",
        "attempt(lambda: sys(libc.unshare(0x00020000)))",
        "denied EPERM\n",
    ),
    (
        "add a key to the kernel keyring",
        "attempt(lambda: sys(libc.syscall(248, b'user', b'codecage', b'x', 1, -2)))",
        "denied EPERM\n",
    ),
    (
        "open a raw socket",
        "attempt(lambda: socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP))",
        "denied EPERM\n",
    ),
    (
        "create a device node",
        "attempt(lambda: os.mknod('/work/mem', 0o20666, os.makedev(1, 1)))",
        "denied EPERM\n",
    ),
    (
        "chroot",
        "attempt(lambda: os.chroot('/tmp'))",
        "denied EPERM\n",
    ),
    (
        "load a kernel module",
        "attempt(lambda: sys(libc.syscall(313, 0, b'', 0)))",
        "denied EPERM\n",
    ),
    (
        "bpf(2)",
        "attempt(lambda: sys(libc.syscall(321, 0, None, 0)))",
        "denied EPERM\n",
    ),
    (
        "set the clock",
        "attempt(lambda: time.clock_settime(time.CLOCK_REALTIME, 0))",
        "denied EPERM\n",
    ),
    (
        "reach the Docker socket",
        "attempt(lambda: socket.socket(socket.AF_UNIX).connect('/var/run/docker.sock'))",
        "denied ENOENT\n",
    ),
];

#[test]
fn privilege_and_kernel_interfaces_are_denied() {
    for (name, body, expected) in ATTEMPTS {
        let test = Test::new()
            .file("attack.py", format!("{PRELUDE}{body}\n"))
            .args(["run", "attack.py"]);
        let start = Instant::now();
        let out = test.run();
        assert_eq!(
            (out.status, out.stdout_str().as_str()),
            (0, *expected),
            "{name}: {}",
            out.stderr
        );
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "{name} took {:?}",
            start.elapsed()
        );
    }
    still_works();
}

#[test]
fn ptrace_reaches_only_the_sandbox_and_the_deadline_still_holds() {
    // Stopping the sandbox's own init (same uid) is all ptrace can do; the run then cannot end
    // by itself, so the time limit ends it. Visible: init, the shim's shell and its stdin feeder
    // (`cat`), the backstop's shell and its `sleep`, and the program.
    let test = Test::new()
        .file(
            "trace.py",
            format!(
                "{PRELUDE}pids = [p for p in os.listdir('/proc') if p.isdigit()]\nprint('visible', len(pids) <= 6)\n\
                 attempt(lambda: sys(libc.ptrace(16, 4000, 0, 0)))\n\
                 attempt(lambda: sys(libc.ptrace(16, 1, 0, 0)))\n"
            ),
        )
        .args(["run", "--time-limit", "2s", "trace.py"]);
    let out = attack(test, 124, Duration::from_secs(15));
    assert_eq!(out.stdout_str(), "visible True\ndenied ESRCH\nALLOWED\n");
    assert_eq!(out.stderr, "codecage: time limit exceeded (2s)\n");
}

#[test]
fn host_information_docker_masks_stays_masked() {
    let out = python(
        "import os\nfor path in ['/proc/kcore', '/proc/keys', '/proc/timer_list', '/proc/sched_debug', '/proc/sysrq-trigger', '/sys/firmware', '/proc/acpi', '/proc/scsi']:\n\
         \x20   if not os.path.exists(path):\n        print(path, 'absent')\n\
         \x20   elif os.path.isdir(path):\n        print(path, 'empty' if not os.listdir(path) else 'LISTED')\n\
         \x20   else:\n        try:\n            print(path, 'empty' if not open(path, 'rb').read(4096) else 'READ')\n        except OSError:\n            print(path, 'unreadable')\n",
    );
    assert!(!out.contains("LISTED") && !out.contains("READ\n"), "{out}");
    assert_eq!(out.lines().count(), 8, "{out}");
}

#[test]
fn a_secret_in_codecages_environment_is_invisible() {
    let test = Test::new()
        .file(
            "env.py",
            // A process this one may not read (one caught in the middle of an exec, say) is one
            // whose environment it cannot see either; one that is gone has none.
            "import os\ndef environ(p):\n    try:\n        return open(f'/proc/{p}/environ', 'rb').read()\n    except OSError:\n        return b''\n\
             blobs = [environ(p) for p in os.listdir('/proc') if p.isdigit()]\n\
             print('leaked' if any(b'codecage-canary' in b for b in blobs) or 'codecage-canary' in str(os.environ) else 'clean')\n",
        )
        .args(["run", "env.py"])
        .env("AWS_SECRET_ACCESS_KEY", "codecage-canary-aws")
        .env("CODECAGE_TOKEN", "codecage-canary-token");
    let out = attack(test, 0, Duration::from_secs(30));
    assert_eq!(out.stdout_str(), "clean\n");
}
