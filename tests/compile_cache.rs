//! The compile cache on the real engine: hits, misses on each kind of change (a rebuilt image
//! under the same tag too), compile errors, warnings and exit codes given back on a hit, `run`
//! and `test` sharing entries, eviction, two processes at once, an unusable directory, damaged
//! entries, `run_compile`, and TypeScript's fast path.

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

/// The C profile with its compile `sleep`ing first, so two runs started together are both
/// compiling before either has written the entry.
fn slow_c_profile() -> String {
    let c = std::fs::read_to_string(crate::harness::repo_root().join("profiles/c.yaml")).unwrap();
    let slow = c.replace(
        "compile: [gcc, ",
        "compile: [sh, -c, 'sleep 3; exec \"$@\"', slow-gcc, gcc, ",
    );
    assert_ne!(slow, c, "the C profile's compile starts with gcc");
    slow
}

#[test]
fn two_processes_filling_the_same_entry_at_once() {
    let cache = tempfile::tempdir().unwrap();
    let profile = slow_c_profile();
    let run = |dir: &Path, profile: &str| {
        cached(dir)
            .file("hello.c", HELLO_C)
            .file("profiles/c.yaml", profile)
            .args(["--profiles", "profiles", "run", "-v", "hello.c"])
            .status(0)
    };
    let runs: Vec<_> = (0..2)
        .map(|_| {
            let (dir, profile) = (cache.path().to_path_buf(), profile.clone());
            std::thread::spawn(move || run(&dir, &profile))
        })
        .collect();
    for r in runs {
        let out = r.join().unwrap();
        assert_eq!(out.stdout_str(), "hello from C\n");
        assert!(said(&out, "miss"), "both compiled: {}", out.stderr);
    }
    assert_eq!(entries(cache.path()).len(), 1);
    let leftovers = std::fs::read_dir(cache.path()).unwrap().count();
    assert_eq!(leftovers, 1, "no temporary file left");
    let out = run(cache.path(), &profile);
    assert!(said(&out, "hit"), "{}", out.stderr);
}

/// A C hello world with the cache at `dir`: it runs, and the only thing on stderr is `warning`.
fn runs_with_one_warning(dir: &str, warning: &str) {
    let out = Test::new()
        .env("CODECAGE_COMPILE_CACHE", dir)
        .file("hello.c", HELLO_C)
        .args(["run", "hello.c"])
        .status(0);
    assert_eq!(out.stdout_str(), "hello from C\n");
    assert_eq!(out.stderr.lines().collect::<Vec<_>>(), [warning]);
}

#[test]
fn an_unusable_cache_directory_is_one_warning_and_runs_go_on() {
    runs_with_one_warning(
        "/proc/codecage-compile-cache",
        "codecage: warning: compile cache: cannot create /proc/codecage-compile-cache: No such file or directory (os error 2); running without it",
    );
}

