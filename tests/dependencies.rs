//! Third-party dependencies from real registries (PyPI and npm): a derived image is built once per
//! manifest, reused, rebuilt when the manifest changes, and the program still has no network.

use std::collections::BTreeSet;
use std::process::Command;

use crate::harness::Test;

/// The tags of the dependency images of one repository (`codecage/deps-python`).
fn dependency_images(repository: &str) -> BTreeSet<String> {
    let out = Command::new("docker")
        .args(["images", "--format", "{{.Repository}}:{{.Tag}}", repository])
        .output()
        .expect("docker images");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect()
}

/// The derived image a verbose run used, from its "dependencies from ... -> image TAG" line.
fn derived_tag(stderr: &str) -> String {
    stderr
        .lines()
        .find_map(|l| l.split_once("-> image ").map(|(_, t)| t.trim().to_string()))
        .unwrap_or_else(|| panic!("no dependency image in: {stderr}"))
}

/// A failed build (its `-v` output names the image) left no image with that tag. Other tests
/// build and remove images of the same repository meanwhile, so only this tag is checked.
fn assert_not_built(stderr: &str) {
    let tag = derived_tag(stderr);
    let inspect = Command::new("docker")
        .args(["image", "inspect", &tag])
        .output()
        .expect("docker image inspect");
    assert!(
        !inspect.status.success(),
        "{tag} exists after a failed build"
    );
}

/// Build-stage images the builder left for the dependency image `tag` (there should be none: the
/// stage holds the installer and any CA, and is removed once the build is over).
fn stage_leftovers(tag: &str) -> Vec<String> {
    let hash = tag.rsplit(':').next().unwrap_or_default();
    let out = Command::new("docker")
        .args([
            "images",
            "-a",
            "--filter",
            "label=codecage.deps.stage",
            "--format",
            "{{.ID}} {{.Label \"codecage.deps.stage\"}}",
        ])
        .output()
        .expect("docker images");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| l.split(' ').nth(1).is_some_and(|v| v.starts_with(hash)))
        .map(str::to_string)
        .collect()
}

/// Removes the images a test built, whatever happens.
struct RemoveImages(Vec<String>);

impl Drop for RemoveImages {
    fn drop(&mut self) {
        for tag in &self.0 {
            let _ = Command::new("docker").args(["rmi", "-f", tag]).output();
        }
    }
}

fn unique() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos()
}

const PYTHON: &str = "import socket, six
print('six', six.__version__)
try:
    socket.create_connection(('1.1.1.1', 80), timeout=2)
    print('network OPEN')
except OSError:
    print('network none')
";

#[test]
fn python_requirements_are_installed_cached_rebuilt_and_offline_at_run_time() {
    let nonce = unique();
    let requirements = format!("six==1.16.0\n# test {nonce}\n");
    let mut built = RemoveImages(Vec::new());

    // First run: builds the derived image.
    let first = Test::new()
        .file("app/main.py", PYTHON)
        .file("app/requirements.txt", &requirements)
        .args(["-v", "run", "app/main.py"])
        .status(0);
    assert_eq!(first.stdout_str(), "six 1.16.0\nnetwork none\n");
    let tag = derived_tag(&first.stderr);
    built.0.push(tag.clone());
    assert!(tag.starts_with("codecage/deps-python:"), "{tag}");
    assert!(
        first.stderr.contains(&format!("building image {tag}")),
        "{}",
        first.stderr
    );
    assert_eq!(stage_leftovers(&tag), Vec::<String>::new());
    assert!(
        first.stderr.contains(
            "codecage: installing dependencies from app/requirements.txt into a new image"
        ),
        "{}",
        first.stderr
    );

    // Same manifest: the cached image, no build.
    let second = Test::new()
        .file("main.py", PYTHON)
        .file("requirements.txt", &requirements)
        .args(["-v", "run", "main.py"])
        .status(0);
    assert_eq!(second.stdout_str(), "six 1.16.0\nnetwork none\n");
    assert_eq!(derived_tag(&second.stderr), tag);
    assert!(
        !second.stderr.contains("building image") && !second.stderr.contains("installing"),
        "{}",
        second.stderr
    );

    // Grading asked to install (--deps) picks up the same manifest and the same image.
    let graded = Test::new()
        .file("main.py", "import six\nprint(six.__version__, input())\n")
        .file("requirements.txt", &requirements)
        .file("cases/one.in", "x\n")
        .file("cases/one.out", "1.16.0 x\n")
        .args(["test", "--deps", "main.py", "--cases", "cases"])
        .status(0);
    assert!(
        graded.stdout_str().contains("AC"),
        "{}",
        graded.stdout_str()
    );

    // A changed manifest (another version, named with --deps from elsewhere) builds a new image.
    let changed = Test::new()
        .file("main.py", PYTHON)
        .file(
            "deps/requirements.txt",
            format!("six==1.15.0\n# test {nonce}\n"),
        )
        .args(["-v", "run", "--deps", "deps/requirements.txt", "main.py"])
        .status(0);
    assert_eq!(changed.stdout_str(), "six 1.15.0\nnetwork none\n");
    let changed_tag = derived_tag(&changed.stderr);
    built.0.push(changed_tag.clone());
    assert_ne!(changed_tag, tag);
    assert!(changed.stderr.contains("building image"));

    // --no-deps ignores the manifest: the import fails in the plain language image.
    let plain = Test::new()
        .file("main.py", PYTHON)
        .file("requirements.txt", &requirements)
        .args(["run", "--no-deps", "main.py"])
        .status(1);
    assert!(
        plain
            .stderr
            .contains("ModuleNotFoundError: No module named 'six'"),
        "{}",
        plain.stderr
    );

    // Listed with language, size and age; pruned only when asked.
    let list = Test::new().args(["images", "list"]).status(0).stdout_str();
    let row = list
        .lines()
        .find(|l| l.starts_with(&tag))
        .unwrap_or_else(|| panic!("{tag} not listed:\n{list}"));
    assert!(row.contains("python") && row.contains("MiB"), "{row}");
    assert!(list.contains("DEPENDENCY IMAGE"), "{list}");
    Test::new()
        .args(["images", "prune", "--unused-for", "1h"])
        .status(0);
    assert!(dependency_images("codecage/deps-python").contains(&tag));
}

