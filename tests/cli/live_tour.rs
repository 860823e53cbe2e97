//! R11 across every live source at once: one store holding a custom, a Cognito, a Firebase
//! and an Auth0 pool (the example endpoint, moto, the Firebase Auth emulator and the Auth0
//! double, all on 127.0.0.1), a whole operator's tour through them, and then every output,
//! the store file with its sidecars and the audit log searched for each secret, password
//! and token the tour used. `pools` writes no log file of its own: what it says goes to
//! stdout and stderr, which are searched, and its record of changes is the audit log.

use crate::Env;
use crate::live::{
    CsvUser, UserPool, auth0_double, custom_endpoint, firebase, firebase_plain, firebase_user,
    unique_email, write_users,
};
use serde_json::{Value, json};
use std::process::Output;

const ANN_PASSWORD: &str = "Ann-custom-pass-5521";
const LEE_PASSWORD: &str = "Lee-cognito-pass-8803";
const FAY_PASSWORD: &str = "Fay-firebase-pass-1174";
const AL_PASSWORD: &str = "Al-auth0-pass-6690";
const HEADER: &str = "Bearer tour-header-value-do-not-print-3318";
const API_KEY: &str = "AIzaSyTourKey-do-not-print-9462";
const A0_SECRET: &str = "a0-tour-client-secret-do-not-print-2207";
const A0_CLIENT: &str = "tour-app";
const A0_DOMAIN: &str = "acme.test";

/// Runs `pools` in `env` with the Cognito client secret's variable set and `stdin`.
fn run(env: &Env, cognito_secret: &str, args: &[&str], stdin: &str) -> Output {
    env.cmd()
        .env("TOUR_COGNITO_SECRET", cognito_secret)
        .args(args)
        .write_stdin(stdin.to_owned())
        .output()
        .unwrap()
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// The login's trace (`-o json`) and its exit code.
fn trace(out: &Output) -> (i32, Value) {
    let t = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(out)));
    (out.status.code().unwrap(), t)
}

