//! The direction of imports inside `src/`: `commands/` -> use cases (`mirror/`,
//! `cleanup/`) -> feature modules -> leaves, `registry/` at the bottom of the
//! features, importing only leaves, and no command importing another. Reads the
//! source files as text: every `crate::NAME` path names the module it reaches
//! into.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Modules that import nothing but each other.
const LEAVES: &[&str] = &["error", "secret", "fsutil", "pki"];
/// Feature modules: they may import leaves and each other, without cycles.
const FEATURES: &[&str] = &[
    "registry",
    "connect",
    "credentials",
    "trust",
    "hosts",
    "k8s",
    "output",
    "settings",
    "config",
    "records",
    "layout",
    "sync",
    "space",
    "yaml",
    "verify",
];
/// Use cases: workflows more than one command shares, built on the features
/// (copying images, deleting them by plan, checking a registry link by link).
/// They never import the top.
const USE_CASES: &[&str] = &["mirror", "cleanup", "doctor"];
/// The top: the command line, the commands, and `run`.
const TOP: &[&str] = &["cli", "commands", "lib", "main"];

/// What `registry/` may import: only leaves. Options and credentials it needs are
/// its own types, filled in by the callers.
fn registry_may_import(module: &str) -> bool {
    LEAVES.contains(&module)
}

/// Exceptions to "imports point down": settings turns the global command-line
/// options into plain settings.
const UPWARD: &[(&str, &str)] = &[("settings", "cli")];

fn source_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            source_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a file belongs to: `src/registry/client.rs` -> `registry`.
fn module_of(src: &Path, file: &Path) -> String {
    let relative = file.strip_prefix(src).unwrap();
    let first = relative.components().next().unwrap();
    let name = first.as_os_str().to_string_lossy();
    name.trim_end_matches(".rs").to_owned()
}

/// The top-level modules named by `crate::NAME` and `crate::{A, B::..}` in code
/// (comments left out), with the line they are on.
fn imports(text: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            let after = &rest[at + "crate::".len()..];
            if let Some(group) = after.strip_prefix('{') {
                let inner = group.split('}').next().unwrap_or("");
                for item in inner.split(',') {
                    let name: String = item
                        .trim()
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    if !name.is_empty() {
                        found.push((number + 1, name));
                    }
                }
            } else {
                let name: String = after
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                // `crate::usage!` is a macro at the crate root, not a module.
                let is_macro = after[name.len()..].starts_with('!');
                if !name.is_empty() && !is_macro {
                    found.push((number + 1, name));
                }
            }
            rest = after;
        }
    }
    found
}

fn layer(module: &str) -> Option<u8> {
    if LEAVES.contains(&module) {
        Some(0)
    } else if FEATURES.contains(&module) {
        Some(1)
    } else if USE_CASES.contains(&module) {
        Some(2)
    } else if TOP.contains(&module) {
        Some(3)
    } else {
        None
    }
}

#[test]
fn imports_point_down_and_registry_imports_only_leaves() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    source_files(&src, &mut files);
    files.sort();
    assert!(files.len() > 20, "found only {} source files", files.len());

    let mut problems = Vec::new();
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in &files {
        let from = module_of(&src, file);
        let Some(from_layer) = layer(&from) else {
            problems.push(format!(
                "{}: module `{from}` is in no layer; add it to tests/layers.rs",
                file.display()
            ));
            continue;
        };
        let text = std::fs::read_to_string(file).unwrap();
        for (line, to) in imports(&text) {
            if to == from {
                continue;
            }
            let place = format!("{}:{line}", file.display());
            let Some(to_layer) = layer(&to) else {
                problems.push(format!(
                    "{place}: imports `crate::{to}`, which is in no layer"
                ));
                continue;
            };
            if from == "registry" && !registry_may_import(&to) {
                problems.push(format!(
                    "{place}: registry/ imports `crate::{to}`; it may import only leaves ({LEAVES:?})"
                ));
            }
            if to_layer > from_layer && !UPWARD.contains(&(from.as_str(), to.as_str())) {
                problems.push(format!(
                    "{place}: `{from}` imports `crate::{to}`, which sits above it"
                ));
            }
            if from_layer == 1 && to_layer == 1 {
                edges.entry(from.clone()).or_default().insert(to);
            }
        }
    }

    // No cycles among the feature modules.
    fn visit(
        node: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        cycles: &mut Vec<String>,
    ) {
        if let Some(start) = path.iter().position(|p| p == node) {
            let mut cycle = path[start..].to_vec();
            cycle.push(node.to_owned());
            cycles.push(cycle.join(" -> "));
            return;
        }
        path.push(node.to_owned());
        for next in edges.get(node).into_iter().flatten() {
            visit(next, edges, path, cycles);
        }
        path.pop();
    }
    let mut cycles = Vec::new();
    for start in edges.keys() {
        visit(start, &edges, &mut Vec::new(), &mut cycles);
    }
    cycles.sort();
    cycles.dedup();
    for cycle in cycles {
        problems.push(format!("import cycle between feature modules: {cycle}"));
    }

    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// What a file of `src/commands/` may name besides the commands: what mod.rs
