use crate::*;

fn example(env: &Env) -> String {
    // Copy the example and the fixtures it points at, as an operator's checkout would have them.
    let text = std::fs::read_to_string(repo().join("pools.example.yaml")).unwrap();
    std::fs::create_dir_all(env.path("tests/fixtures/exports")).unwrap();
    for f in ["firebase-auth-export.json", "firebase-hash-config.json"] {
        std::fs::copy(
            repo().join("tests/fixtures/exports").join(f),
            env.path("tests/fixtures/exports").join(f),
        )
        .unwrap();
    }
    env.write("pools.yaml", &text);
    text
}

#[test]
fn example_applies_then_nothing_changes() {
    let env = Env::new();
    example(&env);
    let out = env.ok(&["apply", "-f", "pools.yaml"]);
    assert_eq!(out.matches("+ create").count(), 6, "{out}");
    assert_eq!(
        order(&env),
        [
            "legacy-firebase-export",
            "legacy-auth0",
            "legacy-cognito",
            "legacy-firebase",
            "partner-api",
            "corp-idp"
        ]
    );
    let again = env.ok(&["apply", "-f", "pools.yaml"]);
    assert!(again.contains("no changes"), "{again}");
    let json: serde_json::Value =
        serde_json::from_str(&env.ok(&["apply", "-f", "pools.yaml", "-o", "json"])).unwrap();
    assert_eq!(json["changed"], false);
    // Relative paths were taken relative to the file.
    let ex: serde_json::Value =
        serde_json::from_str(&env.ok(&["inspect", "legacy-firebase-export", "-o", "json"]))
            .unwrap();
    assert_eq!(
        ex["file"],
        env.path("tests/fixtures/exports/firebase-auth-export.json")
            .to_str()
            .unwrap()
    );
}

#[test]
fn export_and_inspect_json_round_trip() {
    let env = Env::new();
    example(&env);
    env.ok(&["apply", "-f", "pools.yaml"]);
    env.ok(&[
        "configure",
        "legacy-auth0",
        "--mode",
        "passthrough",
        "--allow",
        "passwordless",
    ]);
    let exported = env.export();
    env.write("exported.yaml", &exported);
    assert!(
        env.ok(&["apply", "-f", "exported.yaml"])
            .contains("no changes")
    );
    env.write("inspected.json", &env.ok(&["inspect", "-o", "json"]));
    assert!(
        env.ok(&["apply", "-f", "inspected.json"])
            .contains("no changes")
    );
    // A fresh store built from the export exports the same pools (its own versions, R12).
    let other = Env::new();
    other.write("exported.yaml", &exported);
    other.ok(&["apply", "-f", "exported.yaml"]);
    assert_eq!(unversioned(&other.export()), unversioned(&exported));
}

#[test]
fn plan_shows_updates_field_by_field_moves_and_prune() {
    let env = Env::new();
    env.export_pool("a");
    env.export_pool("b");
    env.export_pool("gone");
    let file = env.path("users.csv");
    let doc = format!(
        "pools:\n- name: b\n  type: external\n  source: export\n  mode: sync\n  file: {f}\n- name: a\n  type: external\n  source: export\n  file: {f}\n- name: new\n  type: external\n  source: export\n  file: {f}\n",
        f = file.display()
    );
    env.write("p.yaml", &doc);
    let dry = env.ok(&["apply", "-f", "p.yaml", "--dry-run"]);
    assert!(
        dry.contains("~ update b") && dry.contains("mode: passthrough -> sync"),
        "{dry}"
    );
    assert!(
        dry.contains("+ create new") && dry.contains("> move b: position 2 -> 1"),
        "{dry}"
    );
    assert_eq!(order(&env), ["a", "b", "gone"], "dry run writes nothing");
    env.refused(&["apply", "-f", "p.yaml", "--prune"], USAGE, &["--yes"]);
    env.ok(&["apply", "-f", "p.yaml"]);
    assert_eq!(
        order(&env),
        ["b", "a", "new", "gone"],
        "pools not in the file stay, after it"
    );
    let pruned = env.ok(&["apply", "-f", "p.yaml", "--prune", "--yes"]);
    assert!(pruned.contains("- delete gone"), "{pruned}");
    assert_eq!(order(&env), ["b", "a", "new"]);
    assert!(
        env.ok(&["apply", "-f", "p.yaml", "--prune"])
            .contains("no changes")
    );
}

#[test]
fn r1_unknown_field_and_syntax_errors_give_the_line() {
    let env = Env::new();
    env.export_pool("a");
    env.write("typo.yaml", "pools:\n  - name: a\n    type: external\n    source: export\n    regoin: eu-west-1\n    file: x\n");
    env.refused(
        &["apply", "-f", "typo.yaml"],
        VALIDATION,
        &["typo.yaml:5:", "unknown field `regoin`"],
    );
    env.write("syntax.yaml", "pools:\n  - name: a\n    type: [external\n");
    env.refused(
        &["apply", "-f", "syntax.yaml"],
        VALIDATION,
        &["syntax.yaml:"],
    );
    env.write("top.yaml", "pool: []\n");
    env.refused(
        &["apply", "-f", "top.yaml"],
        VALIDATION,
        &["unknown field `pool`"],
    );
    env.refused(
        &["apply", "-f", "missing.yaml"],
        VALIDATION,
        &["missing.yaml"],
    );
}

#[test]
fn rule_violations_name_the_pool_line_and_write_nothing() {
    let env = Env::new();
    env.export_pool("a");
    env.write(
        "bad.yaml",
        "pools:\n- name: ok-pool\n  type: external\n  source: export\n  file: x\n- name: corp\n  type: idp\n  mode: jit\n  issuer: https://id.example.org\n  client_id: c\n  client_secret: env:S\n",
    );
    env.refused(
        &["apply", "-f", "bad.yaml"],
        VALIDATION,
        // At the setting the rule is about: `mode: jit` of the second entry.
        &["bad.yaml:8:9: R2"],
    );
    env.write("dup.yaml", "pools:\n- {name: x, type: external, source: export, file: f}\n- {name: x, type: external, source: export, file: f}\n");
    env.refused(&["apply", "-f", "dup.yaml"], VALIDATION, &["appears twice"]);
    env.write("secret.yaml", "pools:\n- name: a0\n  type: external\n  source: auth0\n  domain: acme.auth0.com\n  client_id: c\n  client_secret: hunter2-plain\n");
    let stderr = env.refused(&["apply", "-f", "secret.yaml"], VALIDATION, &["R11"]);
    assert!(!stderr.contains("hunter2-plain"));
}

#[test]
fn r12_version_in_the_file_must_match_the_store() {
    let env = Env::new();
    env.export_pool("a");
    env.write("seen.json", &env.ok(&["inspect", "-o", "json"]));
    env.ok(&["configure", "a", "--mode", "sync"]);
    env.refused(
        &["apply", "-f", "seen.json"],
        CONFLICT,
        &[
            "version 2 in the store",
            "version 1 in seen.json",
            "pools list -o yaml",
        ],
    );
}

