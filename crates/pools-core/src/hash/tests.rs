//! Unit tests: published vectors (fixtures/hash-vectors.json), the sample exports in fixtures/,
//! independently generated vectors (Python hashlib/hmac, the argon2 reference CLI), error
//! paths, and the secrecy of Debug and error output.

use std::collections::BTreeSet;
use std::path::PathBuf;

use serde_json::{Value, json};

use super::*;

// ---------------------------------------------------------------- helpers

fn fixture(name: &str) -> String {
    // The workspace's one set of fixtures, shared with the binary's tests.
    let dir = if name == "hash-vectors.json" {
        "../../tests/fixtures"
    } else {
        "../../tests/fixtures/exports"
    };
    let path: PathBuf = [env!("CARGO_MANIFEST_DIR"), dir, name].iter().collect();
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

fn fixture_json(name: &str) -> Value {
    serde_json::from_str(&fixture(name)).expect("fixture is JSON")
}

/// The password with one character changed (or one added, for the empty password).
fn one_off(password: &str) -> String {
    let mut chars: Vec<char> = password.chars().collect();
    match chars.last_mut() {
        Some(c) => *c = if *c == 'x' { 'y' } else { 'x' },
        None => chars.push('x'),
    }
    chars.into_iter().collect()
}

/// Verifies with `password`, not with a one-character change; Display/parse round-trips to an
/// equal value that verifies the same; Debug shows only the scheme.
fn check(h: &PasswordHash, password: &str) {
    let scheme = h.scheme();
    assert_eq!(
        h.verify(password).ok(),
        Some(true),
        "{scheme}: right password"
    );
    assert_eq!(
        h.verify(&one_off(password)).ok(),
        Some(false),
        "{scheme}: one character changed"
    );
    let text = h.to_string();
    let back = PasswordHash::parse(&text).unwrap_or_else(|e| panic!("{scheme}: reparse: {e}"));
    assert_eq!(&back, h, "{scheme}: round trip");
    assert_eq!(back.scheme(), scheme);
    assert_eq!(back.to_string(), text);
    assert_eq!(back.verify(password).ok(), Some(true), "{scheme}: reparsed");
    let from_str: PasswordHash = text.parse().expect("FromStr");
    assert_eq!(from_str, back);
    assert_eq!(
        format!("{h:?}"),
        format!("PasswordHash {{ scheme: {scheme:?}, .. }}")
    );
}

fn parse_ok(s: &str) -> PasswordHash {
    PasswordHash::parse(s).unwrap_or_else(|e| panic!("parse failed: {e}"))
}

/// Salt- or hash-like tokens of `input` (long, mixed-case or base64 punctuation).
fn secret_tokens(input: &str) -> Vec<&str> {
    input
        .split(['$', ',', '{', '}', '=', '"', ':', ' '])
        .filter(|t| {
            t.len() >= 10
                && t.bytes().any(|b| b.is_ascii_uppercase())
                && t.bytes()
                    .any(|b| b.is_ascii_digit() || b == b'/' || b == b'+')
        })
        .collect()
}

/// The error message must not contain salt or hash text from the input.
fn assert_no_leak(e: &HashError, input: &str) {
    let msg = e.to_string();
    let dbg = format!("{e:?}");
    for token in secret_tokens(input) {
        assert!(!msg.contains(token), "error leaks input: {msg}");
        assert!(!dbg.contains(token), "error Debug leaks input: {dbg}");
    }
}

fn is_malformed(r: Result<PasswordHash, HashError>, input: &str) -> bool {
    match r {
        Err(e @ HashError::Malformed { .. }) => {
            assert_no_leak(&e, input);
            true
        }
        Err(e) => panic!("expected Malformed for {input:?}, got {e}"),
        Ok(h) => panic!("expected Malformed for {input:?}, parsed as {}", h.scheme()),
    }
}

fn str_field<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("missing string {key}"))
}

fn firebase_config() -> FirebaseHashConfig {
    FirebaseHashConfig::from_json(&fixture("firebase-hash-config.json")).expect("config")
}

/// Minimal CSV splitting with double-quote quoting (enough for fixtures/users.csv).
fn csv_fields(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                fields.last_mut().expect("field").push('"');
            }
            ('"', _) => quoted = !quoted,
            (',', false) => fields.push(String::new()),
            (c, _) => fields.last_mut().expect("field").push(c),
        }
    }
    fields
}

// ---------------------------------------------------------------- hash-vectors.json

#[test]
fn vectors_bcrypt() {
    let v = fixture_json("hash-vectors.json");
    let list = v["bcrypt"].as_array().expect("bcrypt list");
    assert_eq!(list.len(), 6);
    for item in list {
        let h = parse_ok(str_field(item, "hash"));
        assert_eq!(h.scheme(), "bcrypt");
        check(&h, str_field(item, "password"));
        assert!(!h.is_current(), "bcrypt is never current");
    }
}

#[test]
fn vectors_firebase_scrypt() {
    let v = fixture_json("hash-vectors.json");
    for item in v["firebase_scrypt"].as_array().expect("list") {
        let config =
            FirebaseHashConfig::from_json(&item["hash_config"].to_string()).expect("hash_config");
        let h = PasswordHash::from_firebase_scrypt(
            str_field(item, "hash"),
            str_field(item, "salt"),
            &config,
        )
        .expect("firebase hash");
        assert_eq!(h.scheme(), "firebase-scrypt");
        let key = config.base64_signer_key.trim_end_matches('=');
        let hash = str_field(item, "hash").trim_end_matches('=');
        assert_eq!(
            h.to_string(),
            format!("$firebase-scrypt$r=8,m=14,k={key},s=Bw$42xEC+ixf3L2lw${hash}")
        );
        check(&h, str_field(item, "password"));
    }
}

#[test]
fn vectors_argon2() {
    let v = fixture_json("hash-vectors.json");
    for item in v["argon2"].as_array().expect("list") {
        let h = parse_ok(str_field(item, "hash"));
        check(&h, str_field(item, "password"));
    }
}

#[test]
fn vectors_pbkdf2_raw_as_phc() {
    let v = fixture_json("hash-vectors.json");
    for item in v["pbkdf2_raw"].as_array().expect("list") {
        let dk = encoding::hex_decode(str_field(item, "dk_hex")).expect("hex");
        let phc = format!(
            "$pbkdf2-{}$i={},l={}${}${}",
            str_field(item, "digest"),
            item["iterations"].as_u64().expect("iterations"),
            dk.len(),
            encoding::b64_encode(str_field(item, "salt").as_bytes()),
            encoding::b64_encode(&dk)
        );
        let h = parse_ok(&phc);
        assert_eq!(h.scheme(), format!("pbkdf2-{}", str_field(item, "digest")));
        check(&h, str_field(item, "password"));
    }
}

#[test]
fn vectors_django() {
    let v = fixture_json("hash-vectors.json");
    for item in v["django"].as_array().expect("list") {
        let h = parse_ok(str_field(item, "hash"));
        assert_eq!(h.scheme(), "django-pbkdf2-sha256");
        check(&h, str_field(item, "password"));
    }
}

#[test]
fn vectors_keycloak() {
    let v = fixture_json("hash-vectors.json");
    for item in v["keycloak_pbkdf2"].as_array().expect("list") {
        let secret = json!({"value": item["value"], "salt": item["salt"]}).to_string();
        let cred =
            json!({"hashIterations": item["hashIterations"], "algorithm": item["algorithm"]})
                .to_string();
        let h = PasswordHash::from_keycloak(&secret, &cred).expect("keycloak");
        assert_eq!(h.scheme(), "keycloak-pbkdf2-sha256");
        assert!(
            h.to_string()
                .starts_with("$keycloak-pbkdf2-sha256$i=27500,l=32$")
        );
        check(&h, str_field(item, "password"));
    }
}

