//! The compile cache on the real engine: hits, misses on each kind of change, compile errors,
//! eviction, two processes at once, an unusable directory, damaged entries, and TypeScript's
//! fast path.

use std::path::Path;

use crate::harness::{Output, Test};

const HELLO_C: &str = "#include <stdio.h>\nint main(void) { puts(\"hello from C\"); return 0; }\n";

/// A test whose compile cache is `dir`.
fn cached(dir: &Path) -> Test {
    Test::new().env("CODECAGE_COMPILE_CACHE", dir.to_str().unwrap())
}

fn said(out: &Output, what: &str) -> bool {
    out.stderr
        .lines()
        .any(|l| l.starts_with(&format!("codecage: compile cache {what}")))
}

fn entries(dir: &Path) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(dir)
        .map(|d| {
            d.flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "entry"))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn a_second_run_hits_and_each_change_misses() {
    let cache = tempfile::tempdir().unwrap();
    let run = |source: &str, extra: &[&str]| {
        cached(cache.path())
            .file("hello.c", source)
            .args(["run", "-v"])
            .args(extra)
            .args(["hello.c"])
            .status(0)
    };
    let first = run(HELLO_C, &[]);
    assert!(said(&first, "miss"), "{}", first.stderr);
    let second = run(HELLO_C, &[]);
    assert!(said(&second, "hit"), "{}", second.stderr);
    assert_eq!(second.stdout_str(), "hello from C\n");
    // The compile sandbox ran the first time only.
    assert!(
        first.stderr.contains("codecage: compiled in "),
        "{}",
        first.stderr
    );
    assert!(
        !second.stderr.contains("codecage: compiled in "),
        "{}",
        second.stderr
    );
    // A changed file misses.
    let changed = run(&HELLO_C.replace("hello from C", "changed"), &[]);
    assert!(said(&changed, "miss"), "{}", changed.stderr);
    assert_eq!(changed.stdout_str(), "changed\n");
    // --no-cache compiles and says nothing of the cache.
    let bypass = run(HELLO_C, &["--no-cache"]);
    assert!(
        !said(&bypass, "hit") && !said(&bypass, "miss"),
        "{}",
        bypass.stderr
    );
    assert_eq!(entries(cache.path()).len(), 2);
}

#[test]
fn changed_flags_miss_and_compile_errors_are_cached_as_such() {
    let cache = tempfile::tempdir().unwrap();
    let c_profile =
        std::fs::read_to_string(crate::harness::repo_root().join("profiles/c.yaml")).unwrap();
    let flags = c_profile.replace("-O2", "-O0");
    assert_ne!(flags, c_profile, "the C profile compiles with -O2");
    let out = cached(cache.path())
        .file("hello.c", HELLO_C)
        .args(["run", "-v", "hello.c"])
        .status(0);
    assert!(said(&out, "miss"));
    let out = cached(cache.path())
        .file("hello.c", HELLO_C)
        .file("profiles/c.yaml", &flags)
        .args(["--profiles", "profiles", "run", "-v", "hello.c"])
        .status(0);
    assert!(said(&out, "miss"), "other flags: {}", out.stderr);

    let bad = "int main(void) { return undeclared; }\n";
    for expected in ["miss", "hit"] {
        let out = cached(cache.path())
            .file("bad.c", bad)
            .args(["run", "-v", "bad.c"])
            .status(65);
        assert!(said(&out, expected), "{}", out.stderr);
        assert!(out.stderr.contains("undeclared"), "{}", out.stderr);
        assert!(
            out.stderr.ends_with("codecage: compilation failed\n"),
            "{}",
            out.stderr
        );
    }
}

#[test]
fn least_recently_used_entries_are_evicted_at_the_configured_size() {
    let cache = tempfile::tempdir().unwrap();
    let run = |name: &str, text: &str| {
        cached(cache.path())
            .file(
                ".config/codecage/config.yaml",
                "compile:\n  cache_size: 30KiB\n",
            )
            .file(name, HELLO_C.replace("hello from C", text))
            .args(["run", "-v", name])
            .status(0)
    };
    run("a.c", "a");
    let size = std::fs::metadata(&entries(cache.path())[0]).unwrap().len();
    assert!(
        size > 15 << 10 && size < 30 << 10,
        "an entry of {size} bytes"
    );
    run("b.c", "b");
    assert_eq!(entries(cache.path()).len(), 1, "a was evicted for b");
    assert!(said(&run("b.c", "b"), "hit"));
    assert!(said(&run("a.c", "a"), "miss"));
}

