//! Polygon's groups and points, mapped onto the 2023-07-draft scoring model the judge already
//! computes (see `scoring.rs`), as DMOJ's batches are:
//!
//! - every Polygon group is a group `secret/NAME`; a `complete-group` group is `pass-fail` (its
//!   points only when every test passes), an `each-test` group is `sum` with each test worth its
//!   own `points` (tests of an `each-test` group that give none share the group's `points`);
//! - a test without a group is a case of `secret` itself, worth its `points`;
//! - `<dependency group="B"/>` of group A is `require_pass` on B: A scores nothing unless every
//!   test of B passed (and, as Polygon skips the groups whose dependencies failed, B's own
//!   dependencies too);
//! - the total is `secret`'s: every group's points and every ungrouped test's. A problem whose
//!   points add up to 0 (or that gives none) is pass-fail.
//!
//! The names keep Polygon's (`secret/s1`) unless a group depends on one that sorts after it: the
//! model wants requirements earlier by name, so then every group is numbered in dependency order
//! (`secret/1-sample`, `secret/2-full`).

use std::collections::{BTreeSet, HashMap};

use super::super::package_error::PackageError;
use super::super::problem::{Aggregation, GroupSpec, Kind, Points};
use super::problem_xml::{Group, Test, PROBLEM_XML};

/// What the testset's groups make.
#[derive(Debug)]
pub struct Layout {
    pub kind: Kind,
    /// `secret`, then one per Polygon group that has tests, dependencies first.
    pub groups: Vec<GroupSpec>,
    /// Per test, in order: the codecage group it is a case of, and its own points.
    pub of_test: Vec<(String, Option<f64>)>,
}

/// One Polygon group as used: the group as declared (`None`: named by tests only) and its tests.
struct Used<'a> {
    name: &'a str,
    declared: Option<&'a Group>,
    tests: Vec<usize>,
}

pub fn layout(
    tests: &[Test],
    declared: &[Group],
    numbers: &[String],
) -> Result<Layout, PackageError> {
    let used = used_groups(tests, declared)?;
    let order = dependency_order(&used)?;
    let names = spec_names(&used, &order, tests, numbers);
    let mut of_test: Vec<(String, Option<f64>)> = tests
        .iter()
        .map(|t| ("secret".to_string(), Some(t.points.unwrap_or(0.0))))
        .collect();
    let mut groups = Vec::new();
    let mut total: f64 = tests
        .iter()
        .filter(|t| t.group.is_none())
        .filter_map(|t| t.points)
        .sum();
    for &u in &order {
        let group = &used[u];
        let complete = group.declared.is_some_and(|g| g.complete);
        let test_points: Vec<Option<f64>> = group.tests.iter().map(|&t| tests[t].points).collect();
        let own = group.declared.and_then(|g| g.points);
        let max = match (complete, test_points.iter().any(Option::is_some)) {
            (true, _) | (false, false) => own.unwrap_or_else(|| test_points.iter().flatten().sum()),
            (false, true) => test_points.iter().flatten().sum(),
        };
        total += max;
        for (&t, points) in group.tests.iter().zip(&test_points) {
            // A complete group's tests have no points of their own: the group has them.
            of_test[t] = (names[u].clone(), if complete { None } else { *points });
        }
        let depends_on = dependencies(group)
            .filter_map(|d| used.iter().position(|g| g.name == d))
            .map(|d| names[d].clone())
            .collect();
        groups.push(GroupSpec {
            name: names[u].clone(),
            points: Points::Bounded(max),
            aggregation: if complete {
                Aggregation::PassFail
            } else {
                Aggregation::Sum
            },
            depends_on,
            legacy: None,
        });
    }
    let kind = if total > 0.0 {
        Kind::Scoring
    } else {
        Kind::PassFail
    };
    let secret = GroupSpec {
        name: "secret".to_string(),
        points: Points::Bounded(total),
        aggregation: Aggregation::Sum,
        depends_on: Vec::new(),
        legacy: None,
    };
    groups.insert(0, secret);
    Ok(Layout {
        kind,
        groups,
        of_test,
    })
}

