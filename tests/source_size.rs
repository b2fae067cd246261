//! Size limits on the source under src/: no file over 1,000 lines of non-test code,
//! and no function over 100 lines unless a `// long:` comment right above it says why.
//!
//! Non-test code is a file's lines before its first `#[cfg(test)]` that opens an
//! inline module (`mod tests {`); a `#[cfg(test)] mod name;` line only pulls in
//! another file, which is then test code as a whole. A function's length runs from
//! its `fn` line to the closing brace at the `fn` line's indentation (rustfmt's
//! layout), both included.

use std::fmt;
use std::path::{Path, PathBuf};

/// The most non-test lines a source file may have.
const MAX_FILE_LINES: usize = 1_000;
/// The most lines a function may have without a reason comment.
const MAX_FUNCTION_LINES: usize = 100;
/// How the comment right above a longer function starts.
const REASON: &str = "// long:";

/// A function over [`MAX_FUNCTION_LINES`].
struct LongFunction {
    file: String,
    line: usize,
    name: String,
    length: usize,
    reason: Option<String>,
}

impl fmt::Display for LongFunction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: fn {} is {} lines",
            self.file, self.line, self.name, self.length
        )?;
        match &self.reason {
            Some(reason) => write!(f, " ({reason})"),
            None => write!(f, " (no `{REASON}` comment above it)"),
        }
    }
}

