//! Judge boxes under attack: `codecage test` runs every case of a submission as a fresh process in
//! one sandbox its worker slot keeps (`sandbox::judge_box`), with a launcher of ours as PID 1.
//! Each test grades a hostile submission over several cases (`-j 1`, so case 2 runs in the box
//! case 1 ran in) and asserts on the JSON report: what case 1 did must not reach case 2, the
//! launcher must not be taken over, and the figures are the kernel's.
//!
//! Every test also counts the containers the grading started (`container_starts`): a grading that
//! quietly fell back to a container per case would pass every other assertion here and prove
//! nothing about the boxes.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::harness::{assert_no_containers, containers_with_tag, unix_now, Output, Test};

/// The JSON report of a `codecage test --json -` run.
fn report(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "no JSON report ({e}):\nstdout: {}\nstderr: {}",
            out.stdout_str(),
            out.stderr
        )
    })
}

/// The verdicts of a report's cases, in order.
fn verdicts(cases: &Value) -> Vec<String> {
    cases
        .as_array()
        .expect("cases")
        .iter()
        .map(|c| c["verdict"].as_str().expect("a verdict").to_string())
        .collect()
}

fn figure(case: &Value, name: &str) -> u64 {
    case[name]
        .as_u64()
        .unwrap_or_else(|| panic!("no {name} in {case:#}"))
}

