//! The layering rule of ARCHITECTURE.md, checked: the files of `src/` read into an import graph
//! (`scan.rs`), that graph must have no cycle (the ones still there are listed below as known, to
//! be removed) and no file may import from a layer above its own (`LAYERS`). Pure: no engine, no
//! binary.
//!
//! `CODECAGE_LAYERS_SRC=/path/to/src cargo test --test integration layers::numbers -- --ignored
//! --nocapture` prints the measures of any tree (files, floors, back edges, cycles).

mod graph;
mod scan;

use std::path::PathBuf;

use graph::Graph;

/// The core's layers, lowest first; a file may import from its own layer and those below it. A
/// file takes the layer of the longest entry that names it or a directory above it
/// (`dependencies/schema` is the manifest schema a profile embeds, below the rest of
/// `dependencies`). Every file must be named here.
const LAYERS: &[(&str, &[&str])] = &[
    (
        "plain values",
        &[
            "units",
            "yaml",
            "pipe",
            "dirs",
            "sandbox_user",
            "verdict",
            "exit_code",
            "limits",
            "workspace",
            "progress",
            "escape",
            "spans",
        ],
    ),
    ("the engine", &["docker", "engine_unreachable"]),
    ("the sandbox", &["sandbox"]),
    ("images and starting sandboxes", &["image", "launch"]),
    (
        "what a run is",
        &[
            "config",
            "dependencies/schema",
            "profile",
            "compile_cache",
            "compile_choice",
        ],
    ),
    ("dependency images", &["dependencies"]),
    ("the plan", &["plan", "plan_error"]),
    ("prepare and compile", &["compile", "prepare"]),
    ("grading", &["grade", "lib"]),
    ("what the front ends say to each other", &["wire"]),
    (
        "the binary's own",
        &["cli", "console", "http_client", "output", "terminal"],
    ),
    ("front ends", &["app", "main", "fuzz", "commands", "server"]),
];

/// The front ends, left out of `numbers`' measures of the core (both checks cover them).
const OUTSIDE_CORE: &[&str] = &["server/", "commands/"];

/// Cycles that are known and to be removed (issue #30; the last, Judge0's, is gone). A new cycle
/// fails the check, and so does one of these once it is gone, so the list only shrinks.
const KNOWN_CYCLES: &[&[&str]] = &[];

fn src() -> PathBuf {
    std::env::var_os("CODECAGE_LAYERS_SRC")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src"))
}

fn is_core(file: &str) -> bool {
    !OUTSIDE_CORE.iter().any(|outside| file.starts_with(outside))
}

/// The layer of a file: the index in `layers` of its longest matching entry.
fn layer_of(file: &str, layers: &[(&str, &[&str])]) -> Option<usize> {
    let stem = file.trim_end_matches(".rs");
    layers
        .iter()
        .enumerate()
        .flat_map(|(n, (_, entries))| entries.iter().map(move |e| (n, *e)))
        .filter(|(_, e)| stem == *e || stem.starts_with(&format!("{e}/")))
        .max_by_key(|(_, e)| e.len())
        .map(|(n, _)| n)
}

/// Every way `graph` breaks the rule of `layers`: a file with no layer, or an import from a
/// layer above the importer's, one line each.
fn layer_violations(graph: &Graph, layers: &[(&str, &[&str])]) -> Vec<String> {
    let mut out = Vec::new();
    for (file, targets) in graph {
        let Some(own) = layer_of(file, layers) else {
            out.push(format!(
                "{file} has no layer: add it to LAYERS in tests/layers/mod.rs"
            ));
            continue;
        };
        for target in targets {
            match layer_of(target, layers) {
                Some(up) if up > own => out.push(format!(
                    "{file} ({}) imports {target} ({}), a layer above it",
                    layers[own].0, layers[up].0
                )),
                _ => {}
            }
        }
    }
    out
}

/// Every cycle of `graph` that is not in `known`, and every one of `known` that is gone.
fn cycle_violations(graph: &Graph, known: &[&[&str]]) -> Vec<String> {
    let found = graph::cycles(graph);
    let mut out: Vec<String> = found
        .iter()
        .filter(|c| !known.iter().any(|k| k.iter().eq(c.iter())))
        .map(|c| format!("import cycle among {} files: {}", c.len(), c.join(", ")))
        .collect();
    for k in known {
        if !found.iter().any(|c| k.iter().eq(c.iter())) {
            out.push(format!(
                "known cycle gone or changed, remove it from KNOWN_CYCLES: {}",
                k.join(", ")
            ));
        }
    }
    out
}

#[test]
fn no_import_cycle() {
    let violations = cycle_violations(&scan::graph(&src()), KNOWN_CYCLES);
    assert!(violations.is_empty(), "{}", violations.join("\n"));
}

#[test]
fn no_file_imports_from_a_layer_above_it() {
    let violations = layer_violations(&scan::graph(&src()), LAYERS);
    assert!(violations.is_empty(), "{}", violations.join("\n"));
}

