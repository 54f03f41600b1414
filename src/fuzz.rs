//! Property-based fuzzing of everything that parses untrusted or user input without Docker:
//! profiles, suites' comparison modes, sizes and durations, workspace names and the tar coming
//! back from a compile sandbox, and the server's JSON request bodies. Each must answer with a
//! value or an error, never a panic, and never accept a name that escapes the workspace.
//! Bounded (a few hundred cases each) so it runs in every `cargo test`.

use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn profiles_never_panic(text in "\\PC{0,400}") {
        let _ = crate::profile::parse(&text, "fuzz.yaml");
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
        let _ = crate::profile::parse(&yaml, "fuzz.yaml");
    }

    #[test]
    fn sizes_durations_and_comparisons_never_panic(text in "\\PC{0,24}", a in any::<Vec<u8>>(), b in any::<Vec<u8>>()) {
        let _ = crate::units::parse_size(&text);
        let _ = crate::units::parse_duration(&text);
        if let Ok(mode) = text.parse::<crate::grade::compare::Compare>() {
            let _ = mode.matches(&a, &b);
        }
        for mode in ["exact", "lines", "tokens", "float", "float:0.5"] {
            let _ = mode.parse::<crate::grade::compare::Compare>().unwrap().matches(&a, &b);
        }
    }

    #[test]
    fn workspace_names_never_escape(name in "(\\.{0,2}/?[a-z.]{0,4}/?){0,4}") {
        if crate::workspace::validate_name(&name).is_ok() {
            prop_assert!(!name.starts_with('/'));
            prop_assert!(name.split('/').all(|p| !p.is_empty() && p != "." && p != ".."));
        }
    }

    #[test]
    fn untrusted_tars_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..3000)) {
        if let Ok(w) = crate::workspace::Workspace::from_untrusted_tar(&bytes, 1 << 20) {
            for name in w.names() {
                prop_assert!(crate::workspace::validate_name(name).is_ok());
            }
        }
    }

    #[test]
    fn request_bodies_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400), text in "\\PC{0,200}") {
        let _ = serde_json::from_slice::<serde_json::Value>(&bytes);
        let _ = crate::server::decode_execute(&bytes);
        let _ = crate::server::decode_execute(text.as_bytes());
        let body = format!("{{\"language\": {text:?}, \"code\": {text:?}, \"files\": [{{\"name\": {text:?}, \"content\": \"\"}}], \"limits\": {{\"memory\": {text:?}}}}}");
        let _ = crate::server::decode_execute(body.as_bytes());
    }
}