/// Grade with `codecage test ... --json -` and the expected exit status; the output and its
/// report, and how many containers the grading started (compiles included).
fn grade(test: Test, args: &[&str], status: i32) -> (Output, Value, usize) {
    let tag = test.tag().to_string();
    let since = unix_now() - 1.0;
    let mut all = vec!["test"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--json", "-"]);
    let out = test.args(all).run();
    let json = report(&out);
    assert_eq!(
        out.status, status,
        "codecage test: expected status {status}, got {}\n{json:#}\nstderr: {}",
        out.status, out.stderr
    );
    let started = container_starts(&tag, since);
    (out, json, started)
}

/// Containers of `tag` the engine started since `since` (unix seconds).
fn container_starts(tag: &str, since: f64) -> usize {
    let out = Command::new("docker")
        .args(["events", "--format", "{{.Action}} {{.ID}}"])
        .args(["--since", &format!("{since:.3}")])
        .args(["--until", &format!("{:.3}", unix_now() + 1.0)])
        .args(["--filter", &format!("label=codecage.tag={tag}")])
        .args(["--filter", "event=start"])
        .output()
        .expect("docker events");
    assert!(out.status.success(), "docker events failed");
    String::from_utf8_lossy(&out.stdout).lines().count()
}

/// The running containers of `tag`.
fn running(tag: &str) -> Vec<String> {
    let out = Command::new("docker")
        .args(["ps", "-q", "--filter", &format!("label=codecage.tag={tag}")])
        .args(["--filter", "status=running"])
        .output()
        .expect("docker ps");
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .map(str::to_string)
        .collect()
}

/// Wait (up to a minute) until a running container of `tag` has a process whose command line
/// contains `command`, as `docker top` shows it from the host; that container's id. `codecage`
/// is the grading that should get there.
fn wait_for_process(tag: &str, command: &str, codecage: &mut Child) -> String {
    let start = Instant::now();
    loop {
        if let Some(status) = codecage.try_wait().unwrap() {
            panic!("codecage ended ({status}) before any container of {tag} ran {command:?}");
        }
        for id in running(tag) {
            let top = Command::new("docker")
                .args(["top", &id, "-o", "pid,args"])
                .output()
                .expect("docker top");
            if String::from_utf8_lossy(&top.stdout).contains(command) {
                return id;
            }
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "no container of {tag} ever ran {command:?}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// One case of a suite: its name, its stdin (one word, the program's command) and the expected
/// stdout.
fn suite(cases: &[(&str, &str, &str)]) -> String {
    let mut yaml = String::from("compare: exact\ncases:\n");
    for (name, stdin, stdout) in cases {
        yaml.push_str(&format!(
            "  - name: {name}\n    stdin: {}\n    stdout: {}\n",
            serde_json::to_string(&format!("{stdin}\n")).unwrap(),
            serde_json::to_string(stdout).unwrap()
        ));
    }
    yaml
}

/// A case that ran normally: AC, exit 0, and small figures (no leftover of an earlier case is
/// charged to it).
fn assert_normal(case: &Value) {
    assert_eq!(case["verdict"], "AC", "{case:#}");
    assert_eq!(case["exit_code"], 0, "{case:#}");
    assert!(figure(case, "cpu_ms") < 100, "CPU time charged: {case:#}");
    assert!(figure(case, "time_ms") < 1000, "slow: {case:#}");
    assert!(
        figure(case, "memory_bytes") < 32 << 20,
        "memory charged: {case:#}"
    );
}

const DAEMON_C: &str = r#"#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Double fork and setsid: a daemon of init's, ignoring the polite signals, that keeps writing
   its marker into /tmp. */
static void daemon_forever(void) {
    if (fork() != 0) return;
    setsid();
    if (fork() != 0) _exit(0);
    signal(SIGTERM, SIG_IGN);
    signal(SIGHUP, SIG_IGN);
    signal(SIGINT, SIG_IGN);
    signal(SIGPIPE, SIG_IGN);
    close(0);
    close(1);
    close(2);
    for (unsigned long n = 0;; n++) {
        int fd = open("/tmp/daemon-alive", O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd >= 0) {
            dprintf(fd, "%lu\n", n);
            close(fd);
        }
        usleep(10000);
    }
}

int main(void) {
    char cmd[32] = "";
    if (scanf("%31s", cmd) != 1) return 2;
    if (strcmp(cmd, "daemon") == 0) {
        daemon_forever();
        /* Exit only once the daemon is certainly running. */
        for (int i = 0; i < 200; i++) {
            if (access("/tmp/daemon-alive", F_OK) == 0) {
                puts("daemon running");
                return 0;
            }
            usleep(10000);
        }
        puts("the daemon never wrote");
        return 0;
    }
    /* check: a daemon of an earlier case would have written its marker again by now. */
    usleep(300000);
    int foreign = 0;
    DIR *proc = opendir("/proc");
    struct dirent *e;
    while ((e = readdir(proc))) {
        int pid = atoi(e->d_name);
        if (pid > 1 && pid != getpid()) {
            char path[64], comm[64] = "?";
            snprintf(path, sizeof path, "/proc/%d/comm", pid);
            FILE *f = fopen(path, "r");
            if (f) {
                if (!fgets(comm, sizeof comm, f)) strcpy(comm, "?");
                fclose(f);
            }
            comm[strcspn(comm, "\n")] = 0;
            printf("foreign process %d (%s)\n", pid, comm);
            foreign = 1;
        }
    }
    if (access("/tmp/daemon-alive", F_OK) == 0) {
        puts("the daemon's marker is back");
        foreign = 1;
    }
    if (!foreign) puts("alone");
    return 0;
}
"#;

#[test]
fn a_daemon_left_by_a_case_is_gone_before_the_next_case() {
    let test = Test::new().file("daemon.c", DAEMON_C).file(
        "suite.yaml",
        suite(&[
            ("leave-a-daemon", "daemon", "daemon running\n"),
            ("look-for-it", "check", "alone\n"),
            ("leave-another", "daemon", "daemon running\n"),
            ("look-again", "check", "alone\n"),
        ]),
    );
    let (_, json, started) = grade(test, &["daemon.c", "--suite", "suite.yaml", "-j", "1"], 0);
    assert_eq!(
        verdicts(&json["cases"]),
        ["AC", "AC", "AC", "AC"],
        "{json:#}"
    );
    assert_eq!(started, 2, "one compile and one box: {json:#}");
}

/// Leaves files, a locked directory and a FIFO in /work and /tmp, and replaces the program's own
/// file in /work with a script that prints `pwned`; `check` says what it finds.
const LITTER_C: &str = r##"#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void put(const char *path) {
    FILE *f = fopen(path, "w");
    if (!f) { perror(path); return; }
    fputs("left by case 1\n", f);
    fclose(f);
}

static int count(const char *dir) {
    int n = 0;
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) n++;
    if (d) closedir(d);
    return n;
}

int main(int argc, char **argv) {
    char cmd[32] = "";
    if (scanf("%31s", cmd) != 1) return 2;
    if (strcmp(cmd, "litter") == 0) {
        put("/work/junk.txt");
        put("/work/.hidden");
        put("/tmp/junk.txt");
        mkdir("/work/locked", 0700);
        put("/work/locked/inside");
        chmod("/work/locked", 0);
        mkdir("/tmp/locked", 0700);
        mkdir("/tmp/locked/deeper", 0700);
        put("/tmp/locked/deeper/inside");
        chmod("/tmp/locked/deeper", 0);
        chmod("/tmp/locked", 0);
        mkfifo("/tmp/fifo", 0600);
        symlink("/etc/passwd", "/work/link");
        /* The program's own file, replaced while it runs. */
        if (unlink(argv[0]) != 0) { perror("unlink"); return 1; }
        FILE *f = fopen(argv[0], "w");
        if (!f) { perror("replace"); return 1; }
        fputs("#!/bin/sh\necho pwned\n", f);
        fclose(f);
        chmod(argv[0], 0755);
        puts("littered");
        return 0;
    }
    const char *left[] = {"/work/junk.txt", "/work/.hidden", "/work/locked", "/work/link",
                          "/tmp/junk.txt", "/tmp/locked", "/tmp/fifo"};
    int dirty = 0;
    for (unsigned i = 0; i < sizeof left / sizeof *left; i++) {
        struct stat st;
        if (lstat(left[i], &st) == 0) {
            printf("still there: %s\n", left[i]);
            dirty = 1;
        }
    }
    if (count("/tmp") != 0) {
        printf("/tmp holds %d entries\n", count("/tmp"));
        dirty = 1;
    }
    if (!dirty) puts("clean");
    return 0;
}
"##;

/// As `LITTER_C` for a script: it overwrites itself.
const LITTER_PY: &str = r#"import os, sys
cmd = sys.stdin.read().split()[0]
if cmd == "litter":
    for path in ["/work/junk.txt", "/work/.hidden", "/tmp/junk.txt"]:
        open(path, "w").write("left by case 1\n")
    os.makedirs("/work/locked/deeper")
    open("/work/locked/deeper/inside", "w").write("x")
    os.chmod("/work/locked/deeper", 0)
    os.chmod("/work/locked", 0)
    os.mkdir("/tmp/locked")
    os.chmod("/tmp/locked", 0)
    os.mkfifo("/tmp/fifo")
    os.symlink("/etc/passwd", "/work/link")
    with open(__file__, "w") as me:
        me.write("print('pwned')\n")
    print("littered")
else:
    left = [p for p in ["/work/junk.txt", "/work/.hidden", "/work/locked", "/work/link",
                        "/tmp/junk.txt", "/tmp/locked", "/tmp/fifo"] if os.path.lexists(p)]
    for p in left:
        print("still there:", p)
    if os.listdir("/tmp"):
        print("/tmp holds", len(os.listdir("/tmp")), "entries")
    if not left and not os.listdir("/tmp"):
        print("clean")
"#;

#[test]
fn files_and_a_replaced_program_left_by_a_case_are_gone_in_the_next_case() {
    let test = Test::new()
        .file("litter.c", LITTER_C)
        .file("litter.py", LITTER_PY)
        .file(
            "suite.yaml",
            suite(&[
                ("litter", "litter", "littered\n"),
                ("check", "check", "clean\n"),
                ("litter-again", "litter", "littered\n"),
                ("check-again", "check", "clean\n"),
            ]),
        );
    let (_, json, started) = grade(
        test,
        &[
            "--each",
            "litter.c",
            "litter.py",
            "--suite",
            "suite.yaml",
            "-j",
            "1",
        ],
        0,
    );
    for submission in json["submissions"].as_array().unwrap() {
        assert_eq!(
            verdicts(&submission["cases"]),
            ["AC", "AC", "AC", "AC"],
            "{submission:#}"
        );
    }
    assert_eq!(started, 3, "one compile and a box each: {json:#}");
}

/// Everything a shell can do to PID 1 and to every process at once.
const KILL_THE_LAUNCHER_SH: &str = r#"read cmd
case "$cmd" in
  kill|kill-and-fail)
    kill -9 1; kill -STOP 1; kill -TERM 1; kill -HUP 1; kill -INT 1; kill -9 -1
    sleep 0.2
    echo "still here"
    if [ "$cmd" = kill-and-fail ]; then exit 3; fi ;;
  *) echo "$cmd" ;;
esac
"#;

#[test]
fn signals_to_the_launcher_do_not_reach_it() {
    let test = Test::new().file("killer.sh", KILL_THE_LAUNCHER_SH).file(
        "suite.yaml",
        suite(&[
            ("kill", "kill", "still here\n"),
            ("after-kill", "hello", "hello\n"),
            ("kill-and-fail", "kill-and-fail", "still here\n"),
            ("after-fail", "again", "again\n"),
        ]),
    );
    let (_, json, started) = grade(test, &["killer.sh", "--suite", "suite.yaml", "-j", "1"], 1);
    let cases = &json["cases"];
    assert_eq!(verdicts(cases), ["AC", "AC", "RE", "AC"], "{json:#}");
    assert_eq!(cases[0]["exit_code"], 0, "{json:#}");
    assert_eq!(cases[2]["exit_code"], 3, "{json:#}");
    assert_normal(&cases[1]);
    assert_normal(&cases[3]);
    // A launcher that had died would have broken its box, and each case would have run again in
    // a fresh one.
    assert_eq!(started, 1, "one box for every case: {json:#}");
}

