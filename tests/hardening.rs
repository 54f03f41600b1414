//! What the program sees inside the sandbox: no privileges, no network, nothing writable but its
//! workspace and /tmp, nothing of the host's environment.

use crate::harness::Test;

fn probe(source: &str) -> String {
    Test::new()
        .file("probe.py", source)
        .args(["run", "probe.py"])
        .env("CODECAGE_SECRET_CANARY", "s3cret-canary")
        .status(0)
        .stdout_str()
}

#[test]
pub fn no_capabilities_no_new_privileges_seccomp_on_not_root() {
    let status = probe("print(open('/proc/self/status').read())\n");
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(&format!("{name}:")))
            .unwrap_or_else(|| panic!("{name} missing"))
            .split_whitespace()
            .nth(1)
            .unwrap()
            .to_string()
    };
    for cap in ["CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"] {
        assert_eq!(field(cap), "0000000000000000", "{cap}");
    }
    assert_eq!(field("NoNewPrivs"), "1");
    assert_eq!(field("Seccomp"), "2");
    assert_ne!(field("Uid"), "0");
    assert_ne!(field("Gid"), "0");
}

#[test]
pub fn root_filesystem_is_read_only() {
    let out = probe(
        "import errno\nfor path in ['/etc/x', '/usr/bin/x', '/x', '/proc/sys/kernel/panic']:\n    try:\n        open(path, 'w').write('1')\n        print(path, 'WRITABLE')\n    except OSError as e:\n        print(path, errno.errorcode[e.errno])\n",
    );
    assert!(!out.contains("WRITABLE"), "{out}");
    assert!(out.contains("/etc/x EROFS"), "{out}");
}

#[test]
fn the_stdio_fifos_cannot_be_changed_or_used_to_reach_the_host() {
    // The only host files in the sandbox: the FIFOs (and a lone source file, see below), each
    // mounted read-only on its own.
    let checks = r#"import errno, os, stat
d = '/run/codecage'
print(sorted(os.listdir(d)))
print([stat.S_ISFIFO(os.stat(f'{d}/{n}').st_mode) for n in sorted(os.listdir(d))])
for name, act in [('chmod', lambda: os.chmod(f'{d}/stdout', 0o777)),
                  ('unlink', lambda: os.unlink(f'{d}/stdin')),
                  ('rename', lambda: os.rename(f'{d}/stdin', f'{d}/x')),
                  ('create', lambda: open(f'{d}/new', 'w')),
                  ('symlink', lambda: os.symlink('/etc/passwd', f'{d}/link')),
                  ('umount', lambda: os.system(f'umount {d}/stdout 2>/dev/null') == 0 or 1/0)]:
    try:
        act()
        print(name, 'DONE')
    except (OSError, ZeroDivisionError) as e:
        print(name, 'refused')
"#;
    // One file: mounted, so no workspace FIFO. Two files: unpacked from the workspace FIFO.
    let one = probe(checks);
    assert!(
        one.starts_with("['stderr', 'stdin', 'stdout']\n[True, True, True]\n"),
        "{one}"
    );
    let two = Test::new()
        .file("probe.py", checks)
        .file("data.txt", "x\n")
        .args(["run", "probe.py", "data.txt"])
        .status(0)
        .stdout_str();
    assert!(
        two.starts_with("['stderr', 'stdin', 'stdout', 'workspace']\n[True, True, True, True]\n"),
        "{two}"
    );
    for out in [one, two] {
        assert!(!out.contains("DONE"), "{out}");
        assert_eq!(out.matches("refused").count(), 6, "{out}");
    }
}

#[test]
fn a_lone_source_is_mounted_read_only_and_the_workspace_stays_writable() {
    // The cheapest delivery: a program of one plain file is mounted, not unpacked. It cannot
    // change its own source; everything else in /work is as with any workspace.
    let program = r#"import os
for name, act in [('write own source', lambda: open(__file__, 'a')),
                  ('remove own source', lambda: os.remove(__file__)),
                  ('chmod own source', lambda: os.chmod(__file__, 0o777))]:
    try:
        act()
        print(name, 'DONE')
    except OSError:
        print(name, 'refused')
open('out.txt', 'w').write('ok')
os.mkdir('sub')
print(open('out.txt').read(), sorted(os.listdir('.')), open(__file__).read().count('\n'))
"#;
    let out = probe(program);
    assert_eq!(
        out,
        format!(
            "write own source refused\nremove own source refused\nchmod own source refused\nok ['out.txt', 'probe.py', 'sub'] {}\n",
            program.matches('\n').count()
        )
    );
    // Two files: unpacked as before, so the program may rewrite its own files.
    let out = Test::new()
        .file("probe.py", "open(__file__, 'a').write('#' + 'x' * 3 + '\\n')\nprint(open('data.txt').read().strip(), open(__file__).read().count('x' * 3))\n")
        .file("data.txt", "data\n")
        .args(["run", "probe.py", "data.txt"])
        .status(0);
    assert_eq!(out.stdout_str(), "data 1\n");
}

#[test]
pub fn no_network() {
    let out = probe(
        "import os, socket\nprint(sorted(os.listdir('/sys/class/net')))\nfor host in [('1.1.1.1', 53), ('169.254.169.254', 80), ('172.17.0.1', 2375)]:\n    try:\n        socket.create_connection(host, timeout=2)\n        print(host, 'CONNECTED')\n    except OSError as e:\n        print(host, type(e).__name__)\ntry:\n    socket.getaddrinfo('deb.debian.org', 80)\n    print('dns RESOLVED')\nexcept OSError:\n    print('dns failed')\n",
    );
    assert!(out.starts_with("['lo']\n"), "{out}");
    assert!(
        !out.contains("CONNECTED") && !out.contains("RESOLVED"),
        "{out}"
    );
}

#[test]
fn no_shared_memory_and_exec_only_in_the_workspace() {
    let out = probe(
        "import os, subprocess\nprint('shm', os.path.exists('/dev/shm'))\nfor d in ['/work', '/tmp']:\n    p = d + '/t.sh'\n    open(p, 'w').write('#!/bin/sh\\necho ran\\n')\n    os.chmod(p, 0o755)\n    try:\n        print(d, subprocess.run([p], capture_output=True, text=True).stdout.strip())\n    except PermissionError:\n        print(d, 'noexec')\n",
    );
    assert_eq!(out, "shm False\n/work ran\n/tmp noexec\n");
}

#[test]
fn host_environment_does_not_leak() {
    let out = probe(
        "import os\nprint(sorted(os.environ))\nprint(os.environ.get('CODECAGE_SECRET_CANARY'))\n",
    );
    assert!(!out.contains("s3cret-canary"), "{out}");
    assert!(!out.contains("CODECAGE_TEST_TAG"), "{out}");
}

#[test]
fn an_init_process_is_pid_1_and_daemons_die_with_the_program() {
    let out = probe(
        "import os, subprocess\nprint(open('/proc/1/comm').read().strip())\nsubprocess.Popen(['sh', '-c', 'sleep 300 &'], start_new_session=True)\nprint('daemon started')\n",
    );
    assert!(
        out.starts_with("docker-init\n") || out.starts_with("tini\n"),
        "{out}"
    );
    assert!(out.ends_with("daemon started\n"));
}
