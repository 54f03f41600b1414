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

/// A POSIX shell script printing, a `key=value` a line, the hardening a sandbox sees from inside:
/// its resource limits, cgroup limits (v1 or v2, whichever the sandbox shows), capabilities,
/// network interfaces and whether the root takes a write. It then sleeps a little so that the test
/// can inspect the live container from outside.
pub const FACTS: &str = r#"while IFS= read -r line; do
  case "$line" in
    "Max core file size"*) set -- $line; echo "core=$5 $6";;
    "Max open files"*) set -- $line; echo "nofile=$4 $5";;
    "Max file size"*) set -- $line; echo "fsize=$4 $5";;
  esac
done < /proc/self/limits
for f in memory.max memory.swap.max cpu.max memory/memory.limit_in_bytes memory/memory.memsw.limit_in_bytes cpu/cpu.cfs_quota_us cpu/cpu.cfs_period_us; do
  if [ -r "/sys/fs/cgroup/$f" ]; then echo "$f=$(cat "/sys/fs/cgroup/$f")"; fi
done
while IFS= read -r line; do
  case "$line" in CapEff:*) set -- $line; echo "capeff=$2";; esac
done < /proc/self/status
echo "net=$(ls /sys/class/net | tr '\n' ' ')"
echo "rootwrite=$( (: > /hardening-probe) 2>&1 )"
echo facts-done
"#;

/// The facts `FACTS` printed, found anywhere in `text` (compile output mixes them with nothing
/// else, but a Judge0 record may hold other lines too).
pub fn facts(text: &str) -> std::collections::HashMap<String, String> {
    assert!(
        text.contains("facts-done"),
        "the probe did not finish: {text}"
    );
    text.lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_string(), v.trim().to_string()))
        .collect()
}

/// What the sandbox of a run or of a compile step must show from inside, for its memory limit,
/// CPU quota (cores) and workspace size (bytes). Returns whether its memory cgroup was visible
/// (otherwise swap is proved by the caller another way).
pub fn assert_hardened(text: &str, memory: u64, cpus: f64, workspace: u64) -> bool {
    let facts = facts(text);
    let get = |k: &str| {
        facts
            .get(k)
            .unwrap_or_else(|| panic!("{k} missing: {text}"))
            .as_str()
    };
    assert_eq!(get("core"), "0 0", "no core dumps: {text}");
    assert_eq!(get("nofile"), "1024 1024", "{text}");
    assert_eq!(get("fsize"), format!("{workspace} {workspace}"), "{text}");
    assert_eq!(get("capeff"), "0000000000000000", "{text}");
    assert_eq!(get("net"), "lo", "only loopback: {text}");
    assert!(get("rootwrite").contains("Read-only file system"), "{text}");
    // The container's own memory limit is the program's, or 16 MiB above it when the run's
    // parent cgroup enforces it exactly (src/sandbox/hardening.rs, PARENT_MEMORY_HEADROOM).
    let memory_ok = |v: &str| v == memory.to_string() || v == (memory + (16 << 20)).to_string();
    let quota = |q: &str, p: &str| q.parse::<f64>().unwrap() / p.parse::<f64>().unwrap();
    if let Some(max) = facts.get("memory.max") {
        assert!(memory_ok(max), "memory.max {max}, limit {memory}: {text}");
        // cgroup v2 counts swap apart: none at all.
        assert_eq!(get("memory.swap.max"), "0", "{text}");
        let (q, p) = get("cpu.max").split_once(' ').unwrap();
        assert!((quota(q, p) - cpus).abs() < 0.01, "cpu.max {q} {p}: {text}");
        true
    } else if let Some(limit) = facts.get("memory/memory.limit_in_bytes") {
        assert!(memory_ok(limit), "limit {limit}, memory {memory}: {text}");
        // cgroup v1 counts memory and swap together: equal means no swap.
        assert_eq!(get("memory/memory.memsw.limit_in_bytes"), limit, "{text}");
        let q = quota(get("cpu/cpu.cfs_quota_us"), get("cpu/cpu.cfs_period_us"));
        assert!((q - cpus).abs() < 0.01, "CPU quota {q}: {text}");
        true
    } else {
        false
    }
}