/// Tries to take over the launcher (ptrace, /proc) after showing the same means work on a process
/// of its own; prints what each attempt gave.
const PTRACE_C: &str = r#"#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *said(int ok, int e) {
    static char buf[32];
    if (ok) return "OK";
    switch (e) {
    case EPERM: return "EPERM";
    case EACCES: return "EACCES";
    case ESRCH: return "ESRCH";
    }
    snprintf(buf, sizeof buf, "errno %d", e);
    return buf;
}

static void try_open(const char *path, int flags) {
    int fd = open(path, flags);
    if (fd < 0) {
        printf("%s: %s\n", path, said(0, errno));
        return;
    }
    char b[64];
    ssize_t n = (flags & O_ACCMODE) == O_WRONLY ? write(fd, "x", 1) : read(fd, b, sizeof b);
    printf("%s: %s\n", path, said(n >= 0, errno));
    close(fd);
}

int main(void) {
    pid_t child = fork();
    if (child == 0) { pause(); _exit(0); }
    errno = 0;
    long r = ptrace(PTRACE_ATTACH, child, 0, 0);
    printf("attach own child: %s\n", said(r == 0, errno));
    kill(child, SIGKILL);
    waitpid(child, 0, 0);
    try_open("/proc/self/environ", O_RDONLY);

    errno = 0;
    r = ptrace(PTRACE_ATTACH, 1, 0, 0);
    printf("attach 1: %s\n", said(r == 0, errno));
    errno = 0;
    r = ptrace(PTRACE_SEIZE, 1, 0, 0);
    printf("seize 1: %s\n", said(r == 0, errno));
    DIR *d = opendir("/proc/1/fd");
    printf("/proc/1/fd: %s\n", said(d != NULL, errno));
    try_open("/proc/1/mem", O_RDONLY);
    try_open("/proc/1/environ", O_RDONLY);
    try_open("/proc/1/fd/0", O_RDONLY);
    try_open("/proc/1/fd/1", O_WRONLY);
    char link[256];
    ssize_t n = readlink("/proc/1/exe", link, sizeof link);
    printf("/proc/1/exe: %s\n", said(n >= 0, errno));
    char buf[16];
    struct iovec local = {buf, sizeof buf}, remote = {(void *)0x400000, sizeof buf};
    n = process_vm_readv(1, &local, 1, &remote, 1, 0);
    printf("process_vm_readv 1: %s\n", said(n >= 0, errno));
    return 0;
}
"#;

#[test]
fn the_launcher_cannot_be_traced_nor_read_through_proc() {
    let refused = "attach own child: OK\n\
                   /proc/self/environ: OK\n\
                   attach 1: EPERM\n\
                   seize 1: EPERM\n\
                   /proc/1/fd: EACCES\n\
                   /proc/1/mem: EACCES\n\
                   /proc/1/environ: EACCES\n\
                   /proc/1/fd/0: EACCES\n\
                   /proc/1/fd/1: EACCES\n\
                   /proc/1/exe: EACCES\n\
                   process_vm_readv 1: EPERM\n";
    let test = Test::new().file("trace.c", PTRACE_C).file(
        "suite.yaml",
        suite(&[("first", "", refused), ("second", "", refused)]),
    );
    let (out, json, started) = grade(test, &["trace.c", "--suite", "suite.yaml", "-j", "1"], 0);
    assert_eq!(
        verdicts(&json["cases"]),
        ["AC", "AC"],
        "{json:#}\n{}",
        out.stderr
    );
    assert_eq!(started, 2, "one compile and one box: {json:#}");
}

/// Writes bytes shaped like the launcher's frames (a stdout frame with the expected answer, an
/// exit frame saying status 0, or a time-limit exit) to its stdout or stderr, and looks for the
/// launcher's channel among its descriptors and through /proc.
const FORGE_C: &str = r#"#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void frame(int fd, char kind, const void *payload, unsigned len) {
    unsigned char h[5] = {kind, len >> 24, len >> 16, len >> 8, len};
    write(fd, h, 5);
    write(fd, payload, len);
}

/* An exit frame: status (i64 BE), wall in microseconds (u64 BE), flags. */
static void exit_frame(int fd, long long status, unsigned char flags) {
    unsigned char z[17] = {0};
    for (int i = 0; i < 8; i++) z[i] = (unsigned long long)status >> (56 - 8 * i);
    z[15] = 100;
    z[16] = flags;
    frame(fd, 'Z', z, 17);
}

static void forge(int fd, long long status, unsigned char flags) {
    frame(fd, 'O', "42\n", 3);
    exit_frame(fd, status, flags);
    frame(fd, 'P', "", 0);
    frame(fd, 'H', "", 0);
    /* A frame header claiming more than the launcher would ever accept. */
    write(fd, "O\xff\xff\xff\xff", 5);
}

int main(void) {
    char cmd[32] = "";
    if (scanf("%31s", cmd) != 1) return 2;
    if (strcmp(cmd, "forge-stdout") == 0) {
        forge(1, 0, 0);
        return 0;
    }
    if (strcmp(cmd, "forge-then-fail") == 0) {
        forge(1, 0, 0);
        forge(2, 0, 0);
        return 7;
    }
    if (strcmp(cmd, "forge-stderr") == 0) {
        /* Claims a time-limit kill with status 137 on stderr; answers rightly on stdout. */
        forge(2, 137, 1 | 2);
        puts("42");
        return 0;
    }
    /* The launcher's channel: not among our descriptors, not through /proc. */
    DIR *d = opendir("/proc/self/fd");
    struct dirent *e;
    printf("fds:");
    while ((e = readdir(d)))
        if (e->d_name[0] != '.' && atoi(e->d_name) != dirfd(d)) printf(" %s", e->d_name);
    printf("\n");
    int fd = open("/proc/1/fd/1", O_WRONLY);
    printf("open /proc/1/fd/1: %s\n", fd >= 0 ? "OK" : errno == EACCES ? "EACCES" : strerror(errno));
    fd = open("/proc/1/fd/0", O_RDONLY);
    printf("open /proc/1/fd/0: %s\n", fd >= 0 ? "OK" : errno == EACCES ? "EACCES" : strerror(errno));
    return 0;
}
"#;