#[test]
fn two_processes_filling_the_same_entry_at_once() {
    let cache = tempfile::tempdir().unwrap();
    let runs: Vec<_> = (0..2)
        .map(|_| {
            let dir = cache.path().to_path_buf();
            std::thread::spawn(move || {
                cached(&dir)
                    .file("hello.c", HELLO_C)
                    .args(["run", "hello.c"])
                    .status(0)
                    .stdout_str()
            })
        })
        .collect();
    for r in runs {
        assert_eq!(r.join().unwrap(), "hello from C\n");
    }
    assert_eq!(entries(cache.path()).len(), 1);
    let leftovers = std::fs::read_dir(cache.path()).unwrap().count();
    assert_eq!(leftovers, 1, "no temporary file left");
    let out = cached(cache.path())
        .file("hello.c", HELLO_C)
        .args(["run", "-v", "hello.c"])
        .status(0);
    assert!(said(&out, "hit"), "{}", out.stderr);
}

#[test]
fn an_unusable_cache_directory_is_one_warning_and_runs_go_on() {
    let out = Test::new()
        .env("CODECAGE_COMPILE_CACHE", "/proc/codecage-compile-cache")
        .file("hello.c", HELLO_C)
        .args(["run", "hello.c"])
        .status(0);
    assert_eq!(out.stdout_str(), "hello from C\n");
    assert_eq!(
        out.stderr.lines().collect::<Vec<_>>(),
        ["codecage: warning: compile cache: cannot create /proc/codecage-compile-cache: No such file or directory (os error 2); running without it"]
    );
}

#[test]
fn a_damaged_entry_is_detected_ignored_and_rebuilt() {
    let cache = tempfile::tempdir().unwrap();
    let run = || {
        cached(cache.path())
            .file("hello.c", HELLO_C)
            .args(["run", "-v", "hello.c"])
            .status(0)
    };
    run();
    let entry = entries(cache.path()).remove(0);
    // A flipped byte in the middle of the compiled program, then a truncated entry.
    let mut bytes = std::fs::read(&entry).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x40;
    std::fs::write(&entry, &bytes).unwrap();
    let out = run();
    assert!(said(&out, "miss"), "{}", out.stderr);
    assert_eq!(out.stdout_str(), "hello from C\n");
    let bytes = std::fs::read(&entry).unwrap();
    std::fs::write(&entry, &bytes[..bytes.len() / 3]).unwrap();
    assert!(said(&run(), "miss"));
    assert!(said(&run(), "hit"), "rebuilt");
}

#[test]
fn the_cache_command_shows_and_clears() {
    let cache = tempfile::tempdir().unwrap();
    cached(cache.path())
        .file("hello.c", HELLO_C)
        .args(["run", "hello.c"])
        .status(0);
    let out = cached(cache.path()).args(["cache"]).status(0);
    let text = out.stdout_str();
    assert!(
        text.starts_with(&format!("{}\n1 entries, ", cache.path().display())),
        "{text}"
    );
    let out = cached(cache.path()).args(["cache", "clear"]).status(0);
    assert!(
        out.stdout_str().starts_with("removed 1 entries"),
        "{}",
        out.stdout_str()
    );
    assert!(entries(cache.path()).is_empty());
}

#[test]
fn typescript_strips_types_fast_and_type_checks_on_request() {
    let typed_wrong = "let x: number = 'not a number';\nconsole.log(x);\n";
    let out = Test::new()
        .file("loose.ts", typed_wrong)
        .args(["run", "loose.ts"])
        .status(0);
    assert_eq!(out.stdout_str(), "not a number\n");
    let out = Test::new()
        .file("loose.ts", typed_wrong)
        .args(["run", "--typecheck", "loose.ts"])
        .status(65);
    assert!(out.stderr.contains("TS2322"), "{}", out.stderr);
    // ES module syntax and CommonJS both run.
    let esm = "import * as fs from 'fs';\nimport { add } from './util';\nconst n: number = Number(fs.readFileSync(0, 'utf8'));\nconsole.log(add(n, 1));\n";
    let out = Test::new()
        .file("main.ts", esm)
        .file(
            "util.ts",
            "export function add(a: number, b: number): number { return a + b; }\n",
        )
        .args(["run", "main.ts", "util.ts"])
        .stdin("41")
        .status(0);
    assert_eq!(out.stdout_str(), "42\n", "{}", out.stderr);
    let out = Test::new()
        .file("bad.ts", "let x = ;\n")
        .args(["run", "bad.ts"])
        .status(65);
    assert!(out.stderr.contains("Unexpected \";\""), "{}", out.stderr);
    let out = Test::new().args(["-v", "languages"]).status(0);
    let listing = out.stdout_str();
    let ts = listing
        .split("\ntypescript ")
        .nth(1)
        .unwrap_or_else(|| panic!("{listing}"));
    assert!(
        ts.contains("\n    compile:   sh -c exec esbuild"),
        "{listing}"
    );
    assert!(ts.contains("\n    --typecheck: sh -c cp "), "{listing}");
    let out = Test::new()
        .file("a.py", "print(1)\n")
        .args(["run", "--typecheck", "a.py"])
        .status(125);
    assert!(
        out.stderr
            .contains("--typecheck: python has no separate type-checking compile"),
        "{}",
        out.stderr
    );
}