#[test]
fn packages_that_do_not_exist_fail_with_the_installers_message_and_no_image() {
    let out = Test::new()
        .file("main.py", "print('never')\n")
        .file(
            "requirements.txt",
            format!("codecage-no-such-package-{}\n", unique()),
        )
        .args(["-v", "run", "main.py"])
        .status(66);
    assert!(out.stdout.is_empty());
    assert_eq!(
        stage_leftovers(&derived_tag(&out.stderr)),
        Vec::<String>::new()
    );
    let last = out.stderr.lines().last().unwrap_or_default();
    assert!(
        last.starts_with("codecage: installing dependencies from requirements.txt failed: ERROR: Could not find a version that satisfies the requirement codecage-no-such-package-"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains('\x1b'), "{}", out.stderr);
    assert!(
        out.stderr
            .contains("ERROR: No matching distribution found for codecage-no-such-package-"),
        "{}",
        out.stderr
    );
    assert_not_built(&out.stderr);

    // npm and RubyGems: their own messages, the same status. (rubygems.org is not reachable
    // from the development machine; either way the gem cannot be installed.)
    let out = Test::new()
        .file("main.js", "console.log(1);\n")
        .file(
            "package.json",
            format!(
                "{{\"dependencies\": {{\"codecage-no-such-package-{}\": \"1.0.0\"}}}}\n",
                unique()
            ),
        )
        .args(["-v", "run", "main.js"])
        .status(66);
    let last = out.stderr.lines().last().unwrap_or_default();
    assert!(
        last.starts_with("codecage: installing dependencies from package.json failed: npm ERR! 404 Not Found - GET https://registry.npmjs.org/codecage-no-such-package-"),
        "{}",
        out.stderr
    );
    assert_not_built(&out.stderr);
    let out = Test::new()
        .file("main.rb", "puts 1\n")
        .file(
            "Gemfile",
            "source 'https://rubygems.org'\ngem 'codecage-no-such-gem'\n",
        )
        .args(["-v", "run", "main.rb"])
        .status(66);
    let last = out.stderr.lines().last().unwrap_or_default();
    assert!(
        last.starts_with("codecage: installing dependencies from Gemfile failed: ERROR:"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains(":in `"), "{}", out.stderr);
    assert_not_built(&out.stderr);
}

#[test]
fn node_package_json_is_installed_and_required() {
    let nonce = unique();
    let package = format!(
        "{{\"name\": \"t{nonce}\", \"version\": \"1.0.0\", \"dependencies\": {{\"is-number\": \"7.0.0\"}}}}\n"
    );
    let mut built = RemoveImages(Vec::new());
    let js = "const isNumber = require('is-number');\n\
              const net = require('net');\n\
              console.log(isNumber(5), isNumber('x'));\n\
              const s = net.connect(80, '1.1.1.1');\n\
              s.on('connect', () => { console.log('network OPEN'); process.exit(0); });\n\
              s.on('error', () => console.log('network none'));\n";
    let first = Test::new()
        .file("main.js", js)
        .file("package.json", &package)
        .args(["-v", "run", "main.js"])
        .status(0);
    assert_eq!(first.stdout_str(), "true false\nnetwork none\n");
    let tag = derived_tag(&first.stderr);
    built.0.push(tag.clone());
    assert!(tag.starts_with("codecage/deps-node:"), "{tag}");

    // ES modules find the packages too (they live in /node_modules, above /work).
    let again = Test::new()
        .file(
            "main.mjs",
            "import isNumber from 'is-number';\nconsole.log(isNumber('7'));\n",
        )
        .file("package.json", &package)
        .args(["-v", "run", "main.mjs"])
        .status(0);
    assert_eq!(again.stdout_str(), "true\n");
    assert_eq!(derived_tag(&again.stderr), tag);
    assert!(!again.stderr.contains("building image"), "{}", again.stderr);
}

/// Builds behind a TLS-intercepting proxy (this project's own machine is behind one: PyPI's
/// certificate is issued by the proxy's CA) trust the CA given with `--ca-cert`; it stays in the
/// build stage and never reaches the image programs run in.
#[test]
fn a_custom_ca_is_used_for_the_build_only() {
    // The host's trust store: it holds the proxy's CA where there is one.
    let host_bundle = std::env::var("SSL_CERT_FILE")
        .ok()
        .filter(|f| !f.is_empty())
        .unwrap_or_else(|| "/etc/ssl/certs/ca-certificates.crt".to_string());
    let mut built = RemoveImages(Vec::new());
    let probe = "import os, six
leaks = [k for k in os.environ if 'CERT' in k or 'CA_' in k]
print(six.__version__, os.path.exists('/usr/local/share/codecage-build'), leaks)
";
    let out = Test::new()
        .file("main.py", probe)
        .file(
            "requirements.txt",
            format!("six==1.16.0\n# ca test {}\n", unique()),
        )
        // Only the flag: the environment's SSL_CERT_FILE must not be what made it work.
        .env("SSL_CERT_FILE", "")
        .args(["-v", "run", "--ca-cert", &host_bundle, "main.py"])
        .status(0);
    built.0.push(derived_tag(&out.stderr));
    assert_eq!(out.stdout_str(), "1.16.0 False []\n");
    // The run image's configuration carries no CA setting either.
    let env = Command::new("docker")
        .args(["image", "inspect", "--format", "{{json .Config.Env}}"])
        .arg(&built.0[0])
        .output()
        .unwrap();
    let env = String::from_utf8_lossy(&env.stdout);
    assert!(
        env.contains("PYTHONPATH=/opt/deps") && !env.contains("CERT"),
        "{env}"
    );

    let bad = Test::new()
        .file("main.py", "print(1)\n")
        .file("requirements.txt", "six\n")
        .file("not-a-cert.pem", "hello\n")
        .args(["run", "--ca-cert", "not-a-cert.pem", "main.py"])
        .status(125);
    assert!(
        bad.stderr
            .contains("not-a-cert.pem is not a PEM certificate"),
        "{}",
        bad.stderr
    );
}

#[test]
fn dependency_mistakes_are_one_line_errors() {
    let out = Test::new()
        .file("main.py", "print(1)\n")
        .file("deps.txt", "six\n")
        .args(["run", "--deps", "deps.txt", "main.py"])
        .status(125);
    assert_eq!(
        out.stderr,
        "codecage: --deps deps.txt: python knows these manifests: requirements.txt\n"
    );
    let out = Test::new()
        .file("main.py", "print(1)\n")
        .args(["run", "--deps-set", "nope", "main.py"])
        .status(125);
    assert_eq!(
        out.stderr,
        "codecage: unknown dependency set python:nope; the python profile declares: data\n"
    );
    let out = Test::new()
        .file("main.c", "int main(void) { return 0; }\n")
        .file("requirements.txt", "six\n")
        .args(["run", "--deps", "requirements.txt", "main.c"])
        .status(125);
    assert!(
        out.stderr
            .contains("the c profile declares no way to install dependencies"),
        "{}",
        out.stderr
    );
    // A server never installs a client's manifest.
    let out = Test::new()
        .file("main.py", "print(1)\n")
        .file("requirements.txt", "six\n")
        .args([
            "run",
            "--server",
            "http://127.0.0.1:9",
            "--deps",
            "requirements.txt",
            "main.py",
        ])
        .status(125);
    assert!(
        out.stderr
            .contains("a server never installs a client's manifest"),
        "{}",
        out.stderr
    );
}

#[test]
fn rust_crates_from_cargo_toml_are_built_and_linked() {
    // itoa 0.4 directly, and itoa 1 through serde_json: two versions of one crate side by side,
    // so each direct dependency must be linked by its exact file.
    let nonce = unique();
    let manifest = format!(
        "[package]\nname = \"demo\"\nversion = \"0.1.0\"\nedition = \"2021\"\n# test {nonce}\n\n[dependencies]\nitoa = \"0.4\"\nserde_json = \"1\"\n"
    );
    let mut built = RemoveImages(Vec::new());
    let out = Test::new()
        .file(
            "project/src/main.rs",
            "fn main() {\n    let mut v = Vec::new();\n    itoa::write(&mut v, 12345).unwrap();\n    println!(\"{} {}\", String::from_utf8(v).unwrap(), serde_json::json!({\"a\": [1, 2]}));\n}\n",
        )
        .file("project/Cargo.toml", &manifest)
        .args(["-v", "run", "project"])
        .status(0);
    let tag = derived_tag(&out.stderr);
    built.0.push(tag.clone());
    assert!(tag.starts_with("codecage/deps-rust:"), "{tag}");
    assert_eq!(out.stdout_str(), "12345 {\"a\":[1,2]}\n");
    // Without the manifest the crate is simply not there: a compile error, not a download.
    let out = Test::new()
        .file(
            "main.rs",
            "fn main() {\n    let mut b = itoa::Buffer::new();\n    println!(\"{}\", b.format(1));\n}\n",
        )
        .args(["run", "main.rs"])
        .status(65);
    assert!(
        out.stderr.contains("undeclared crate or module `itoa`"),
        "{}",
        out.stderr
    );
}

/// Grading runs untrusted submissions: a manifest beside one is not installed unless `--deps` asks
/// (installing runs its installer with the network on; a Gemfile is Ruby code). The manifest
/// names a package that does not exist, so any attempt to install it would fail the grading.
#[test]
fn grading_never_installs_a_submissions_manifest_unless_asked() {
    let missing = format!("codecage-no-such-package-{}\n", unique());
    let out = Test::new()
        .file("sol.py", "print(input())\n")
        .file("requirements.txt", &missing)
        .file("cases/one.in", "x\n")
        .file("cases/one.out", "x\n")
        .args(["-v", "test", "sol.py", "--cases", "cases"])
        .status(0);
    assert!(out.stdout_str().contains("AC"), "{}", out.stdout_str());
    assert!(!out.stderr.contains("dependencies"), "{}", out.stderr);

    // verify: a folder submission with its own manifest, and a Gemfile beside a Ruby one.
    let out = Test::new()
        .file(
            "pkg/problem.yaml",
            "problem_format_version: 2023-07-draft\nname: Echo\nuuid: 0c0dec46-0000-0000-0000-000000000004\n",
        )
        .file("pkg/data/secret/1.in", "7\n")
        .file("pkg/data/secret/1.ans", "7\n")
        .file("pkg/submissions/accepted/py/sol.py", "print(input())\n")
        .file("pkg/submissions/accepted/py/requirements.txt", &missing)
        .file("pkg/submissions/accepted/rb/sol.rb", "puts gets\n")
        .file(
            "pkg/submissions/accepted/rb/Gemfile",
            "raise 'the Gemfile ran'\n",
        )
        .args(["-v", "verify", "pkg"])
        .status(0);
    assert!(!out.stderr.contains("dependencies"), "{}", out.stderr);

    // Asked, it is installed (and here fails, with the installer's message).
    let out = Test::new()
        .file("sol.py", "print(input())\n")
        .file("requirements.txt", &missing)
        .file("cases/one.in", "x\n")
        .file("cases/one.out", "x\n")
        .args(["test", "--deps", "sol.py", "--cases", "cases"])
        .run();
    assert!(
        out.stderr
            .contains("installing dependencies from requirements.txt failed"),
        "{}",
        out.stderr
    );
}

/// pip reads options from a requirements file; lines that would undo the wheels-only install from
/// the default index (another index, source builds, VCS or URL requirements) are refused with a
/// one-line error before anything is built.
#[test]
fn requirements_lines_that_undo_wheels_only_are_refused() {
    for (line, reason) in [
        (
            "--index-url http://127.0.0.1:9/simple",
            "pip options are not accepted",
        ),
        ("--no-binary :all:", "pip options are not accepted"),
        (
            "six @ http://127.0.0.1:9/six-1.16.0.tar.gz",
            "URL, path, VCS and direct (name @ URL) requirements are not accepted",
        ),
    ] {
        let out = Test::new()
            .file("main.py", "print(1)\n")
            .file("requirements.txt", format!("six\n{line}\n"))
            .args(["run", "main.py"])
            .status(125);
        assert_eq!(
            out.stderr,
            format!("codecage: dependency manifest requirements.txt: line 2 `{line}` is refused: {reason}; only requirements by name (with extras, versions, markers, --hash) are installed, as wheels from the default index\n")
        );
    }
}