#[test]
fn forged_protocol_frames_in_a_programs_output_change_nothing() {
    let test = Test::new().file("forge.c", FORGE_C).file(
        "suite.yaml",
        suite(&[
            ("forge-stdout", "forge-stdout", "42\n"),
            ("forge-then-fail", "forge-then-fail", "42\n"),
            ("forge-stderr", "forge-stderr", "42\n"),
            (
                "channel",
                "channel",
                "fds: 0 1 2\nopen /proc/1/fd/1: EACCES\nopen /proc/1/fd/0: EACCES\n",
            ),
        ]),
    );
    let (_, json, started) = grade(test, &["forge.c", "--suite", "suite.yaml", "-j", "1"], 1);
    let cases = &json["cases"];
    assert_eq!(verdicts(cases), ["WA", "RE", "AC", "AC"], "{json:#}");
    assert_eq!(cases[0]["exit_code"], 0, "{json:#}");
    assert_eq!(cases[1]["exit_code"], 7, "{json:#}");
    assert_eq!(cases[2]["exit_code"], 0, "{json:#}");
    for case in cases.as_array().unwrap() {
        // The forged exit frames said 100 µs of wall time; the real one is the launcher's.
        assert!(figure(case, "time_ms") < 1000, "{case:#}");
    }
    assert_eq!(started, 2, "one compile and one box: {json:#}");
}

const FORK_BOMB_C: &str = r#"#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void) {
    char cmd[32] = "";
    if (scanf("%31s", cmd) != 1) return 2;
    if (strcmp(cmd, "bomb") == 0) {
        fflush(stdout);
        for (;;) {
            pid_t p = fork();
            if (p == 0)
                for (;;) fork();
            if (p < 0) {
                /* The pids limit: every child keeps forking and spinning, the parent leaves. */
                puts(errno == EAGAIN ? "bounded" : strerror(errno));
                return 0;
            }
        }
    }
    puts(cmd);
    return 0;
}
"#;

#[test]
fn a_fork_bomb_that_exits_leaves_nothing_for_the_next_case() {
    let test = Test::new().file("bomb.c", FORK_BOMB_C).file(
        "suite.yaml",
        suite(&[
            ("bomb", "bomb", "bounded\n"),
            ("after-bomb", "hello", "hello\n"),
            ("bomb-again", "bomb", "bounded\n"),
            ("after-again", "again", "again\n"),
        ]),
    );
    let (_, json, started) = grade(test, &["bomb.c", "--suite", "suite.yaml", "-j", "1"], 0);
    let cases = &json["cases"];
    assert_eq!(verdicts(cases), ["AC", "AC", "AC", "AC"], "{json:#}");
    assert_normal(&cases[1]);
    assert_normal(&cases[3]);
    assert_eq!(started, 2, "one compile and one box: {json:#}");
}

const FILL_C: &str = r#"#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Write until the file system says no; its errno. */
static int fill(const char *path) {
    static char block[1 << 20];
    memset(block, 'x', sizeof block);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) return errno;
    for (;;) {
        if (write(fd, block, sizeof block) < 0) {
            int e = errno;
            close(fd);
            return e;
        }
    }
}

/* At the size limit a write may fail with ENOSPC (the tmpfs) or EFBIG (RLIMIT_FSIZE). */
static const char *said(int e) {
    return e == ENOSPC || e == EFBIG ? "full" : strerror(e);
}

/* Make empty files until there is no inode left; its errno. */
static int inodes(const char *dir) {
    char path[64];
    for (int i = 0; i < 100000; i++) {
        snprintf(path, sizeof path, "%s/i%d", dir, i);
        int fd = open(path, O_WRONLY | O_CREAT, 0644);
        if (fd < 0) return errno;
        close(fd);
    }
    return 0;
}

int main(void) {
    char cmd[32] = "";
    if (scanf("%31s", cmd) != 1) return 2;
    if (strcmp(cmd, "fill") == 0) {
        signal(SIGXFSZ, SIG_IGN);
        int w = fill("/work/fill"), t = fill("/tmp/fill");
        int wi = inodes("/work"), ti = inodes("/tmp");
        printf("work %s, tmp %s, work inodes %s, tmp inodes %s\n", said(w), said(t), said(wi), said(ti));
        return 0;
    }
    /* A file of 8 MiB in each, written and read back. */
    for (int i = 0; i < 2; i++) {
        const char *path = i == 0 ? "/work/data" : "/tmp/data";
        static char block[1 << 20], back[1 << 20];
        memset(block, 'a' + i, sizeof block);
        FILE *f = fopen(path, "w");
        if (!f) { printf("%s: %s\n", path, strerror(errno)); return 0; }
        for (int j = 0; j < 8; j++)
            if (fwrite(block, 1, sizeof block, f) != sizeof block) { printf("%s: short write\n", path); return 0; }
        if (fclose(f) != 0) { printf("%s: %s\n", path, strerror(errno)); return 0; }
        f = fopen(path, "r");
        for (int j = 0; j < 8; j++)
            if (fread(back, 1, sizeof back, f) != sizeof back || memcmp(block, back, sizeof back)) {
                printf("%s: read back differs\n", path);
                return 0;
            }
        fclose(f);
    }
    puts("wrote");
    return 0;
}
"#;

#[test]
fn a_case_that_fills_the_disk_leaves_the_next_case_room() {
    let full = "work full, tmp full, work inodes full, tmp inodes full\n";
    let test = Test::new().file("fill.c", FILL_C).file(
        "suite.yaml",
        suite(&[
            ("fill", "fill", full),
            ("write", "write", "wrote\n"),
            ("fill-again", "fill", full),
            ("write-again", "write", "wrote\n"),
        ]),
    );
    let (_, json, started) = grade(test, &["fill.c", "--suite", "suite.yaml", "-j", "1"], 0);
    let cases = &json["cases"];
    assert_eq!(verdicts(cases), ["AC", "AC", "AC", "AC"], "{json:#}");
    for case in [&cases[1], &cases[3]] {
        assert!(figure(case, "time_ms") < 1000, "{case:#}");
        // 16 MiB written, and nothing of the filled disks charged.
        assert!(figure(case, "memory_bytes") < 48 << 20, "{case:#}");
    }
    assert_eq!(started, 2, "one compile and one box: {json:#}");
}

#[test]
fn an_output_flood_is_ole_and_the_next_case_runs() {
    let test = Test::new()
        .file(
            "flood.sh",
            "read cmd\nif [ \"$cmd\" = flood ]; then yes; fi\necho \"$cmd\"\n",
        )
        .file(
            "suite.yaml",
            suite(&[
                ("flood", "flood", "y\n"),
                ("after-flood", "hello", "hello\n"),
                ("flood-again", "flood", "y\n"),
                ("after-again", "again", "again\n"),
            ]),
        );
    let (_, json, started) = grade(test, &["flood.sh", "--suite", "suite.yaml", "-j", "1"], 1);
    let cases = &json["cases"];
    assert_eq!(verdicts(cases), ["OLE", "AC", "OLE", "AC"], "{json:#}");
    assert!(figure(&cases[0], "time_ms") < 2000, "{json:#}");
    assert_normal(&cases[1]);
    assert_normal(&cases[3]);
    assert_eq!(started, 1, "one box: {json:#}");
}

