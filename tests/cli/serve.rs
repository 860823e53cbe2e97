//! `pools serve token create|list|revoke`: the environment server's bearer tokens (issue 11).

use crate::*;

/// A token is printed once, alone on the last line of stdout; the store keeps only its
/// digest (R11: the store file, `list` and the audit log never hold the token); a name is
/// one live token's (exit 4 for a second), a revoked token is listed with when and its name
/// is free again; revoking an unknown name is exit 3, a bad name or role is refused.
#[test]
fn tokens_are_shown_once_kept_as_digests_and_revoked() {
    let env = Env::new();
    let out = env.run(&[
        "serve", "token", "create", "--role", "admin", "--name", "ci",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    let token = stdout.lines().last().unwrap().to_owned();
    assert!(token.starts_with("pools_") && token.len() == 49, "{stdout}");
    assert_eq!(stdout, format!("{token}\n"), "the token alone on stdout");
    env.refused(
        &["serve", "token", "create", "--role", "read", "--name", "ci"],
        CONFLICT,
        &[
            "a token named 'ci' exists already",
            "pools serve token revoke ci",
        ],
    );
    env.refused(
        &[
            "serve",
            "token",
            "create",
            "--role",
            "read",
            "--name",
            "two words",
        ],
        VALIDATION,
        &["--name", "two words"],
    );
    let bad_role = env.run(&["serve", "token", "create", "--role", "root", "--name", "x"]);
    assert_eq!(bad_role.status.code(), Some(USAGE));
    let json = env.ok(&[
        "serve", "token", "create", "--role", "login", "--name", "app@prod", "-o", "json",
    ]);
    let app: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(app["role"], "login");
    let app_token = app["token"].as_str().unwrap().to_owned();
    assert_ne!(app_token, token);

    let list: serde_json::Value =
        serde_json::from_str(&env.ok(&["serve", "token", "list", "-o", "json"])).unwrap();
    let names: Vec<_> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].clone())
        .collect();
    assert_eq!(names, ["ci", "app@prod"]);
    env.ok(&["serve", "token", "revoke", "ci"]);
    env.refused(
        &["serve", "token", "revoke", "ci"],
        NOT_FOUND,
        &["token 'ci' not found"],
    );
    let list: serde_json::Value =
        serde_json::from_str(&env.ok(&["serve", "token", "list", "-o", "json"])).unwrap();
    assert!(list[0]["revoked_at"].is_string(), "{list:#}");
    assert!(list[1].get("revoked_at").is_none(), "{list:#}");
    env.ok(&["serve", "token", "create", "--role", "read", "--name", "ci"]);

    let mut seen = env.ok(&["serve", "token", "list"]);
    seen.push_str(&env.ok(&["serve", "token", "list", "-o", "json"]));
    seen.push_str(&env.ok(&["audit", "-o", "json"]));
    let audit: serde_json::Value = serde_json::from_str(&env.ok(&["audit", "-o", "json"])).unwrap();
    let actions: Vec<_> = audit
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].clone())
        .collect();
    assert_eq!(
        actions,
        [
            "token.create",
            "token.create",
            "token.revoke",
            "token.create"
        ]
    );
    let store = env
        .local_store()
        .map(|f| String::from_utf8_lossy(&std::fs::read(f).unwrap()).into_owned())
        .unwrap_or_default();
    for t in [&token, &app_token] {
        assert!(!seen.contains(t.as_str()), "a token in list or audit");
        assert!(!store.contains(t.as_str()), "a token in the store file");
        assert!(
            !store.contains(&t[6..]),
            "a token's random part in the store file"
        );
    }
}