/// A document without a `pools:` list is refused, so a blank file applied with
/// `--prune --yes` cannot delete every pool; an explicit `pools: []` (or `[]`, what `list -o
/// json` prints for an empty store) means "no pools".
#[test]
fn a_document_without_a_pools_list_is_refused() {
    let env = Env::new();
    env.export_pool("a");
    env.export_pool("b");
    for text in [
        "",
        "\n",
        "# just a comment\n",
        "---\n",
        "pools:\n",
        "pools: ~\n",
        "{}\n",
    ] {
        env.write("blank.yaml", text);
        env.refused(
            &["apply", "-f", "blank.yaml", "--prune", "--yes"],
            VALIDATION,
            &["blank.yaml", "no `pools:` list", "pools: []"],
        );
    }
    // An empty list means no pools: applied, it changes nothing ...
    env.write("none.yaml", "pools: []\n");
    env.write("empty.json", "[]");
    for file in ["none.yaml", "empty.json"] {
        assert!(env.ok(&["apply", "-f", file]).contains("no changes"));
    }
    assert_eq!(order(&env), ["a", "b"]);
    // ... and with --prune on an empty store too: nothing to delete.
    env.ok(&["delete", "a", "--yes"]);
    env.ok(&["delete", "b", "--yes"]);
    assert!(
        env.ok(&["apply", "-f", "empty.json", "--prune"])
            .contains("no changes")
    );
}

/// Fresh-user trial: `[]`, what `pools list -o json` prints for an empty store or a
/// mistyped --store path, applied with `--prune --yes` deleted every pool. A document that
/// lists no pools cannot prune a store that has some (R12: nothing is written).
#[test]
fn an_empty_list_cannot_prune_every_pool() {
    let env = Env::new();
    env.export_pool("a");
    env.export_pool("b");
    let empty = env.ok(&["--store", "other.db", "list", "-o", "json"]);
    env.write("empty.json", &empty);
    env.write("none.yaml", "pools: []\n");
    env.write("flow.yaml", "{pools: []}\n");
    for file in ["empty.json", "none.yaml", "flow.yaml"] {
        for dry in [false, true] {
            let mut args = vec!["apply", "-f", file, "--prune", "--yes"];
            if dry {
                args.push("--dry-run");
            }
            env.refused(
                &args,
                VALIDATION,
                &["--prune", "lists no pools", "every pool", "pools delete"],
            );
        }
        assert_eq!(order(&env), ["a", "b"], "{file}");
    }
}

/// Fresh-user trial: a file that is no YAML document (a secret file given by mistake) is
/// refused at its place without repeating its content (R11).
#[test]
fn r11_a_plain_text_file_is_not_echoed() {
    let env = Env::new();
    for text in ["DUMMYFILESECRET\n", "12345678\n", "  DUMMY FILE SECRET"] {
        env.write("sec.txt", text);
        let stderr = env.refused(
            &["apply", "-f", "sec.txt"],
            VALIDATION,
            &["sec.txt:1:", "expected a document", "not shown"],
        );
        for part in ["DUMMY", "SECRET", "12345678"] {
            assert!(!stderr.contains(part), "{stderr}");
        }
    }
}

/// Fresh-user trial: NDJSON (`pools list -o ndjson`, one JSON value per line) is refused at
/// the line of the second value, with a hint, not as serde's "more than one document"
/// without a place.
#[test]
fn ndjson_is_refused_at_its_second_line() {
    let env = Env::new();
    env.export_pool("a");
    env.export_pool("b");
    env.write("p.ndjson", &env.ok(&["list", "-o", "ndjson"]));
    let stderr = env.refused(
        &["apply", "-f", "p.ndjson"],
        VALIDATION,
        &["p.ndjson:2:1: ", "second document", "list -o json"],
    );
    assert!(!stderr.contains("deserializing"), "{stderr}");
}

/// What the tool prints applies as a no-op: `position` is honoured, not ignored (a single
/// pool from `inspect NAME -o json` stays where it is); moves are counted one by one.
#[test]
fn applying_printed_output_moves_nothing() {
    let env = Env::new();
    for n in ["a", "b", "c"] {
        env.export_pool(n);
    }
    for (file, args) in [
        ("one.json", vec!["inspect", "c", "-o", "json"]),
        ("one.yaml", vec!["inspect", "b", "-o", "yaml"]),
        ("all.json", vec!["list", "-o", "json"]),
        ("all.yaml", vec!["list", "-o", "yaml"]),
    ] {
        env.write(file, &env.ok(&args));
        let out = env.ok(&["apply", "-f", file]);
        assert!(out.contains("no changes"), "{file}: {out}");
        assert_eq!(order(&env), ["a", "b", "c"], "{file}");
    }
    // Positions that contradict the list order are refused, not silently preferred.
    let all = env.ok(&["list", "-o", "json"]);
    let mut v: Vec<serde_json::Value> = serde_json::from_str(&all).unwrap();
    v.swap(0, 2);
    env.write("swapped.json", &serde_json::to_string(&v).unwrap());
    env.refused(&["apply", "-f", "swapped.json"], VALIDATION, &["position"]);
    let mut c: serde_json::Value =
        serde_json::from_str(&env.ok(&["inspect", "c", "-o", "json"])).unwrap();
    c["position"] = 9.into();
    env.write("far.json", &c.to_string());
    env.refused(
        &["apply", "-f", "far.json"],
        VALIDATION,
        &["position", "1..=3"],
    );
    // A new order without positions: three pools change place, three moves.
    let f = env.path("users.csv");
    let doc: String = ["c", "a", "b"]
        .iter()
        .map(|n| {
            format!(
                "- {{name: {n}, type: external, source: export, file: {}}}\n",
                f.display()
            )
        })
        .collect();
    env.write("order.yaml", &format!("pools:\n{doc}"));
    let out = env.ok(&["apply", "-f", "order.yaml"]);
    assert!(out.contains("applied 3 change(s): 3 moved"), "{out}");
    assert_eq!(order(&env), ["c", "a", "b"]);
}

/// A key given twice is reported at its second occurrence, where the fix is.
#[test]
fn duplicate_key_is_reported_at_the_duplicate() {
    let env = Env::new();
    env.write(
        "dup.yaml",
        "pools:\n- name: a\n  type: external\n  source: export\n  # the file\n  file: x.csv\n  mode: sync\n  file: y.csv\n",
    );
    env.refused(
        &["apply", "-f", "dup.yaml"],
        VALIDATION,
        &["dup.yaml:8:", "duplicate", "\"file\""],
    );
    env.write("top.yaml", "pools: []\n\npools: []\n");
    env.refused(
        &["apply", "-f", "top.yaml"],
        VALIDATION,
        &["top.yaml:3:1: duplicate key \"pools\"", "on line 1"],
    );
}