const EAT_C: &str = r#"#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void) {
    char cmd[32] = "";
    if (scanf("%31s", cmd) != 1) return 2;
    if (strcmp(cmd, "eat") == 0) {
        /* 256 MiB, every page touched, against a 64 MiB limit. */
        for (int i = 0; i < 256; i++) {
            char *p = malloc(1 << 20);
            if (!p) return 3;
            memset(p, i, 1 << 20);
        }
        puts("ate");
        return 0;
    }
    puts(cmd);
    return 0;
}
"#;

#[test]
fn memory_beyond_the_limit_is_mle_and_the_next_case_is_charged_only_its_own() {
    let test = Test::new().file("eat.c", EAT_C).file(
        "suite.yaml",
        suite(&[
            ("eat", "eat", "ate\n"),
            ("after-eat", "hello", "hello\n"),
            ("eat-again", "eat", "ate\n"),
            ("after-again", "again", "again\n"),
        ]),
    );
    let (_, json, started) = grade(
        test,
        &["eat.c", "--suite", "suite.yaml", "-j", "1", "-m", "64MiB"],
        1,
    );
    let cases = &json["cases"];
    assert_eq!(verdicts(cases), ["MLE", "AC", "MLE", "AC"], "{json:#}");
    for case in [&cases[1], &cases[3]] {
        assert_normal(case);
        assert!(figure(case, "memory_bytes") < 16 << 20, "{case:#}");
    }
    assert_eq!(started, 2, "one compile and one box: {json:#}");
}

/// Burns ~300 ms of CPU (its own clock) with ~50 MiB allocated and touched.
const BURN_C: &str = r#"#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double cpu(void) {
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

int main(void) {
    char word[16] = "";
    if (scanf("%15s", word) == 1 && word[0] == 'q') {
        puts("7");
        return 0;
    }
    size_t n = 50u << 20;
    volatile char *p = malloc(n);
    for (size_t i = 0; i < n; i += 4096) p[i] = (char)(i >> 12);
    volatile unsigned long x = 0;
    while (cpu() < 0.3)
        for (int i = 0; i < 100000; i++) x += i ^ (x >> 3);
    printf("%d\n", p[4096 * 7]);
    return 0;
}
"#;

/// The median of a figure over a report's cases.
fn median(cases: &Value, name: &str) -> u64 {
    let mut all: Vec<u64> = cases
        .as_array()
        .unwrap()
        .iter()
        .map(|c| figure(c, name))
        .collect();
    all.sort_unstable();
    all[all.len() / 2]
}

/// The same program's figures in a box and with a container per case agree, once the container's
/// own start is taken off the latter. A container per case charges each case its start: the
/// runtime's init, the shim's `sh`, `head` and `tar`, ~40 ms of CPU, which an exit-at-once run
/// shows alone (measured: 1 ms in a box, 40-43 ms with a container per case). The burn program
/// stops at 300 ms of its own CPU clock, so the box's figure is the accurate one (measured, in a
/// box: 305-308 ms; with a container per case: 336-356 ms).
#[test]
fn figures_in_a_box_agree_with_a_container_per_case() {
    let graded = |extra: &[&str]| {
        let test = Test::new().file("burn.c", BURN_C).file(
            "suite.yaml",
            suite(&[
                ("quick", "q", "7\n"),
                ("1", "burn", "7\n"),
                ("2", "burn", "7\n"),
                ("3", "burn", "7\n"),
            ]),
        );
        let mut args = vec!["burn.c", "--suite", "suite.yaml", "-j", "1"];
        args.extend_from_slice(extra);
        let (_, json, started) = grade(test, &args, 0);
        assert_eq!(
            verdicts(&json["cases"]),
            ["AC", "AC", "AC", "AC"],
            "{json:#}"
        );
        (json, started)
    };
    let (boxed, boxes) = graded(&[]);
    let (apart, containers) = graded(&["--container-per-case"]);
    assert_eq!(boxes, 2, "one compile and one box");
    assert_eq!(containers, 5, "one compile and a container per case");
    let figures = |json: &Value| -> Vec<(u64, u64)> {
        json["cases"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| (figure(c, "cpu_ms"), figure(c, "memory_bytes")))
            .collect()
    };
    let seen = format!(
        "(cpu_ms, memory_bytes) per case, the quick one first: in a box {:?}, a container per case {:?}",
        figures(&boxed),
        figures(&apart)
    );
    let burns = |json: &Value| Value::Array(json["cases"].as_array().unwrap()[1..].to_vec());
    let (cpu_box, cpu_apart) = (
        median(&burns(&boxed), "cpu_ms"),
        median(&burns(&apart), "cpu_ms"),
    );
    let (mem_box, mem_apart) = (
        median(&burns(&boxed), "memory_bytes"),
        median(&burns(&apart), "memory_bytes"),
    );
    // What a container's start costs, as the exit-at-once case measures it in each mode.
    let start_box = figure(&boxed["cases"][0], "cpu_ms");
    let start_apart = figure(&apart["cases"][0], "cpu_ms");
    assert!(
        start_box <= 5,
        "a process in a box costs next to nothing: {seen}"
    );
    let program_apart = cpu_apart.saturating_sub(start_apart);
    assert!(
        cpu_box.abs_diff(program_apart) <= (program_apart.max(cpu_box) / 10).max(5),
        "cpu_ms: {cpu_box} in a box, {cpu_apart} - {start_apart} with a container per case; {seen}"
    );
    assert!(
        mem_box.abs_diff(mem_apart) <= (mem_apart.max(mem_box) / 10).max(1 << 20),
        "memory_bytes: {mem_box} in a box, {mem_apart} with a container per case; {seen}"
    );
    assert!((280..600).contains(&cpu_box), "{seen}");
    assert!(((50 << 20)..(80 << 20)).contains(&mem_box), "{seen}");
}

const SLOW_C: &str = r#"#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void) {
    char cmd[32] = "";
    if (scanf("%31s", cmd) != 1) return 2;
    if (strcmp(cmd, "spin") == 0) {
        volatile unsigned long x = 0;
        for (;;) x++;
    }
    if (strcmp(cmd, "sleep") == 0) sleep(10);
    puts(cmd);
    return 0;
}
"#;

