use crate::*;
use std::path::Path;

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
