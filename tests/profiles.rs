//! Adding a language is adding files: a user profile directory with a profile and a Dockerfile.

use crate::harness::{repo_root, Test};

#[test]
fn a_user_profile_with_its_own_image_works_without_rebuilding_codecage() {
    let dockerfile = "FROM debian:trixie-slim\nRUN useradd --uid 10001 --user-group --home-dir /work --no-create-home runner\nUSER 10001:10001\nWORKDIR /work\n";
    let out = Test::new()
        .file(
            "my/profiles/awk.yaml",
            "name: awk\nversion: mawk\nextensions: [awk]\nimage: awk-test\nrun: [awk, -f, '{main}']\n",
        )
        .file("my/images/awk-test/Dockerfile", dockerfile)
        .file("sum.awk", "{ s += $1 } END { print \"sum\", s }\n")
        .args(["--profiles", "my/profiles", "run", "sum.awk"])
        .stdin("1\n2\n3\n")
        .status(0);
    assert_eq!(out.stdout_str(), "sum 6\n");
}

#[test]
fn an_image_removed_behind_codecages_back_is_built_again() {
    // A run trusts its memo of images it saw built (no engine round trip); when the image has
    // been removed since, creating the sandbox says so and codecage builds it again.
    let label = format!(
        "codecage.test={}",
        std::process::id() as u64 * 1_000_003 + 17
    );
    let dockerfile = format!("FROM debian:trixie-slim\nLABEL {label}\nRUN useradd --uid 10001 --user-group --home-dir /work --no-create-home runner\nUSER 10001:10001\nWORKDIR /work\n");
    let remove = || {
        let ids = std::process::Command::new("docker")
            .args(["images", "-q", "--filter", &format!("label={label}")])
            .output()
            .unwrap();
        let ids = String::from_utf8_lossy(&ids.stdout).to_string();
        for id in ids.split_whitespace() {
            let _ = std::process::Command::new("docker")
                .args(["rmi", "-f", id])
                .output();
        }
        !ids.trim().is_empty()
    };
    // Its own cache directory: the memo is shared by both runs and goes away with the test.
    let cache = tempfile::tempdir().unwrap();
    let cache_path = cache.path().to_str().unwrap().to_string();
    let run = || {
        Test::new()
            .env("XDG_CACHE_HOME", &cache_path)
            .file(
                "my/profiles/awk.yaml",
                "name: awk\nversion: mawk\nextensions: [awk]\nimage: awk-memo-test\nrun: [awk, -f, '{main}']\n",
            )
            .file("my/images/awk-memo-test/Dockerfile", &dockerfile)
            .file("sum.awk", "{ s += $1 } END { print \"sum\", s }\n")
            .args(["--profiles", "my/profiles", "run", "sum.awk"])
            .stdin("1\n2\n3\n")
            .status(0)
    };
    let first = run();
    assert_eq!(first.stdout_str(), "sum 6\n");
    // Without a terminal the build says which image and which step, one line per step, on stderr.
    assert!(
        first
            .stderr
            .contains("codecage: building image codecage/awk-memo-test:")
            && first.stderr.contains("step 1/")
            && first.stderr.contains(": FROM debian:trixie-slim\n"),
        "{}",
        first.stderr
    );
    assert!(
        first
            .stderr
            .lines()
            .all(|l| l.starts_with("codecage: building image ")),
        "{}",
        first.stderr
    );
    // One directory per engine, one file per image seen built on it.
    let memos = || {
        std::fs::read_dir(cache.path().join("codecage/images-seen")).map_or(0, |engines| {
            engines
                .flatten()
                .map(|e| std::fs::read_dir(e.path()).map_or(0, |d| d.count()))
                .sum::<usize>()
        })
    };
    assert_eq!(memos(), 1, "the built image was not remembered");
    assert!(remove(), "the test image was not built");
    assert_eq!(run().stdout_str(), "sum 6\n");
    assert_eq!(memos(), 1);
    assert!(remove(), "the test image was not built again");
}

#[test]
fn every_shipped_profile_is_listed_by_languages() {
    let out = Test::new().args(["languages"]).status(0);
    let text = out.stdout_str();
    for entry in std::fs::read_dir(repo_root().join("profiles")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_str().unwrap().to_string();
        assert!(
            text.lines().any(|l| l.starts_with(&format!("{name} "))),
            "{name} missing from:\n{text}"
        );
    }
    assert!(
        text.lines()
            .any(|l| l.split_whitespace().take(2).eq(["python", "3.13"])),
        "{text}"
    );
}

#[test]
fn a_profile_chooses_the_oci_runtime() {
    let profile = |runtime: &str| {
        format!("name: pyrt\nversion: '3'\nextensions: [pyrt]\nimage: python\nrun: [python3, '{{main}}']\nruntime: {runtime}\n")
    };
    let out = Test::new()
        .file("p/pyrt.yaml", profile("runc"))
        .file("a.pyrt", "print('on runc')\n")
        .args(["--profiles", "p", "run", "a.pyrt"])
        .status(0);
    assert_eq!(out.stdout_str(), "on runc\n");
    let out = Test::new()
        .file("p/pyrt.yaml", profile("nosuchruntime"))
        .file("a.pyrt", "print(1)\n")
        .args(["--profiles", "p", "run", "a.pyrt"])
        .run();
    assert_eq!(out.status, 125);
    assert!(out.stderr.contains("codecage doctor"), "{}", out.stderr);
    assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
}