#[test]
fn cpu_and_wall_time_limits_are_tle_and_the_next_case_runs() {
    let test = Test::new().file("slow.c", SLOW_C).file(
        "suite.yaml",
        suite(&[
            ("spin", "spin", "spin\n"),
            ("after-spin", "hello", "hello\n"),
            ("sleep", "sleep", "sleep\n"),
            ("after-sleep", "again", "again\n"),
        ]),
    );
    let (_, json, started) = grade(
        test,
        &[
            "slow.c",
            "--suite",
            "suite.yaml",
            "-j",
            "1",
            "-t",
            "500ms",
            "--wall-time-limit",
            "1500ms",
        ],
        1,
    );
    let cases = &json["cases"];
    assert_eq!(verdicts(cases), ["TLE", "AC", "TLE", "AC"], "{json:#}");
    // By CPU time: just over the 500 ms, well before the wall-clock limit.
    let spin = &cases[0];
    assert!((500..1000).contains(&figure(spin, "cpu_ms")), "{spin:#}");
    assert!(figure(spin, "time_ms") < 1500, "{spin:#}");
    // By the wall clock: at 1.5 s, with next to no CPU time.
    let sleep = &cases[2];
    assert!(
        (1500..3000).contains(&figure(sleep, "time_ms")),
        "{sleep:#}"
    );
    assert!(figure(sleep, "cpu_ms") < 100, "{sleep:#}");
    assert_normal(&cases[1]);
    assert_normal(&cases[3]);
    assert_eq!(started, 2, "one compile and one box: {json:#}");
}

const SLEEPER_SH: &str = r#"read cmd
case "$cmd" in
  nap) sleep 3; echo rested ;;
  *) echo "$cmd" ;;
esac
"#;

#[test]
fn a_box_killed_mid_case_is_replaced_and_the_case_rerun() {
    let test = Test::new().file("nap.sh", SLEEPER_SH).file(
        "suite.yaml",
        suite(&[
            ("before", "hello", "hello\n"),
            ("killed-during", "nap", "rested\n"),
            ("after", "again", "again\n"),
            ("wrong", "wrong", "right\n"),
        ]),
    );
    let tag = test.tag().to_string();
    let since = unix_now() - 1.0;
    let test = test.args([
        "test",
        "nap.sh",
        "--suite",
        "suite.yaml",
        "-j",
        "1",
        "--json",
        "-",
    ]);
    let mut child = test
        .command()
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let first_box = wait_for_process(&tag, "sleep 3", &mut child);
    let killed = Command::new("docker")
        .args(["kill", &first_box])
        .output()
        .unwrap();
    assert!(
        killed.status.success(),
        "docker kill: {}",
        String::from_utf8_lossy(&killed.stderr)
    );
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let json: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}\n{stderr}", String::from_utf8_lossy(&out.stdout)));
    let cases = &json["cases"];
    assert_eq!(
        verdicts(cases),
        ["AC", "AC", "AC", "WA"],
        "{json:#}\n{stderr}"
    );
    // The case ran again, whole, in a container of its own, and the cases after it in a
    // fresh box.
    assert!(figure(&cases[1], "time_ms") >= 3000, "{json:#}");
    assert_eq!(cases[1]["exit_code"], 0, "{json:#}");
    assert_no_containers(&tag);
    assert_eq!(
        container_starts(&tag, since),
        3,
        "the box, the case's own container, and the box after it"
    );
}

