use crate::*;
use std::path::Path;

/// Issue 11: the committed `openapi.json` is the OpenAPI 3.1 document the server's routes
/// generate now (the one `GET /v1/openapi.json` serves).
#[test]
fn the_openapi_document_is_current() {
    let generated = pools_server::openapi_document();
    let committed = std::fs::read_to_string(repo().join("openapi.json")).unwrap_or_default();
    assert!(
        generated == committed,
        "openapi.json is stale: run `scripts/gen-docs`"
    );
    let doc: serde_json::Value = serde_json::from_str(&committed).unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
}

/// The committed completions and man pages are what the binary generates now.
#[test]
fn completions_and_man_pages_are_current() {
    let env = Env::new();
    for (shell, file) in [
        ("bash", "pools.bash"),
        ("zsh", "_pools"),
        ("fish", "pools.fish"),
        ("powershell", "_pools.ps1"),
        ("elvish", "pools.elv"),
    ] {
        let generated = env.ok(&["completions", shell]);
        let committed =
            std::fs::read_to_string(repo().join("completions").join(file)).unwrap_or_default();
        assert!(
            generated == committed,
            "completions/{file} is stale: run `scripts/gen-docs`"
        );
    }
    // Issue 8: the pages are in man/man1/, a manual tree `man -M man pools` reads, and
    // nothing else is in man/ (the old flat layout is gone).
    env.ok(&["man", "man-out"]);
    let list = |dir: &Path| -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .map(|d| {
                d.map(|e| e.unwrap().file_name().into_string().unwrap())
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names
    };
    assert_eq!(list(&env.path("man-out")), ["man1"]);
    assert_eq!(list(&repo().join("man")), ["man1"], "man/ holds only man1/");
    let names = list(&env.path("man-out/man1"));
    assert!(
        names.iter().any(|n| n == "pools.1") && names.iter().any(|n| n == "pools-create.1"),
        "{names:?}"
    );
    let committed = list(&repo().join("man/man1"));
    assert_eq!(
        names, committed,
        "man/man1 is stale: run `scripts/gen-docs`"
    );
    for n in names {
        let a = std::fs::read(env.path("man-out/man1").join(&n)).unwrap();
        let b = std::fs::read(repo().join("man/man1").join(&n)).unwrap();
        assert!(a == b, "man/man1/{n} is stale: run `scripts/gen-docs`");
    }
}

#[test]
fn help_documents_exit_codes() {
    let env = Env::new();
    let help = env.ok(&["--help"]);
    for line in [
        "0  success",
        "2  usage",
        "3  not found: a pool, user or import",
        "4  conflict",
        "5  validation",
    ] {
        assert!(help.contains(line), "{help}");
    }
    // Issue 8: the README's table says what 3 covers as the help does.
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    assert!(
        readme.contains("| 3 | not found: a pool, user or import not found"),
        "README exit-code table"
    );
}

/// Issue 9 (errors that travel): the new kinds have new codes, 8 unavailable and 9
/// unauthorized, in the README's table, `--help` and the man page; 1 says it covers bugs,
/// with where to report them; the codes before keep their meaning.
#[test]
fn new_error_kinds_have_new_documented_exit_codes() {
    let env = Env::new();
    let help = env.ok(&["--help"]);
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let man = std::fs::read_to_string(repo().join("man/man1/pools.1")).unwrap();
    for (row, line) in [
        ("| 8 | unavailable: ", "  8  unavailable: "),
        ("| 9 | unauthorized: ", "  9  unauthorized: "),
        (
            "| 1 | unexpected failure (store or file system), or an internal error: a bug in pools",
            "  1  unexpected failure (store or file system), or an internal error: a bug in pools",
        ),
        ("| 4 | conflict: ", "  4  conflict: "),
        ("| 5 | validation: ", "  5  validation: "),
        (
            "| 6 | `simulate-login` only: ",
            "  6  simulate-login only: ",
        ),
        ("| 7 | declined: ", "  7  declined: "),
    ] {
        assert!(readme.contains(row), "README lacks {row:?}");
        assert!(help.contains(line), "--help lacks {line:?}: {help}");
        let in_man = line.replace('-', "\\-");
        assert!(man.contains(&in_man), "man page lacks {in_man:?}");
    }
    assert!(
        readme.contains("\n## Reporting bugs\n"),
        "README: Reporting bugs"
    );
}

/// The exit codes in `--help` (and so the man pages) are the README's table, row for row and
/// in its words (without its Markdown backticks): the help had lost exit 2's empty password
/// and exit 4's running import when the README gained them.
#[test]
fn help_exit_codes_are_the_readme_table() {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let table: Vec<(String, String)> = readme
        .split("## Exit codes")
        .nth(1)
        .unwrap()
        .lines()
        .filter_map(|l| {
            let cells: Vec<&str> = l.split(" | ").collect();
            let code = cells.first()?.strip_prefix("| ")?;
            code.parse::<u8>().ok()?;
            let text = cells[1..].join(" | ");
            Some((
                code.to_owned(),
                text.trim_end_matches(" |").replace('`', ""),
            ))
        })
        .collect();
    assert_eq!(table.len(), 11, "{table:?}");
    let help = Env::new().ok(&["--help"]);
    let section = help
        .split("Exit codes:\n")
        .nth(1)
        .unwrap()
        .split("\n\n")
        .next()
        .unwrap();
    // A row starts with its code; lines indented further continue it.
    let mut rows: Vec<(String, String)> = Vec::new();
    for line in section.lines() {
        let body = line.trim_start();
        match body.split_once("  ") {
            Some((code, text))
                if code.parse::<u8>().is_ok()
                    && line.starts_with("  ")
                    && !line.starts_with("   ") =>
            {
                rows.push((code.to_owned(), text.to_owned()))
            }
            _ => {
                let last = rows.last_mut().expect("a row first");
                last.1.push(' ');
                last.1.push_str(body);
            }
        }
    }
    assert_eq!(rows, table);
}

/// Issue 8 (F13): `--help` (and so the man pages) documents `-o` as each command takes it:
/// hidden where it is refused (`completions`, `man`, `users export`), with `export`'s own
/// default and values; positional arguments are described; `-v` says where the store is once.
#[test]
fn help_shows_what_each_command_takes() {
    let env = Env::new();
    for (cmd, operand) in [
        (&["completions"][..], Some("bash")),
        (&["man"], Some("m")),
        (&["users", "export"], None),
    ] {
        let mut args = cmd.to_vec();
        args.push("--help");
        let help = env.ok(&args);
        assert!(!help.contains("--output"), "{cmd:?}: {help}");
        // Still refused with a reason, not as an unknown flag.
        let mut args = cmd.to_vec();
        args.extend(operand);
        args.extend(["-o", "json"]);
        let out = env.run(&args);
        assert_eq!(out.status.code(), Some(USAGE));
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("does not take -o"),
            "{cmd:?}"
        );
    }
    let help = env.ok(&["export", "--help"]);
    assert!(help.contains("[default: yaml]"), "{help}");
    assert!(help.contains("[possible values: yaml, json]"), "{help}");
    assert!(!help.contains("[default: table]"), "{help}");
    assert!(env.ok(&["export"]).starts_with("pools:"));
    assert!(env.ok(&["export", "-o", "JSON"]).starts_with('{'));
    let out = env.run(&["export", "-o", "xml"]);
    assert_eq!(out.status.code(), Some(USAGE));
    assert!(String::from_utf8_lossy(&out.stderr).contains("[possible values: yaml, json]"));
    // Other commands keep the global -o.
    assert!(env.ok(&["list", "--help"]).contains("[default: table]"));

    for (cmd, described) in [
        (&["configure"][..], "The pool to change"),
        (&["delete"], "The pool to delete"),
        (&["man"], "The manual tree (as MANPATH entries are)"),
        (&["users", "show"], "The user's identifier"),
        (&["users", "create"], "The new user's identifier"),
        (&["users", "set-metadata"], "The user's identifier"),
    ] {
        let mut args = cmd.to_vec();
        args.push("-h");
        let help = env.ok(&args);
        assert!(help.contains(described), "{cmd:?}: {help}");
    }

    env.export_pool("p");
    env.write("users.csv", "email,password_hash\nada@example.com,x\n");
    let out = env.run(&[
        "-v",
        "users",
        "import",
        "--pool",
        "p",
        "--reject-file",
        "rejects.csv",
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.matches("store: ").count(), 1, "{stderr}");
}

/// Retrial finding I: `pools man -` is a usage error (exit 2), as `--reject-file -` is,
/// and makes no directory named `-`.
#[test]
fn man_into_dash_is_a_usage_error_and_makes_nothing() {
    let env = Env::new();
    env.refused(&["man", "-"], USAGE, &["DIR -: man pages are files"]);
    assert!(!env.path("-").exists());
}