/// A Keycloak credential whose JSON names a key twice is refused, not read as one of the two
/// (issue 8: the same gap as duplicate keys in an apply document).
#[test]
fn keycloak_credential_with_a_repeated_key_is_refused() {
    let v = fixture_json("hash-vectors.json");
    let item = &v["keycloak_pbkdf2"][0];
    let cred = json!({"hashIterations": item["hashIterations"], "algorithm": item["algorithm"]})
        .to_string();
    let secret = format!(
        r#"{{"value": {}, "salt": {}, "salt": "AAAA"}}"#,
        item["value"], item["salt"]
    );
    let Err(e) = PasswordHash::from_keycloak(&secret, &cred) else {
        panic!("a repeated key is refused");
    };
    assert!(e.to_string().contains(r#"key "salt" appears twice"#), "{e}");
}

// ---------------------------------------------------------------- export fixtures

#[test]
fn export_auth0_bulk_import() {
    let passwords = [
        ("hello.user@example.com", "hello"),
        ("argon.user@example.com", "password"),
        ("pbkdf.user@example.com", "Lantern-22"),
        ("blocked.user@example.com", "Closed-door-5"),
    ];
    let users = fixture_json("auth0-bulk-import.json");
    let mut seen = BTreeSet::new();
    for user in users.as_array().expect("array") {
        let email = str_field(user, "email");
        let (_, pw) = passwords
            .iter()
            .find(|(e, _)| *e == email)
            .expect("README lists the user");
        let h = match (user.get("password_hash"), user.get("custom_password_hash")) {
            (Some(ph), None) => parse_ok(ph.as_str().expect("string")),
            (None, Some(custom)) => PasswordHash::from_auth0_custom(custom).expect("custom"),
            _ => panic!("{email}: exactly one hash field"),
        };
        check(&h, pw);
        seen.insert(h.scheme());
    }
    assert_eq!(
        seen,
        BTreeSet::from(["argon2id", "bcrypt", "pbkdf2-sha512"]),
        "all three kinds covered"
    );
}

#[test]
fn export_keycloak_realm() {
    let passwords = [
        ("user1", "password"),
        ("sam.sha512", "Summit-path-4"),
        ("off.user", "Frozen-lake-8"),
    ];
    let realm = fixture_json("keycloak-realm-export.json");
    let mut count = 0;
    for user in realm["users"].as_array().expect("users") {
        let name = str_field(user, "username");
        let (_, pw) = passwords
            .iter()
            .find(|(u, _)| *u == name)
            .expect("README lists the user");
        for cred in user["credentials"].as_array().expect("credentials") {
            assert_eq!(str_field(cred, "type"), "password");
            let h = PasswordHash::from_keycloak(
                str_field(cred, "secretData"),
                str_field(cred, "credentialData"),
            )
            .expect("keycloak credential");
            check(&h, pw);
            assert!(!h.is_current());
            count += 1;
        }
    }
    assert_eq!(count, 3);
}

#[test]
fn export_firebase_auth() {
    let passwords = [
        ("user1@test.com", "user1password"),
        ("Rosa.Marin@Example.com", "Harbor-lights-9"),
        ("idle.user@example.com", "Quiet-meadow-3"),
    ];
    let config = firebase_config();
    let export = fixture_json("firebase-auth-export.json");
    let mut count = 0;
    for user in export["users"].as_array().expect("users") {
        let email = str_field(user, "email");
        let (Some(hash), Some(salt)) = (user["passwordHash"].as_str(), user["salt"].as_str())
        else {
            // The social-only user has no password; the constructor says so.
            let err = PasswordHash::from_firebase_scrypt("", "", &config).expect_err("no password");
            assert!(matches!(err, HashError::Malformed { .. }), "{err}");
            continue;
        };
        let (_, pw) = passwords
            .iter()
            .find(|(e, _)| *e == email)
            .expect("README lists the user");
        let h = PasswordHash::from_firebase_scrypt(hash, salt, &config).expect("firebase");
        check(&h, pw);
        count += 1;
    }
    assert_eq!(count, 3);
}

#[test]
fn export_users_csv() {
    let passwords = [
        ("abc.user@example.net", "abc", "bcrypt"),
        ("django.user@example.net", "lètmein", "django-pbkdf2-sha256"),
        ("argon.i@example.net", "password", "argon2i"),
    ];
    let text = fixture("users.csv");
    let mut lines = text.lines();
    let header = csv_fields(lines.next().expect("header"));
    let col = |name: &str| header.iter().position(|h| h == name).expect("column");
    let (email_col, hash_col) = (col("email"), col("password_hash"));
    let mut count = 0;
    for line in lines.filter(|l| !l.trim().is_empty()) {
        let fields = csv_fields(line);
        let (_, pw, scheme) = passwords
            .iter()
            .find(|(e, _, _)| *e == fields[email_col])
            .expect("README lists the user");
        let h = parse_ok(&fields[hash_col]);
        assert_eq!(h.scheme(), *scheme);
        check(&h, pw);
        count += 1;
    }
    assert_eq!(count, 3);
}

// ---------------------------------------------------------------- further formats

/// Argon2 vectors from the P-H-C reference implementation (test.c and its CLI).
#[test]
fn argon2_variants_and_versions() {
    let cases = [
        // Reference test.c, version 0x10, written without a v= field.
        (
            "$argon2i$m=65536,t=2,p=1$c29tZXNhbHQ$9sTbSlTio3Biev89thdrlKKiCaYsjjYVJxGAL3swxpQ",
            "password",
            "argon2i",
        ),
        // The same hash with the explicit v=16 the reference CLI writes.
        (
            "$argon2i$v=16$m=65536,t=2,p=1$c29tZXNhbHQ$9sTbSlTio3Biev89thdrlKKiCaYsjjYVJxGAL3swxpQ",
            "password",
            "argon2i",
        ),
        // Reference CLI: argon2d, 2 lanes.
        (
            "$argon2d$v=19$m=4096,t=3,p=2$c2FsdHNhbHRzYWx0MTIz$zEjuAY9rbtic8cl4GHYXc/WgwQqpg+Ay8YnQKzyL290",
            "Obsidian-7",
            "argon2d",
        ),
        // Reference CLI: argon2id version 0x10, 24-byte output.
        (
            "$argon2id$v=16$m=8192,t=2,p=1$c2FsdHNhbHRzYWx0MTIz$7LCk1IlyD/imzFyZ9F8nd3RUbv0jjUq6",
            "Obsidian-7",
            "argon2id",
        ),
        // Django Argon2PasswordHasher layout around a reference CLI hash.
        (
            "argon2$argon2id$v=19$m=1024,t=2,p=1$ZGphbmdvc2FsdDEy$79h38NTxi2LRIwWCPdvErTtBEiWNj1XxJRvBOLSs+yE",
            "Fjörd-9",
            "django-argon2id",
        ),
    ];
    for (s, pw, scheme) in cases {
        let h = parse_ok(s);
        assert_eq!(h.scheme(), scheme);
        check(&h, pw);
        assert!(!h.is_current(), "{s} is not current");
    }
}

/// scrypt PHC strings: RFC 7914 section 12 vector, and one made with Python hashlib.scrypt.
#[test]
fn scrypt_phc() {
    let rfc = "$scrypt$ln=10,r=8,p=16$TmFDbA$/bq+HJ00cgB4VucZDQHp/nxq18vII3gw53N2Y0s3MWIurzDZLiKjiG/xCSedmDDaxyevuUqD7m2DYMvfoswGQA";
    check(&parse_ok(rfc), "password");
    let h = parse_ok(
        "$scrypt$ln=10,r=8,p=1$c2NyeXB0LXNhbHQtMDAwMQ$AakSmhF8LNU1SOFkOhz/Hfa7limo//4adoSPgUSP+SM",
    );
    assert_eq!(h.scheme(), "scrypt");
    check(&h, "Granite-3");
}

/// PBKDF2 in PHC (unpadded and padded base64), passlib and Django sha1 forms; made with Python
/// hashlib.pbkdf2_hmac.
#[test]
fn pbkdf2_forms() {
    let cases = [
        (
            "$pbkdf2-sha256$i=2000,l=32$cGhjLXNhbHQtcGFkZGVkIQ$LZSCSt9Po5OHnBkotjXqw//4SoJLk70eRERX7I56OrM",
            "Harbor-1",
            "pbkdf2-sha256",
        ),
        (
            "$pbkdf2-sha512$i=2000,l=64$cGhjLXNhbHQtcGFkZGVkIQ==$UIQzeUke3BjPAcTAophf3C6cey8UN10A1d+LuBrM7JCgEy27OwLqosG+8i75WYuOU7EJTKWIJhEa/g1zG6iLAg==",
            "Harbor-1",
            "pbkdf2-sha512",
        ),
        (
            "$pbkdf2-sha256$29000$cGFzc2xpYi1zYWx0LTE2Yg$a.1Kom4c53FyvP9p666PNyQi7ov8cSDERtXsdBlj5vc",
            "Copper-5",
            "pbkdf2-sha256",
        ),
        (
            "$pbkdf2$1000$cGFzc2xpYi1zYWx0LTE2Yg$drOQ2kdzwk4HOE.MKPew0JYzz1k",
            "Copper-5",
            "pbkdf2-sha1",
        ),
        (
            "$pbkdf2-sha512$1000$cGFzc2xpYi1zYWx0LTE2Yg$OXH8qC8RA2zWUl83wFhZngZyy7sgQQdkL/.ow9S4Lr9SNvqIaavleBziB5KczpOVxVwSTA6OHE92ZqqEzmjwZQ",
            "Copper-5",
            "pbkdf2-sha512",
        ),
        (
            "pbkdf2_sha1$1000$djsalt1$2VdAy/NKHIT7odw6EXBHmLDr1oc=",
            "Fjörd-9",
            "django-pbkdf2-sha1",
        ),
        (
            "scrypt$16384$djscryptsalt$8$1$u8nr9bdRHr2TZWOHoKwwV9n7OxlRbwx6uTYkdqVWt2gA9fSPCfnCxtR34zl7umrzUnx71Cg7oXUE633PRymLgw==",
            "Fjörd-9",
            "django-scrypt",
        ),
    ];
    for (s, pw, scheme) in cases {
        let h = parse_ok(s);
        assert_eq!(h.scheme(), scheme, "{s}");
        check(&h, pw);
    }
}

/// LDAP values made with Python hashlib, plus the well-known `{SHA}` of "password".
#[test]
fn ldap_values() {
    let cases = [
        ("{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=", "password", "ldap-sha"),
        (
            "{SSHA}pP6SoOHOQ98rDVJtRaeoSfYVak4BAgMEoLHC0w==",
            "Meadow-2",
            "ldap-ssha",
        ),
        (
            "{ssha}pP6SoOHOQ98rDVJtRaeoSfYVak4BAgMEoLHC0w==",
            "Meadow-2",
            "ldap-ssha",
        ),
        ("{SHA}JDWYzzQEKFLSNdTqAoLtdoejsyI=", "Meadow-2", "ldap-sha"),
        (
            "{SSHA256}EMozK4gy/CzpOjv/Nx9onyJluN4O0zNKKC6dr+z+oXUBAgMEoLHC0w==",
            "Meadow-2",
            "ldap-ssha256",
        ),
        (
            "{SHA256}AfwMxl58a7402fCqgR6cRYCdD+eGucDExOM83bhBSGg=",
            "Meadow-2",
            "ldap-sha256",
        ),
        (
            "{SSHA384}Zvk9rZwOTQ+aIFyh7pDFqye/RBqRIKSjJVhOZEqewGwXOfJoySRRdnKVf16QPce9AQIDBKCxwtM=",
            "Meadow-2",
            "ldap-ssha384",
        ),
        (
            "{SHA384}S9no85EmeCZ4SQCm57wfzT/8wMy//Z1xsreXjkcL3JQ2KBiNKid6Wsf8ONof+OVE",
            "Meadow-2",
            "ldap-sha384",
        ),
        (
            "{SSHA512}ZLjCPuu1gU/Px0z/Td3QsLTNcaE88xEgxF+aOmnPtBQFm5TKYM/sSmh0AyAf03ceypP4AB7Xv5ZBZrBgUC3VZwECAwSgscLT",
            "Meadow-2",
            "ldap-ssha512",
        ),
        (
            "{SHA512}3HTOW9F5l0/p8WW09bFmADS65YntJiKLmms7i78hbz79e3bMu6w6XSrK42e3L95CQERP+Bo/Fe1zVtczpzObiw==",
            "Meadow-2",
            "ldap-sha512",
        ),
        (
            "{SMD5}vZfg87hctszBwrF2fGlR4QECAwSgscLT",
            "Meadow-2",
            "ldap-smd5",
        ),
        ("{MD5}+5xfo/oU1BFRCbXsaEFDmg==", "Meadow-2", "ldap-md5"),
    ];
    for (s, pw, scheme) in cases {
        let h = parse_ok(s);
        assert_eq!(h.scheme(), scheme, "{s}");
        check(&h, pw);
    }
}

/// Auth0 custom hashes: the schema page's hmac example (password "test"), RFC 1320 MD4
/// vectors, and digests made with Python hashlib/hmac.
#[test]
fn auth0_digest_and_hmac() {
    let cases = [
        (
            json!({"algorithm": "hmac", "hash": {"value": "cg7f42jH39/2EaAU4wNd4s2lKIk=",
                "encoding": "base64", "digest": "sha1", "key": {"value": "736868", "encoding": "hex"}}}),
            "test",
            "auth0-hmac-sha1",
        ),
        (
            json!({"algorithm": "md4", "hash": {"value": "a448017aaf21d8525fc10ae87aa6729d", "encoding": "hex"}}),
            "abc",
            "auth0-md4",
        ),
        (
            json!({"algorithm": "md4", "hash": {"value": "D9130A8164549FE818874806E1C7014B", "encoding": "hex"}}),
            "message digest",
            "auth0-md4",
        ),
        (
            json!({"algorithm": "sha256", "hash": {"value":
                "ba6349b89b10a764d22871b5b6fd6c8ae908aed9e124eef7636f9ce9efb1c2f7", "encoding": "hex"},
                "salt": {"value": "abc123", "position": "prefix"}}),
            "Lagoon-4",
            "auth0-sha256",
        ),
        (
            // URL-safe base64 salt and hash, suffix position.
            json!({"algorithm": "sha512", "hash": {"value":
                "jGNTwXBMgaQUdWuZOYpT1LX8ZpN-mjVLuFiNP_9VCk9JW9tBLZp855gKKAZWpmq8UnzzUEjtVv4dgWPzFRI9wg",
                "encoding": "base64"}, "salt": {"value": "c_94", "encoding": "base64", "position": "suffix"}}),
            "Lagoon-4",
            "auth0-sha512",
        ),
        (
            json!({"algorithm": "md5", "hash": {"value": "98935B5DD6179828B15FA8261F2D57B8", "encoding": "hex"},
                "password": {"encoding": "ucs2"}}),
            "Lagoon-4",
            "auth0-md5",
        ),
        (
            json!({"algorithm": "sha1", "hash": {"value": "meXB1e308URlJ2rsLsbhJaItUGk=", "encoding": "base64"},
                "password": {"encoding": "latin1"}}),
            "Crème-6",
            "auth0-sha1",
        ),
        (
            json!({"algorithm": "md5", "hash": {"value": "4252c9a5def7d5b428200123a0d8682a", "encoding": "hex"},
                "salt": {"value": "706570706572", "encoding": "hex", "position": "prefix"}}),
            "Crème-6",
            "auth0-md5",
        ),
        (
            json!({"algorithm": "hmac", "hash": {"value": "c6877e6cf5784c5667c48bb9ef23e5f903f23a62",
                "encoding": "hex", "digest": "ripemd160", "key": {"value": "k3y"}},
                "salt": {"value": "NaCl", "position": "suffix"}}),
            "Lagoon-4",
            "auth0-hmac-ripemd160",
        ),
        (
            json!({"algorithm": "hmac", "hash": {"value":
                "QmWn82+UMbgIckXDxyQIMcrAmvFZ+zmfH5O8/T5PzEaahiPCPt4e2DOSC4S72K2V/mZzwNmN3cQLXXX2ipWFTg==",
                "encoding": "base64", "digest": "SHA512", "key": {"value": "AP8Q", "encoding": "base64"}},
                "salt": {"value": "NaCl", "encoding": "utf8", "position": "prefix"}}),
            "Lagoon-4",
            "auth0-hmac-sha512",
        ),
        (
            json!({"algorithm": "hmac", "hash": {"value":
                "162c5ba50c59254a681369193803d704dc7460261abeccf2db1003da2b5f3044",
                "encoding": "hex", "digest": "sha256", "key": {"value": "secret-key", "encoding": "utf8"}},
                "password": {"encoding": "utf16le"}}),
            "Lagoon-4",
            "auth0-hmac-sha256",
        ),
    ];
    let canonical = [
        "$auth0-hmac-sha1$enc=utf8,key=c2ho$$cg7f42jH39/2EaAU4wNd4s2lKIk",
        "$auth0-md4$enc=utf8$$pEgBeq8h2FJfwQroeqZynQ",
        "$auth0-md4$enc=utf8$$2RMKgWRUn+gYh0gG4ccBSw",
        "$auth0-sha256$enc=utf8,pos=prefix$YWJjMTIz$umNJuJsQp2TSKHG1tv1siukIrtnhJO73Y2+c6e+xwvc",
    ];
    for ((obj, _, _), expected) in cases.iter().zip(canonical) {
        let h = PasswordHash::from_auth0_custom(obj).expect("custom");
        assert_eq!(h.to_string(), expected);
    }
    for (obj, pw, scheme) in cases {
        let h = PasswordHash::from_auth0_custom(&obj).unwrap_or_else(|e| panic!("{obj}: {e}"));
        assert_eq!(h.scheme(), scheme, "{obj}");
        assert!(h.to_string().starts_with(&format!("${scheme}$enc=")));
        check(&h, pw);
    }
}

/// Auth0 string algorithms: PBKDF2 defaults and digest aliases, ldap, and the schema page's
/// pbkdf2 example (its salt decodes, so it parses; its password is not published).
#[test]
fn auth0_string_algorithms() {
    // i and l omitted: Auth0 defaults i=100000, l=64 are written in.
    let salt = "cGJrZGYyLXNhbHQtMDAwMQ";
    let hash =
        "S+RSmziSgTthkQd82hL9RAiDL2D5ppinDQ+TGUSOJDEtrqaT/8N2vIFlKrkA6WRDk1hjcnl/qPCKchliQpG+5A";
    for value in [
        format!("$pbkdf2-sha512${salt}${hash}"),
        format!("$pbkdf2-RSA-SHA512$i=100000${salt}${hash}"),
        format!("$pbkdf2-sha512withRSAEncryption$l=64${salt}${hash}"),
    ] {
        let obj = json!({"algorithm": "pbkdf2", "hash": {"value": value, "encoding": "utf8"}});
        let h = PasswordHash::from_auth0_custom(&obj).expect("pbkdf2");
        assert_eq!(
            h.to_string(),
            format!("$pbkdf2-sha512$i=100000,l=64${salt}${hash}")
        );
        check(&h, "Lantern-22");
    }
    let obj = json!({"algorithm": "ldap", "hash": {"value": "{SSHA}pP6SoOHOQ98rDVJtRaeoSfYVak4BAgMEoLHC0w=="}});
    check(
        &PasswordHash::from_auth0_custom(&obj).expect("ldap"),
        "Meadow-2",
    );
    let obj = json!({"algorithm": "pbkdf2", "hash": {"value": "$pbkdf2-md4$i=100000,l=64$+N375B8q0Fw$fp2R9KAM4hK/votGHC5Fu+jhqbxUD8+Nic/EMSGvNC3UP/k7wSHI0uXluHRSkZfl/BOheYqNOemayG90ZaSSQw"}});
    let h = PasswordHash::from_auth0_custom(&obj).expect("pbkdf2-md4");
    assert_eq!(h.scheme(), "pbkdf2-md4");
    assert_eq!(PasswordHash::parse(&h.to_string()).ok(), Some(h));
}

/// A Keycloak argon2 credential (Keycloak 24+ default) built around a reference CLI hash.
#[test]
fn keycloak_argon2() {
    let secret = r#"{"value":"bsyD3ESMz9jwIyEBV2RVnJu5uf7FJ3tNFsrufsxaJvM=","salt":"a2V5Y2xvYWstc2FsdC0xNg==","additionalParameters":{}}"#;
    let cred = r#"{"hashIterations":5,"algorithm":"argon2","additionalParameters":{"hashLength":["32"],"memory":["7168"],"type":["id"],"version":["1.3"],"parallelism":["1"]}}"#;
    let h = PasswordHash::from_keycloak(secret, cred).expect("argon2 credential");
    assert_eq!(h.scheme(), "argon2id");
    assert_eq!(
        h.to_string(),
        "$argon2id$v=19$m=7168,t=5,p=1$a2V5Y2xvYWstc2FsdC0xNg$bsyD3ESMz9jwIyEBV2RVnJu5uf7FJ3tNFsrufsxaJvM"
    );
    check(&h, "Summit-ice-3");
    assert!(!h.is_current(), "m=7168 is below the floor");
}

#[test]
fn firebase_accepts_url_safe_and_unpadded_base64() {
    let config = firebase_config();
    let hash =
        "lSrfV15cpx95/sZS2W9c9Kp6i/LVgQNDNC/qzrCnh1SAyZvqmZqAjTdn3aoItz+VHjoZilo78198JAdRuid5lQ==";
    let url = hash.replace('+', "-").replace('/', "_");
    let h1 =
        PasswordHash::from_firebase_scrypt(url.trim_end_matches('='), "42xEC-ixf3L2lw", &config)
            .expect("url-safe, unpadded");
    let h2 =
        PasswordHash::from_firebase_scrypt(hash, "42xEC+ixf3L2lw==", &config).expect("standard");
    assert_eq!(h1, h2);
    check(&h1, "user1password");
}

// ---------------------------------------------------------------- new hashes, currency

#[test]
fn hash_password_is_owasp_argon2id() {
    let s = hash_password("Correct horse 9").expect("hash");
    assert!(s.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{s}");
    let h = parse_ok(&s);
    assert_eq!(h.scheme(), "argon2id");
    assert!(h.is_current());
    check(&h, "Correct horse 9");
    let other = hash_password("Correct horse 9").expect("hash");
    assert_ne!(s, other, "fresh salt each time");
    assert!(
        !parse_ok(&hash_password("").expect("empty password"))
            .verify("x")
            .expect("verify")
    );
}

#[test]
fn currency_rules() {
    let current = [
        "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
        "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
    ];
    for s in current {
        assert!(parse_ok(s).is_current(), "{s}");
    }
    let stale = [
        "$argon2id$v=19$m=19455,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
        "$argon2id$v=19$m=65536,t=1,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
        "$argon2id$v=16$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
        "$argon2i$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$wWKIMhR9lyDFvRz9YTZweHKfbftvj+qf+YFY4NeBbtA",
        "argon2$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
        "$2b$10$nFguVi9LsCAcvTZFKQlRKeLVydo8ETv483lkNsSFI/Wl1Rz1Ypo1K",
        "pbkdf2_sha256$720000$seasalt$eDupbcisD1UuIiou3hMuMu8oe/XwnpDw45r6AA5iv0E=",
    ];
    for s in stale {
        assert!(!parse_ok(s).is_current(), "{s}");
    }
}

// ---------------------------------------------------------------- refusals and errors

#[test]
fn bcrypt_2x_refused() {
    for s in [
        "$2x$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW",
        "$2x$",
        "$2x$10$short",
    ] {
        let err = PasswordHash::parse(s).expect_err("2x refused");
        assert!(matches!(err, HashError::Bcrypt2x), "{err}");
        assert!(err.to_string().contains("reset"));
    }
    let obj = json!({"algorithm": "bcrypt", "hash": {"value": "$2x$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"}});
    assert!(matches!(
        PasswordHash::from_auth0_custom(&obj),
        Err(HashError::Bcrypt2x)
    ));
}

const ARGON_SALT: &str = "c29tZXNhbHQ";
const ARGON_HASH: &str = "CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";
const BCRYPT: &str = "$2b$10$nFguVi9LsCAcvTZFKQlRKeLVydo8ETv483lkNsSFI/Wl1Rz1Ypo1K";
const PBKDF2_HASH: &str = "LZSCSt9Po5OHnBkotjXqw//4SoJLk70eRERX7I56OrM";

#[test]
fn malformed_strings() {
    let argon = |params: &str| format!("$argon2id$v=19${params}${ARGON_SALT}${ARGON_HASH}");
    let mut cases: Vec<String> = vec![
        String::new(),
        "   \n".into(),
        "$".into(),
        "$$".into(),
        "$$$$".into(),
        "hello".into(),
        "not a hash at all".into(),
        "$argon2$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFh".into(),
        // bcrypt
        "$2b$".into(),
        "$2b$10$".into(),
        BCRYPT[..BCRYPT.len() - 1].into(),
        format!("{BCRYPT}x"),
        BCRYPT.replace("$10$", "$99$"),
        BCRYPT.replace("$10$", "$03$"),
        BCRYPT.replace("$10$", "$1a$"),
        BCRYPT.replace("$10$", "$10x"),
        BCRYPT.replace("Fgu", "F!u"),
        BCRYPT.replace("Fgu", "Fé"),
        "$2c$10$nFguVi9LsCAcvTZFKQlRKeLVydo8ETv483lkNsSFI/Wl1Rz1Ypo1K".into(),
        // argon2
        format!("$argon2id$v=19$m=65536,t=2,p=1${ARGON_SALT}"),
        format!("$argon2id$v=19$m=65536,t=2,p=1${ARGON_SALT}$"),
        "$argon2id$v=19$m=65536,t=2,p=1".into(),
        "$argon2id$v=19".into(),
        "$argon2id".into(),
        format!("$argon2id$v=19$m=65536,t=2,p=1$c29t!!!${ARGON_HASH}"),
        format!("$argon2id$v=19$m=65536,t=2,p=1${ARGON_SALT}$CTFh*dXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc"),
        format!("$argon2id$v=19$m=65536,t=2,p=1$c29t${ARGON_HASH}"),
        format!("$argon2id$v=19$m=65536,t=2,p=1${ARGON_SALT}$CTFhFdXP"),
        format!("$argon2id$v=19$m=65536,t=2,p=1${ARGON_SALT}${ARGON_HASH}$extra"),
        format!("$argon2id$v=18$m=65536,t=2,p=1${ARGON_SALT}${ARGON_HASH}"),
        format!("$argon2id$v=$m=65536,t=2,p=1${ARGON_SALT}${ARGON_HASH}"),
        argon("m=4294967295,t=2,p=1"),
        argon("m=99999999999,t=2,p=1"),
        argon("m=1048577,t=2,p=1"),
        argon("m=65536,t=0,p=1"),
        argon("m=65536,t=1000000,p=1"),
        argon("m=65536,t=2,p=0"),
        argon("m=8,t=2,p=4"),
        argon("m=65536,t=2"),
        argon("m=65536,t=2,p=1,x=1"),
        argon("m=65536,m=65536,t=2,p=1"),
        argon("m=-1,t=2,p=1"),
        argon("m=+65536,t=2,p=1"),
        argon("m=6553€,t=2,p=1"),
        argon("m65536,t=2,p=1"),
        argon(""),
        // scrypt
        "$scrypt$ln=99,r=8,p=1$c2FsdA$AakSmhF8LNU1SOFkOhz/Hfa7limo//4adoSPgUSP+SM".into(),
        "$scrypt$ln=30,r=8,p=1$c2FsdA$AakSmhF8LNU1SOFkOhz/Hfa7limo//4adoSPgUSP+SM".into(),
        "$scrypt$ln=10,r=0,p=1$c2FsdA$AakSmhF8LNU1SOFkOhz/Hfa7limo//4adoSPgUSP+SM".into(),
        "$scrypt$ln=10,r=8,p=0$c2FsdA$AakSmhF8LNU1SOFkOhz/Hfa7limo//4adoSPgUSP+SM".into(),
        "$scrypt$ln=10,r=8,p=99$c2FsdA$AakSmhF8LNU1SOFkOhz/Hfa7limo//4adoSPgUSP+SM".into(),
        "$scrypt$ln=10,r=8$c2FsdA$AakSmhF8LNU1SOFkOhz/Hfa7limo//4adoSPgUSP+SM".into(),
        "$scrypt$ln=10,r=8,p=1$c2FsdA".into(),
        // pbkdf2
        format!("$pbkdf2-sha256$i=0,l=32$c2FsdA${PBKDF2_HASH}"),
        format!("$pbkdf2-sha256$i=abc,l=32$c2FsdA${PBKDF2_HASH}"),
        format!("$pbkdf2-sha256$i=4294967296,l=32$c2FsdA${PBKDF2_HASH}"),
        format!("$pbkdf2-sha256$i=20000000,l=32$c2FsdA${PBKDF2_HASH}"),
        format!("$pbkdf2-sha256$i=1000,l=31$c2FsdA${PBKDF2_HASH}"),
        format!("$pbkdf2-sha256$l=32$c2FsdA${PBKDF2_HASH}"),
        format!("$pbkdf2-sha256$c2FsdA${PBKDF2_HASH}"),
        format!("$pbkdf2-sha256$i=1000,l=32$${PBKDF2_HASH}"),
        "$pbkdf2-sha256$i=1000,l=32$c2FsdA$".into(),
        "$pbkdf2-sha256$i=1000,l=32$c2FsdA$c2hvcnQ".into(),
        format!("$pbkdf2-sha256$0$c2FsdA${PBKDF2_HASH}"),
        format!("$pbkdf2-sha256$1000$c2Fs+dA${PBKDF2_HASH}"),
        // Django
        "pbkdf2_sha256$0$seasalt$eDupbcisD1UuIiou3hMuMu8oe/XwnpDw45r6AA5iv0E=".into(),
        "pbkdf2_sha256$abc$seasalt$eDupbcisD1UuIiou3hMuMu8oe/XwnpDw45r6AA5iv0E=".into(),
        "pbkdf2_sha256$720000$seasalt$".into(),
        "pbkdf2_sha256$720000$seasalt".into(),
        "pbkdf2_sha256$720000$$eDupbcisD1UuIiou3hMuMu8oe/XwnpDw45r6AA5iv0E=".into(),
        "pbkdf2_sha256$720000$seasalt$eDupbcisD1UuIiou3hMu!!!!/XwnpDw45r6AA5iv0E=".into(),
        "pbkdf2_sha256$720000$seasalt$eDupbcisD1UuIiou3hMuMu8oe/XwnpDw45r6AA5iv0E=$x".into(),
        "scrypt$1000$salt$8$1$u8nr9bdRHr2TZWOHoKwwV9n7OxlRbwx6uTYkdqVWt2gA9fSPCfnCxtR34zl7umrzUnx71Cg7oXUE633PRymLgw==".into(),
        "scrypt$16384$salt$8$1".into(),
        "argon2$argon2id$v=19$m=65536,t=2,p=1".into(),
        // LDAP
        "{SSHA}".into(),
        "{SSHA".into(),
        "{SSHA}!!!!".into(),
        "{SSHA}ñ".into(),
        "{SHA}c2hvcnQ=".into(),
        "{SSHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=".into(),
        "{MD5}W6ph5Mm5Pz8GgiULbPgzG37mj9g=".into(),
        // this module's canonical forms
        "$firebase-scrypt$r=8,m=14$c2FsdA$aGFzaA".into(),
        "$firebase-scrypt$r=8,m=99,k=aGFzaGhhc2g,s=Bw$c2FsdA$aGFzaGhhc2g".into(),
        "$firebase-scrypt$r=8,m=14,k=aGFzaGhhc2g,s=Bw$c2FsdA$aGFzaA".into(),
        "$firebase-scrypt$r=8,m=14,k=aGFzaGhhc2g,s=Bw$c2FsdA".into(),
        "$auth0-sha256$enc=utf8$$".into(),
        format!("$auth0-sha256$enc=klingon$${PBKDF2_HASH}"),
        format!("$auth0-sha256$enc=utf8$c2FsdA${PBKDF2_HASH}"),
        format!("$auth0-sha256$enc=utf8,pos=prefix$${PBKDF2_HASH}"),
        format!("$auth0-hmac-sha256$enc=utf8$${PBKDF2_HASH}"),
        format!("$auth0-sha1$enc=utf8$${PBKDF2_HASH}"),
        format!("$keycloak-pbkdf2-sha256$i=0,l=32$c2FsdA${PBKDF2_HASH}"),
        format!("$keycloak-pbkdf2-sha256$i=1000,l=32$c2FsdA"),
    ];
    // Long and odd inputs.
    cases.push("$".repeat(10_000));
    cases.push(format!("$argon2id$v=19${}", "m=1,".repeat(5_000)));
    cases.push("\u{0}$2b$10$".into());
    for s in &cases {
        assert!(is_malformed(PasswordHash::parse(s), s));
    }
}

#[test]
fn unsupported_schemes_are_named() {
    let cases = [
        ("$6$rounds=5000$saltsalt$hashhashhash", "sha512-crypt"),
        ("$5$saltsalt$hashhashhash", "sha256-crypt"),
        ("$1$saltsalt$hashhashhash", "md5-crypt"),
        ("$apr1$saltsalt$hashhashhash", "apache-md5-crypt"),
        ("$y$j9T$saltsalt$hashhashhash", "yescrypt"),
        ("$P$Bsaltsalthashhashhash", "phpass"),
        (
            "$2$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW",
            "bcrypt-2",
        ),
        ("$foo$bar", "foo"),
        ("{CRYPT}$1$saltsalt$hashhashhash", "ldap-crypt"),
        ("{PBKDF2-SHA256}10000$c2FsdA$aGFzaA", "ldap-pbkdf2-sha256"),
        (
            "bcrypt_sha256$$2b$12$nFguVi9LsCAcvTZFKQlRKeLVydo8ETv483lkNsSFI/Wl1Rz1Ypo1K",
            "django-bcrypt_sha256",
        ),
        ("md5$salt$hash", "django-md5"),
        (
            "$pbkdf2-mdc2$i=1000,l=20$c2FsdA$aGFzaGhhc2hoYXNo",
            "pbkdf2-mdc2",
        ),
        (
            "$argon2id$v=19$m=65536,t=2,p=1,keyid=AAAA$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
            "argon2id",
        ),
        ("$keycloak-md5$x$y$z", "keycloak-md5"),
        ("$auth0-sha3$enc=utf8$$aGFzaA", "auth0-sha3"),
    ];
    for (s, scheme) in cases {
        match PasswordHash::parse(s) {
            Err(e @ HashError::Unsupported { .. }) => {
                assert!(
                    matches!(&e, HashError::Unsupported { scheme: got, .. } if got == scheme),
                    "{s}: {e}"
                );
                assert!(e.to_string().contains("fix:"), "{e}");
            }
            other => panic!("{s}: expected Unsupported, got {other:?}"),
        }
    }
}

/// Every prefix and many single-character edits of valid strings parse or fail without
/// panicking, and failures never echo salt or hash text.
#[test]
fn truncated_and_mutated_strings_never_panic() {
    let valid = [
        BCRYPT.to_owned(),
        format!("$argon2id$v=19$m=65536,t=2,p=1${ARGON_SALT}${ARGON_HASH}"),
        "$argon2i$m=65536,t=2,p=1$c29tZXNhbHQ$9sTbSlTio3Biev89thdrlKKiCaYsjjYVJxGAL3swxpQ".into(),
        "$scrypt$ln=10,r=8,p=1$c2NyeXB0LXNhbHQtMDAwMQ$AakSmhF8LNU1SOFkOhz/Hfa7limo//4adoSPgUSP+SM".into(),
        format!("$pbkdf2-sha256$i=2000,l=32$cGhjLXNhbHQtcGFkZGVkIQ${PBKDF2_HASH}"),
        "$pbkdf2-sha256$29000$cGFzc2xpYi1zYWx0LTE2Yg$a.1Kom4c53FyvP9p666PNyQi7ov8cSDERtXsdBlj5vc".into(),
        "pbkdf2_sha256$720000$seasalt$eDupbcisD1UuIiou3hMuMu8oe/XwnpDw45r6AA5iv0E=".into(),
        "scrypt$16384$djscryptsalt$8$1$u8nr9bdRHr2TZWOHoKwwV9n7OxlRbwx6uTYkdqVWt2gA9fSPCfnCxtR34zl7umrzUnx71Cg7oXUE633PRymLgw==".into(),
        "{SSHA}pP6SoOHOQ98rDVJtRaeoSfYVak4BAgMEoLHC0w==".into(),
        PasswordHash::from_firebase_scrypt(
            "lSrfV15cpx95/sZS2W9c9Kp6i/LVgQNDNC/qzrCnh1SAyZvqmZqAjTdn3aoItz+VHjoZilo78198JAdRuid5lQ==",
            "42xEC+ixf3L2lw==",
            &firebase_config(),
        )
        .expect("firebase")
        .to_string(),
        PasswordHash::from_auth0_custom(&json!({"algorithm": "hmac", "hash": {"value":
            "cg7f42jH39/2EaAU4wNd4s2lKIk=", "encoding": "base64", "digest": "sha1",
            "key": {"value": "736868", "encoding": "hex"}}, "salt": {"value": "NaCl", "position": "suffix"}}))
        .expect("hmac")
        .to_string(),
        "$keycloak-pbkdf2-sha256$i=27500,l=32$P5rtFkGtPfoaryJ6PizUJw$JsfNbCOIdZUbyBJ+BT+VoGI91Ec2rWLOvkLPDaX8e9k".into(),
    ];
    let edits = [
        '$', '=', ',', '{', '}', '!', 'A', '0', '9', '.', 'é', '\u{0}',
    ];
    let mut tried = 0usize;
    for s in &valid {
        assert!(PasswordHash::parse(s).is_ok(), "{s}");
        let boundaries: Vec<usize> = s.char_indices().map(|(i, _)| i).collect();
        for &i in &boundaries {
            let cut = &s[..i];
            if let Err(e) = PasswordHash::parse(cut) {
                assert_no_leak(&e, s);
            }
            for c in edits {
                let mut edited: String = s[..i].to_owned();
                edited.push(c);
                edited.extend(s[i..].chars().skip(1));
                if let Err(e) = PasswordHash::parse(&edited) {
                    assert_no_leak(&e, s);
                }
                tried += 1;
            }
        }
    }
    assert!(tried > 5_000);
}

#[test]
fn auth0_errors() {
    let md5 = |extra: Value| {
        let mut o = json!({"algorithm": "md5", "hash": {"value": "4252c9a5def7d5b428200123a0d8682a", "encoding": "hex"}});
        if let (Some(o), Some(extra)) = (o.as_object_mut(), extra.as_object()) {
            o.extend(extra.clone());
        }
        o
    };
    let malformed = [
        json!("not an object"),
        json!({}),
        json!({"hash": {"value": "x"}}),
        json!({"algorithm": "md5"}),
        json!({"algorithm": "md5", "hash": "4252c9a5def7d5b428200123a0d8682a"}),
        json!({"algorithm": "md5", "hash": {"value": 42, "encoding": "hex"}}),
        json!({"algorithm": "md5", "hash": {"value": "4252c9a5def7d5b428200123a0d8682a"}}),
        json!({"algorithm": "md5", "hash": {"value": "4252c9a5def7d5b428200123a0d8682a", "encoding": "utf8"}}),
        json!({"algorithm": "md5", "hash": {"value": "4252c9a5def7d5b4", "encoding": "hex"}}),
        json!({"algorithm": "md5", "hash": {"value": "zz52c9a5def7d5b428200123a0d8682a", "encoding": "hex"}}),
        json!({"algorithm": "md5", "hash": {"value": "4252c9a5def7d5b428200123a0d8682a", "encoding": "hex", "digest": "sha1"}}),
        md5(json!({"extra": 1})),
        md5(json!({"salt": {"value": "pepper"}})),
        md5(json!({"salt": {"value": "pepper", "position": "middle"}})),
        md5(json!({"salt": {"value": "pepper", "position": "prefix", "encoding": "rot13"}})),
        md5(json!({"salt": {"value": "!!", "position": "prefix", "encoding": "base64"}})),
        md5(json!({"salt": {"value": "pepper", "position": "prefix", "colour": "red"}})),
        md5(json!({"password": {"encoding": "ebcdic"}})),
        md5(json!({"password": "utf8"})),
        json!({"algorithm": "bcrypt", "hash": {"value": BCRYPT}, "salt": {"value": "x", "position": "prefix"}}),
        json!({"algorithm": "bcrypt", "hash": {"value": BCRYPT, "encoding": "hex"}}),
        json!({"algorithm": "bcrypt", "hash": {"value": BCRYPT}, "password": {"encoding": "latin1"}}),
        json!({"algorithm": "bcrypt", "hash": {"value": format!("$argon2id$v=19$m=65536,t=2,p=1${ARGON_SALT}${ARGON_HASH}")}}),
        json!({"algorithm": "argon2", "hash": {"value": BCRYPT}}),
        json!({"algorithm": "ldap", "hash": {"value": BCRYPT}}),
        json!({"algorithm": "pbkdf2", "hash": {"value": "$pbkdf2-sha512$i=0,l=64$c2FsdA$aGFzaA"}}),
        json!({"algorithm": "pbkdf2", "hash": {"value": "$pbkdf2-sha512"}}),
        json!({"algorithm": "hmac", "hash": {"value": "cg7f42jH39/2EaAU4wNd4s2lKIk=", "encoding": "base64", "digest": "sha1"}}),
        json!({"algorithm": "hmac", "hash": {"value": "cg7f42jH39/2EaAU4wNd4s2lKIk=", "encoding": "base64", "key": {"value": "736868", "encoding": "hex"}}}),
        json!({"algorithm": "hmac", "hash": {"value": "cg7f42jH39/2EaAU4wNd4s2lKIk=", "encoding": "base64", "digest": "sha3", "key": {"value": "736868"}}}),
        json!({"algorithm": "hmac", "hash": {"value": "cg7f42jH39/2EaAU4wNd4s2lKIk=", "encoding": "base64", "digest": "sha1", "key": {"value": ""}}}),
        json!({"algorithm": "hmac", "hash": {"value": "cg7f42jH39/2EaAU4wNd4s2lKIk=", "encoding": "base64", "digest": "sha1", "key": {"value": "zz", "encoding": "hex"}}}),
        json!({"algorithm": "hmac", "hash": {"value": "cg7f42jH39/2EaAU4wNd4s2lKIk=", "digest": "sha1", "key": {"value": "shh"}}}),
    ];
    for obj in &malformed {
        match PasswordHash::from_auth0_custom(obj) {
            Err(e @ HashError::Malformed { .. }) => assert_no_leak(&e, &obj.to_string()),
            other => panic!("{obj}: expected Malformed, got {other:?}"),
        }
    }
    for (obj, scheme) in [
        (
            json!({"algorithm": "scrypt", "hash": {"value": "x"}}),
            "auth0-scrypt",
        ),
        (
            json!({"algorithm": "rot13", "hash": {"value": "x"}}),
            "auth0-rot13",
        ),
        (
            json!({"algorithm": "pbkdf2", "hash": {"value": "$pbkdf2-mdc2$i=1,l=20$c2FsdA$aGFzaA"}}),
            "auth0-pbkdf2-mdc2",
        ),
    ] {
        match PasswordHash::from_auth0_custom(&obj) {
            Err(HashError::Unsupported { scheme: got, .. }) => assert_eq!(got, scheme),
            other => panic!("{obj}: expected Unsupported, got {other:?}"),
        }
    }
}

#[test]
fn keycloak_errors() {
    let good_secret = r#"{"value": "JsfNbCOIdZUbyBJ+BT+VoGI91Ec2rWLOvkLPDaX8e9k=", "salt": "P5rtFkGtPfoaryJ6PizUJw=="}"#;
    let good_cred = r#"{"hashIterations": 27500, "algorithm": "pbkdf2-sha256"}"#;
    let malformed = [
        (
            r#"{"value": "JsfNbCOIdZUbyBJ+BT+VoGI91Ec2rWLOvkLPDaX8e9k=", "salt": "#,
            good_cred,
        ),
        ("", good_cred),
        ("[]", good_cred),
        (r#"{"salt": "P5rtFkGtPfoaryJ6PizUJw=="}"#, good_cred),
        (
            r#"{"value": "JsfNbCOIdZUbyBJ+BT+VoGI91Ec2rWLOvkLPDaX8e9k="}"#,
            good_cred,
        ),
        (
            r#"{"value": 7, "salt": "P5rtFkGtPfoaryJ6PizUJw=="}"#,
            good_cred,
        ),
        (
            r#"{"value": "JsfNbCOIdZUbyBJ!BT+VoGI91Ec2rWLOvkLPDaX8e9k=", "salt": "P5rtFkGtPfoaryJ6PizUJw=="}"#,
            good_cred,
        ),
        (
            r#"{"value": "JsfNbCOI", "salt": "P5rtFkGtPfoaryJ6PizUJw=="}"#,
            good_cred,
        ),
        (
            r#"{"value": "JsfNbCOIdZUbyBJ+BT+VoGI91Ec2rWLOvkLPDaX8e9k=", "salt": ""}"#,
            good_cred,
        ),
        (
            good_secret,
            r#"{"hashIterations": 0, "algorithm": "pbkdf2-sha256"}"#,
        ),
        (
            good_secret,
            r#"{"hashIterations": -5, "algorithm": "pbkdf2-sha256"}"#,
        ),
        (
            good_secret,
            r#"{"hashIterations": "P5rtFkGtPfoaryJ6PizUJw", "algorithm": "pbkdf2-sha256"}"#,
        ),
        (
            good_secret,
            r#"{"hashIterations": 99999999999, "algorithm": "pbkdf2-sha256"}"#,
        ),
        (good_secret, r#"{"algorithm": "pbkdf2-sha256"}"#),
        (good_secret, r#"{"hashIterations": 27500}"#),
        (
            good_secret,
            r#"{"hashIterations": 5, "algorithm": "argon2"}"#,
        ),
        (
            good_secret,
            r#"{"hashIterations": 5, "algorithm": "argon2", "additionalParameters": {"type": ["id"], "memory": ["99999999"], "parallelism": ["1"]}}"#,
        ),
        (
            good_secret,
            r#"{"hashIterations": 5, "algorithm": "argon2", "additionalParameters": {"type": ["id"], "memory": ["7168"], "parallelism": ["1"], "hashLength": ["16"]}}"#,
        ),
    ];
    for (secret, cred) in malformed {
        match PasswordHash::from_keycloak(secret, cred) {
            Err(e @ HashError::Malformed { .. }) => {
                assert_no_leak(&e, secret);
                assert_no_leak(&e, cred);
            }
            other => panic!("{secret} / {cred}: expected Malformed, got {other:?}"),
        }
    }
    match PasswordHash::from_keycloak(good_secret, r#"{"hashIterations": 1, "algorithm": "md5"}"#) {
        Err(HashError::Unsupported { scheme, .. }) => assert_eq!(scheme, "keycloak-md5"),
        other => panic!("expected Unsupported, got {other:?}"),
    }
}

#[test]
fn firebase_config_and_export_errors() {
    let key =
        "jxspr8Ki0RYycVU8zykbdLGjFQ3McFUH0uiiTvC8pVMXAn210wjLNmdZJzxUECKbm0QsEmYUSDzZvpjeJ9WmXA==";
    let config = |alg: &str, key: &str, sep: &str, rounds: Value, mem: Value| {
        json!({"algorithm": alg, "base64_signer_key": key, "base64_salt_separator": sep,
               "rounds": rounds, "mem_cost": mem})
        .to_string()
    };
    let cases = [
        (config("BCRYPT", key, "Bw==", json!(8), json!(14)), "algorithm"),
        (config("STANDARD_SCRYPT", key, "Bw==", json!(8), json!(14)), "algorithm"),
        (config("scrypt", key, "Bw==", json!(8), json!(14)), "algorithm"),
        (config("SCRYPT", "!!!!", "Bw==", json!(8), json!(14)), "base64_signer_key"),
        (config("SCRYPT", "", "Bw==", json!(8), json!(14)), "base64_signer_key"),
        (config("SCRYPT", key, "B!w", json!(8), json!(14)), "base64_salt_separator"),
        (config("SCRYPT", key, "Bw==", json!(0), json!(14)), "rounds"),
        (config("SCRYPT", key, "Bw==", json!(9), json!(14)), "rounds"),
        (config("SCRYPT", key, "Bw==", json!(8), json!(0)), "mem_cost"),
        (config("SCRYPT", key, "Bw==", json!(8), json!(99)), "mem_cost"),
        (config("SCRYPT", key, "Bw==", json!(key), json!(14)), "rounds"),
        (config("SCRYPT", key, "Bw==", json!(-1), json!(14)), "rounds"),
        (
            json!({"algorithm": "SCRYPT", "base64_signer_key": key, "base64_salt_separator": "Bw==",
                   "rounds": 8, "mem_cost": 14, "memory_cost": 14})
            .to_string(),
            "memory_cost",
        ),
        (json!({"algorithm": "SCRYPT"}).to_string(), "base64_signer_key"),
        ("{".to_owned(), "(document)"),
        (String::new(), "(document)"),
    ];
    for (text, field) in &cases {
        match FirebaseHashConfig::from_json(text) {
            Err(e @ HashError::FirebaseConfig { .. }) => {
                assert!(
                    matches!(&e, HashError::FirebaseConfig { field: f, .. } if f == field),
                    "{text}: {e}"
                );
                assert!(!e.to_string().contains(&key[..20]), "leaks key: {e}");
            }
            other => panic!("{text}: expected FirebaseConfig error, got {other:?}"),
        }
    }
    let good = firebase_config();
    assert!(
        !format!("{good:?}").contains(&key[..20]),
        "config Debug hides the key"
    );
    let salt = "42xEC+ixf3L2lw==";
    let hash =
        "lSrfV15cpx95/sZS2W9c9Kp6i/LVgQNDNC/qzrCnh1SAyZvqmZqAjTdn3aoItz+VHjoZilo78198JAdRuid5lQ==";
    for (h, s) in [
        ("", salt),
        (hash, ""),
        ("   ", "  "),
        ("!!!!", salt),
        (hash, "!!!!"),
        ("lSrfV15cpx95/sZS2W9c9Kp6i/LVgQNDNC/qzrCnh1Q=", salt),
        (&hash[..hash.len() - 4], salt),
    ] {
        match PasswordHash::from_firebase_scrypt(h, s, &good) {
            Err(e @ HashError::Malformed { .. }) => {
                assert_no_leak(&e, h);
                assert_no_leak(&e, s);
            }
            other => panic!("{h}/{s}: expected Malformed, got {other:?}"),
        }
    }
    let mut bad = good.clone();
    bad.rounds = 100;
    assert!(matches!(
        PasswordHash::from_firebase_scrypt(hash, salt, &bad),
        Err(HashError::FirebaseConfig { field, .. }) if field == "rounds"
    ));
}

#[test]
fn errors_never_contain_passwords_or_hashes() {
    // Feed a password-like value where a hash belongs; the error must not repeat it.
    for input in [
        "Sup3rSecret-Passw0rd",
        "$Sup3rSecret-Passw0rd",
        "{Sup3rSecret-Passw0rd}x",
    ] {
        let err = PasswordHash::parse(input).expect_err("not a hash");
        assert!(!err.to_string().contains("Sup3rSecret"), "{err}");
        assert!(!format!("{err:?}").contains("Sup3rSecret"), "{err:?}");
    }
}

#[test]
fn debug_shows_only_the_scheme() {
    let samples = [
        parse_ok(BCRYPT),
        parse_ok(&format!(
            "$argon2id$v=19$m=65536,t=2,p=1${ARGON_SALT}${ARGON_HASH}"
        )),
        parse_ok("pbkdf2_sha256$720000$seasalt$eDupbcisD1UuIiou3hMuMu8oe/XwnpDw45r6AA5iv0E="),
        parse_ok("{SSHA}pP6SoOHOQ98rDVJtRaeoSfYVak4BAgMEoLHC0w=="),
    ];
    for h in &samples {
        let dbg = format!("{h:?}");
        assert_eq!(
            dbg,
            format!("PasswordHash {{ scheme: {:?}, .. }}", h.scheme())
        );
        for token in secret_tokens(&h.to_string()) {
            assert!(!dbg.contains(token));
        }
        assert!(!dbg.contains("seasalt") && !dbg.contains(ARGON_SALT));
    }
}

/// A bcrypt cost past [`super::MAX_BCRYPT_COST`] is refused when the hash is read (import),
/// never verified for minutes at a login; costs up to it still verify.
#[test]
fn bcrypt_costs_past_the_cap_are_refused_at_parse() {
    let body = "nFguVi9LsCAcvTZFKQlRKeLVydo8ETv483lkNsSFI/Wl1Rz1Ypo1K";
    for cost in [17, 20, 31] {
        let err = PasswordHash::parse(&format!("$2b${cost}${body}")).unwrap_err();
        let text = err.to_string();
        assert!(text.contains(&format!("cost {cost} is above 16")), "{text}");
    }
    assert!(PasswordHash::parse(&format!("$2b$16${body}")).is_ok());
    let ok = PasswordHash::parse(&format!("$2b$10${body}")).unwrap();
    assert!(ok.verify("hello").unwrap());
}

/// Issue 8, F14: each parameter of these hashes is in range, their product is not. They are
/// refused when read, as too costly, naming the parameters, the budget and a fix, without
/// being computed (the test would take minutes otherwise); just below the budget still parses.
#[test]
fn hashes_costlier_than_bcrypt_16_are_refused_at_parse() {
    let h = "CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";
    for (s, needle) in [
        (
            format!("$argon2id$v=19$m=1048576,t=64,p=1$c29tZXNhbHQ${h}"),
            "m=1048576 KiB, t=64",
        ),
        (
            format!("$argon2id$v=19$m=262144,t=20,p=1$c29tZXNhbHQ${h}"),
            "5242880 work units",
        ),
        (
            format!("$argon2id$v=19$m=524288,t=1,p=1$c29tZXNhbHQ${h}"),
            "512 MiB of memory",
        ),
        (
            format!("$scrypt$ln=20,r=8,p=16$c29tZXNhbHQ${h}"),
            "N=2^20, r=8, p=16",
        ),
        (
            format!("$pbkdf2-sha512$i=10000000$c29tZXNhbHQ${h}"),
            "10000000 iterations",
        ),
        // 64 output bytes of SHA-256 are two PBKDF2 blocks: twice the iterations' work.
        (
            format!(
                "$pbkdf2-sha256$i=3000000,l=64$c29tZXNhbHQ${}",
                crate::hash::encoding::b64_encode(&[7u8; 64])
            ),
            "2 output block(s)",
        ),
        (
            "pbkdf2_sha256$6000000$seasalt$eDupbcisD1UuIiou3hMuMu8oe/XwnpDw45r6AA5iv0E=".to_owned(),
            "6000000 iterations",
        ),
    ] {
        let e = PasswordHash::parse(&s).unwrap_err();
        assert!(matches!(e, HashError::TooCostly { .. }), "{s}: {e}");
        let text = e.to_string();
        assert!(
            text.contains(needle) && text.contains("budget") && text.contains("fix:"),
            "{s}: {text}"
        );
        assert!(!text.contains(h) && !text.contains("seasalt"), "{text}");
    }
    for s in [
        format!("$argon2id$v=19$m=262144,t=19,p=8$c29tZXNhbHQ${h}"),
        format!("$argon2id$v=19$m=102400,t=2,p=8$c29tZXNhbHQ${h}"),
        format!("$scrypt$ln=18,r=8,p=1$c29tZXNhbHQ${h}"),
        format!("$pbkdf2-sha512$i=5000000$c29tZXNhbHQ${h}"),
    ] {
        let parsed = PasswordHash::parse(&s).unwrap_or_else(|e| panic!("{s}: {e}"));
        assert!(parsed.cost().work_units <= super::MAX_HASH_WORK_UNITS);
        assert!(parsed.cost().memory_bytes <= super::MAX_HASH_MEMORY_BYTES);
    }
}

/// The budget holds for the hashes built from export records too: a Keycloak credential
/// (PBKDF2 or Argon2) past it is refused.
#[test]
fn keycloak_credentials_past_the_budget_are_refused() {
    let secret =
        r#"{"value": "CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc=", "salt": "c29tZXNhbHQ="}"#;
    let pbkdf2 = r#"{"hashIterations": 9000000, "algorithm": "pbkdf2-sha256"}"#;
    let e = PasswordHash::from_keycloak(secret, pbkdf2).unwrap_err();
    assert!(matches!(e, HashError::TooCostly { .. }), "{e}");
    let argon2 = r#"{"hashIterations": 64, "algorithm": "argon2", "additionalParameters": {"type": ["id"], "version": ["1.3"], "memory": ["1048576"], "parallelism": ["1"], "hashLength": ["32"]}}"#;
    let e = PasswordHash::from_keycloak(secret, argon2).unwrap_err();
    assert!(matches!(e, HashError::TooCostly { .. }), "{e}");
}

/// R13: a scheme that reads a lossy form of the password says so for that password, so a
/// login keeps the hash rather than upgrade the string typed (which may be the user's real
/// password plus characters the scheme ignored). bcrypt reads 72 bytes; Auth0 latin1 hashes
/// one byte per UTF-16 unit.
#[test]
fn lossy_schemes_name_the_passwords_they_do_not_compare_whole() {
    let real = "a".repeat(72);
    let bcrypt = parse_ok("$2b$04$abcdefghijklmnopqrstuuBzzIgyKkz7xMWYSzkIjUSnxEQFQ0WNe");
    let longer = format!("{real}EXTRA");
    assert!(bcrypt.verify(&real).unwrap());
    assert!(bcrypt.verify(&longer).unwrap(), "bcrypt ignores byte 73 on");
    let why = bcrypt
        .lossy_for(&longer)
        .expect("77 bytes are not compared whole");
    assert!(
        why.contains("72 bytes") && why.contains("77 bytes"),
        "{why}"
    );
    assert!(
        bcrypt.lossy_for(&real).is_some(),
        "72 bytes: no NUL compared, longer ones pass"
    );
    assert!(bcrypt.lossy_for(&"a".repeat(71)).is_none());
    assert!(parse_ok(BCRYPT).lossy_for("short").is_none());

    let latin1 = PasswordHash::from_auth0_custom(&json!({"algorithm": "sha1",
        "hash": {"value": "meXB1e308URlJ2rsLsbhJaItUGk=", "encoding": "base64"},
        "password": {"encoding": "latin1"}}))
    .unwrap();
    // U+01E8 has U+00E8's low byte: both pass.
    assert!(latin1.verify("Crème-6").unwrap());
    assert!(latin1.verify("Cr\u{1e8}me-6").unwrap());
    assert!(latin1.lossy_for("Crème-6").is_none());
    assert!(
        latin1
            .lossy_for("Cr\u{1e8}me-6")
            .unwrap()
            .contains("latin1")
    );

    let argon = parse_ok(&hash_password(&longer).unwrap());
    assert!(argon.lossy_for(&longer).is_none());
}

/// `--hash-config`: every malformed file is refused naming the field at fault (the key
/// written twice, the unknown key, the key of the wrong type) or, when the file as a whole is
/// not the parameters, what it is instead, each with its fix; never with the key's value. A
/// byte-order mark is no content. Before, a repeated key (and every wrong type) said only
/// "field `(document)`: a field has the wrong type".
#[test]
fn a_malformed_firebase_config_names_the_field_and_the_fix() {
    let key =
        "jxspr8Ki0RYycVU8zykbdLGjFQ3McFUH0uiiTvC8pVMXAn210wjLNmdZJzxUECKbm0QsEmYUSDzZvpjeJ9WmXA==";
    let members = |extra: &str| {
        format!(
            "{{\"algorithm\": \"SCRYPT\",\n\"base64_signer_key\": \"{key}\",\n\"base64_salt_separator\": \"Bw==\",\n\"rounds\": 8,\n\"mem_cost\": 14{extra}}}"
        )
    };
    let good = members("");
    assert!(FirebaseHashConfig::from_json(&good).is_ok());
    assert!(
        FirebaseHashConfig::from_json(&format!("\u{feff}{good}")).is_ok(),
        "BOM"
    );
    let cases: Vec<(String, &str, &[&str])> = vec![
        (
            members(",\n\"rounds\": 9"),
            "field `rounds`",
            &["appears twice", "line 6", "fix: keep the key once"],
        ),
        (
            members(",\n\"base64_signer_key\": \"x\""),
            "field `base64_signer_key`",
            &["appears twice"],
        ),
        (
            String::new(),
            "config: the file is empty",
            &["fix: paste the five values"],
        ),
        (
            " \n".into(),
            "config: the file is only whitespace",
            &["fix: paste"],
        ),
        (
            "[]".into(),
            "config: is an array, expected a JSON object",
            &["fix: paste"],
        ),
        (
            "null".into(),
            "config: is null, expected a JSON object",
            &["fix: paste"],
        ),
        (
            "\"SCRYPT\"".into(),
            "config: is a string, expected",
            &["fix: paste"],
        ),
        (
            "{\"rounds\": 8,".into(),
            "config: not valid JSON (line 1",
            &["fix: paste"],
        ),
        (
            good.replace("\"rounds\": 8", "\"rounds\": \"8\""),
            "field `rounds`: is a string, expected a whole number 1..=8",
            &["without quotes"],
        ),
        (
            good.replace("\"mem_cost\": 14", "\"mem_cost\": 1.5"),
            "field `mem_cost`: is a number with a fraction or exponent, expected a whole number 1..=14",
            &["fix: copy it from the console"],
        ),
        (
            good.replace("\"Bw==\"", "7"),
            "field `base64_salt_separator`: is a number, expected a string",
            &["fix: copy it from the console, in quotes"],
        ),
        (
            good.replace("\"SCRYPT\"", "null"),
            "field `algorithm`: is null, expected a string (`SCRYPT`)",
            &["fix"],
        ),
        (
            good.replace("mem_cost", "memoryCost"),
            "field `memoryCost`: is not a key of the console's parameters",
            &["fix: name it `mem_cost`"],
        ),
        (
            members(",\n\"colour\": 1"),
            "field `colour`: is not a key",
            &[
                "algorithm, base64_signer_key, base64_salt_separator, rounds, mem_cost",
                "fix: remove it",
            ],
        ),
        (
            members(&format!(",\n\"{key}\": 1")),
            "field `(a key not shown)`: is not a key",
            &["fix: remove it"],
        ),
        (
            good.replace("\"rounds\": 8,\n", ""),
            "field `rounds`: is missing",
            &["fix: copy it from the console"],
        ),
    ];
    for (text, needle, also) in &cases {
        let e = FirebaseHashConfig::from_json(text).expect_err(text);
        let msg = e.to_string();
        assert!(msg.contains(needle), "{text:?}: {msg}");
        for n in *also {
            assert!(msg.contains(n), "{text:?}: {n}: {msg}");
        }
        assert!(!msg.contains("(document)"), "{msg}");
        assert!(!msg.contains(&key[..20]), "leaks the key: {msg}");
    }
}
