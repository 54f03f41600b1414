//! Property-based fuzzing of everything that parses untrusted or user input without Docker:
//! profiles, suites' comparison modes, sizes and durations, workspace names and the tar coming
//! back from a compile sandbox, and the server's JSON request bodies. Each must answer with a
//! value or an error, never a panic, and never accept a name that escapes the workspace.
//! Inputs are arbitrary Unicode (`any::<String>()`, `\PC*`) with explicit multi-byte cases
//! (342 '€' once panicked the server: a byte-index cut inside a character), and every error must
//! be one line, as the CLI prints it and the API returns it.
//! Bounded (a few hundred cases each) so it runs in every `cargo test`.

use proptest::prelude::*;

/// Characters of every UTF-8 width, and the ones that break naive text handling.
const AWKWARD: &[char] = &[
    'a', '/', '.', '\n', '\0', '\\', 'é', '€', '中', '𝄞', '😀', '\u{200d}', '\u{feff}', '\u{202e}',
];

/// A string of awkward characters, long enough to cross the name limits.
fn awkward_text(max: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(proptest::sample::select(AWKWARD), 0..max)
        .prop_map(|cs| cs.into_iter().collect())
}

/// The error as the CLI prints it (`{:#}`), which must fit on one line.
fn one_line<T>(result: anyhow::Result<T>) -> Result<(), TestCaseError> {
    if let Err(e) = result {
        let text = format!("{e:#}");
        prop_assert!(!text.contains('\n'), "multi-line error: {text:?}");
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn profiles_never_panic(text in "\\PC{0,400}") {
        one_line(codecage::profile::parse(&text, "fuzz.yaml"))?;
    }

    #[test]
    fn profiles_of_any_unicode_never_panic(text in any::<String>()) {
        one_line(codecage::profile::parse(&text, "fuzz.yaml"))?;
    }

    #[test]
    fn profile_shaped_yaml_never_panics(
        name in "[a-z+._-]{0,12}",
        ext in "[a-z./]{0,5}",
        run in proptest::collection::vec("\\PC{0,12}", 0..4),
        memory in "\\PC{0,8}",
        pids in any::<i64>(),
    ) {
        let yaml = format!(
            "name: {name:?}\nversion: '1'\nextensions: [{ext:?}]\nimage: python\nrun: {run:?}\nlimits: {{memory: {memory:?}, pids: {pids}}}\n"
        );
        one_line(codecage::profile::parse(&yaml, "fuzz.yaml"))?;
    }

    #[test]
    fn sizes_durations_and_comparisons_never_panic(text in "\\PC{0,24}", a in any::<Vec<u8>>(), b in any::<Vec<u8>>()) {
        one_line(codecage::units::parse_size(&text))?;
        one_line(codecage::units::parse_duration(&text))?;
        if let Ok(mode) = text.parse::<codecage::grade::compare::Compare>() {
            let _ = mode.matches(&a, &b);
        }
        for mode in ["exact", "lines", "tokens", "float", "float:0.5"] {
            let _ = mode.parse::<codecage::grade::compare::Compare>().unwrap().matches(&a, &b);
        }
    }

    #[test]
    fn workspace_names_never_escape(name in "(\\.{0,2}/?[a-z.]{0,4}/?){0,4}") {
        if codecage::workspace::validate_name(&name).is_ok() {
            prop_assert!(!name.starts_with('/'));
            prop_assert!(name.split('/').all(|p| !p.is_empty() && p != "." && p != ".."));
        }
    }

    #[test]
    fn any_unicode_name_is_refused_in_one_line_or_stays_inside(
        name in prop_oneof![any::<String>(), "\\PC{0,1100}", awkward_text(1100)],
    ) {
        let checked = codecage::workspace::validate_name(&name);
        if checked.is_ok() {
            prop_assert!(!name.starts_with('/') && !name.contains('\0'));
            prop_assert!(name.split('/').all(|p| !p.is_empty() && p != "." && p != ".."));
        }
        one_line(checked)?;
    }

    #[test]
    fn multibyte_names_of_every_length_never_panic(
        c in proptest::sample::select(&['€', 'é', '中', '𝄞', '😀'][..]),
        n in 0usize..700,
    ) {
        one_line(codecage::workspace::validate_name(&c.to_string().repeat(n)))?;
    }

    #[test]
    fn workspaces_take_any_names_and_sources(
        files in proptest::collection::vec((any::<String>(), any::<Vec<u8>>()), 0..6),
    ) {
        let mut w = codecage::workspace::Workspace::default();
        for (name, data) in files {
            one_line(w.add(&name, data, false))?;
        }
        let tar = w.to_tar();
        prop_assert!(tar.is_ok(), "{:?}", tar.err());
    }

    #[test]
    fn untrusted_tars_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..3000)) {
        if let Ok(w) = codecage::workspace::Workspace::from_untrusted_tar(&bytes, 1 << 20) {
            for name in w.names() {
                prop_assert!(codecage::workspace::validate_name(name).is_ok());
            }
        }
    }

    #[test]
    fn request_bodies_never_panic(
        bytes in proptest::collection::vec(any::<u8>(), 0..400),
        text in prop_oneof!["\\PC{0,200}", any::<String>(), awkward_text(400)],
    ) {
        let _ = serde_json::from_slice::<serde_json::Value>(&bytes);
        let _ = crate::server::decode_execute(&bytes);
        let _ = crate::server::decode_execute(text.as_bytes());
        // serde_json escapes the text, so every field gets it verbatim, whatever it holds.
        let body = serde_json::json!({
            "language": text, "code": text, "stdin": text, "args": [text],
            "files": [{"name": text, "content": text}],
            "limits": {"memory": text, "time": text},
        });
        let _ = crate::server::decode_execute(body.to_string().as_bytes());
    }

    #[test]
    fn suites_of_any_unicode_never_panic(
        name in any::<String>(),
        stdin in any::<String>(),
        compare in "\\PC{0,12}",
        time in "\\PC{0,8}",
    ) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("suite.yaml");
        let suite = serde_json::json!({
            "cases": [{"name": name, "stdin": stdin, "stdout": stdin, "compare": compare,
                       "limits": {"time": time}}],
        });
        // JSON is YAML: the text reaches the suite's fields exactly as generated.
        std::fs::write(&path, suite.to_string()).unwrap();
        one_line(codecage::grade::case::load_suite(&path))?;
    }
}
