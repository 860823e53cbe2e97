use crate::*;

#[test]
fn needs_yes_without_a_terminal() {
    let env = Env::new();
    env.export_pool("ex");
    env.refused(&["delete", "ex"], USAGE, &["--yes"]);
    env.refused(&["delete", "nope", "--yes"], NOT_FOUND, &["'nope'"]);
    let out = env.ok(&["delete", "ex", "--yes"]);
    assert!(out.contains("deleted pool 'ex'"), "{out}");
    assert!(order(&env).is_empty());
}

/// A pool with `users.csv` holding one user with a hash and one without, both imported.
fn pool_with_imported_users(env: &Env, name: &str) {
    env.write(
        "users.csv",
        "email,password_hash\nwith@example.com,$2b$10$nFguVi9LsCAcvTZFKQlRKeLVydo8ETv483lkNsSFI/Wl1Rz1Ypo1K\nbare@example.com,\n",
    );
    env.export_pool(name);
    env.ok(&["users", "import", "--pool", name, "-q"]);
}

/// R10: an imported user without a hash still needs its pool to log in (`pools status` NEED
/// SOURCE): deleting the pool needs --force, and the report counts each kind.
#[test]
fn r10_imported_users_without_a_hash_need_force() {
    let env = Env::new();
    pool_with_imported_users(&env, "ex");
    let stderr = env.refused(
        &["delete", "ex", "--yes"],
        VALIDATION,
        &[
            "R10",
            "1 user(s) who still need it",
            "1 imported without a password hash",
            "--force",
        ],
    );
    assert!(stderr.contains("cannot log in"), "{stderr}");
    let out = env.run(&["delete", "ex", "--yes", "--force", "-o", "json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["shadow_users_removed"], 0);
    assert_eq!(json["migrated_users_kept"], 1, "{json}");
    assert_eq!(json["imported_without_hash_kept"], 1, "{json}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("cannot log in"),
        "the operator is told: {stderr}"
    );
    // Both users stay (R3): the one without a hash until a pool of that name exists again.
    assert_eq!(
        env.ok(&["users", "list", "-o", "json"])
            .matches("\"identifier\"")
            .count(),
        2
    );
}

/// R10 through `apply --prune`: the same rule, the same counts in the report.
#[test]
fn r10_apply_prune_counts_users_who_still_need_the_pool() {
    let env = Env::new();
    pool_with_imported_users(&env, "ex");
    // A document that keeps another pool: one that lists none cannot prune.
    env.export_pool("other");
    env.write(
        "none.yaml",
        "pools:\n- {name: other, type: external, source: export, file: users.csv}\n",
    );
    env.refused(
        &["apply", "-f", "none.yaml", "--prune", "--yes"],
        VALIDATION,
        &["R10", "1 imported without a password hash", "--force"],
    );
    let json: serde_json::Value = serde_json::from_str(&env.ok(&[
        "apply",
        "-f",
        "none.yaml",
        "--prune",
        "--yes",
        "--force",
        "-o",
        "json",
    ]))
    .unwrap();
    assert_eq!(json["deleted"][0]["pool"], "ex", "{json}");
    assert_eq!(
        json["deleted"][0]["imported_without_hash_kept"], 1,
        "{json}"
    );
    assert_eq!(json["deleted"][0]["migrated_users_kept"], 1, "{json}");
    assert_eq!(order(&env), ["other"]);
}

/// R10: users imported without a hash whose pool was deleted with --force cannot log in;
/// `doctor` reports them per pool instead of "clean".
#[test]
fn doctor_reports_users_a_forced_delete_stranded() {
    let env = Env::new();
    env.write(
        "u.csv",
        "email,tenant_id\nkim@example.com,acme\nlee@example.com,acme\n",
    );
    env.ok(&[
        "create",
        "p",
        "--type",
        "external",
        "--source",
        "export",
        "--file",
        "u.csv",
        "--mode",
        "jit",
        "--tenant",
        "property:tenant_id",
    ]);
    env.ok(&["users", "import", "--pool", "p", "-q"]);
    let clean = env.run(&["doctor", "-o", "json"]);
    assert!(!String::from_utf8_lossy(&clean.stdout).contains("stranded_users"));
    env.ok(&["delete", "p", "--yes", "--force"]);
    let out = env.run(&["doctor", "-o", "json"]);
    let scan: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let f = scan["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "stranded_users")
        .unwrap_or_else(|| panic!("{scan:#}"));
    assert_eq!(f["pool"], "p");
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .starts_with("2 user(s) of pool p"),
        "{f}"
    );
    assert_ne!(out.status.code(), Some(0), "findings are not clean");
}