/// Without the cgroup files in view, swap equal to memory shows as a program allocating past its
/// memory being killed for it rather than slowed by swap.
pub fn assert_allocating_past_memory_is_killed() {
    let out = Test::new()
        .file("mem.py", "x = bytearray(512 << 20)\nprint('swapped')\n")
        .args(["run", "--memory", "128MiB", "mem.py"])
        .status(137);
    assert_eq!(out.stderr, "codecage: memory limit exceeded (128 MiB)\n");
}

/// Profiles running `FACTS` from the gcc image: `.rprobe` as the program, `.cprobe` as the compile
/// command (its run never comes: the script fails the compile), with a workspace of 48 MiB (not the
/// default, so the file-size limit is seen to follow it) and a compile quota of 0.75 cores.
fn probe_profiles(test: Test) -> Test {
    test.file(
        "my/profiles/rprobe.yaml",
        "name: rprobe\nversion: sh\nextensions: [rprobe]\nimage: gcc\nlimits:\n  workspace: 48MiB\nrun: [sh, '{main}']\n",
    )
    .file(
        "my/profiles/cprobe.yaml",
        "name: cprobe\nversion: sh\nextensions: [cprobe]\nimage: gcc\ncompile: [sh, '{main}']\ncompile_cpus: 0.75\ncompile_memory: 300MiB\nlimits:\n  workspace: 48MiB\nrun: ['true']\n",
    )
}

/// Run `test` to `status` while another thread inspects its (first) container from outside
/// once it is running: the output and the engine's view of the sandbox.
fn run_and_inspect(test: Test, status: i32) -> (crate::harness::Output, serde_json::Value) {
    let tag = test.tag().to_string();
    let inspector = std::thread::spawn(move || {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        loop {
            let ids = crate::harness::containers_with_tag(&tag);
            if let Some(id) = ids.first() {
                let out = crate::harness::docker_cli()
                    .args(["inspect", id])
                    .output()
                    .expect("docker inspect");
                if out.status.success() {
                    let all: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
                    return all[0].clone();
                }
            }
            assert!(
                std::time::Instant::now() < deadline,
                "no container of {tag} seen"
            );
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    });
    let out = test.status(status);
    (out, inspector.join().expect("inspector"))
}

/// The engine's view: no log kept (the json-file driver would fill the host's disk), and swap
/// equal to memory.
fn assert_inspected(inspect: &serde_json::Value) {
    let host = &inspect["HostConfig"];
    assert_eq!(host["LogConfig"]["Type"], "none", "{host}");
    assert_eq!(host["MemorySwap"], host["Memory"], "{host}");
    assert_eq!(host["ReadonlyRootfs"], true, "{host}");
    assert_eq!(host["NetworkMode"], "none", "{host}");
}

#[test]
fn a_run_sees_its_limits_and_no_privilege_from_inside() {
    let test = probe_profiles(Test::new())
        .file("facts.rprobe", format!("{FACTS}sleep 3\n"))
        .args([
            "--profiles",
            "my/profiles",
            "run",
            "--memory",
            "200MiB",
            "--cpus",
            "0.5",
            "facts.rprobe",
        ]);
    let (out, inspect) = run_and_inspect(test, 0);
    if !assert_hardened(&out.stdout_str(), 200 << 20, 0.5, 48 << 20) {
        assert_allocating_past_memory_is_killed();
    }
    assert_inspected(&inspect);
}

#[test]
fn a_compile_step_sees_the_same_limits_and_no_privilege_from_inside() {
    // The compiler runs untrusted code too (a build script, a Makefile, Judge0's `compile`).
    let test = probe_profiles(Test::new())
        .file("facts.cprobe", format!("{FACTS}sleep 3\nexit 1\n"))
        .args([
            "--profiles",
            "my/profiles",
            "run",
            "--memory",
            "200MiB",
            "facts.cprobe",
        ]);
    let (out, inspect) = run_and_inspect(test, 65);
    let text = format!("{}{}", out.stdout_str(), out.stderr);
    assert!(text.ends_with("codecage: compilation failed\n"), "{text}");
    // The compiler's memory is its profile's, never the program's `--memory` (issue #29).
    if !assert_hardened(&text, 300 << 20, 0.75, 48 << 20) {
        assert_allocating_past_memory_is_killed();
    }
    assert_inspected(&inspect);
}
