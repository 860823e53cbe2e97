//! The layers of the workspace (issue 9): the core knows nothing of the terminal, HTTP or
//! SQLite, no SQLite type leaves the store crate, and the core's modules depend on each other
//! without a cycle, so each can be understood (and replaced) from the bottom up.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The packages `package` depends on at run time, transitively (`cargo tree -e normal`).
fn runtime_dependencies(package: &str) -> BTreeSet<String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .current_dir(repo())
        .args([
            "tree",
            "--offline",
            "--locked",
            "-p",
            package,
            "-e",
            "normal",
            "--prefix",
            "none",
            "--format",
            "{p}",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .filter_map(|l| l.split_whitespace().next().map(str::to_owned))
        .collect()
}

/// Issue 9: the core builds without the command line's crates, the store's database and HTTP.
#[test]
fn the_core_depends_on_no_terminal_http_or_database_crate() {
    let deps = runtime_dependencies("pools-core");
    assert!(deps.contains("serde"), "cargo tree answered: {deps:?}");
    let banned = [
        "clap",
        "clap_complete",
        "clap_mangen",
        "dialoguer",
        "comfy-table",
        "indicatif",
        "rusqlite",
        "rusqlite_migration",
        "reqwest",
        "hyper",
        "axum",
        "tower-http",
    ];
    let found: Vec<_> = banned.iter().filter(|b| deps.contains(**b)).collect();
    assert!(found.is_empty(), "pools-core depends on {found:?}");
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The text of a source file without comments and without its `#[cfg(test)] mod tests`
/// (tests may reach anything; the layers are about what the code itself needs).
fn code_of(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let text = match text.find("#[cfg(test)]\nmod tests") {
        Some(i) => &text[..i],
        None => &text[..],
    };
    text.lines()
        .map(|l| match l.find("//") {
            Some(i) => &l[..i],
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Issue 9: no `rusqlite` outside the SQLite store crate (the binary's tests may read the file).
#[test]
fn no_sqlite_type_outside_the_store_crate() {
    let mut files = Vec::new();
    rust_files(&repo().join("crates/pools-core/src"), &mut files);
    rust_files(&repo().join("src"), &mut files);
    let offenders: Vec<_> = files
        .iter()
        .filter(|f| code_of(f).contains("rusqlite"))
        .collect();
    assert!(offenders.is_empty(), "rusqlite named in {offenders:?}");
}

/// The top-level module a file of the core belongs to (`import` for `src/import.rs`,
/// `export` for `src/export/csv_file.rs`); `None` for the crate root.
fn module_of(src: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src).unwrap();
    let first = rel.components().next()?.as_os_str().to_str()?.to_owned();
    let name = first.strip_suffix(".rs").unwrap_or(&first).to_owned();
    (name != "lib").then_some(name)
}

/// The top-level modules `code` names through `crate::` paths, `use crate::{a, b::c}` groups
/// included.
fn referenced_modules(code: &str) -> BTreeSet<String> {
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    };
    let mut out = BTreeSet::new();
    for (i, _) in code.match_indices("crate::") {
        let rest = &code[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            // The first name of each part at the group's own level: `{a::{b, c}, d}` is a, d.
            let (mut depth, mut start) = (0usize, true);
            for (j, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => start = true,
                    c if start && !c.is_whitespace() => {
                        start = false;
                        let name = ident(&group[j..]);
                        if !name.is_empty() {
                            out.insert(name);
                        }
                    }
                    _ => {}
                }
            }
        } else {
            let name = ident(rest);
            if !name.is_empty() {
                out.insert(name);
            }
        }
    }
    out
}

/// A cycle in `graph`, if there is one (depth-first search with colours).
fn find_cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<String, u8>,
        path: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        state.insert(node.to_owned(), 1);
        path.push(node.to_owned());
        for next in graph.get(node).into_iter().flatten() {
            match state.get(next.as_str()).copied().unwrap_or(0) {
                1 => {
                    let start = path.iter().position(|n| n == next).unwrap();
                    let mut cycle = path[start..].to_vec();
                    cycle.push(next.clone());
                    return Some(cycle);
                }
                0 => {
                    if let Some(c) = visit(next, graph, state, path) {
                        return Some(c);
                    }
                }
                _ => {}
            }
        }
        path.pop();
        state.insert(node.to_owned(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for node in graph.keys() {
        if state.get(node.as_str()).copied().unwrap_or(0) == 0
            && let Some(c) = visit(node, graph, &mut state, &mut Vec::new())
        {
            return Some(c);
        }
    }
    None
}

/// Issue 9: the core's top-level modules form no dependency cycle (they were `import ↔ store`,
/// `export → tenant → pool → export`, `error → store → ...`).
#[test]
fn the_cores_modules_depend_on_each_other_without_a_cycle() {
    let src = repo().join("crates/pools-core/src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in &files {
        if file.file_name().is_some_and(|n| n == "tests.rs") {
            continue;
        }
        let Some(module) = module_of(&src, file) else {
            continue;
        };
        let refs = referenced_modules(&code_of(file));
        let entry = graph.entry(module.clone()).or_default();
        entry.extend(refs.into_iter().filter(|m| *m != module));
    }
    assert!(
        graph.get("engine").is_some_and(|d| d.contains("store")),
        "the scan found no edges: {graph:?}"
    );
    if let Some(cycle) = find_cycle(&graph) {
        panic!("module cycle: {}", cycle.join(" -> "));
    }
}

/// The cycle finder finds a cycle where there is one (so a pass above means something).
#[test]
fn the_cycle_finder_finds_a_planted_cycle() {
    let graph: BTreeMap<String, BTreeSet<String>> = [
        ("a", vec!["b"]),
        ("b", vec!["c"]),
        ("c", vec!["a"]),
        ("d", vec![]),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.into_iter().map(str::to_owned).collect()))
    .collect();
    let cycle = find_cycle(&graph).unwrap();
    assert_eq!(cycle.first(), cycle.last());
    assert_eq!(cycle.len(), 4);
    let refs =
        referenced_modules("use crate::{pool::{Pool, Mode}, store};\nlet x = crate::user::key();");
    assert_eq!(
        refs,
        ["pool", "store", "user"]
            .into_iter()
            .map(str::to_owned)
            .collect()
    );
}
