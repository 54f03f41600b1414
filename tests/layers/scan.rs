//! Reading `src/**/*.rs` into a file-level import graph: which file names an item of which other
//! file, through `use` lines and paths (`crate::`, `super::`, `self::`, `codecage::`, a child
//! module's name). A small lexer, not a Rust parser: it strips comments, strings and character
//! literals, then follows every path that starts with one of those words. `mod x;` declarations are
//! not imports (a parent declares its children; a child that names its parent's items is one).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// A file of `src/`, named by its path relative to `src/` (`sandbox/fifo.rs`).
pub type File = String;

/// Which crate of the package a file is compiled into.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Crate {
    Lib,
    Bin,
}

/// One module that lives in a file of its own.
struct Module {
    krate: Crate,
    path: Vec<String>,
}

/// Where the modules with a file of their own live, and what each file re-exports (`pub use`).
struct Index {
    by_path: BTreeMap<(Crate, Vec<String>), File>,
    /// For each file, the names it re-exports and the absolute path each one stands for.
    exports: BTreeMap<File, BTreeMap<String, (Crate, Vec<String>)>>,
}

/// Every file of `root` (a `src/` directory) and the files each one imports from. A name a
/// module re-exports (`pub use child::Thing`) counts as an import of the file that defines it.
pub fn graph(root: &Path) -> BTreeMap<File, BTreeSet<File>> {
    let mut sources = BTreeMap::new();
    collect(root, root, &mut sources);
    let tokens: BTreeMap<File, Vec<Token>> = sources
        .iter()
        .map(|(file, text)| (file.clone(), tokens(text)))
        .collect();
    let bin_modules = tokens
        .get("main.rs")
        .map(|t| declared_modules(t))
        .unwrap_or_default();
    let modules: BTreeMap<File, Module> = tokens
        .keys()
        .map(|file| (file.clone(), module_of(file, &bin_modules)))
        .collect();
    let mut index = Index {
        by_path: modules
            .iter()
            .map(|(f, m)| ((m.krate, m.path.clone()), f.clone()))
            .collect(),
        exports: BTreeMap::new(),
    };
    index.exports = tokens
        .iter()
        .map(|(file, t)| (file.clone(), exports(t, &modules[file], &index)))
        .collect();
    tokens
        .iter()
        .map(|(file, t)| {
            let targets = paths(t, &modules[file], &index)
                .into_iter()
                .filter_map(|(krate, segments)| resolve(krate, &segments, &index, 0))
                .filter(|target| target != file)
                .collect();
            (file.clone(), targets)
        })
        .collect()
}

/// The names a file re-exports with `pub use` (any visibility), and what each one names.
fn exports(
    tokens: &[Token],
    from: &Module,
    index: &Index,
) -> BTreeMap<String, (Crate, Vec<String>)> {
    let mut out = BTreeMap::new();
    for i in 0..tokens.len() {
        let is_use = tokens[i] == Token::Ident("use".into());
        let after_pub = matches!(tokens[..i].last(), Some(Token::Ident(p)) if p == "pub")
            || matches!(tokens[..i].last(), Some(Token::Punct(')')));
        if !(is_use && after_pub) {
            continue;
        }
        for use_path in use_tree(tokens, i + 1).0 {
            let name = use_path
                .alias
                .clone()
                .or_else(|| use_path.segments.last().cloned());
            let target = absolute(from, &from.path, true, use_path.segments, index);
            if let (Some(name), Some(target)) = (name, target) {
                out.insert(name, target);
            }
        }
    }
    out
}

fn collect(root: &Path, dir: &Path, out: &mut BTreeMap<File, String>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .map(|entry| entry.expect("a directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            collect(root, &path, out);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            let name = path.strip_prefix(root).expect("under root");
            let name = name.to_string_lossy().replace('\\', "/");
            out.insert(
                name,
                std::fs::read_to_string(&path).expect("a UTF-8 source file"),
            );
        }
    }
}

/// `sandbox/fifo.rs` is `sandbox::fifo`, `sandbox/mod.rs` is `sandbox`, `lib.rs` and `main.rs`
/// are the roots of their crates; a top-level module declared in `main.rs` belongs to the binary.
fn module_of(file: &str, bin_modules: &BTreeSet<String>) -> Module {
    let stem = file.trim_end_matches(".rs");
    let mut path: Vec<String> = stem.split('/').map(str::to_string).collect();
    if matches!(path.last().map(String::as_str), Some("mod")) || stem == "lib" || stem == "main" {
        path.pop();
    }
    let krate = match path.first() {
        _ if stem == "main" => Crate::Bin,
        Some(top) if bin_modules.contains(top) => Crate::Bin,
        _ => Crate::Lib,
    };
    Module { krate, path }
}