/// A key given twice in a flow mapping or a JSON object (apply reads JSON as YAML, on one
/// line or many) is reported at the second key, naming it and the line of the first; before,
/// a scan of the text found only block mappings and the error pointed at the mapping.
#[test]
fn duplicate_key_in_flow_style_and_json_is_reported_at_the_duplicate() {
    let env = Env::new();
    env.write("flow.yaml", "pools:\n- {name: a, type: export, name: b}\n");
    env.refused(
        &["apply", "-f", "flow.yaml"],
        VALIDATION,
        &["flow.yaml:2:27: duplicate key \"name\"", "on line 2"],
    );
    env.write(
        "one.json",
        r#"{"pools": [{"name": "a", "type": "external", "name": "b"}]}"#,
    );
    env.refused(
        &["apply", "-f", "one.json"],
        VALIDATION,
        &["one.json:1:46: duplicate key \"name\"", "on line 1"],
    );
    env.write(
        "many.json",
        "{\n  \"pools\": [\n    {\n      \"name\": \"a\",\n      \"type\": \"external\",\n      \"name\": \"b\"\n    }\n  ]\n}\n",
    );
    env.refused(
        &["apply", "-f", "many.json"],
        VALIDATION,
        &["many.json:6:7: duplicate key \"name\"", "on line 4"],
    );
    // A key of one pool is not a duplicate of the same key in the next.
    env.write(
        "two.json",
        r#"[{"name": "a", "type": "external", "source": "export", "file": "u.csv"}, {"name": "b", "type": "external", "source": "export", "file": "u.csv"}]"#,
    );
    env.ok(&["apply", "-f", "two.json"]);
}