/// defines, and the modules every command shares.
const SHARED_COMMAND_MODULES: &[&str] = &["hints", "report"];

/// The command modules named by `super::NAME` or `crate::commands::NAME` in
/// code (comments left out), `super::{A, B}` groups included, with the line.
fn command_imports(text: &str, commands: &BTreeSet<String>) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let code = line.split("//").next().unwrap_or("");
        for prefix in ["super::", "crate::commands::"] {
            let mut rest = code;
            while let Some(at) = rest.find(prefix) {
                let after = &rest[at + prefix.len()..];
                let names: Vec<String> = match after.strip_prefix('{') {
                    Some(group) => group
                        .split('}')
                        .next()
                        .unwrap_or("")
                        .split(',')
                        .map(|item| word(item.trim()))
                        .collect(),
                    None => vec![word(after)],
                };
                for name in names {
                    if commands.contains(&name) {
                        found.push((number + 1, name));
                    }
                }
                rest = after;
            }
        }
    }
    found
}

fn word(text: &str) -> String {
    text.chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect()
}

#[test]
fn no_command_imports_another() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/commands");
    let mut files = Vec::new();
    source_files(&dir, &mut files);
    let name_of = |file: &Path| file.file_stem().unwrap().to_string_lossy().into_owned();
    let commands: BTreeSet<String> = files
        .iter()
        .map(|f| name_of(f))
        .filter(|n| n != "mod" && !SHARED_COMMAND_MODULES.contains(&n.as_str()))
        .collect();
    assert!(commands.contains("mirror") && commands.contains("sync"));
    let mut problems = Vec::new();
    for file in &files {
        let from = name_of(file);
        if from == "mod" {
            continue;
        }
        let text = std::fs::read_to_string(file).unwrap();
        // A command's own tests may name its items through `super::`.
        let code = text.split("#[cfg(test)]").next().unwrap_or("");
        for (line, to) in command_imports(code, &commands) {
            if to != from {
                problems.push(format!(
                    "{}:{line}: command `{from}` imports command `{to}`; move what they share to commands/report.rs or a use case",
                    file.display()
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_command_checker_sees_groups_and_crate_paths() {
    let commands: BTreeSet<String> = ["mirror", "prune"].map(String::from).into();
    let found = command_imports(
        "use super::{ExitStatus, mirror::run, report};\nlet x = crate::commands::prune::plan(); // super::mirror\n",
        &commands,
    );
    assert_eq!(found, [(1, "mirror".to_owned()), (2, "prune".to_owned())]);
}

#[test]
fn the_spool_lives_in_the_mirror_use_case() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    assert!(src.join("mirror/spool.rs").is_file());
    assert!(!src.join("spool.rs").exists());
    for file in ["sync.rs", "k8s.rs", "mirror.rs"] {
        let text = std::fs::read_to_string(src.join("commands").join(file)).unwrap();
        assert!(
            text.contains("crate::mirror"),
            "{file} does not use the mirror use case"
        );
    }
}

#[test]
fn the_checker_sees_grouped_and_inline_paths() {
    let found = imports(
        "use crate::{settings::X, error};\nfn f() { crate::credentials::get(); crate::usage!(\"x\"); } // crate::config\n",
    );
    let names: Vec<&str> = found.iter().map(|(_, n)| n.as_str()).collect();
    assert_eq!(names, ["settings", "error", "credentials"]);
}
