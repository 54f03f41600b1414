//! Property-based fuzzing of everything that parses untrusted or user input without Docker:
//! profiles, suites (and their scoring groups), comparison modes (the Kattis default validator's
//! flags too), problem packages (problem.yaml and testdata.yaml, Polygon's problem.xml, of any text), sizes and durations, workspace names and the tar coming
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

    #[test]
    fn kattis_comparisons_never_panic(
        flags in proptest::collection::vec("\\PC{0,16}", 0..4),
        text in "\\PC{0,40}",
        a in any::<Vec<u8>>(),
        b in any::<Vec<u8>>(),
    ) {
        use codecage::grade::compare::Compare;
        let parsed = Compare::from_kattis_flags(&flags);
        one_line(parsed.as_ref().map(|_| ()).map_err(|e| anyhow::anyhow!("{e:#}")))?;
        if let Ok(mode) = parsed {
            let _ = mode.matches(&a, &b);
            let _ = mode.explain(&a, &b);
        }
        let kattis = format!("kattis:{text}");
        if let Ok(mode) = kattis.parse::<Compare>() {
            prop_assert_eq!(mode.matches(&a, &a), true);
            let _ = mode.explain(&a, &b);
        }
    }

    #[test]
    fn suite_groups_of_any_unicode_never_panic(
        group in any::<String>(),
        other in any::<String>(),
        points in any::<f64>(),
        aggregation in "\\PC{0,8}",
    ) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("suite.yaml");
        let suite = serde_json::json!({
            "groups": [{"name": group, "points": points, "aggregation": aggregation,
                        "depends_on": [other]}],
            "cases": [{"name": "a", "stdout": "", "group": group}],
        });
        std::fs::write(&path, suite.to_string()).unwrap();
        one_line(codecage::grade::case::load_suite(&path))?;
    }

    #[test]
    fn problem_packages_of_any_text_never_panic(
        problem_yaml in "\\PC{0,300}",
        testdata_yaml in "\\PC{0,200}",
        name in "[a-z0-9]{1,6}",
    ) {
        let dir = tempfile::tempdir().unwrap();
        let secret = dir.path().join("data/secret");
        std::fs::create_dir_all(&secret).unwrap();
        std::fs::write(dir.path().join("problem.yaml"), &problem_yaml).unwrap();
        std::fs::write(secret.join("testdata.yaml"), &testdata_yaml).unwrap();
        std::fs::write(secret.join(format!("{name}.in")), "1\n").unwrap();
        std::fs::write(secret.join(format!("{name}.ans")), "1\n").unwrap();
        let loaded = codecage::grade::package::load(dir.path());
        if let Err(e) = &loaded {
            let text = e.to_string();
            prop_assert!(!text.contains('\n'), "multi-line error: {text:?}");
        }
        let _ = codecage::grade::package::submissions(dir.path());
    }

    #[test]
    fn problem_yaml_shaped_text_never_panics(
        kind in "(pass-fail|scoring|interactive|multi-pass|\\PC{0,8})",
        version in "(2023-07-draft|2023-07|legacy|\\PC{0,8})",
        time in "\\PC{0,6}",
        score in "\\PC{0,6}",
    ) {
        let dir = tempfile::tempdir().unwrap();
        let group = dir.path().join("data/secret/g1");
        std::fs::create_dir_all(&group).unwrap();
        let yaml = format!(
            "problem_format_version: {version}\ntype: {kind}\nlimits:\n  time_limit: {time}\n  memory: {time}\n"
        );
        std::fs::write(dir.path().join("problem.yaml"), yaml).unwrap();
        std::fs::write(
            group.join("testdata.yaml"),
            format!("scoring:\n  score: {score}\n  aggregation: {kind}\n"),
        )
        .unwrap();
        std::fs::write(group.join("1.in"), "1\n").unwrap();
        std::fs::write(group.join("1.ans"), "1\n").unwrap();
        if let Err(e) = codecage::grade::package::load(dir.path()) {
            let text = e.to_string();
            prop_assert!(!text.contains('\n'), "multi-line error: {text:?}");
        }
    }

    #[test]
    fn polygon_problem_xml_of_any_text_never_panics(text in "\\PC{0,300}") {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("problem.xml"), &text).unwrap();
        for result in [
            codecage::grade::package::load(dir.path()).map(|_| ()),
            codecage::grade::package::submissions(dir.path()).map(|_| ()),
        ] {
            if let Err(e) = result {
                let text = e.to_string();
                prop_assert!(!text.contains('\n'), "multi-line error: {text:?}");
            }
        }
    }

    #[test]
    fn polygon_problem_xml_shaped_text_never_panics(
        pattern in "(tests/%02d|%d|%s|%0999d|\\PC{0,8})",
        number in "(1000|-1|1e3|\\PC{0,6})",
        method in "(manual|generated|\\PC{0,6})",
        policy in "(complete-group|each-test|\\PC{0,6})",
        group in "(a|b|a/b|\\PC{0,4})",
        tag in "(main|rejected|do-not-run|\\PC{0,6})",
    ) {
        let dir = tempfile::tempdir().unwrap();
        let xml = format!(
            "<problem><judging><testset name=\"tests\"><time-limit>{number}</time-limit>\
             <input-path-pattern>{pattern}</input-path-pattern>\
             <answer-path-pattern>{pattern}.a</answer-path-pattern><tests>\
             <test method=\"{method}\" group=\"{group}\" points=\"{number}\"/>\
             <test method=\"manual\" group=\"b\"/></tests><groups>\
             <group name=\"{group}\" points-policy=\"{policy}\"><dependencies>\
             <dependency group=\"b\"/></dependencies></group>\
             <group name=\"b\" points-policy=\"{policy}\"><dependencies>\
             <dependency group=\"{group}\"/></dependencies></group></groups></testset></judging>\
             <assets><checker name=\"std::wcmp.cpp\"/><solutions><solution tag=\"{tag}\">\
             <source path=\"{pattern}\"/></solution></solutions></assets></problem>"
        );
        std::fs::write(dir.path().join("problem.xml"), xml).unwrap();
        std::fs::create_dir_all(dir.path().join("tests")).unwrap();
        for name in ["tests/01", "tests/01.a", "tests/02", "tests/02.a"] {
            std::fs::write(dir.path().join(name), "1\n").unwrap();
        }
        for result in [
            codecage::grade::package::load(dir.path()).map(|_| ()),
            codecage::grade::package::submissions(dir.path()).map(|_| ()),
        ] {
            if let Err(e) = result {
                let text = e.to_string();
                prop_assert!(!text.contains('\n'), "multi-line error: {text:?}");
            }
        }
    }
}