#[test]
fn killing_codecage_mid_grading_leaves_no_box_behind() {
    let test = Test::new().file("nap.sh", SLEEPER_SH.replace("sleep 3", "sleep 300"));
    let test = test.file(
        "suite.yaml",
        suite(&[
            ("before", "hello", "hello\n"),
            ("forever", "nap", "rested\n"),
        ]),
    );
    let tag = test.tag().to_string();
    let test = test.args([
        "test",
        "nap.sh",
        "--suite",
        "suite.yaml",
        "-j",
        "1",
        "-t",
        "600s",
        "--json",
        "-",
    ]);
    let mut child = test
        .command()
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let the_box = wait_for_process(&tag, "sleep 300", &mut child);
    child.kill().unwrap();
    child.wait().unwrap();
    // No deadline of the case's will end it (600 s): only the launcher seeing its channel close.
    let killed = Instant::now();
    while !containers_with_tag(&tag).is_empty() {
        assert!(
            killed.elapsed() < Duration::from_secs(5),
            "the box {the_box} is still there {:?} after codecage was killed",
            killed.elapsed()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_no_containers(&tag);
}

/// Prints its environment, sorted, but for HOSTNAME (a container's id), and then changes its own.
const ENV_C: &str = r#"#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern char **environ;

static int by_name(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(void) {
    int n = 0;
    while (environ[n]) n++;
    qsort(environ, n, sizeof *environ, by_name);
    for (int i = 0; i < n; i++)
        if (strncmp(environ[i], "HOSTNAME=", 9)) puts(environ[i]);
    setenv("LEFT_BY_A_CASE", "1", 1);
    unsetenv("PATH");
    return 0;
}
"#;

/// A checker that shows the program's output as its feedback.
const ECHO_CHECKER: &str = "import sys\nsys.stderr.write(open(sys.argv[2]).read())\n";

#[test]
fn every_case_gets_the_same_environment_as_a_container_per_case() {
    let environments = |extra: &[&str]| -> Vec<String> {
        let test = Test::new()
            .file("env.c", ENV_C)
            .file(
                "env.sh",
                "env | grep -v '^HOSTNAME=' | sort\nexport LEFT_BY_A_CASE=1 PATH=/nowhere\n",
            )
            .file("show.py", ECHO_CHECKER)
            .file(
                "suite.yaml",
                suite(&[("1", "", "x\n"), ("2", "", "x\n"), ("3", "", "x\n")]),
            );
        let mut args = vec![
            "--each",
            "env.c",
            "env.sh",
            "--suite",
            "suite.yaml",
            "--checker",
            "show.py",
            "-j",
            "1",
        ];
        args.extend_from_slice(extra);
        let (_, json, _) = grade(test, &args, 0);
        json["submissions"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|s| s["cases"].as_array().unwrap().clone())
            .map(|c| c["feedback"].as_str().expect("feedback").to_string())
            .collect()
    };
    let boxed = environments(&[]);
    let apart = environments(&["--container-per-case"]);
    assert_eq!(boxed.len(), 6);
    for (i, env) in boxed.iter().enumerate() {
        assert!(env.contains("PATH=/"), "{env}");
        assert!(!env.contains("LEFT_BY_A_CASE"), "{env}");
        // The C program's three cases, then the shell's.
        assert_eq!(env, &boxed[i / 3 * 3], "case {} of {}", i % 3 + 1, i / 3);
    }
    assert_eq!(boxed, apart, "in a box, then with a container per case");
}

/// Leaves System V IPC objects (a shared memory segment of 32 MiB holding a secret, a message
/// queue, a semaphore set) and a POSIX message queue; `look` prints what it finds of them.
const IPC_C: &str = r#"#include <fcntl.h>
#include <mqueue.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>

int main(void) {
    char cmd[32] = "";
    if (scanf("%31s", cmd) != 1) return 2;
    if (strcmp(cmd, "leave") == 0) {
        int shm = shmget(0x1234, 32 << 20, IPC_CREAT | 0600);
        if (shm < 0) { perror("shmget"); return 1; }
        char *p = shmat(shm, 0, 0);
        memset(p, 'x', 32 << 20);
        strcpy(p, "a secret of case 1");
        int q = msgget(0x1235, IPC_CREAT | 0600);
        struct { long type; char text[32]; } msg = {1, "a message of case 1"};
        if (q < 0 || msgsnd(q, &msg, sizeof msg.text, 0) != 0) { perror("msg"); return 1; }
        if (semget(0x1236, 1, IPC_CREAT | 0600) < 0) { perror("semget"); return 1; }
        mqd_t mq = mq_open("/left", O_CREAT | O_WRONLY, 0600, NULL);
        if (mq == (mqd_t)-1 || mq_send(mq, "posix", 5, 0) != 0) { perror("mq"); return 1; }
        puts("left");
        return 0;
    }
    int shm = shmget(0x1234, 0, 0);
    if (shm >= 0) printf("shared memory: %s\n", (char *)shmat(shm, 0, SHM_RDONLY));
    if (msgget(0x1235, 0) >= 0) puts("a message queue");
    if (semget(0x1236, 0, 0) >= 0) puts("a semaphore set");
    if (mq_open("/left", O_RDONLY) != (mqd_t)-1) puts("a POSIX message queue");
    puts("looked");
    return 0;
}
"#;

/// FAILS against 62b946b: the box has one IPC namespace for all its cases (`ipc_mode: none` is
/// a private namespace per container), and the launcher removes processes and files between
/// cases but not IPC objects, which outlive their creator. Case 2 prints "shared memory: a
/// secret of case 1", "a message queue", "a semaphore set", "a POSIX message queue" (WA), and
/// is charged the 32 MiB segment (memory_bytes ~36 MB for a program that allocates nothing).
#[test]
fn ipc_objects_left_by_a_case_are_gone_in_the_next_case() {
    let test = Test::new().file("ipc.c", IPC_C).file(
        "suite.yaml",
        suite(&[
            ("leave", "leave", "left\n"),
            ("look", "look", "looked\n"),
            ("leave-again", "leave", "left\n"),
            ("look-again", "look", "looked\n"),
        ]),
    );
    let (out, json, started) = grade(test, &["ipc.c", "--suite", "suite.yaml", "-j", "1"], 0);
    let cases = &json["cases"];
    assert_eq!(
        verdicts(cases),
        ["AC", "AC", "AC", "AC"],
        "{json:#}\n{}",
        out.stderr
    );
    assert_normal(&cases[1]);
    assert_normal(&cases[3]);
    assert_eq!(started, 2, "one compile and one box: {json:#}");
}

/// `mark` changes what a process of the same uid may change of another: PID 1's resource limits
/// (prlimit), nice value, CPU affinity and scheduling policy. `look` prints its own, which it
/// inherited from the launcher.
const MARK_C: &str = r#"#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

int main(void) {
    char cmd[32] = "";
    if (scanf("%31s", cmd) != 1) return 2;
    if (strcmp(cmd, "mark") == 0) {
        struct rlimit nofile = {777, 1024}, data = {12345678, RLIM_INFINITY};
        printf("nofile %d\n", prlimit(1, RLIMIT_NOFILE, &nofile, NULL));
        printf("data %d\n", prlimit(1, RLIMIT_DATA, &data, NULL));
        printf("nice %d\n", setpriority(PRIO_PROCESS, 1, 7));
        cpu_set_t one;
        CPU_ZERO(&one);
        CPU_SET(0, &one);
        printf("affinity %d\n", sched_setaffinity(1, sizeof one, &one));
        struct sched_param param = {0};
        printf("policy %d\n", sched_setscheduler(1, SCHED_BATCH, &param));
        return 0;
    }
    for (int r = 0; r < RLIM_NLIMITS; r++) {
        struct rlimit l;
        getrlimit(r, &l);
        printf("rlimit %d: %llu %llu\n", r, (unsigned long long)l.rlim_cur, (unsigned long long)l.rlim_max);
    }
    printf("nice %d\n", getpriority(PRIO_PROCESS, 0));
    cpu_set_t set;
    sched_getaffinity(0, sizeof set, &set);
    printf("cpus %d\n", CPU_COUNT(&set));
    printf("policy %d\n", sched_getscheduler(0));
    return 0;
}
"#;

/// FAILS against 62b946b: the launcher is of the program's uid, and what the kernel lets a
/// process of the same uid change of another is not guarded by PR_SET_DUMPABLE: prlimit(2),
/// setpriority(2), sched_setaffinity(2) and sched_setscheduler(2) on PID 1 all succeed, and
/// every later case inherits the changed values from the launcher (`look` after `mark` shows
/// "rlimit 7: 777 1024", "rlimit 2: 12345678 ...", "nice 7", "cpus 1", "policy 3"): state, and a
/// channel of many bytes (soft limits can be set to any value under the hard ones), carried from
/// one case to the next.
#[test]
fn a_case_cannot_change_the_limits_or_scheduling_the_next_case_inherits() {
    let test = Test::new()
        .file("mark.c", MARK_C)
        .file("show.py", ECHO_CHECKER)
        .file(
            "suite.yaml",
            suite(&[
                ("look", "look", "x"),
                ("mark", "mark", "x"),
                ("look-again", "look", "x"),
            ]),
        );
    let (_, json, started) = grade(
        test,
        &[
            "mark.c",
            "--suite",
            "suite.yaml",
            "--checker",
            "show.py",
            "-j",
            "1",
        ],
        0,
    );
    let feedback = |i: usize| {
        json["cases"][i]["feedback"]
            .as_str()
            .unwrap_or("")
            .to_string()
    };
    assert!(feedback(0).contains("rlimit 7: 1024 1024"), "{json:#}");
    assert_eq!(
        feedback(1),
        "nofile 0\ndata 0\nnice 0\naffinity 0\npolicy 0",
        "the attempts on PID 1 (0: done)"
    );
    assert_eq!(
        feedback(2),
        feedback(0),
        "what a case inherits, before and after another case marked the launcher"
    );
    // One compile, the checker's box and the submission's (replaced once, if that is how the
    // launcher's state is made new again); a container per case would be 7.
    assert!((3..=4).contains(&started), "{started} containers: {json:#}");
}

#[test]
fn a_case_that_locks_work_itself_costs_no_box() {
    let test = Test::new()
        .file(
            "lock.sh",
            "read cmd\nif [ \"$cmd\" = lock ]; then chmod 000 /work || exit 9; fi\necho \"$cmd\"\n",
        )
        .file(
            "suite.yaml",
            suite(&[
                ("lock", "lock", "lock\n"),
                ("after-lock", "hello", "hello\n"),
                ("lock-again", "lock", "lock\n"),
                ("after-again", "again", "again\n"),
            ]),
        );
    let (_, json, started) = grade(test, &["lock.sh", "--suite", "suite.yaml", "-j", "1"], 0);
    let cases = &json["cases"];
    assert_eq!(verdicts(cases), ["AC", "AC", "AC", "AC"], "{json:#}");
    // FAILS against 62b946b (3 boxes): the launcher opens up the directories a case locked
    // inside /work and /tmp but not /work itself (the mount's root, the program's own), so
    // emptying it fails ("emptying /work: Permission denied"), the box is called broken and the
    // next case runs again in a fresh box: any case can force a new box for the next.
    assert_eq!(started, 1, "one box for every case: {json:#}");
}

/// `squeeze` lowers PID 1's address-space limit to 1 MiB (prlimit), which nothing in its own
/// case needs any more.
const SQUEEZE_C: &str = r#"#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

int main(void) {
    char cmd[32] = "";
    if (scanf("%31s", cmd) != 1) return 2;
    if (strcmp(cmd, "squeeze") == 0) {
        struct rlimit small = {1 << 20, 1 << 20};
        printf("squeezed %d\n", prlimit(1, RLIMIT_AS, &small, NULL));
        return 0;
    }
    puts(cmd);
    return 0;
}
"#;

/// FAILS against 62b946b: after `squeeze`, the launcher (with RLIMIT_AS at 1 MiB) cannot start
/// the next case's program, reports it as the program's own "cannot run" exit, status 127, and
/// the next case, which did nothing wrong, is RE ("exit status 127") instead of AC.
#[test]
fn limits_a_case_sets_on_the_launcher_do_not_fail_the_next_case() {
    let test = Test::new().file("squeeze.c", SQUEEZE_C).file(
        "suite.yaml",
        suite(&[
            ("before", "hello", "hello\n"),
            ("squeeze", "squeeze", "squeezed 0\n"),
            ("after", "again", "again\n"),
        ]),
    );
    let (_, json, _) = grade(test, &["squeeze.c", "--suite", "suite.yaml", "-j", "1"], 0);
    let cases = &json["cases"];
    assert_eq!(verdicts(cases), ["AC", "AC", "AC"], "{json:#}");
    assert_normal(&cases[2]);
}

const SHM_FILLER_C: &str = r#"#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void) {
    char cmd[16] = "";
    if (scanf("%15s", cmd) != 1) return 2;
    if (strcmp(cmd, "score") == 0) {
        int v = -1;
        FILE *f = fopen("/proc/self/oom_score_adj", "r");
        if (f && fscanf(f, "%d", &v) == 1) printf("%d\n", v);
        return 0;
    }
    if (strcmp(cmd, "shm") == 0) {
        /* Memory no process holds: each child fills a segment, detaches and exits, so every
           process stays smaller than the launcher while the box's memory fills up. */
        for (;;) {
            pid_t p = fork();
            if (p == 0) {
                int id = shmget(IPC_PRIVATE, 512 << 10, IPC_CREAT | 0600);
                if (id < 0) _exit(1);
                char *m = shmat(id, 0, 0);
                if (m == (void *)-1) _exit(1);
                memset(m, 1, 512 << 10);
                shmdt(m);
                _exit(0);
            }
            if (p > 0) waitpid(p, 0, 0);
        }
    }
    puts(cmd);
    return 0;
}
"#;

/// A program that fills the box's memory with memory no process holds (detached System V shared
/// memory) would make the OOM killer take the launcher: that is the program's MLE, not a broken
/// box and a second try. Programs start with an OOM score of 1000, so they go first.
#[test]
fn memory_no_process_holds_is_mle_not_a_second_try() {
    let test = Test::new().file("shm.c", SHM_FILLER_C).file(
        "suite.yaml",
        suite(&[
            ("score", "score", "1000\n"),
            ("shm", "shm", "never\n"),
            ("after", "hello", "hello\n"),
        ]),
    );
    let (_, json, _) = grade(
        test,
        &[
            "shm.c",
            "--suite",
            "suite.yaml",
            "-j",
            "1",
            "-m",
            "64MiB",
            "-t",
            "5s",
        ],
        1,
    );
    let cases = &json["cases"];
    assert_eq!(verdicts(cases), ["AC", "MLE", "AC"], "{json:#}");
    assert_normal(&cases[2]);
}

/// A tree deeper than the launcher may hold descriptors for, or whose paths pass PATH_MAX, is
/// emptied like any other: it costs the next case neither its box nor its verdict.
#[test]
fn a_case_that_leaves_a_very_deep_tree_costs_no_box() {
    let deep = "import os\ncmd = input()\nif cmd == 'deep':\n    for _ in range(1500):\n        os.mkdir('dddd')\n        os.chdir('dddd')\nprint(cmd)\n";
    let test = Test::new().file("deep.py", deep).file(
        "suite.yaml",
        suite(&[("deep", "deep", "deep\n"), ("after", "after", "after\n")]),
    );
    let (_, json, started) = grade(
        test,
        &["deep.py", "--suite", "suite.yaml", "-j", "1", "-t", "10s"],
        0,
    );
    assert_eq!(verdicts(&json["cases"]), ["AC", "AC"], "{json:#}");
    assert_eq!(started, 1, "one box for both cases: {json:#}");
}

/// A large input reaches the program at the pace it reads it: the launcher holds at most a
/// little of it, so neither its copying nor its memory is charged to the case as the program's.
#[test]
fn a_large_input_is_not_charged_to_the_case() {
    let big = "x".repeat(63).repeat(1 << 16) + "\n";
    let big: String = std::iter::repeat_n(big.as_str(), 10).collect();
    let test = Test::new()
        .file("drain.sh", "sleep 1\ncat >/dev/null\necho done\n")
        .file("big.in", &big)
        .file(
            "suite.yaml",
            "compare: exact\ncases:\n  - name: big\n    stdin_file: big.in\n    stdout: \"done\\n\"\n",
        );
    let (_, json, started) = grade(
        test,
        &["drain.sh", "--suite", "suite.yaml", "-j", "1", "-t", "10s"],
        0,
    );
    let case = &json["cases"][0];
    assert_eq!(case["verdict"], "AC", "{json:#}");
    assert!(
        figure(case, "cpu_ms") < 400,
        "40 MiB through the launcher: {case:#}"
    );
    assert!(
        figure(case, "memory_bytes") < 24 << 20,
        "the input held at once: {case:#}"
    );
    assert_eq!(started, 1, "{json:#}");
}