/// The groups tests name, in the order `<groups>` declares them (then the undeclared ones, in
/// the order tests name them). A group no test is in is left out: it can score nothing.
fn used_groups<'a>(
    tests: &'a [Test],
    declared: &'a [Group],
) -> Result<Vec<Used<'a>>, PackageError> {
    let mut used: Vec<Used> = Vec::new();
    for (i, test) in tests.iter().enumerate() {
        let Some(name) = test.group.as_deref() else {
            continue;
        };
        match used.iter_mut().find(|u| u.name == name) {
            Some(u) => u.tests.push(i),
            None => used.push(Used {
                name,
                declared: declared.iter().find(|g| g.name == name),
                tests: vec![i],
            }),
        }
    }
    let has_points = tests.iter().any(|t| t.points.is_some_and(|p| p > 0.0))
        || declared.iter().any(|g| g.points.is_some_and(|p| p > 0.0));
    if let Some(u) = used.iter().find(|u| u.declared.is_none() && has_points) {
        return Err(PackageError::invalid(
            PROBLEM_XML,
            format!(
                "test {} is in group {:?}, which <groups> does not declare (its points-policy decides its points)",
                u.tests[0] + 1,
                u.name
            ),
        ));
    }
    if let Some(u) = used.iter().find(|u| u.name.contains('/')) {
        return Err(PackageError::unsupported(
            PROBLEM_XML,
            format!("group name {:?} (a name with a /)", u.name),
        ));
    }
    let position = |u: &Used| {
        declared
            .iter()
            .position(|g| g.name == u.name)
            .unwrap_or(usize::MAX)
    };
    used.sort_by_key(position);
    for u in &used {
        for dep in dependencies(u) {
            let Some(group) = u.declared else { continue };
            if dep == u.name || !declared.iter().any(|g| g.name == dep) {
                return Err(PackageError::invalid(
                    &group.at,
                    format!(
                        "group {:?} depends on {dep:?}, which is not another declared group",
                        u.name
                    ),
                ));
            }
        }
    }
    Ok(used)
}

fn dependencies<'a>(used: &'a Used) -> impl Iterator<Item = &'a str> + 'a {
    used.declared
        .into_iter()
        .flat_map(|g| g.dependencies.iter().map(String::as_str))
}

/// Indices into `used`, every group after the groups it depends on (a stable topological order:
/// otherwise the declared order).
fn dependency_order(used: &[Used]) -> Result<Vec<usize>, PackageError> {
    let index: HashMap<&str, usize> = used.iter().enumerate().map(|(i, u)| (u.name, i)).collect();
    let mut order = Vec::new();
    let mut placed = vec![false; used.len()];
    while order.len() < used.len() {
        let ready = (0..used.len()).find(|&i| {
            !placed[i]
                && dependencies(&used[i])
                    .filter_map(|d| index.get(d))
                    .all(|&d| placed[d])
        });
        let Some(next) = ready else {
            let stuck = (0..used.len())
                .find(|&i| !placed[i])
                .map_or("", |i| used[i].name);
            return Err(PackageError::invalid(
                PROBLEM_XML,
                format!("the dependencies of group {stuck:?} go round in a circle"),
            ));
        };
        placed[next] = true;
        order.push(next);
    }
    Ok(order)
}

/// Each used group's codecage name: `secret/NAME`, or numbered in `order` when a name sorting
/// after its dependent (or equal to an ungrouped test's number) would break the model's rule.
fn spec_names(used: &[Used], order: &[usize], tests: &[Test], numbers: &[String]) -> Vec<String> {
    let plain: Vec<String> = used.iter().map(|u| format!("secret/{}", u.name)).collect();
    let ungrouped: BTreeSet<&str> = tests
        .iter()
        .zip(numbers)
        .filter(|(t, _)| t.group.is_none())
        .map(|(_, n)| n.as_str())
        .collect();
    let clash = used.iter().any(|u| ungrouped.contains(u.name));
    let backwards = used.iter().enumerate().any(|(i, u)| {
        dependencies(u)
            .filter_map(|d| used.iter().position(|g| g.name == d))
            .any(|d| plain[d] >= plain[i])
    });
    if !clash && !backwards {
        return plain;
    }
    let width = order.len().to_string().len();
    let mut names = plain;
    for (rank, &u) in order.iter().enumerate() {
        names[u] = format!("secret/{:0width$}-{}", rank + 1, used[u].name);
    }
    names
}