#[test]
fn an_existing_directory_that_cannot_be_written_is_one_warning() {
    use std::os::unix::fs::PermissionsExt;
    // /sys exists and refuses new files to root too (a chmod 0555 directory would not stop
    // the root these tests run as).
    let mode = || std::fs::metadata("/sys").unwrap().permissions().mode() & 0o777;
    let sys_mode = mode();
    runs_with_one_warning(
        "/sys",
        "codecage: warning: compile cache: cannot write to /sys: Permission denied (os error 13); running without it",
    );
    // An existing directory's mode is never codecage's to change.
    assert_eq!(mode(), sys_mode, "/sys's mode changed");
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

#[test]
fn run_then_test_share_the_entry_and_test_says_so() {
    let cache = tempfile::tempdir().unwrap();
    let test = |args: &[&str]| {
        cached(cache.path())
            .file("hello.c", HELLO_C)
            .file("cases/a.in", "")
            .file("cases/a.out", "hello from C\n")
            .args(args)
            .status(0)
    };
    // `run` (30 s) then `test` (10 s of compile wall time): limits a success never hit are
    // not part of the key.
    let out = test(&["run", "-v", "hello.c"]);
    assert!(said(&out, "miss"), "{}", out.stderr);
    let out = test(&["-v", "test", "hello.c", "--cases", "cases"]);
    assert!(said(&out, "hit"), "{}", out.stderr);
    let other = cached(cache.path())
        .file("other.c", HELLO_C.replace("hello", "other"))
        .file("cases/a.in", "")
        .file("cases/a.out", "other from C\n")
        .args(["-v", "test", "other.c", "--cases", "cases"])
        .status(0);
    assert!(said(&other, "miss"), "{}", other.stderr);
    assert_eq!(entries(cache.path()).len(), 2);
}

#[test]
fn a_hit_prints_the_warnings_and_exit_code_a_miss_printed() {
    let cache = tempfile::tempdir().unwrap();
    let warned = "#warning keep this warning\n".to_string() + HELLO_C;
    for expected in ["miss", "hit"] {
        let out = cached(cache.path())
            .file("hello.c", &warned)
            .args(["run", "-v", "hello.c"])
            .status(0);
        assert!(said(&out, expected), "{}", out.stderr);
        assert!(
            out.stderr.contains("keep this warning"),
            "{expected}: {}",
            out.stderr
        );
        assert_eq!(out.stdout_str(), "hello from C\n");
    }
    // A compiler that fails with its own exit code: kept, and given back on a hit.
    let c = std::fs::read_to_string(crate::harness::repo_root().join("profiles/c.yaml")).unwrap();
    let failing = c.replace(
        "compile: [gcc, ",
        "compile: [sh, -c, 'echo no good >&2; exit 3', failing, ",
    );
    for expected in ["miss", "hit"] {
        let out = cached(cache.path())
            .file("hello.c", HELLO_C)
            .file("profiles/c.yaml", &failing)
            .args([
                "--profiles",
                "profiles",
                "run",
                "-v",
                "--json",
                "r.json",
                "hello.c",
            ])
            .status(65);
        assert!(said(&out, expected), "{}", out.stderr);
        assert!(out.stderr.contains("no good\n"), "{}", out.stderr);
        let json: serde_json::Value = serde_json::from_slice(&out.read("r.json")).unwrap();
        assert_eq!(json["exit_code"], 3, "{expected}: {json}");
    }
    // A compiler killed by a signal is not a compile error to remember.
    let crashing = c.replace(
        "compile: [gcc, ",
        "compile: [sh, -c, 'kill -SEGV $$', crashing, ",
    );
    for _ in 0..2 {
        let out = cached(cache.path())
            .file("hello.c", HELLO_C)
            .file("profiles/c.yaml", &crashing)
            .args(["--profiles", "profiles", "run", "-v", "hello.c"])
            .status(65);
        assert!(said(&out, "miss"), "{}", out.stderr);
    }
}

/// The image a `run -v` said it used.
fn image_of(out: &Output) -> String {
    out.stderr
        .lines()
        .find_map(|l| l.strip_prefix("codecage: image ")?.split(' ').next())
        .unwrap_or_else(|| panic!("no image named: {}", out.stderr))
        .to_string()
}

fn docker(args: &[&str]) -> String {
    let out = std::process::Command::new("docker")
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "docker {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

#[test]
fn a_rebuilt_image_under_the_same_tag_misses() {
    let cache = tempfile::tempdir().unwrap();
    let gcc = image_of(
        &Test::new()
            .file("hello.c", HELLO_C)
            .args(["run", "-v", "hello.c"])
            .status(0),
    );
    // A language of its own whose image is the C image with a label: its tag is ours alone.
    let c = std::fs::read_to_string(crate::harness::repo_root().join("profiles/c.yaml")).unwrap();
    let profile = c
        .replace("name: c\n", "name: c-rebuilt\n")
        .replace(
            "extensions: [c]",
            "extensions: [crebuilt]\nshared_extensions: [c]",
        )
        .replace("image: gcc", "image: cache-test-gcc");
    let dockerfile = format!("FROM {gcc}\nLABEL codecage.test=compile-cache-rebuilt-image\n");
    let run = || {
        cached(cache.path())
            .file("hello.c", HELLO_C)
            .file("profiles/c-rebuilt.yaml", &profile)
            .file("profiles/images/cache-test-gcc/Dockerfile", &dockerfile)
            .args([
                "--profiles",
                "profiles",
                "run",
                "-v",
                "--lang",
                "c-rebuilt",
                "hello.c",
            ])
            .status(0)
    };
    let first = run();
    let tag = image_of(&first);
    assert!(tag.starts_with("codecage/cache-test-gcc:"), "{tag}");
    // The test's own image goes with the test, pass or fail (its layers are the C image's).
    struct RemoveImage(String);
    impl Drop for RemoveImage {
        fn drop(&mut self) {
            let _ = crate::harness::docker_cli()
                .args(["image", "rm", "--force", &self.0])
                .output();
        }
    }
    let _remove = RemoveImage(tag.clone());
    assert!(said(&run(), "hit"));
    // The same tag, another image (the C image itself: same compiler, another ID).
    let built = docker(&["image", "inspect", "--format", "{{.Id}}", &tag]);
    docker(&["tag", &gcc, &tag]);
    let out = run();
    // Put the tag back before asserting, so a failure leaves nothing changed.
    docker(&["tag", &built, &tag]);
    assert!(said(&out, "miss"), "another image ID: {}", out.stderr);
    assert_eq!(out.stdout_str(), "hello from C\n");
}

#[test]
fn run_compile_is_for_run_and_compile_for_test() {
    let cache = tempfile::tempdir().unwrap();
    let c = std::fs::read_to_string(crate::harness::repo_root().join("profiles/c.yaml")).unwrap();
    let profile = format!("{c}run_compile: [gcc, -DQUICK, -o, main, \"{{sources}}\"]\n");
    let which = "#include <stdio.h>\nint main(void) {\n#ifdef QUICK\n puts(\"quick\");\n#else\n puts(\"optimized\");\n#endif\n return 0; }\n";
    let test = || {
        cached(cache.path())
            .file("which.c", which)
            .file("profiles/c.yaml", &profile)
            .file("cases/a.in", "")
            .file("cases/a.out", "optimized\n")
    };
    let out = test()
        .args(["--profiles", "profiles", "run", "which.c"])
        .status(0);
    assert_eq!(out.stdout_str(), "quick\n");
    // Another command, another entry: `test` compiles with `compile`.
    let out = test()
        .args([
            "--profiles",
            "profiles",
            "-v",
            "test",
            "which.c",
            "--cases",
            "cases",
        ])
        .status(0);
    assert!(said(&out, "miss"), "{}", out.stderr);
    let listing = Test::new()
        .file("profiles/c.yaml", &profile)
        .args(["--profiles", "profiles", "-v", "languages"])
        .status(0)
        .stdout_str();
    assert!(
        listing.contains("\n    codecage run and sessions: gcc -DQUICK -o main {sources}\n"),
        "{listing}"
    );
}

#[test]
fn compile_cpus_above_the_engines_are_clamped_and_cache_dir_takes_a_tilde() {
    let test = Test::new();
    let home = test.path().to_path_buf();
    let config = "compile:\n  cpus: 512\n  cache_dir: ~/cc\n";
    // More cores than any engine here has: Docker would refuse the quota unclamped.
    let out = test
        .env("HOME", home.to_str().unwrap())
        .env("CODECAGE_COMPILE_CACHE", "")
        .file(".config/codecage/config.yaml", config)
        .file("hello.c", HELLO_C)
        .args(["run", "-v", "hello.c"])
        .status(0);
    assert_eq!(out.stdout_str(), "hello from C\n", "{}", out.stderr);
    assert_eq!(entries(&home.join("cc")).len(), 1, "{}", out.stderr);
    assert!(!home.join("~").exists());
    let listing = Test::new()
        .file(".config/codecage/config.yaml", config)
        .args(["-v", "languages"])
        .status(0)
        .stdout_str();
    let c = listing
        .split("\nc ")
        .nth(1)
        .unwrap_or_else(|| panic!("{listing}"));
    assert!(
        c.contains("(compile.cpus in the config file: 512, at most the engine's)"),
        "{listing}"
    );
    // A profile's own quota above the engine's too.
    let profile = std::fs::read_to_string(crate::harness::repo_root().join("profiles/c.yaml"))
        .unwrap()
        + "compile_cpus: 512\n";
    let out = Test::new()
        .file("profiles/c.yaml", &profile)
        .file("hello.c", HELLO_C)
        .args(["--profiles", "profiles", "run", "hello.c"])
        .status(0);
    assert_eq!(out.stdout_str(), "hello from C\n", "{}", out.stderr);
    let out = Test::new()
        .file(
            ".config/codecage/config.yaml",
            "compile:\n  cache_dir: cc\n",
        )
        .file("hello.c", HELLO_C)
        .args(["run", "hello.c"])
        .status(125);
    assert_eq!(
        out.stderr,
        "codecage: config file: compile.cache_dir cc must be an absolute path or start with ~/\n"
    );
}
