//! DMOJ's language keys (a bridged checker's `lang`; the names of its judge's `dmoj/executors/`)
//! as codecage languages. The files' extensions already say most of them; the key matters where
//! they do not (`NASM` is 32-bit, and `.asm` files are x86-64 `assembly`'s; `PYPY3`, `CLANG`
//! share their extensions with CPython and GCC), and where codecage cannot run it at all (Python
//! 2: `PY2`, `PYPY`).

use crate::profile::Profiles;

/// What a DMOJ language key means to codecage.
#[derive(Debug, PartialEq)]
pub enum DmojLanguage {
    /// A codecage language (profile name).
    Profile(&'static str),
    /// One codecage cannot run, and why.
    Unsupported(&'static str),
    /// A key codecage has no entry for: the files' extensions decide, as without `lang`.
    Unknown,
}

/// The meaning of DMOJ's language key `key` (case as DMOJ writes it: upper).
pub fn dmoj_language(key: &str) -> DmojLanguage {
    use DmojLanguage::{Profile, Unknown, Unsupported};
    let key = key.to_ascii_uppercase();
    match key.as_str() {
        // DMOJ's PYPY is PyPy 2 (its PyPy 3 is PYPY3).
        "PY2" | "PYPY" => Unsupported(Profiles::unsupported("python2").unwrap_or_default()),
        "PY3" => Profile("python"),
        "PYPY3" => Profile("pypy3"),
        "C" | "C11" | "C23" => Profile("c"),
        "CLANG" => Profile("c-clang"),
        "CLANGX" | "CLANGX14" | "CLANGX17" => Profile("cpp-clang"),
        "CPP03" | "CPP0X" | "CPP11" | "CPP14" | "CPP17" | "CPP20" | "CPP23" => Profile("cpp"),
        "NASM" => Profile("assembly32"),
        "NASM64" => Profile("assembly"),
        "BF" => Profile("brainfuck"),
        "JAVA" | "JAVA8" | "JAVA9" | "JAVA10" | "JAVA11" | "JAVA15" | "JAVA17" => Profile("java"),
        "ADA" => Profile("ada"),
        "AWK" => Profile("awk"),
        "BASH" => Profile("bash"),
        "CBL" => Profile("cobol"),
        "D" => Profile("d"),
        "F95" => Profile("fortran"),
        "GO" => Profile("go"),
        "GROOVY" => Profile("groovy"),
        "HASK" => Profile("haskell"),
        "KOTLIN" => Profile("kotlin"),
        "LUA" => Profile("lua"),
        "MONOCS" => Profile("csharp"),
        "NODEJS" | "V8JS" => Profile("javascript"),
        "OCAML" => Profile("ocaml"),
        "OCTAVE" => Profile("octave"),
        "PAS" => Profile("pascal"),
        "PERL" => Profile("perl"),
        "PHP" => Profile("php"),
        "PRO" => Profile("prolog"),
        "R" => Profile("r"),
        "RKT" => Profile("racket"),
        "RUBY" | "RUBY2" => Profile("ruby"),
        "RUST" => Profile("rust"),
        "SBCL" => Profile("commonlisp"),
        "SCALA" => Profile("scala"),
        "TCL" => Profile("tcl"),
        _ => Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every language a key names is a built-in profile: a renamed profile breaks this table.
    #[test]
    fn every_key_names_a_built_in_language() {
        let profiles = Profiles::load(&[]).unwrap();
        for key in [
            "PY3", "PYPY3", "C", "C11", "C23", "CLANG", "CLANGX", "CLANGX14", "CLANGX17", "CPP03",
            "CPP0X", "CPP11", "CPP14", "CPP17", "CPP20", "CPP23", "NASM", "NASM64", "BF", "JAVA",
            "JAVA8", "JAVA9", "JAVA10", "JAVA11", "JAVA15", "JAVA17", "ADA", "AWK", "BASH", "CBL",
            "D", "F95", "GO", "GROOVY", "HASK", "KOTLIN", "LUA", "MONOCS", "NODEJS", "V8JS",
            "OCAML", "OCTAVE", "PAS", "PERL", "PHP", "PRO", "R", "RKT", "RUBY", "RUBY2", "RUST",
            "SBCL", "SCALA", "TCL",
        ] {
            let DmojLanguage::Profile(name) = dmoj_language(key) else {
                panic!("{key} names no language");
            };
            assert!(profiles.by_name(name).is_some(), "{key}: {name}");
        }
        assert!(
            matches!(dmoj_language("PY2"), DmojLanguage::Unsupported(why) if why.contains("Python 2"))
        );
        assert!(matches!(
            dmoj_language("PYPY"),
            DmojLanguage::Unsupported(_)
        ));
        assert_eq!(dmoj_language("nasm"), DmojLanguage::Profile("assembly32"));
        assert_eq!(dmoj_language("SED"), DmojLanguage::Unknown);
    }
}
