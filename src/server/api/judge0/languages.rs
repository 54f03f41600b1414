//! Judge0's language ids mapped onto codecage's profiles (`languages.yaml`, data rather than
//! code, so an added profile gets its id by a line there). The `/languages` routes, which need
//! the service that holds this table, are in `language_routes.rs`.

use std::sync::Arc;

use serde::Deserialize;

use codecage::profile::{Profile, Profiles};

/// The table as written in `languages.yaml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    id: u32,
    profile: String,
    label: String,
    #[serde(default)]
    also: Vec<Also>,
    #[serde(default)]
    compiler_options: bool,
    #[serde(default)]
    multi_file: bool,
}

/// An older Judge0 id of the same language, and the compiler version Judge0 runs under it (not
/// the one codecage runs).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Also {
    id: u32,
    replaces: String,
}

/// One Judge0 language this server runs.
#[derive(Debug, Clone)]
pub struct Language {
    pub id: u32,
    /// "Python (3.13)": Judge0's label, codecage's version; for an older id of the same
    /// language, also the version Judge0 runs there: "C (GCC 14, in place of GCC 7.4.0)".
    pub name: String,
    pub profile: Arc<Profile>,
    /// Whether `compiler_options` may be appended to the compile command.
    pub compiler_options: bool,
    /// Judge0's "Multi-file program" (89): `compile` and `run` scripts from additional_files.
    pub multi_file: bool,
}

/// The languages of `languages.yaml` whose profile is loaded, sorted by name as Judge0 lists them.
#[derive(Debug, Clone, Default)]
pub struct Languages {
    list: Vec<Language>,
}

impl Languages {
    /// Read the embedded table; a row whose profile is missing (a trimmed profile set) is left out.
    pub fn load(profiles: &Profiles) -> anyhow::Result<Languages> {
        let entries: Vec<Entry> = serde_saphyr::from_str(include_str!("languages.yaml"))?;
        let mut list: Vec<Language> = Vec::new();
        for e in entries {
            let Some(profile) = profiles.by_name(&e.profile) else {
                continue;
            };
            let version = short_version(&e.label, &profile.version);
            let name = if e.multi_file {
                e.label.clone()
            } else {
                format!("{} ({version})", e.label)
            };
            // Each older id is a language of its own in /languages, as in Judge0, named for what
            // really runs there.
            for also in e.also {
                list.push(Language {
                    id: also.id,
                    name: format!("{} ({version}, in place of {})", e.label, also.replaces),
                    profile: profile.clone(),
                    compiler_options: e.compiler_options,
                    multi_file: e.multi_file,
                });
            }
            list.push(Language {
                id: e.id,
                name,
                profile,
                compiler_options: e.compiler_options,
                multi_file: e.multi_file,
            });
        }
        list.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(Languages { list })
    }

    /// The language of a Judge0 id.
    pub fn by_id(&self, id: u32) -> Option<&Language> {
        self.list.iter().find(|l| l.id == id)
    }

    pub fn iter(&self) -> impl Iterator<Item = &Language> {
        self.list.iter()
    }

    /// The ids that accept compiler options (config_info's list).
    pub fn with_compiler_options(&self) -> Vec<String> {
        self.list
            .iter()
            .filter(|l| l.compiler_options)
            .map(|l| l.id.to_string())
            .collect()
    }
}

/// "Bash 5.2" under the label "Bash" is "5.2"; "GCC 14" under "C" stays "GCC 14".
fn short_version<'a>(label: &str, version: &'a str) -> &'a str {
    match version.split_once(' ') {
        Some((first, rest)) if first.eq_ignore_ascii_case(label) => rest,
        _ => version,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_profile_has_judge0s_id_and_a_name_with_our_version() {
        let profiles = Profiles::load(&[]).unwrap();
        let languages = Languages::load(&profiles).unwrap();
        let id = |n: &str| {
            languages
                .iter()
                .find(|l| l.profile.name == n && !l.multi_file)
                .map(|l| l.id)
        };
        for (name, expected) in [
            ("bash", 46),
            ("c", 50),
            ("cpp", 54),
            ("go", 60),
            ("java", 62),
            ("javascript", 63),
            ("lua", 64),
            ("php", 68),
            ("python", 71),
            ("ruby", 72),
            ("rust", 73),
            ("typescript", 74),
            ("perl", 85),
            ("assembly", 45),
            ("csharp", 51),
            ("commonlisp", 55),
            ("d", 56),
            ("elixir", 57),
            ("erlang", 58),
            ("fortran", 59),
            ("haskell", 61),
            ("ocaml", 65),
            ("octave", 66),
            ("pascal", 67),
            ("prolog", 69),
            ("c-clang", 75),
            ("cpp-clang", 76),
            ("cobol", 77),
            ("kotlin", 78),
            ("r", 80),
            ("scala", 81),
            ("sql", 82),
            ("clojure", 86),
            ("groovy", 88),
        ] {
            assert_eq!(id(name), Some(expected), "{name}");
        }
        assert_eq!(languages.by_id(71).unwrap().name, "Python (3.13)");
        assert_eq!(languages.by_id(46).unwrap().name, "Bash (5.2)");
        // The older ids are listed, named for what runs there, and run the same profile.
        for (id, name, profile) in [
            (48, "C (GCC 14, in place of GCC 7.4.0)", "c"),
            (49, "C (GCC 14, in place of GCC 8.3.0)", "c"),
            (52, "C++ (G++ 14, in place of GCC 7.4.0)", "cpp"),
            (53, "C++ (G++ 14, in place of GCC 8.3.0)", "cpp"),
        ] {
            let l = languages.by_id(id).unwrap();
            assert_eq!((l.name.as_str(), l.profile.name.as_str()), (name, profile));
            assert!(l.compiler_options);
        }
        assert!(languages.by_id(89).unwrap().multi_file);
        assert!(languages.by_id(1).is_none());
        assert_eq!(languages.by_id(75).unwrap().name, "C (Clang 19)");
        assert_eq!(languages.by_id(2003).unwrap().name, "Python (PyPy 7.3)");
        // Every profile has an id, and no id is given twice.
        for p in profiles.iter() {
            assert!(id(&p.name).is_some(), "{} has no Judge0 id", p.name);
        }
        let mut ids: Vec<u32> = languages.iter().map(|l| l.id).collect();
        ids.sort();
        let count = ids.len();
        ids.dedup();
        assert_eq!(ids.len(), count, "an id is given twice");
        let names: Vec<&str> = languages.iter().map(|l| l.name.as_str()).collect();
        let mut sorted = names.clone();
        sorted.sort();
        assert_eq!(names, sorted);
    }
}
