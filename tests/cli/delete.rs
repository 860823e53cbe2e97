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

#[test]
fn r10_pool_owning_users_needs_force_and_reports_the_count() {
    let env = Env::new();
    env.export_pool("a");
    env.export_pool("ex");
    env.export_pool("z");
    // Users are made by logins (a later capability); write them as the engine will.
    let db = rusqlite::Connection::open(env.store()).unwrap();
    for (id, origin) in [("u1", "shadow"), ("u2", "shadow"), ("u3", "migrated")] {
        db.execute(
            "INSERT INTO users (id, identifier, ident_key, origin, pool) VALUES (?1, ?1, ?1, ?2, 'ex')",
            [id, origin],
        )
        .unwrap();
    }
    drop(db);
    env.refused(
        &["delete", "ex", "--yes"],
        VALIDATION,
        &["R10", "2 non-migrated", "--force"],
    );
    let out: serde_json::Value =
        serde_json::from_str(&env.ok(&["delete", "ex", "--yes", "--force", "-o", "json"])).unwrap();
    assert_eq!(out["shadow_users_removed"], 2);
    assert_eq!(out["migrated_users_kept"], 1);
    assert_eq!(order(&env), ["a", "z"]);
    let list: serde_json::Value = serde_json::from_str(&env.ok(&["list", "-o", "json"])).unwrap();
    assert_eq!(list[1]["position"], 2, "positions stay contiguous");
    // R3: the migrated user outlives its pool.
    let db = rusqlite::Connection::open(env.store()).unwrap();
    let left: Vec<String> = db
        .prepare("SELECT id FROM users")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(left, ["u3"]);
}
