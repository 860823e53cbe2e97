use crate::*;

fn three() -> Env {
    let env = Env::new();
    for n in ["a", "b", "c"] {
        env.export_pool(n);
    }
    env
}

#[test]
fn full_order_and_moves() {
    let env = three();
    let out = env.ok(&["reorder", "c", "a", "b"]);
    assert!(out.contains('c'), "prints the resulting order: {out}");
    assert_eq!(order(&env), ["c", "a", "b"]);
    env.ok(&["reorder", "--move", "c", "--to", "3"]);
    assert_eq!(order(&env), ["a", "b", "c"]);
    env.ok(&["reorder", "--move", "c", "--before", "a"]);
    assert_eq!(order(&env), ["c", "a", "b"]);
    env.ok(&["reorder", "--move", "c", "--after", "b"]);
    assert_eq!(order(&env), ["a", "b", "c"]);
    let json: serde_json::Value =
        serde_json::from_str(&env.ok(&["reorder", "--move", "a", "--to", "2", "-o", "json"]))
            .unwrap();
    let positions: Vec<(String, u64)> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["name"].as_str().unwrap().to_owned(),
                p["position"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        positions,
        [("b".into(), 1), ("a".into(), 2), ("c".into(), 3)]
    );
}

#[test]
fn r5_order_must_name_every_pool_exactly_once() {
    let env = three();
    env.refused(&["reorder", "a", "b"], VALIDATION, &["missing: c"]);
    env.refused(
        &["reorder", "a", "b", "b", "c"],
        VALIDATION,
        &["repeated: b"],
    );
    env.refused(
        &["reorder", "--move", "zz", "--to", "1"],
        NOT_FOUND,
        &["pool 'zz' not found"],
    );
    env.refused(
        &["reorder", "--move", "a", "--before", "zz"],
        NOT_FOUND,
        &["pool 'zz' not found"],
    );
    env.refused(
        &["reorder", "--move", "a", "--to", "4"],
        VALIDATION,
        &["1..=3"],
    );
    env.refused(&["reorder", "--move", "a"], USAGE, &[]);
}

/// An unknown pool in the full order is "not found" (3), like the --move forms.
#[test]
fn unknown_pool_in_the_full_order_is_not_found() {
    let env = three();
    env.refused(
        &["reorder", "a", "b", "c", "zz"],
        NOT_FOUND,
        &["pool 'zz' not found", "unknown: zz"],
    );
    env.refused(
        &["reorder", "c", "zz", "a"],
        NOT_FOUND,
        &["'zz'", "missing: b"],
    );
}