#[test]
fn source_files_and_functions_stay_within_their_limits() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let files = rust_files(&src);
    let test_files = test_only_files(&files);
    let mut problems = Vec::new();
    let mut long = Vec::new();
    for path in &files {
        if test_files.contains(path) {
            continue;
        }
        let text = std::fs::read_to_string(path)
            .unwrap_or_else(|err| panic!("cannot read `{}`: {err}", path.display()));
        let lines: Vec<&str> = text.lines().collect();
        let code = &lines[..non_test_end(&lines)];
        let shown = shown(&src, path);
        if code.len() > MAX_FILE_LINES {
            problems.push(format!(
                "{shown}: {} lines of non-test code (at most {MAX_FILE_LINES})",
                code.len()
            ));
        }
        long.extend(long_functions(&shown, code));
    }
    for function in &long {
        println!("{function}");
        if function.reason.is_none() {
            problems.push(format!(
                "{}:{}: fn {} is {} lines (at most {MAX_FUNCTION_LINES}): split it, or say why with `{REASON} ...` right above it",
                function.file, function.line, function.name, function.length
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn functions_are_measured_from_fn_to_their_closing_brace() {
    let code = [
        "/// Docs.",
        "pub(crate) async fn outer(",
        "    a: u8,",
        ") -> u8 {",
        "    let f = |x| {",
        "        x",
        "    };",
        "    f(a)",
        "}",
        "trait T {",
        "    fn declared(&self);",
        "    fn one_line(&self) {}",
        "}",
    ];
    let found = functions(&code);
    assert_eq!(
        found,
        [("outer".to_owned(), 2, 8), ("one_line".to_owned(), 12, 1)]
    );
    let code = ["// long: a table", "#[rustfmt::skip]", "fn table() {", "}"];
    assert_eq!(reason_above(&code, 2).as_deref(), Some("// long: a table"));
    assert_eq!(reason_above(&code, 0), None);
    let lines = [
        "#[cfg(test)]",
        "mod proptests;",
        "fn f() {}",
        "#[cfg(test)]",
        "mod tests {",
    ];
    assert_eq!(non_test_end(&lines), 3);
}

fn shown(src: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(src.parent().unwrap()).unwrap_or(path);
    relative.to_string_lossy().replace('\\', "/")
}

/// Every `.rs` file under `dir`, sorted.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_owned()];
    while let Some(dir) = pending.pop() {
        let entries = std::fs::read_dir(&dir)
            .unwrap_or_else(|err| panic!("cannot list `{}`: {err}", dir.display()));
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|ext| ext == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// The files that a `#[cfg(test)] mod name;` line brings in: test code as a whole.
fn test_only_files(files: &[PathBuf]) -> Vec<PathBuf> {
    let mut tests = Vec::new();
    for path in files {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        let dir = module_dir(path);
        for (i, line) in lines.iter().enumerate() {
            if line.trim() != "#[cfg(test)]" {
                continue;
            }
            let Some(next) = lines[i + 1..].iter().find(|l| !l.trim().starts_with("#[")) else {
                continue;
            };
            if let Some(name) = declared_module(next) {
                tests.push(dir.join(format!("{name}.rs")));
                tests.push(dir.join(name).join("mod.rs"));
            }
        }
    }
    tests
}

/// The folder a file's `mod name;` declarations are looked up in.
fn module_dir(path: &Path) -> PathBuf {
    let parent = path.parent().unwrap().to_owned();
    match path.file_stem().and_then(|s| s.to_str()) {
        Some("mod" | "lib" | "main") => parent,
        Some(stem) => parent.join(stem),
        None => parent,
    }
}

/// `name` of a `mod name;` line (any visibility).
fn declared_module(line: &str) -> Option<&str> {
    let rest = line.trim().strip_suffix(';')?;
    let rest = rest.strip_prefix("pub ").unwrap_or(rest);
    let rest = match rest.strip_prefix("pub(") {
        Some(tail) => tail.split_once(") ")?.1,
        None => rest,
    };
    rest.strip_prefix("mod ")
}

/// The index of the first line of test code: the `#[cfg(test)]` that opens an
/// inline module; the file's length when there is none.
fn non_test_end(lines: &[&str]) -> usize {
    for (i, line) in lines.iter().enumerate() {
        if line.trim() != "#[cfg(test)]" {
            continue;
        }
        let next = lines[i + 1..].iter().find(|l| !l.trim().starts_with("#["));
        if next.is_some_and(|l| l.trim_end().ends_with('{') && l.contains("mod ")) {
            return i;
        }
    }
    lines.len()
}

/// The functions of `code` over the limit, with the reason comment above each.
fn long_functions(file: &str, code: &[&str]) -> Vec<LongFunction> {
    functions(code)
        .into_iter()
        .filter(|(_, _, length)| *length > MAX_FUNCTION_LINES)
        .map(|(name, line, length)| LongFunction {
            file: file.to_owned(),
            line,
            name,
            length,
            reason: reason_above(code, line - 1),
        })
        .collect()
}

/// Every function with a body: its name, 1-based `fn` line, and length in lines.
fn functions(code: &[&str]) -> Vec<(String, usize, usize)> {
    let mut found = Vec::new();
    for (i, line) in code.iter().enumerate() {
        let Some(name) = fn_name(line) else {
            continue;
        };
        let indent = &line[..line.len() - line.trim_start().len()];
        let closing = format!("{indent}}}");
        // The signature ends at the first `{` (a body) or `;` (a declaration).
        let Some(open) = (i..code.len()).find(|&j| code[j].contains('{') || code[j].ends_with(';'))
        else {
            continue;
        };
        if !code[open].contains('{') {
            continue;
        }
        if code[open].trim_end().ends_with('}') {
            found.push((name, i + 1, open - i + 1));
            continue;
        }
        if let Some(end) = (open + 1..code.len()).find(|&j| code[j].trim_end() == closing) {
            found.push((name, i + 1, end - i + 1));
        }
    }
    found
}

/// The name of the function a line starts, if it starts one.
fn fn_name(line: &str) -> Option<String> {
    let mut rest = line.trim_start();
    if rest.starts_with("//") {
        return None;
    }
    loop {
        let before = rest;
        if let Some(tail) = rest.strip_prefix("pub(") {
            rest = tail.split_once(") ")?.1;
        }
        for prefix in [
            "pub ",
            "const ",
            "async ",
            "unsafe ",
            "extern \"C\" ",
            "default ",
        ] {
            rest = rest.strip_prefix(prefix).unwrap_or(rest);
        }
        if rest == before {
            break;
        }
    }
    let rest = rest.strip_prefix("fn ")?;
    let end = rest
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    (end > 0).then(|| rest[..end].to_owned())
}

/// The `// long:` comment among the comment and attribute lines right above `index`.
fn reason_above(code: &[&str], index: usize) -> Option<String> {
    code[..index]
        .iter()
        .rev()
        .map(|line| line.trim())
        .take_while(|line| line.starts_with("//") || line.starts_with("#["))
        .find(|line| line.starts_with(REASON))
        .map(str::to_owned)
}