/// The file a path names: the deepest module along it that has a file of its own or, when that
/// module re-exports the next name, the file the name comes from.
fn resolve(krate: Crate, segments: &[String], index: &Index, hops: usize) -> Option<File> {
    let (depth, file) = (0..=segments.len()).rev().find_map(|n| {
        index
            .by_path
            .get(&(krate, segments[..n].to_vec()))
            .map(|f| (n, f))
    })?;
    let reexport = segments
        .get(depth)
        .and_then(|name| index.exports.get(file)?.get(name))
        .filter(|_| hops < 8);
    match reexport {
        Some((krate, target)) => {
            let rest = &segments[depth + 1..];
            resolve(
                *krate,
                &[target.clone(), rest.to_vec()].concat(),
                index,
                hops + 1,
            )
        }
        None => Some(file.clone()),
    }
}

#[derive(Clone, PartialEq, Debug)]
enum Token {
    Ident(String),
    PathSep,
    Punct(char),
}

/// The tokens of a source file that matter for paths, without comments, strings or characters.
fn tokens(text: &str) -> Vec<Token> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            i = skip_while(&chars, i, |c| c != '\n');
        } else if c == '/' && next == Some('*') {
            i = skip_block_comment(&chars, i);
        } else if c == '"' {
            i = skip_string(&chars, i + 1);
        } else if (c == 'r' || (c == 'b' && next == Some('r'))) && is_raw_string(&chars, i) {
            i = skip_raw_string(&chars, i);
        } else if c == '\'' {
            i = skip_char_or_lifetime(&chars, i);
        } else if c.is_alphabetic() || c == '_' {
            let end = skip_while(&chars, i, |c| c.is_alphanumeric() || c == '_');
            out.push(Token::Ident(chars[i..end].iter().collect()));
            i = end;
        } else if c == ':' && next == Some(':') {
            out.push(Token::PathSep);
            i += 2;
        } else {
            if !c.is_whitespace() {
                out.push(Token::Punct(c));
            }
            i += 1;
        }
    }
    out
}

fn skip_while(chars: &[char], mut i: usize, keep: impl Fn(char) -> bool) -> usize {
    while i < chars.len() && keep(chars[i]) {
        i += 1;
    }
    i
}

fn skip_block_comment(chars: &[char], mut i: usize) -> usize {
    let mut depth = 0;
    while i < chars.len() {
        if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
            depth += 1;
            i += 2;
        } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
            depth -= 1;
            i += 2;
            if depth == 0 {
                return i;
            }
        } else {
            i += 1;
        }
    }
    i
}

/// From just after the opening quote to just after the closing one.
fn skip_string(chars: &[char], mut i: usize) -> usize {
    while i < chars.len() && chars[i] != '"' {
        i += if chars[i] == '\\' { 2 } else { 1 };
    }
    i + 1
}

fn is_raw_string(chars: &[char], i: usize) -> bool {
    let start = if chars[i] == 'b' { i + 2 } else { i + 1 };
    let after_hashes = skip_while(chars, start, |c| c == '#');
    chars.get(after_hashes) == Some(&'"') && (i == 0 || !is_ident_char(chars[i - 1]))
}

fn skip_raw_string(chars: &[char], i: usize) -> usize {
    let start = if chars[i] == 'b' { i + 2 } else { i + 1 };
    let quote = skip_while(chars, start, |c| c == '#');
    let hashes = quote - start;
    let mut j = quote + 1;
    while j < chars.len() {
        if chars[j] == '"' && (1..=hashes).all(|k| chars.get(j + k) == Some(&'#')) {
            return j + 1 + hashes;
        }
        j += 1;
    }
    j
}

/// `'a'`, `'\n'` and `'\u{1F600}'` are characters; `'a` alone is a lifetime.
fn skip_char_or_lifetime(chars: &[char], i: usize) -> usize {
    if chars.get(i + 1) == Some(&'\\') {
        return skip_while(chars, i + 2, |c| c != '\'') + 1;
    }
    if chars.get(i + 2) == Some(&'\'') {
        return i + 3;
    }
    i + 1
}

fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The names of the `mod x;` declarations of a crate root.
fn declared_modules(tokens: &[Token]) -> BTreeSet<String> {
    tokens
        .windows(3)
        .filter_map(|w| match w {
            [Token::Ident(m), Token::Ident(name), Token::Punct(';')] if m == "mod" => {
                Some(name.clone())
            }
            _ => None,
        })
        .collect()
}