/// The measures of the whole tree and of the core (run with `--ignored --nocapture`).
#[test]
#[ignore = "prints numbers, checks nothing"]
fn numbers() {
    let all = scan::graph(&src());
    let core = graph::subgraph(&all, is_core);
    for (name, g) in [("everything", &all), ("core", &core)] {
        let floors = graph::floors(g)
            .into_values()
            .max()
            .map_or(0, |top| top + 1);
        let cycles = graph::cycles(g);
        println!(
            "{name}: {} files, {} imports, {floors} floors, {} back edges, {} cycles",
            g.len(),
            g.values().map(|t| t.len()).sum::<usize>(),
            graph::back_edges(g).len(),
            cycles.len()
        );
        for cycle in cycles {
            println!("  cycle of {}: {}", cycle.len(), cycle.join(" "));
        }
    }
    let upward = layer_violations(&all, LAYERS);
    println!("imports against LAYERS: {}", upward.len());
    for line in upward {
        println!("  {line}");
    }
}

mod check_can_fail {
    //! The check on tiny made-up graphs and source trees: it must see what it is for.

    use super::*;

    fn graph(edges: &[(&str, &str)]) -> Graph {
        let mut g = Graph::new();
        for (from, to) in edges {
            g.entry(from.to_string())
                .or_default()
                .insert(to.to_string());
            g.entry(to.to_string()).or_default();
        }
        g
    }

    #[test]
    fn a_cycle_is_found_and_listed() {
        let g = graph(&[
            ("a.rs", "b.rs"),
            ("b.rs", "c.rs"),
            ("c.rs", "a.rs"),
            ("c.rs", "d.rs"),
        ]);
        assert_eq!(
            cycle_violations(&g, &[]),
            ["import cycle among 3 files: a.rs, b.rs, c.rs"]
        );
        assert_eq!(
            graph::back_edges(&g),
            [("c.rs".to_string(), "a.rs".to_string())]
        );
        let g = graph(&[("a.rs", "b.rs"), ("b.rs", "c.rs")]);
        assert!(cycle_violations(&g, &[]).is_empty());
        assert_eq!(graph::floors(&g)["a.rs"], 2);
    }

    #[test]
    fn a_known_cycle_passes_until_it_is_gone() {
        let g = graph(&[("a.rs", "b.rs"), ("b.rs", "a.rs")]);
        assert!(cycle_violations(&g, &[&["a.rs", "b.rs"]]).is_empty());
        let fixed = graph(&[("a.rs", "b.rs")]);
        assert_eq!(cycle_violations(&fixed, &[&["a.rs", "b.rs"]]).len(), 1);
    }

    #[test]
    fn an_import_from_above_is_found() {
        let layers: &[(&str, &[&str])] = &[
            ("low", &["low", "mixed/leaf"]),
            ("high", &["high", "mixed"]),
        ];
        let down = graph(&[("high.rs", "low.rs"), ("mixed/mod.rs", "mixed/leaf.rs")]);
        assert!(layer_violations(&down, layers).is_empty());
        let up = graph(&[("low.rs", "high.rs"), ("mixed/leaf.rs", "mixed/mod.rs")]);
        assert_eq!(
            layer_violations(&up, layers),
            [
                "low.rs (low) imports high.rs (high), a layer above it",
                "mixed/leaf.rs (low) imports mixed/mod.rs (high), a layer above it",
            ]
        );
        let stray = graph(&[("elsewhere.rs", "low.rs")]);
        assert_eq!(layer_violations(&stray, layers).len(), 1);
    }

    #[test]
    fn the_scan_sees_every_kind_of_path() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, text: &str| {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        write("lib.rs", "pub mod a;\npub mod b;\npub mod d;\n");
        write("main.rs", "mod front;\nfn main() { front::go() }\n");
        write("front.rs", "pub fn go() { codecage::d::Thing::new(); }\n");
        // A use tree with `self` and a rename, a path in an expression, a comment and a string.
        write(
            "a.rs",
            concat!(
                "use crate::{b::{self, X as Y}};\n// crate::d::no\n",
                "fn f() { let s = \"crate::d::no\"; super::d::e::g() }\n",
            ),
        );
        write(
            "b.rs",
            // A visibility names a module without importing it.
            "pub struct X;\npub(in crate::d) fn v() {}\n#[cfg(test)]\nmod tests { use super::*; }\n",
        );
        // `pub use` makes `d::Thing` an import of the file that defines it.
        write("d/mod.rs", "mod e;\npub use e::Thing;\n");
        write(
            "d/e.rs",
            "pub struct Thing;\npub fn g() { crate::a::h() }\n",
        );
        let g = scan::graph(dir.path());
        let targets = |f: &str| g[f].iter().cloned().collect::<Vec<_>>();
        assert_eq!(targets("a.rs"), ["b.rs", "d/e.rs"]);
        assert!(targets("b.rs").is_empty());
        assert_eq!(targets("front.rs"), ["d/e.rs"]);
        assert_eq!(targets("main.rs"), ["front.rs"]);
        assert_eq!(targets("d/mod.rs"), ["d/e.rs"]);
        assert_eq!(
            cycle_violations(&g, &[]),
            ["import cycle among 2 files: a.rs, d/e.rs"]
        );
    }
}