/// `pools` run in `dir` (below the test dir) rather than the test dir itself.
fn ok_in(env: &Env, dir: &str, args: &[&str]) -> String {
    let out = env
        .cmd()
        .current_dir(env.path(dir))
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "pools {args:?} in {dir} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// A portable configuration: relative paths (`file`, `hash_config`, `file:` secret
/// references) are taken relative to the YAML file whatever the cwd, and `export` writes
/// them relative again with `--relative-to DIR` (absolute without it), so the exported
/// file applies as a no-op from anywhere; a machine-wide absolute path stays absolute.
#[test]
fn export_writes_paths_relative_so_the_file_is_portable() {
    let env = Env::new();
    for d in ["conf/exports", "conf/secrets", "elsewhere/deeper", "data"] {
        std::fs::create_dir_all(env.path(d)).unwrap();
    }
    let doc = "\
pools:
- name: rehearsal
  type: external
  source: export
  mode: jit
  tenant: auto
  enabled: true
  file: exports/u.json
  format: firebase
  hash_config: exports/hash.json
- name: outside
  type: external
  source: export
  mode: passthrough
  tenant: auto
  enabled: true
  file: ../data/u.csv
- name: machine-wide
  type: external
  source: export
  mode: passthrough
  tenant: auto
  enabled: true
  file: /nonexistent-pools-test/u.csv
- name: live
  type: external
  source: auth0
  mode: sync
  tenant: auto
  enabled: false
  domain: acme.eu.auth0.com
  client_id: c1
  client_secret: file:secrets/a0
";
    env.write("conf/pools.yaml", doc);
    ok_in(&env, "elsewhere", &["apply", "-f", "../conf/pools.yaml"]);
    // Logins use the absolute path, resolved against the YAML file's directory.
    let v: serde_json::Value = serde_json::from_str(&ok_in(
        &env,
        "elsewhere",
        &["inspect", "outside", "-o", "json"],
    ))
    .unwrap();
    let conf = env.path("conf").canonicalize().unwrap();
    assert_eq!(
        v["file"],
        conf.parent().unwrap().join("data/u.csv").to_str().unwrap()
    );
    // Exported relative to the YAML's directory: the document as written.
    let exported = ok_in(&env, "elsewhere", &["export", "--relative-to", "../conf"]);
    assert_eq!(unversioned(&exported), doc);
    env.write("conf/exported.yaml", &exported);
    let again = ok_in(
        &env,
        "elsewhere/deeper",
        &["apply", "-f", "../../conf/exported.yaml"],
    );
    assert!(again.contains("no changes"), "{again}");
    // Without --relative-to: absolute paths, right wherever the output is saved (a file saved
    // in another directory than the cwd must not silently point at other files).
    let here = ok_in(&env, "elsewhere", &["export"]);
    let conf_s = conf.to_str().unwrap();
    assert!(
        here.contains(&format!("file: {conf_s}/exports/u.json\n")),
        "{here}"
    );
    assert!(
        here.contains(&format!("client_secret: file:{conf_s}/secrets/a0\n")),
        "{here}"
    );
    env.write("data/here.yaml", &here);
    let again = ok_in(&env, "elsewhere", &["apply", "-f", "../data/here.yaml"]);
    assert!(again.contains("no changes"), "{again}");
    // JSON export, the same paths.
    let json: serde_json::Value = serde_json::from_str(&ok_in(
        &env,
        "conf",
        &["export", "-o", "json", "--relative-to", "."],
    ))
    .unwrap();
    assert_eq!(json["pools"][0]["file"], "exports/u.json");
    assert_eq!(json["pools"][1]["file"], "../data/u.csv");
    // The directory must exist: the exported file is to be saved there.
    env.refused(
        &["export", "--relative-to", "nope"],
        USAGE,
        &["--relative-to nope"],
    );
    // A table is not what export writes: refused, not answered with YAML.
    env.refused(
        &["export", "-o", "table"],
        USAGE,
        &["-o yaml", "pools list"],
    );
    assert!(
        env.ok(&["export", "-o", "yaml"])
            .starts_with("environment: ")
    );
}

/// A YAML document's refusals carry its file, line and pool, also for checks made after
/// parsing (a `fixed:` tenant with a control character); a UTF-16 document is named as such
/// with the iconv command that fixes it.
#[test]
fn apply_locates_every_refusal_and_names_utf16() {
    let env = Env::new();
    env.write("u.csv", "email,password_hash\na@x.org,\n");
    env.write(
        "t.yaml",
        "pools:\n  - name: a\n    type: external\n    source: export\n    file: u.csv\n    tenant: \"fixed:ac\\u001bme\"\n",
    );
    env.refused(
        &["apply", "-f", "t.yaml"],
        VALIDATION,
        &["t.yaml:6:13: pool 'a': tenant:", "U+001B"],
    );
    let wide: Vec<u8> = "pools: []\n"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    std::fs::write(env.path("w.yaml"), wide).unwrap();
    let stderr = env.refused(
        &["apply", "-f", "w.yaml"],
        VALIDATION,
        &["UTF-16LE", "iconv -f UTF-16LE -t UTF-8"],
    );
    assert!(!stderr.contains("control characters"), "{stderr}");
    // A UTF-8 byte-order mark (Windows editors) is no content.
    env.write("bom.yaml", "\u{feff}pools:\n  - name: b\n    type: external\n    source: export\n    file: u.csv\n    tenant: fixed:acme\n");
    env.ok(&["apply", "-f", "bom.yaml"]);
    assert!(env.ok(&["list"]).contains('b'));
}

/// The same refusal names the setting as the operator gives it: `--client-secret` on the
/// command line, `client_secret` (with the pool and its line) in a YAML document; hints say
/// `--x VALUE` there and `x: VALUE` here.
#[test]
fn refusals_name_yaml_keys_in_yaml_and_flags_on_the_command_line() {
    let env = Env::new();
    let no_flags = |stderr: &str| {
        for flag in [
            "--client-secret",
            "--tenant-fallback",
            "--tenant ",
            "--mode",
            "--domains",
        ] {
            assert!(!stderr.contains(flag), "{flag} in YAML context:\n{stderr}");
        }
    };
    // A required secret missing from an auth0 pool.
    env.write(
        "a0.yaml",
        "pools:\n- name: a0\n  type: external\n  source: auth0\n  domain: acme.auth0.com\n  client_id: c\n",
    );
    let e = env.refused(
        &["apply", "-f", "a0.yaml"],
        VALIDATION,
        &[
            // A setting the entry lacks: the entry's place.
            "a0.yaml:2:3: pool 'a0': client_secret",
            "hint: set client_secret: env:VAR",
        ],
    );
    no_flags(&e);
    env.ok(&[
        "create",
        "a0",
        "--type",
        "external",
        "--source",
        "auth0",
        "--domain",
        "acme.auth0.com",
        "--client-id",
        "c",
        "--client-secret",
        "env:A0_SECRET",
    ]);
    let e = env.refused(
        &["configure", "a0", "--client-secret", ""],
        VALIDATION,
        &[
            "error: --client-secret: ",
            "hint: pass --client-secret env:VAR",
        ],
    );
    assert!(!e.contains("client_secret"), "{e}");
    // A plain secret value (R11): `-` (stdin) is offered on the command line only.
    let e = env.refused(
        &["configure", "a0", "--client-secret", "hunter2-plain"],
        VALIDATION,
        &[
            "error: --client-secret: ",
            "R11",
            "--client-secret env:VAR",
            "--client-secret -",
        ],
    );
    assert!(
        !e.contains("client_secret") && !e.contains("hunter2"),
        "{e}"
    );
    env.write(
        "plain.yaml",
        "pools:\n- name: a0\n  type: external\n  source: auth0\n  domain: acme.auth0.com\n  client_id: c\n  client_secret: hunter2-plain\n",
    );
    let e = env.refused(
        &["apply", "-f", "plain.yaml"],
        VALIDATION,
        &[
            "plain.yaml:7:18: pool 'a0': client_secret: ",
            "hint: use client_secret: env:VAR, file:PATH or keyring:NAME",
        ],
    );
    assert!(!e.contains("stdin") && !e.contains("hunter2"), "{e}");
    no_flags(&e);
    // A fallback on a tenant source that is not a property (R4).
    env.write(
        "fb.yaml",
        "pools:\n- name: ex\n  type: external\n  source: export\n  file: u.csv\n  tenant: auto\n  tenant_fallback: auto\n",
    );
    let e = env.refused(
        &["apply", "-f", "fb.yaml"],
        VALIDATION,
        &[
            "fb.yaml:7:20: pool 'ex': tenant_fallback: ",
            "tenant_fallback: none",
            "tenant: property:<path>",
        ],
    );
    no_flags(&e);
    env.refused(
        &[
            "create",
            "ex",
            "--type",
            "external",
            "--source",
            "export",
            "--file",
            "u.csv",
            "--tenant",
            "auto",
            "--tenant-fallback",
            "auto",
        ],
        VALIDATION,
        &[
            "error: --tenant-fallback: ",
            "--tenant-fallback none",
            "--tenant property:<path>",
        ],
    );
    // JIT on an idp pool (R2).
    env.write(
        "idp.yaml",
        "pools:\n- name: corp\n  type: idp\n  mode: jit\n  issuer: https://id.example.org\n  client_id: c\n  client_secret: env:S\n",
    );
    let e = env.refused(
        &["apply", "-f", "idp.yaml"],
        VALIDATION,
        &[
            "idp.yaml:4:9: R2",
            "hint: use mode: sync or mode: passthrough",
        ],
    );
    no_flags(&e);
    env.refused(
        &[
            "create",
            "corp",
            "--type",
            "idp",
            "--mode",
            "jit",
            "--issuer",
            "https://id.example.org",
            "--client-id",
            "c",
            "--client-secret",
            "env:S",
        ],
        VALIDATION,
        &["R2", "hint: use --mode sync or --mode passthrough"],
    );
    // A bad routing domain: a YAML list there, a comma-separated flag value here.
    env.write(
        "dom.yaml",
        "pools:\n- name: ex\n  type: external\n  source: export\n  file: u.csv\n  domains: [not_a_domain]\n",
    );
    let e = env.refused(
        &["apply", "-f", "dom.yaml"],
        VALIDATION,
        &[
            "pool 'ex': domains: ",
            "domains: [example.com, \"*.example.org\"]",
        ],
    );
    no_flags(&e);
    env.refused(
        &["configure", "a0", "--domains", "not_a_domain"],
        VALIDATION,
        &["error: --domains: ", "--domains example.com,*.example.org"],
    );
}

/// R10: changing the source of a pool whose users still need it (imported without a hash)
/// strands them as deleting it would: refused without --force, allowed with it.
#[test]
fn changing_the_source_of_a_needed_pool_takes_force() {
    let env = Env::new();
    env.write("u.csv", "email,tenant_id\nkim@example.com,acme\n");
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
    env.write(
        "idp.yaml",
        "pools:\n  - name: p\n    type: idp\n    source: oidc\n    issuer: https://id.example.org\n    client_id: c\n    client_secret: env:HOME\n    tenant: fixed:acme\n",
    );
    env.refused(
        &["apply", "-f", "idp.yaml"],
        VALIDATION,
        &["R10", "from export to oidc", "1 user(s)", "--force"],
    );
    let out = env.run(&["apply", "-f", "idp.yaml", "--force"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(env.ok(&["inspect", "p", "-o", "json"]).contains("oidc"));
}

/// Issue 8: refusals found after parsing carry `file:line:column` in flow style as in block
/// style (and in the bare list `list -o yaml` prints, and the one pool `inspect` prints): at
/// the setting at fault, at the entry for a setting it lacks, at the second `name` of a
/// pool listed twice.
#[test]
fn flow_style_refusals_carry_line_and_column() {
    let env = Env::new();
    let cases: &[(&str, &[&str])] = &[
        (
            "pools: [{name: a, type: export, bogus: 1}]",
            &["f.yaml:1:25: pools[0].type: \"export\" is not one of `external`, `idp`"],
        ),
        (
            "pools: [{name: a, type: external, source: export, file: x.csv, bogus: 1}]",
            &["f.yaml:1:64: pools[0]: unknown field `bogus`"],
        ),
        (
            "pools: [{name: A, type: external, source: export, file: x.csv}]",
            &["f.yaml:1:16: pool 'A': R1: "],
        ),
        (
            "pools:\n  - {name: ok, type: external, source: export, file: x.csv}\n  - {name: corp, type: idp, issuer: \"https://id.example.org\",\n     client_id: c, client_secret: \"env:S\", mode: jit}\n",
            &["f.yaml:4:50: R2: pool 'corp'"],
        ),
        (
            "pools: [{name: a0, type: external, source: auth0, domain: acme.auth0.com, client_id: c}]",
            &["f.yaml:1:9: pool 'a0': client_secret: not set"],
        ),
        (
            "pools: [{name: x, type: external, source: export, file: f}, {name: x, type: external, source: export, file: g}]",
            &["f.yaml:1:68: pool 'x' appears twice"],
        ),
        (
            "[{name: a, type: external, source: export, file: x.csv, tenant: \"fixed:\"}]",
            &["f.yaml:1:65: pool 'a': tenant: "],
        ),
        (
            "{name: a, type: external, source: export, file: x.csv, position: 9}",
            &["f.yaml:1:66: position: pool 'a' is given position 9"],
        ),
    ];
    for (text, needles) in cases {
        env.write("f.yaml", text);
        let e = env.refused(&["apply", "-f", "f.yaml"], VALIDATION, needles);
        assert!(
            !e.contains("pools[0]: pool") && !e.contains("f.yaml: "),
            "{text}\n{e}"
        );
    }
}

/// `pools ARGS` killed (and the test failed) after `secs` seconds: exit code and stderr.
fn run_within(env: &Env, secs: u64, args: &[&str]) -> (Option<i32>, String) {
    let out = env
        .cmd()
        .args(args)
        .timeout(std::time::Duration::from_secs(secs))
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Issue 8 (F19): the YAML parser's time grows with the square of the nesting of flow
/// collections, and serde_yaml_ng parses the whole document before its limit of 128 levels
/// applies (100,000 levels took 50 s). `apply` now stops at the first collection past 128
/// levels, with its place, in flow sequences, flow maps and JSON alike; nothing is written.
#[test]
fn deep_nesting_is_refused_at_the_first_level_past_the_limit() {
    let env = Env::new();
    env.export_pool("a");
    let before = env.export();
    let n = 100_000;
    let cases = [
        (
            "seq.yaml",
            format!("pools: {}{}", "[".repeat(n), "]".repeat(n)),
            // The root mapping is level 1: the 128th `[` is level 129.
            "seq.yaml:1:135: ",
        ),
        (
            "map.yaml",
            format!("{}1{}", "{a: ".repeat(n), "}".repeat(n)),
            "map.yaml:1:513: ",
        ),
        (
            "json.yaml",
            format!("{{\"pools\": {}{}}}", "[".repeat(n), "]".repeat(n)),
            "json.yaml:1:138: ",
        ),
        (
            "block.yaml",
            format!("pools:\n{}x\n", "- ".repeat(n)),
            "block.yaml:2:255: ",
        ),
    ];
    for (file, text, at) in cases {
        env.write(file, &text);
        let (code, stderr) = run_within(&env, 10, &["apply", "-f", file, "--dry-run"]);
        assert_eq!(code, Some(VALIDATION), "{file}: {stderr}");
        assert!(
            stderr.starts_with(&format!("error: {at}")) && stderr.contains("128 levels"),
            "{file}: {stderr}"
        );
    }
    assert_eq!(env.export(), before);
}

/// The depth guard of F19 refuses nothing the parser would read: 128 levels pass it (the
/// document is then refused for its shape, as before), and brackets in comments and quoted
/// values are no nesting.
#[test]
fn nesting_within_the_limit_and_brackets_in_text_pass_the_depth_guard() {
    let env = Env::new();
    env.write(
        "deep128.yaml",
        &format!("pools: [{}{}]", "[".repeat(126), "]".repeat(126)),
    );
    let e = env.refused(
        &["apply", "-f", "deep128.yaml"],
        VALIDATION,
        &["deep128.yaml:1:9: "],
    );
    assert!(!e.contains("128 levels"), "{e}");
    let brackets = "[{".repeat(50_000);
    env.write(
        "text.yaml",
        &format!(
            "# {brackets}\npools:\n- name: a # {brackets}\n  type: external\n  source: export\n  file: \"users[{{1}}].csv\"\n  tenant: 'fixed:[[[{{{{'\n"
        ),
    );
    let (code, stderr) = run_within(&env, 10, &["apply", "-f", "text.yaml"]);
    assert_eq!(code, Some(0), "{stderr}");
    let json = env.ok(&["inspect", "a", "-o", "json"]);
    assert!(
        json.contains("users[{1}].csv") && json.contains("fixed:[[[{{"),
        "{json}"
    );
}

/// Issue 8: a document of many pools plans in time linear in their number. Names were
/// checked for duplicates, and the pools after the plan found, by scanning the list once per
/// pool: 60,000 pools (4 MiB) took over 20 s to plan, now 5 s; the 150,000 of a 15 MiB
/// document took 416 s in a debug build, now 25 s.
#[test]
fn a_document_of_many_pools_plans_in_linear_time() {
    let env = Env::new();
    let n = 60_000;
    let mut text = String::from("pools:\n");
    for i in 0..n {
        text.push_str(&format!(
            "- {{name: p{i}, type: external, source: export, file: users.csv}}\n"
        ));
    }
    env.write("many.yaml", &text);
    let (code, stderr) = run_within(&env, 20, &["apply", "-f", "many.yaml", "--dry-run"]);
    assert_eq!(code, Some(0), "{}", &stderr[..stderr.len().min(2000)]);
}

/// Issue 8 (F21): a character YAML does not allow is refused at its own line and column,
/// by code point: libyaml tells only its byte offset, and the refusal read
/// `nul.yaml:1:1: control characters are not allowed at position 10`.
#[test]
fn a_control_character_is_refused_where_it_is() {
    let env = Env::new();
    let cases: &[(&str, &str, &str)] = &[
        ("pools: []\n\0\n", "f.yaml:2:1: ", "U+0000"),
        ("pools:\n- name: é\u{7f}\n", "f.yaml:2:10: ", "U+007F"),
        (
            "\u{feff}pools: []\r\n# €\u{1b}\r\n",
            "f.yaml:2:4: ",
            "U+001B",
        ),
    ];
    for (text, at, code_point) in cases {
        env.write("f.yaml", text);
        let e = env.refused(&["apply", "-f", "f.yaml"], VALIDATION, &[at, code_point]);
        assert!(!e.contains("position"), "{e}");
    }
}

/// Issue 8 (F21): a YAML tag serde_yaml_ng would drop (`name: !foo abc` created pool `abc`)
/// is refused, named, at its place: on a value, a key, a list, a pool, the document.
#[test]
fn custom_yaml_tags_are_refused_wherever_they_are() {
    let env = Env::new();
    let pool = "type: external\n  source: export\n  file: u.csv";
    let cases = [
        (format!("pools:\n- name: !foo abc\n  {pool}\n"), "f.yaml:2:9: ", "`!foo`"),
        (format!("pools:\n- !k name: abc\n  {pool}\n"), "f.yaml:2:3: ", "`!k`"),
        (format!("pools: !list\n- name: abc\n  {pool}\n"), "f.yaml:1:8: ", "`!list`"),
        (format!("pools:\n- !pool\n  name: abc\n  {pool}\n"), "f.yaml:2:3: ", "`!pool`"),
        (format!("--- !doc\npools:\n- name: abc\n  {pool}\n"), "f.yaml:1:5: ", "`!doc`"),
        (
            "pools: [{name: abc, type: !!binary ZXh0ZXJuYWw=, source: export, file: u.csv}]".into(),
            "f.yaml:1:27: ",
            "`!!binary`",
        ),
        (
            "pools: [{name: abc, type: external, source: export, file: u.csv, domains: !!seq a.org}]"
                .into(),
            "f.yaml:1:75: ",
            "`!!seq` does not fit",
        ),
    ];
    for (text, at, tag) in &cases {
        env.write("f.yaml", text);
        env.refused(
            &["apply", "-f", "f.yaml"],
            VALIDATION,
            &[at, tag, "hint: remove the tag"],
        );
    }
    // The core schema's tags say what serde_yaml_ng reads anyway: they pass.
    env.write(
        "f.yaml",
        "pools:\n- name: !!str abc\n  type: external\n  source: export\n  file: u.csv\n  enabled: !!bool true\n",
    );
    env.ok(&["apply", "-f", "f.yaml"]);
    assert!(env.ok(&["list"]).contains("abc"));
}

/// F17: an apply document's keywords read in any case, as the CLI reads its flags: enum
/// values (`type`, `source`, `mode`, `allow`, `format`), tenant keywords and prefixes (R4)
/// and secret reference prefixes (R11). What follows a prefix keeps its case, a relative
/// `File:` path is still taken relative to the document, and export writes the canonical
/// lower-case keywords: the store equals the one built from the lower-case document.
#[test]
fn keywords_in_any_case_apply_as_their_lower_case_form() {
    let doc = |k: &dyn Fn(&str) -> String| {
        format!(
            "pools:\n\
             - name: a\n  type: {}\n  source: {}\n  mode: {}\n  tenant: {}app_metadata.TenantId\n  tenant_fallback: {}\n  allow: [{}]\n  file: users.csv\n  format: {}\n\
             - name: b\n  type: {}\n  source: {}\n  mode: {}\n  tenant: {}Acme\n  tenant_fallback: {}\n  domain: acme.eu.auth0.com\n  client_id: cid\n  client_secret: {}My_Secret\n\
             - name: c\n  type: {}\n  source: {}\n  mode: {}\n  tenant: {}\n  project_id: p-1\n  api_key: {}secrets/Key.txt\n\
             - name: d\n  type: {}\n  source: {}\n  mode: {}\n  url: https://u.example.net/auth\n  auth_header: {}partner/Header\n",
            k("external"),
            k("export"),
            k("jit"),
            k("property:"),
            k("auto"),
            k("sso"),
            k("csv"),
            k("external"),
            k("auth0"),
            k("sync"),
            k("fixed:"),
            k("none"),
            k("env:"),
            k("external"),
            k("firebase"),
            k("passthrough"),
            k("auto"),
            k("file:"),
            k("external"),
            k("custom"),
            k("jit"),
            k("keyring:"),
        )
    };
    let lower = Env::new();
    std::fs::create_dir(lower.path("conf")).unwrap();
    lower.write("conf/pools.yaml", &doc(&|s| s.to_owned()));
    lower.ok(&["apply", "-f", "conf/pools.yaml"]);
    let expected = lower.export();
    assert!(
        expected.contains("tenant: property:app_metadata.TenantId"),
        "{expected}"
    );

    for fold in [str::to_uppercase as fn(&str) -> String, |s: &str| {
        let mut c = s.chars();
        c.next()
            .map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
    }] {
        let env = Env::new();
        std::fs::create_dir(env.path("conf")).unwrap();
        let text = doc(&|s| fold(s));
        env.write("conf/pools.yaml", &text);
        let out = env.run(&["apply", "-f", "conf/pools.yaml"]);
        assert!(
            out.status.success(),
            "{text}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        // Same pools, same canonical spelling; paths (made absolute) differ only by the dir.
        let got = env.export().replace(
            env.dir.path().to_str().unwrap(),
            lower.dir.path().to_str().unwrap(),
        );
        assert_eq!(unversioned(&got), unversioned(&expected), "{text}");
    }
}

/// README (The YAML format): anchors and aliases are read as YAML defines them, and an alias
/// with no anchor before it is refused at the alias, in the document's words.
#[test]
fn aliases_repeat_their_anchor_and_an_unknown_alias_is_refused_at_its_place() {
    let env = Env::new();
    env.write(
        "a.yaml",
        "pools:\n- {name: a, type: external, source: export, file: &f u.csv, tenant: &t fixed:acme}\n- {name: b, type: external, source: export, file: *f, tenant: *t}\n",
    );
    env.ok(&["apply", "-f", "a.yaml"]);
    let b: serde_json::Value =
        serde_json::from_str(&env.ok(&["inspect", "b", "-o", "json"])).unwrap();
    assert_eq!(b["tenant"], "fixed:acme", "{b}");
    env.write(
        "u.yaml",
        "pools:\n- {name: c, type: external, source: export, file: u.csv,\n   tenant: *nope}\n",
    );
    env.refused(
        &["apply", "-f", "u.yaml"],
        VALIDATION,
        &["u.yaml:3:12: the alias `*nope` refers to no anchor `&nope` before it"],
    );
}

/// R12 (trial finding 6): `pools export` writes each pool's version and the store's
/// environment, so an edited export applied after another operator changed a pool is refused
/// (exit 4) naming the pool, both versions and the fix, and writes nothing; a fresh export
/// still applies as a no-op, and the edit redone on it applies.
#[test]
fn r12_an_edited_export_refuses_a_pool_changed_since() {
    let env = Env::new();
    env.export_pool("e1");
    let exported = env.export();
    assert!(exported.contains("\n  version: 1\n"), "{exported}");
    // Operator B changes e1 after A's export; A edits the export and applies it.
    env.ok(&["configure", "e1", "--disable"]);
    env.write(
        "A.yaml",
        &exported.replace("mode: passthrough", "mode: jit"),
    );
    env.refused(
        &["apply", "-f", "A.yaml"],
        CONFLICT,
        &[
            "A.yaml:5:12: pool 'e1'",
            "version 1 in A.yaml",
            "version 2 in the store",
            "nothing was written (R12)",
            "hint: export again (`pools export > FILE`), redo your edit",
        ],
    );
    env.refused(
        &["apply", "-f", "A.yaml", "--dry-run"],
        CONFLICT,
        &["version 2 in the store"],
    );
    // The fix the hint names: export again, redo the edit, apply.
    let fresh = env.export();
    env.write("B.yaml", &fresh);
    assert!(env.ok(&["apply", "-f", "B.yaml"]).contains("no changes"));
    env.write("B.yaml", &fresh.replace("mode: passthrough", "mode: jit"));
    let applied = env.ok(&["apply", "-f", "B.yaml"]);
    assert!(applied.contains("mode: passthrough -> jit"), "{applied}");
    assert!(
        !applied.contains("enabled"),
        "B's change is kept: {applied}"
    );
    let v: serde_json::Value =
        serde_json::from_str(&env.ok(&["inspect", "e1", "-o", "json"])).unwrap();
    assert_eq!(
        (v["enabled"].as_bool(), v["version"].as_u64()),
        (Some(false), Some(3))
    );
}

/// R12: around the version check of an export: a pool added to the file (no version) is
/// created, one removed from it is deleted by `--prune`, one deleted from the store since the
/// export is refused (exit 4, not re-created), a document without versions applies as a
/// hand-written one does (last writer wins), and the `version` and `environment` keys are
/// known to the reader (R1: unknown keys are errors).
#[test]
fn r12_export_versions_with_new_pruned_and_deleted_pools() {
    let env = Env::new();
    for n in ["a", "b", "c"] {
        env.export_pool(n);
    }
    let exported = env.export();
    assert!(exported.starts_with("environment: "), "{exported}");
    // Drop c (prune) and add d (no version: created).
    let (kept, _) = exported.split_once("- name: c\n").unwrap();
    let d = format!(
        "- name: d\n  type: external\n  source: export\n  file: {}\n",
        env.path("users.csv").display()
    );
    env.write("edit.yaml", &format!("{kept}{d}"));
    let out = env.ok(&["apply", "-f", "edit.yaml", "--prune", "--yes"]);
    assert!(
        out.contains("+ create d") && out.contains("- delete c"),
        "{out}"
    );
    assert_eq!(order(&env), ["a", "b", "d"]);
    assert!(
        env.ok(&["apply", "-f", "edit.yaml", "--prune", "--yes"])
            .contains("no changes")
    );
    // b deleted by another operator since the export: not silently re-created.
    let exported = env.export();
    env.ok(&["delete", "b", "--yes"]);
    env.write("stale.yaml", &exported);
    env.refused(
        &["apply", "-f", "stale.yaml"],
        CONFLICT,
        &[
            "pool 'b' is at version 1 in stale.yaml but is not in the store",
            "to create pool 'b' anew, remove its `version`",
        ],
    );
    // Without versions (hand-written), the file's settings win, as before.
    env.ok(&["configure", "a", "--disable"]);
    env.write("hand.yaml", &unversioned(&exported));
    let out = env.ok(&["apply", "-f", "hand.yaml"]);
    assert!(
        out.contains("+ create b") && out.contains("enabled: false -> true"),
        "{out}"
    );
}

/// R12: versions count one store's changes, so an export applied to another store (a new
/// store, staging promoted to production) is applied without them, saying so; a fresh store
/// built from an export exports the same pools.
#[test]
fn an_export_applies_to_another_store_without_its_versions() {
    let env = Env::new();
    env.export_pool("a");
    env.ok(&["configure", "a", "--mode", "sync"]);
    env.ok(&["configure", "a", "--disable"]);
    let exported = env.export();
    assert!(exported.contains("version: 3"), "{exported}");
    let other = Env::new();
    other.export_pool("a");
    other.write("prod.yaml", &exported);
    let out = other.run(&["apply", "-f", "prod.yaml"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("prod.yaml was exported from another environment")
            && stderr.contains("not checked here (R12)"),
        "{stderr}"
    );
    assert_eq!(unversioned(&other.export()), unversioned(&exported));
    // Retrial finding G: a blank `environment` is no other store's, and must not turn the
    // version checks off: refused, nothing written.
    let id_line = exported
        .lines()
        .find(|l| l.starts_with("environment:"))
        .unwrap()
        .to_owned();
    for blank in ["environment: ''", "environment: '  '"] {
        env.write("blank.yaml", &exported.replace(&id_line, blank));
        let before = env.export();
        env.refused(
            &["apply", "-f", "blank.yaml"],
            VALIDATION,
            &["blank.yaml", "`environment` is empty", "R12"],
        );
        assert_eq!(env.export(), before);
    }
}

/// Trial finding 4: a document read through a pipe or a process's fd (`-f <(...)` is
/// `/dev/fd/63`) has no directory of its own, so its relative paths are taken from the
/// working directory, as for `-f -`, never stored under `/proc/PID/fd/`; also when the fd
/// is a regular file.
#[test]
fn a_document_from_a_pipe_or_fd_resolves_paths_against_the_working_directory() {
    let env = Env::new();
    let doc = "pools:\n- name: rr\n  type: external\n  source: export\n  tenant: auto\n  mode: jit\n  file: users.csv\n";
    let cwd = env.dir.path().canonicalize().unwrap();
    let stored = |env: &Env| {
        let v: serde_json::Value =
            serde_json::from_str(&env.ok(&["inspect", "rr", "-o", "json"])).unwrap();
        v["file"].as_str().unwrap().to_owned()
    };
    // An fd open on a regular file in another directory: /proc/self/fd (and /dev, where
    // /dev/stdin lives) is still no directory of paths (retrial finding D).
    std::fs::create_dir(env.path("sub")).unwrap();
    env.write("sub/doc.yaml", doc);
    // The document through /dev/fd/0 (/proc/self/fd/0) and /dev/stdin, from a pipe and
    // from that file.
    for from_file in [false, true] {
        for path in ["/dev/fd/0", "/dev/stdin"] {
            let mut cmd = env.std_cmd();
            cmd.args(["apply", "-f", path]);
            let out = if from_file {
                cmd.stdin(std::fs::File::open(env.path("sub/doc.yaml")).unwrap())
                    .output()
                    .unwrap()
            } else {
                Command::from_std(cmd).write_stdin(doc).output().unwrap()
            };
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            assert_eq!(
                stored(&env),
                cwd.join("users.csv").to_str().unwrap(),
                "{path} (from a file: {from_file})"
            );
            env.ok(&["delete", "rr", "--yes"]);
        }
    }
}

/// Issue 8 retrial residue (R12): `pools export` names the order version it read. An export
/// taken before another operator's `reorder` would move the pools back, and its `--prune`
/// would delete a pool created after it: both are refused (exit 4, in the dry run too),
/// naming both order versions and the fix, and nothing is written. A pool deleted and created
/// again goes on counting versions, so an export of the old pool does not match the new one.
/// Changing settings or adding pools does not depend on the order and still applies, and a
/// fresh export applies a delete.
#[test]
fn r12_an_export_read_before_an_order_change_cannot_undo_it() {
    let env = Env::new();
    env.export_pool("a");
    env.export_pool("b");
    let old = env.export();
    assert!(old.contains("\norder_version: "), "{old}");
    // Another operator moves b first; the old export would move it back.
    env.ok(&["reorder", "--move", "b", "--to", "1"]);
    env.write("swap.yaml", &old);
    let before = env.export();
    for dry in [true, false] {
        let mut args = vec!["apply", "-f", "swap.yaml"];
        if dry {
            args.push("--dry-run");
        }
        env.refused(
            &args,
            CONFLICT,
            &["pool order changed", "move pools", "R12", "export again"],
        );
    }
    assert_eq!(env.export(), before);
    // ... and creates c: the old export's --prune would delete it.
    let read = env.export();
    env.export_pool("c");
    env.write("prune.yaml", &read);
    env.refused(
        &["apply", "-f", "prune.yaml", "--prune", "--yes"],
        CONFLICT,
        &["pool order changed", "delete pools", "R12"],
    );
    assert_eq!(order(&env), ["b", "a", "c"]);
    // An edit of settings only, from the stale export, still applies: nothing it undoes.
    env.write("edit.yaml", &read.replace("mode: passthrough", "mode: jit"));
    env.ok(&["apply", "-f", "edit.yaml"]);
    assert_eq!(order(&env), ["b", "a", "c"]);
    // A fresh export without c, with --prune, deletes it: the order it read is the store's.
    let fresh = env.export();
    let without_c = &fresh[..fresh.find("- name: c\n").unwrap()];
    env.write("fresh.yaml", without_c);
    env.ok(&["apply", "-f", "fresh.yaml", "--prune", "--yes"]);
    assert_eq!(order(&env), ["b", "a"]);
    env.ok(&["reorder", "a", "b"]);
    // Deleted and created again: versions go on, so the old pool's export is stale.
    let with_a = env.export();
    env.ok(&["delete", "a", "--yes"]);
    env.export_pool("a");
    let v: serde_json::Value =
        serde_json::from_str(&env.ok(&["inspect", "a", "-o", "json"])).unwrap();
    assert!(v["version"].as_u64().unwrap() > 1, "{v:#}");
    env.write("again.yaml", &with_a.replace("mode: jit", "mode: sync"));
    env.refused(
        &["apply", "-f", "again.yaml"],
        CONFLICT,
        &["pool 'a' changed since", "R12"],
    );
}

/// R1: a pool named twice is refused at the second entry, naming the first's line and how to
/// fix it; an entry that is a YAML alias (`- *a`) of another is reported at the alias, since
/// the parser gives the copy the anchor's position (retrial-2 finding).
#[test]
fn r1_a_pool_named_twice_is_refused_at_the_second_entry() {
    let env = Env::new();
    env.write(
        "twice.yaml",
        "pools:\n- name: a\n  type: external\n  source: export\n  file: u.csv\n- name: a\n  type: external\n  source: export\n  file: v.csv\n",
    );
    env.refused(
        &["apply", "-f", "twice.yaml"],
        VALIDATION,
        &[
            "twice.yaml:6:9: pool 'a' appears twice (R1: names are unique)",
            "pools[0], line 2",
            "hint: rename one of the two pools, or remove one",
        ],
    );
    env.write(
        "alias.yaml",
        "pools:\n- &first\n  name: a\n  type: external\n  source: export\n  file: u.csv\n- *first\n",
    );
    env.refused(
        &["apply", "-f", "alias.yaml"],
        VALIDATION,
        &[
            "alias.yaml:7:3: pool 'a' appears twice (R1: names are unique)",
            "the alias `*first` repeats pools[0], line 2",
            "hint: remove the alias entry, or write the second pool out with a name of its own",
        ],
    );
    assert!(order(&env).is_empty(), "nothing written");
}

/// R1: an invalid name's hint gives a valid one in the spelling of where it was written.
#[test]
fn r1_an_invalid_name_is_answered_with_a_valid_one() {
    let env = Env::new();
    env.write(
        "upper.yaml",
        "pools:\n- name: Legacy Users\n  type: external\n  source: export\n  file: u.csv\n",
    );
    env.refused(
        &["apply", "-f", "upper.yaml"],
        VALIDATION,
        &["upper.yaml:2:9:", "hint: write name: legacy-users"],
    );
    env.refused(
        &[
            "create", "A", "--type", "external", "--source", "export", "--file", "u.csv",
        ],
        VALIDATION,
        &["hint: a valid name close to it: a"],
    );
}

/// A missing `type` is answered with the type its source implies.
#[test]
fn a_missing_type_is_answered_with_the_type_of_the_source() {
    let env = Env::new();
    env.write(
        "notype.yaml",
        "pools:\n- name: a\n  source: custom\n  url: http://127.0.0.1:9/login\n",
    );
    env.refused(
        &["apply", "-f", "notype.yaml"],
        VALIDATION,
        &["type: not set", "hint: set type: external"],
    );
}

/// R1: a name given as a YAML alias of another pool's name (`name: *n`) is refused at the
/// alias, not at the anchor the parser places it at; a null name (`name:`, `~`, `null`) is
/// refused rather than read as a pool named "null" or "~" (retrial 3).
#[test]
fn r1_an_aliased_or_null_name_is_refused_where_it_is_written() {
    let env = Env::new();
    env.write(
        "n.yaml",
        "pools:\n- name: &n a\n  type: external\n  source: export\n  file: u.csv\n- type: external\n  source: export\n  name: *n\n  file: v.csv\n",
    );
    env.refused(
        &["apply", "-f", "n.yaml"],
        VALIDATION,
        &[
            "n.yaml:8:9: pool 'a' appears twice (R1: names are unique): this name is the alias `*n`, and pools[0], line 2 has the name already",
            "hint: give this pool a name of its own",
        ],
    );
    for null in ["null", "~", "", "Null"] {
        env.write(
            "null.yaml",
            &format!("pools:\n- name: {null}\n  type: external\n  source: export\n  file: u.csv\n"),
        );
        env.refused(
            &["apply", "-f", "null.yaml"],
            VALIDATION,
            &[
                "null.yaml:2:",
                "pool name is null",
                "hint: write the pool's name",
            ],
        );
    }
    // A quoted "null" is a name like any other.
    env.write(
        "quoted.yaml",
        "pools:\n- name: \"null\"\n  type: external\n  source: export\n  file: u.csv\n",
    );
    env.ok(&["apply", "-f", "quoted.yaml"]);
    assert_eq!(order(&env), ["null"]);
}