/// Every path of a file that starts at a module, as (crate, absolute segments).
fn paths(tokens: &[Token], from: &Module, index: &Index) -> Vec<(Crate, Vec<String>)> {
    let mut out = Vec::new();
    // Inline modules (`mod tests { .. }`) the scan is inside, with the brace depth each opened at.
    let mut inline: Vec<(String, usize)> = Vec::new();
    let mut depth = 0;
    let mut i = 0;
    while i < tokens.len() {
        match &tokens[i] {
            Token::Punct('{') => depth += 1,
            Token::Punct('}') => {
                depth -= 1;
                if inline.last().is_some_and(|(_, d)| *d == depth) {
                    inline.pop();
                }
            }
            Token::Ident(m) if m == "mod" => {
                if let [Token::Ident(name), Token::Punct('{')] =
                    tokens.get(i + 1..i + 3).unwrap_or(&[])
                {
                    inline.push((name.clone(), depth));
                }
            }
            // `pub(in crate::server)` names the module a visibility reaches, not one the file uses.
            Token::Ident(_) if starts_path(tokens, i) && in_visibility(tokens, i) => {
                i = use_tree(tokens, i).1;
                continue;
            }
            Token::Ident(_) if starts_path(tokens, i) => {
                let here: Vec<String> = from
                    .path
                    .iter()
                    .cloned()
                    .chain(inline.iter().map(|(n, _)| n.clone()))
                    .collect();
                let (trees, end) = use_tree(tokens, i);
                for use_path in trees {
                    let segments = use_path.segments;
                    if let Some(absolute) =
                        absolute(from, &here, inline.is_empty(), segments, index)
                    {
                        out.push(absolute);
                    }
                }
                i = end;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// An identifier followed by `::` and not itself after `::` starts a path.
fn starts_path(tokens: &[Token], i: usize) -> bool {
    tokens.get(i + 1) == Some(&Token::PathSep) && (i == 0 || tokens[i - 1] != Token::PathSep)
}

/// Whether the path at `i` is the one of `pub(in path)`.
fn in_visibility(tokens: &[Token], i: usize) -> bool {
    i >= 3
        && tokens[i - 1] == Token::Ident("in".into())
        && tokens[i - 2] == Token::Punct('(')
        && tokens[i - 3] == Token::Ident("pub".into())
}

/// One path of a `use` tree, and the name it is brought in as when it is renamed.
struct UsePath {
    segments: Vec<String>,
    alias: Option<String>,
}

/// The paths of a path or a `use` tree starting at `i` (`a::b::{c, d::{self, e}}` gives `a::b::c`,
/// `a::b::d::self` and `a::b::d::e`), and the index just after it.
fn use_tree(tokens: &[Token], mut i: usize) -> (Vec<UsePath>, usize) {
    let mut prefix = Vec::new();
    while let Some(Token::Ident(name)) = tokens.get(i) {
        // A `self` inside braces stays: resolving takes the deepest module along a path.
        prefix.push(name.clone());
        if tokens.get(i + 1) != Some(&Token::PathSep) {
            let alias = match tokens.get(i + 1..i + 3) {
                Some([Token::Ident(r#as), Token::Ident(alias)]) if r#as == "as" => {
                    Some(alias.clone())
                }
                _ => None,
            };
            let end = if alias.is_some() { i + 3 } else { i + 1 };
            return (
                vec![UsePath {
                    segments: prefix,
                    alias,
                }],
                end,
            );
        }
        i += 2;
    }
    if tokens.get(i) != Some(&Token::Punct('{')) {
        return (
            vec![UsePath {
                segments: prefix,
                alias: None,
            }],
            i,
        );
    }
    let mut out = Vec::new();
    i += 1;
    while i < tokens.len() && tokens[i] != Token::Punct('}') {
        if matches!(tokens[i], Token::Ident(_) | Token::Punct('{')) {
            let (trees, end) = use_tree(tokens, i);
            out.extend(trees.into_iter().map(|t| UsePath {
                segments: [prefix.clone(), t.segments].concat(),
                alias: t.alias,
            }));
            i = end;
        } else {
            i += 1;
        }
    }
    (out, i + 1)
}

/// A path as seen from module `here` made absolute, or `None` when it does not start at a module of
/// this package (`std::`, `bollard::`, a local enum's variants).
fn absolute(
    from: &Module,
    here: &[String],
    at_file_level: bool,
    segments: Vec<String>,
    index: &Index,
) -> Option<(Crate, Vec<String>)> {
    let first = segments.first()?.as_str();
    let rest = |n: usize| segments[n..].to_vec();
    match first {
        "crate" => Some((from.krate, rest(1))),
        "codecage" if from.krate == Crate::Bin => Some((Crate::Lib, rest(1))),
        "self" => Some((from.krate, [here.to_vec(), rest(1)].concat())),
        "super" => {
            let ups = segments.iter().take_while(|s| *s == "super").count();
            let base = here.get(..here.len().checked_sub(ups)?)?;
            Some((from.krate, [base.to_vec(), rest(ups)].concat()))
        }
        _ if at_file_level => {
            let child = [here.to_vec(), vec![first.to_string()]].concat();
            index
                .by_path
                .contains_key(&(from.krate, child))
                .then(|| (from.krate, [here.to_vec(), segments.clone()].concat()))
        }
        _ => None,
    }
}
