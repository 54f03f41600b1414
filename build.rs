//! Embeds `profiles/*.yaml` and `images/<name>/*` into the binary, so an installed codecage works
//! anywhere without the source tree. Two generated files, one per owner: `embedded_profiles.rs`
//! (included by `profile.rs`) and `embedded_images.rs` (included by `image.rs`).
use std::{env, fs, path::Path};

fn main() {
    // Read when the script runs, not baked in when it is compiled: a build script compiled for
    // one checkout and reused from a copied target directory must read this checkout's files.
    let manifest_dir = env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let root = Path::new(&manifest_dir);
    let out_dir = env::var("OUT_DIR").expect("cargo sets OUT_DIR for build scripts");
    let out_dir = Path::new(&out_dir);
    fs::write(out_dir.join("embedded_profiles.rs"), profiles(root)).unwrap();
    fs::write(out_dir.join("embedded_images.rs"), images(root)).unwrap();
    println!("cargo:rerun-if-changed=profiles");
    println!("cargo:rerun-if-changed=images");
    box_launcher(root, out_dir);
}

/// The judge box's launcher (`src/sandbox/judge_box/launcher.rs`), compiled on its own by the same
/// rustc into a static executable (`crt-static`: it must run in any image, whatever its C
/// library), written to `$OUT_DIR/box-launcher` for `include_bytes!`. When the static link fails
/// (no static C library on this machine) an empty file is written instead: codecage then grades
/// with a container per case and says why (`judge_box::launcher_missing`). Never a failed build.
fn box_launcher(root: &Path, out_dir: &Path) {
    let source = root.join("src/sandbox/judge_box/launcher.rs");
    println!("cargo:rerun-if-changed={}", source.display());
    let target = env::var("TARGET").expect("cargo sets TARGET");
    let rustc = env::var("RUSTC").unwrap_or_else(|_| "rustc".to_string());
    let output = out_dir.join("box-launcher");
    let built = std::process::Command::new(rustc)
        .args([
            "--edition",
            "2021",
            "--crate-name",
            "codecage_box",
            "--target",
            &target,
        ])
        .args([
            "-C",
            "opt-level=2",
            "-C",
            "panic=abort",
            "-C",
            "strip=symbols",
        ])
        .args(["-C", "target-feature=+crt-static", "-C", "codegen-units=1"])
        .arg("-o")
        .arg(&output)
        .arg(&source)
        .status()
        .is_ok_and(|s| s.success());
    if !built {
        println!("cargo:warning=the judge box launcher did not build statically; grading will use a container per case");
        fs::write(&output, b"").unwrap();
    }
}

fn profiles(root: &Path) -> String {
    let mut out = String::from(
        "/// Built-in profiles: (file name, YAML text).\npub static PROFILES: &[(&str, &str)] = &[\n",
    );
    for path in sorted_files(&root.join("profiles")) {
        if path.extension().is_some_and(|e| e == "yaml") {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            out.push_str(&format!(
                "    ({name:?}, include_str!({:?})),\n",
                path.display().to_string()
            ));
        }
    }
    out.push_str("];\n");
    out
}

fn images(root: &Path) -> String {
    let mut out = String::from("/// An image's files: (file name, bytes).\npub type ImageFiles = &'static [(&'static str, &'static [u8])];\n\n/// Built-in image build contexts: (image name, [(file name, bytes)]).\npub static IMAGES: &[(&str, ImageFiles)] = &[\n");
    for dir in sorted_files(&root.join("images")) {
        if !dir.is_dir() {
            continue;
        }
        let image = dir.file_name().unwrap().to_string_lossy().into_owned();
        out.push_str(&format!("    ({image:?}, &[\n"));
        for file in sorted_files(&dir) {
            if file.is_file() {
                let name = file.file_name().unwrap().to_string_lossy().into_owned();
                out.push_str(&format!(
                    "        ({name:?}, include_bytes!({:?})),\n",
                    file.display().to_string()
                ));
            }
        }
        out.push_str("    ]),\n");
    }
    out.push_str("];\n");
    out
}

fn sorted_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut paths: Vec<_> = fs::read_dir(dir)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    paths.sort();
    for p in &paths {
        println!("cargo:rerun-if-changed={}", p.display());
    }
    paths
}