/// R11: every live source in one tour (create with secrets by reference and on stdin,
/// `check`, rehearsals in table, JSON and verbose form, JIT and sync migrations, wrong
/// passwords, an unknown user asked of all four, `inspect`, `export`, `users`, `audit`,
/// `status`, `doctor`): no password, client secret, API key, Authorization header value or
/// token (a JWT from Cognito or Firebase, an Auth0 token the double records) is in any output,
/// in the store file or its WAL, or in the audit log.
#[test]
fn r11_a_tour_through_every_live_source_leaks_no_secret_password_or_token() {
    let _plain = firebase_plain();
    // Local only: `env:` references resolve on the store's side, and the suite's server
    // lacks the variables this test sets (R11 through a server: live_custom::r11_a_tour_through_the_server_leaks_no_secret_password_or_token).
    let env = Env::on(crate::Backend::Sqlite);
    let mut outputs = String::new();

    // Custom: the example endpoint, which demands the Authorization header.
    write_users(
        &env,
        "custom.csv",
        &[CsvUser {
            id: "c-1",
            identifier: "ann@shop.test",
            password: ANN_PASSWORD,
            aliases: &[],
            disabled: false,
            profile: &[("tenantId", "shop")],
        }],
    );
    let custom = custom_endpoint(&env, "custom.csv", &["--auth-header", HEADER]);
    // Cognito: a user pool whose app client has a secret.
    let up = UserPool::new(true);
    let cognito_secret = up.client_secret.clone().expect("GenerateSecret gives one");
    up.user("lee@aws.test", LEE_PASSWORD, &[("custom:tenantId", "aws")]);
    // Firebase: the emulator's project.
    let fay = unique_email("fay");
    firebase_user(
        &fay,
        FAY_PASSWORD,
        json!({"customAttributes": r#"{"tenantId":"fb"}"#}),
    );
    env.write("fb.key", API_KEY);
    // Auth0: the double, recording every token it issues.
    env.write(
        "tenant.json",
        &json!({"domain": A0_DOMAIN, "client_id": A0_CLIENT, "client_secret": A0_SECRET,
                "connections": ["Username-Password-Authentication"], "management": true,
                "users": [{"user_id": "auth0|tour0001", "email": "al@a0.test",
                           "password": AL_PASSWORD, "app_metadata": {"tenantId": "a0"}}]})
        .to_string(),
    );
    let issued = env.path("issued.txt");
    let a0 = auth0_double(&env, "tenant.json", &["--issued", issued.to_str().unwrap()]);

    let custom_url = format!("{}/auth", custom.base);
    let key_ref = format!("file:{}", env.path("fb.key").display());
    let cognito_flags = up.flags();
    let mut cognito_args = vec!["create", "aws", "--type", "external"];
    cognito_args.extend(cognito_flags.iter().map(String::as_str).filter(|f| {
        // The helper's reference is the per-test variable of the Cognito tests.
        *f != "env:COGNITO_SECRET"
    }));
    let fb_base = firebase();
    let creates: Vec<(Vec<&str>, String)> = vec![
        (
            vec![
                "create",
                "shop",
                "--type",
                "external",
                "--source",
                "custom",
                "--url",
                &custom_url,
                "--auth-header",
                "-",
                "--tenant",
                "property:tenantId",
            ],
            format!("{HEADER}\n"),
        ),
        (
            {
                let mut a = cognito_args.clone();
                let at = a.iter().position(|f| *f == "--client-secret").unwrap();
                a.insert(at + 1, "env:TOUR_COGNITO_SECRET");
                a.extend(["--mode", "sync", "--tenant", "property:custom:tenantId"]);
                a
            },
            String::new(),
        ),
        (
            vec![
                "create",
                "fb",
                "--type",
                "external",
                "--source",
                "firebase",
                "--project-id",
                crate::live::FIREBASE_PROJECT,
                "--api-key",
                &key_ref,
                "--endpoint-url",
                &fb_base,
                "--mode",
                "sync",
                "--tenant",
                "property:customAttributes.tenantId",
            ],
            String::new(),
        ),
        (
            vec![
                "create",
                "a0",
                "--type",
                "external",
                "--source",
                "auth0",
                "--domain",
                A0_DOMAIN,
                "--client-id",
                A0_CLIENT,
                "--client-secret",
                "-",
                "--endpoint-url",
                &a0.base,
                "--tenant",
                "property:app_metadata.tenantId",
            ],
            format!("{A0_SECRET}\n"),
        ),
    ];
    for (args, stdin) in &creates {
        let out = run(&env, &cognito_secret, args, stdin);
        assert!(out.status.success(), "{args:?}: {}", text(&out));
        outputs.push_str(&text(&out));
    }

    // Every prerequisite probed, in both forms.
    for args in [&["check"][..], &["check", "-o", "json"]] {
        let out = run(&env, &cognito_secret, args, "");
        assert!(out.status.success(), "{args:?}: {}", text(&out));
        outputs.push_str(&text(&out));
    }

    // Rehearsals, then migrations, of each source's user; each login of a later pool's user
    // asks every pool before it.
    let people = [
        ("ann@shop.test", ANN_PASSWORD, "shop"),
        ("lee@aws.test", LEE_PASSWORD, "aws"),
        (fay.as_str(), FAY_PASSWORD, "fb"),
        ("al@a0.test", AL_PASSWORD, "a0"),
    ];
    for (who, password, tenant) in people {
        let stdin = format!("{password}\n");
        let out = run(
            &env,
            &cognito_secret,
            &["simulate-login", who, "--password-stdin", "-o", "json"],
            &stdin,
        );
        outputs.push_str(&text(&out));
        let (code, t) = trace(&out);
        assert_eq!(code, 0, "{who}: {t:#}");
        let resolved = t["steps"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["asked"] == "tenant")
            .and_then(|s| s["detail"].as_str())
            .unwrap_or_default();
        assert!(
            resolved.starts_with(&format!("{tenant} via")),
            "{who}: {t:#}"
        );
        for extra in [&["--commit", "-v"][..], &["-v"], &[]] {
            let mut args = vec!["simulate-login", who, "--password-stdin"];
            args.extend_from_slice(extra);
            let out = run(&env, &cognito_secret, &args, &stdin);
            assert!(out.status.success(), "{who} {extra:?}: {}", text(&out));
            outputs.push_str(&text(&out));
        }
        let out = run(
            &env,
            &cognito_secret,
            &[
                "simulate-login",
                who,
                "--password-stdin",
                "-o",
                "json",
                "-v",
            ],
            "not-the-password\n",
        );
        outputs.push_str(&text(&out));
    }
    // A user none of them holds: every source is asked, with the last person's password.
    let out = run(
        &env,
        &cognito_secret,
        &[
            "simulate-login",
            "nobody@tour.test",
            "--password-stdin",
            "-o",
            "json",
            "-v",
        ],
        &format!("{AL_PASSWORD}\n"),
    );
    outputs.push_str(&text(&out));
    let (_, t) = trace(&out);
    let asked: Vec<&str> = t["steps"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["exchanges"].as_array().is_some_and(|e| !e.is_empty()))
        .filter_map(|s| s["asked"].as_str()?.strip_prefix("pool "))
        .collect();
    assert_eq!(asked, ["shop", "aws", "fb", "a0"], "{t:#}");

    for args in [
        &["inspect"][..],
        &["inspect", "-o", "json"],
        &["inspect", "shop", "-o", "yaml"],
        &["inspect", "aws", "-o", "json"],
        &["inspect", "fb", "-o", "json"],
        &["inspect", "a0", "-o", "json"],
        &["export"],
        &["users", "list", "-o", "json"],
        &["users", "show", "lee@aws.test", "-o", "json"],
        &["users", "show", &fay, "-o", "json"],
        &["audit"],
        &["audit", "-o", "json"],
        &["status", "-o", "json"],
        &["doctor"],
    ] {
        let out = run(&env, &cognito_secret, args, "");
        assert!(out.status.success(), "{args:?}: {}", text(&out));
        outputs.push_str(&text(&out));
    }
    // The tour did what it says: four users migrated (JIT or sync), one per source.
    for (who, _, _) in people {
        assert!(outputs.contains(who), "{who} missing from the outputs");
    }

    let mut stored = String::new();
    if let Some(store) = env.local_store() {
        for sidecar in ["", "-wal", "-shm", "-journal"] {
            let mut p = store.clone().into_os_string();
            p.push(sidecar);
            if let Ok(bytes) = std::fs::read(&p) {
                stored.push_str(&String::from_utf8_lossy(&bytes));
            }
        }
        assert!(!stored.is_empty(), "no store file at {}", store.display());
    }
    let tokens = std::fs::read_to_string(&issued).unwrap();
    let tokens: Vec<&str> = tokens.lines().collect();
    assert!(!tokens.is_empty(), "the Auth0 double issued no token");
    let mut needles = vec![
        ANN_PASSWORD,
        LEE_PASSWORD,
        FAY_PASSWORD,
        AL_PASSWORD,
        HEADER,
        "tour-header-value",
        API_KEY,
        A0_SECRET,
        cognito_secret.as_str(),
        // Every JWT (Cognito's and the Firebase emulator's tokens) starts so.
        "eyJ",
        "key=",
    ];
    needles.extend(&tokens);
    for needle in needles {
        assert!(
            !outputs.contains(needle),
            "{needle} in the outputs:\n{outputs}"
        );
        assert!(!stored.contains(needle), "{needle} in the store file");
    }
}
