//! What an import graph looks like from above: its cycles (strongly connected components of more
//! than one file), its floors (the longest chain of imports below each file, cycles counted as
//! one file) and its back edges (the imports a depth-first walk finds running back up a chain it
//! is still on: each cycle holds at least one).

use std::collections::{BTreeMap, BTreeSet};

/// A file-level import graph: each file and the files it imports from.
pub type Graph = BTreeMap<String, BTreeSet<String>>;

/// The part of `graph` between the files `keep` accepts, every other file and import dropped.
pub fn subgraph(graph: &Graph, keep: impl Fn(&str) -> bool) -> Graph {
    graph
        .iter()
        .filter(|(file, _)| keep(file))
        .map(|(file, targets)| {
            let targets = targets.iter().filter(|t| keep(t)).cloned().collect();
            (file.clone(), targets)
        })
        .collect()
}

/// Every cycle of `graph`: its strongly connected components of more than one file, each sorted,
/// largest first (Tarjan's algorithm).
pub fn cycles(graph: &Graph) -> Vec<Vec<String>> {
    let mut tarjan = Tarjan {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        components: Vec::new(),
    };
    for file in graph.keys() {
        if !tarjan.index.contains_key(file.as_str()) {
            tarjan.visit(file);
        }
    }
    let mut cycles: Vec<Vec<String>> = tarjan
        .components
        .into_iter()
        .filter(|c| c.len() > 1)
        .map(|mut c| {
            c.sort();
            c
        })
        .collect();
    cycles.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    cycles
}

struct Tarjan<'g> {
    graph: &'g Graph,
    index: BTreeMap<&'g str, usize>,
    low: BTreeMap<&'g str, usize>,
    stack: Vec<&'g str>,
    on_stack: BTreeSet<&'g str>,
    components: Vec<Vec<String>>,
}

impl<'g> Tarjan<'g> {
    fn visit(&mut self, file: &'g str) {
        let n = self.index.len();
        self.index.insert(file, n);
        self.low.insert(file, n);
        self.stack.push(file);
        self.on_stack.insert(file);
        for target in self.graph.get(file).into_iter().flatten() {
            let target = target.as_str();
            if !self.index.contains_key(target) {
                self.visit(target);
                let low = self.low[file].min(self.low[target]);
                self.low.insert(file, low);
            } else if self.on_stack.contains(target) {
                let low = self.low[file].min(self.index[target]);
                self.low.insert(file, low);
            }
        }
        if self.low[file] == self.index[file] {
            let mut component = Vec::new();
            while let Some(top) = self.stack.pop() {
                self.on_stack.remove(top);
                component.push(top.to_string());
                if top == file {
                    break;
                }
            }
            self.components.push(component);
        }
    }
}

/// The floor of each file: 0 for a file that imports nothing, else one more than the highest
/// floor it imports from; the files of one cycle share a floor.
pub fn floors(graph: &Graph) -> BTreeMap<String, usize> {
    let cycles = cycles(graph);
    let cycle_of: BTreeMap<&str, usize> = cycles
        .iter()
        .enumerate()
        .flat_map(|(n, c)| c.iter().map(move |f| (f.as_str(), n)).collect::<Vec<_>>())
        .collect();
    let mut floors = BTreeMap::new();
    for file in graph.keys() {
        floor(graph, &cycle_of, file, &mut floors);
    }
    floors
}

fn floor(
    graph: &Graph,
    cycle_of: &BTreeMap<&str, usize>,
    file: &str,
    floors: &mut BTreeMap<String, usize>,
) -> usize {
    if let Some(known) = floors.get(file) {
        return *known;
    }
    // A cycle is walked as one file: everything its members import from outside it, then one up.
    let members: Vec<&str> = match cycle_of.get(file) {
        Some(n) => cycle_of
            .iter()
            .filter(|(_, c)| *c == n)
            .map(|(f, _)| *f)
            .collect(),
        None => vec![file],
    };
    let below = members
        .iter()
        .flat_map(|m| graph.get(*m).into_iter().flatten())
        .filter(|t| !members.contains(&t.as_str()))
        .map(|t| floor(graph, cycle_of, t, floors) + 1)
        .max()
        .unwrap_or(0);
    for m in members {
        floors.insert(m.to_string(), below);
    }
    below
}

/// The imports a depth-first walk in file-name order finds pointing at a file on its current
/// chain: removing them all leaves no cycle.
pub fn back_edges(graph: &Graph) -> Vec<(String, String)> {
    fn walk<'g>(
        graph: &'g Graph,
        file: &'g str,
        done: &mut BTreeSet<&'g str>,
        chain: &mut Vec<&'g str>,
        out: &mut Vec<(String, String)>,
    ) {
        done.insert(file);
        chain.push(file);
        for target in graph.get(file).into_iter().flatten() {
            if chain.contains(&target.as_str()) {
                out.push((file.to_string(), target.clone()));
            } else if !done.contains(target.as_str()) {
                walk(graph, target, done, chain, out);
            }
        }
        chain.pop();
    }
    let mut done = BTreeSet::new();
    let mut out = Vec::new();
    for file in graph.keys() {
        if !done.contains(file.as_str()) {
            walk(graph, file, &mut done, &mut Vec::new(), &mut out);
        }
    }
    out
}
