//! `users list` a page at a time (issue 8): keyset paging with `--limit` and `--after`,
//! `-o ndjson`, `-o json` streamed as one array, a table that shows one page, and all of it in
//! flat memory however many users the store holds.

use crate::import::HELLO_BCRYPT;
use crate::*;
use serde_json::Value;

/// A CSV export of users `{prefix}{i:05}@example.com` for `i` in `range`, each with a
/// profile field `bio` of `bio` bytes and the tenant `t{i % 3}`.
fn csv(prefix: &str, range: std::ops::Range<usize>, bio: usize) -> String {
    let bio = "x".repeat(bio);
    let mut out = String::from("email,password_hash,tenant_id,bio\n");
    for i in range {
        out.push_str(&format!(
            "{prefix}{i:05}@example.com,{HELLO_BCRYPT},t{},{bio}\n",
            i % 3
        ));
    }
    out
}

/// A store with export pool `ex` and the users of `text` imported into it.
fn store_with(text: &str) -> Env {
    let env = Env::new();
    env.write("users.csv", text);
    env.export_pool("ex");
    env.ok(&["users", "import", "--pool", "ex", "-q"]);
    env
}

/// Runs `pools users list ARGS`, asserts success; returns (stdout, stderr).
fn list(env: &Env, args: &[&str]) -> (String, String) {
    let mut all = vec!["users", "list"];
    all.extend_from_slice(args);
    let out = env.run(&all);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "pools {all:?}: {stderr}");
    (String::from_utf8(out.stdout).unwrap(), stderr)
}

/// The `--after` value of the `next page: --after CURSOR` line on stderr, if any.
fn next_cursor(stderr: &str) -> Option<String> {
    stderr
        .lines()
        .find_map(|l| l.split_once("next page: --after "))
        .map(|(_, c)| c.trim().to_owned())
}

/// Identifiers of one page of output in `format`.
fn identifiers(format: &str, stdout: &str) -> Vec<String> {
    let users: Vec<Value> = match format {
        "json" => serde_json::from_str(stdout).expect("-o json is one JSON array"),
        "yaml" => serde_yaml_ng::from_str(stdout).expect("-o yaml is one YAML sequence"),
        "ndjson" => stdout
            .lines()
            .map(|l| serde_json::from_str(l).expect("each line is one JSON object"))
            .collect(),
        // The table: the first column of every row below the header.
        _ => {
            return stdout
                .lines()
                .skip(1)
                .map(|l| l.split_whitespace().next().unwrap().to_owned())
                .collect();
        }
    };
    users
        .iter()
        .map(|u| u["identifier"].as_str().unwrap().to_owned())
        .collect()
}

/// Follows the cursors from the first page to the last; returns the identifiers of every
/// page, in order.
fn walk(env: &Env, format: &str, extra: &[&str]) -> Vec<Vec<String>> {
    let mut pages = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let mut args = vec!["-o", format];
        args.extend_from_slice(extra);
        if let Some(a) = &after {
            args.extend(["--after", a.as_str()]);
        }
        let (stdout, stderr) = list(env, &args);
        pages.push(identifiers(format, &stdout));
        after = next_cursor(&stderr);
        if after.is_none() {
            return pages;
        }
        assert!(pages.len() < 100, "the cursors do not end");
    }
}

/// Issue 8: `--limit 3` over 7 users is pages of 3, 3 and 1 in every format, in identifier
/// order (R6: the comparison key), each user once; a page of `-o json` is still one bare
/// array; stderr names the next page until the last.
#[test]
fn limit_and_after_page_through_every_user_once() {
    let env = store_with(&csv("u", 0..7, 10));
    let all = identifiers("json", &list(&env, &["-o", "json"]).0);
    assert_eq!(all.len(), 7);
    let mut sorted = all.clone();
    sorted.sort();
    assert_eq!(all, sorted, "identifier order");
    for format in ["json", "ndjson", "yaml", "table"] {
        let pages = walk(&env, format, &["--limit", "3"]);
        let sizes: Vec<usize> = pages.iter().map(Vec::len).collect();
        assert_eq!(sizes, [3, 3, 1], "{format}");
        assert_eq!(pages.concat(), all, "{format}");
    }
    let (stdout, stderr) = list(&env, &["-o", "json", "--limit", "3"]);
    assert_eq!(identifiers("json", &stdout).len(), 3);
    assert!(
        stderr.contains("3 user(s) shown; next page: --after "),
        "{stderr}"
    );
    // The last page says nothing of a next one; exactly the limit left is the last page too.
    let (_, stderr) = list(&env, &["-o", "json", "--limit", "7"]);
    assert_eq!(next_cursor(&stderr), None, "{stderr}");
    // -q keeps the cursor: a script needs it to go on.
    let (_, stderr) = list(&env, &["-q", "--limit", "3"]);
    assert!(next_cursor(&stderr).is_some(), "{stderr}");
}

/// Issue 8: a cursor is a position in the order, not an offset: users imported before it
/// meanwhile do not shift the next page, which starts right after the last user shown.
#[test]
fn a_cursor_survives_users_added_before_it() {
    let env = store_with(&csv("u", 0..6, 10));
    let (first, stderr) = list(&env, &["-o", "json", "--limit", "3"]);
    let cursor = next_cursor(&stderr).unwrap();
    env.write("more.csv", &csv("a", 0..5, 10));
    env.ok(&[
        "users", "import", "--pool", "ex", "--file", "more.csv", "-q",
    ]);
    let (second, _) = list(&env, &["-o", "json", "--limit", "3", "--after", &cursor]);
    assert_eq!(
        identifiers("json", &first),
        [
            "u00000@example.com",
            "u00001@example.com",
            "u00002@example.com"
        ]
    );
    assert_eq!(
        identifiers("json", &second),
        [
            "u00003@example.com",
            "u00004@example.com",
            "u00005@example.com"
        ]
    );
}

/// Issue 8: a table shows one page of 100 users by default (never the whole store), with a
/// footer on stderr saying how many and the cursor of the next page; `--limit` changes the
/// page. Structured output without `--limit` is every user.
#[test]
fn a_table_shows_one_page_by_default() {
    let env = store_with(&csv("u", 0..150, 10));
    let (stdout, stderr) = list(&env, &[]);
    assert_eq!(identifiers("table", &stdout).len(), 100, "{stdout}");
    assert!(
        stderr.contains("100 user(s) shown; next page: --after "),
        "{stderr}"
    );
    let (rest, stderr) = list(&env, &["--after", &next_cursor(&stderr).unwrap()]);
    assert_eq!(identifiers("table", &rest).len(), 50);
    assert!(
        stderr.contains("50 user(s) shown, the last page"),
        "{stderr}"
    );
    let (stdout, _) = list(&env, &["--limit", "200"]);
    assert_eq!(identifiers("table", &stdout).len(), 150);
    for format in ["json", "ndjson"] {
        let (stdout, stderr) = list(&env, &["-o", format]);
        assert_eq!(identifiers(format, &stdout).len(), 150, "{format}");
        assert_eq!(next_cursor(&stderr), None, "{format}: {stderr}");
    }
}

/// Issue 8: `--pool` and `--origin` filter every page; an unknown pool is still "not found"
/// (exit 3), cursor or not.
#[test]
fn filters_keep_working_with_paging() {
    let env = store_with(&csv("u", 0..5, 10));
    env.write("b.csv", &csv("u", 5..10, 10));
    env.ok(&[
        "create", "b", "--type", "external", "--source", "export", "--file", "b.csv", "-q",
    ]);
    env.ok(&["users", "import", "--pool", "b", "-q"]);
    for pool in ["ex", "b"] {
        for format in ["ndjson", "table"] {
            let pages = walk(&env, format, &["--pool", pool, "--limit", "2"]);
            assert_eq!(
                pages.iter().map(Vec::len).collect::<Vec<_>>(),
                [2, 2, 1],
                "{pool} {format}"
            );
            let first = if pool == "ex" { 0 } else { 5 };
            let want: Vec<String> = (first..first + 5)
                .map(|i| format!("u{i:05}@example.com"))
                .collect();
            assert_eq!(pages.concat(), want, "{pool} {format}");
        }
    }
    let pages = walk(&env, "ndjson", &["--origin", "native", "--limit", "2"]);
    assert_eq!(pages, [Vec::<String>::new()]);
    let (_, stderr) = list(&env, &["--pool", "b", "--limit", "2"]);
    let cursor = next_cursor(&stderr).unwrap();
    let out = env.run(&["users", "list", "--pool", "nope", "--after", &cursor]);
    assert_eq!(out.status.code(), Some(NOT_FOUND));
    assert!(String::from_utf8_lossy(&out.stderr).contains("pool 'nope' not found"));
}

/// Issue 8: an `--after` that no page printed (garbage, another shape, another version) is a
/// usage error (exit 2) naming `--after` and the fix, with nothing on stdout; so is
/// `--limit 0`.
#[test]
fn a_bad_cursor_is_a_usage_error() {
    let env = store_with(&csv("u", 0..3, 10));
    let (_, stderr) = list(&env, &["--limit", "1"]);
    let good = next_cursor(&stderr).unwrap();
    for bad in [
        "garbage!",
        "u00000@example.com",
        "YWRh",   // base64url of "ada": not a cursor's shape
        "AmFkYQ", // a cursor of another version
        "AQ",     // the version alone
        "",
        &format!("{good}$"),
    ] {
        for format in ["table", "json", "ndjson"] {
            let out = env.run(&["users", "list", "-o", format, "--after", bad]);
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(USAGE), "{bad:?} {format}: {stderr}");
            assert!(out.stdout.is_empty(), "{bad:?} {format}");
            assert!(stderr.starts_with("error: --after "), "{bad:?}: {stderr}");
            assert!(
                stderr.contains("hint: pass the value after `next page: --after`"),
                "{bad:?}: {stderr}"
            );
        }
    }
    let out = env.run(&["users", "list", "--limit", "0"]);
    assert_eq!(out.status.code(), Some(USAGE));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--limit"));
}

/// `-o ndjson` is global: a list is one object per line, a single result one line; `export`,
/// whose output is one document, refuses it.
#[test]
fn ndjson_elsewhere() {
    let env = store_with(&csv("u", 0..1, 10));
    env.ok(&[
        "create", "b", "--type", "external", "--source", "export", "--file", "b.csv", "-q",
    ]);
    let pools = env.ok(&["list", "-o", "ndjson"]);
    let names: Vec<String> = pools
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["name"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(names, ["ex", "b"]);
    let one = env.ok(&["users", "show", "u00000@example.com", "-o", "ndjson"]);
    assert_eq!(one.lines().count(), 1);
    let v: Value = serde_json::from_str(&one).unwrap();
    assert_eq!(v["user"]["identifier"], "u00000@example.com");
    let out = env.run(&["export", "-o", "ndjson"]);
    assert_eq!(out.status.code(), Some(USAGE));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not NDJSON lines"));
}

/// Address space a `users list` may take in [`listing_stays_in_flat_memory`], KiB. Measured
/// on these users with a test build: the streaming code needs 18 MiB in every format (its
/// baseline, whatever the number of users); the collect-all code before needed 263 MiB for
/// `-o json` (every user in a `Vec`, then the whole document as one string) and 110 MiB for
/// the table, and aborted under this cap (SIGABRT, exit 134 in a shell).
const MEMORY_CAP_KIB: u64 = 64 * 1024;

/// Issue 8: 12,000 users of 4 KiB each (about 50 MB of profile) list under a 64 MiB
/// `ulimit -v`: `-o json` streams every user as one valid array, `-o ndjson` one per line,
/// a table holds one page; `users export` and `status` stay under it too.
#[test]
fn listing_stays_in_flat_memory() {
    let n = 12_000;
    let env = store_with(&csv("u", 0..n, 4096));
    let capped = |args: &str| -> (String, String) {
        // `sh -c 'ulimit -v CAP && exec pools ...'`, in the test's environment.
        let pools = env.std_cmd();
        let mut sh = std::process::Command::new("sh");
        sh.env_clear().current_dir(env.dir.path());
        for (k, v) in pools.get_envs() {
            if let Some(v) = v {
                sh.env(k, v);
            }
        }
        let out = sh
            .arg("-c")
            .arg(format!("ulimit -v {MEMORY_CAP_KIB} && exec \"$0\" {args}"))
            .arg(pools.get_program())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(
            out.status.code(),
            Some(0),
            "pools {args} under ulimit -v {MEMORY_CAP_KIB}: {:?} {stderr}",
            out.status
        );
        (String::from_utf8(out.stdout).unwrap(), stderr)
    };
    let (json, _) = capped("users list -o json");
    let users: Vec<Value> = serde_json::from_str(&json).expect("one JSON array");
    assert_eq!(users.len(), n);
    assert_eq!(
        users[n - 1]["identifier"],
        format!("u{:05}@example.com", n - 1)
    );
    assert_eq!(users[0]["profile"]["bio"].as_str().unwrap().len(), 4096);
    drop(users);
    let (ndjson, _) = capped("users list -o ndjson");
    assert_eq!(ndjson.lines().count(), n);
    let (table, stderr) = capped("users list");
    assert_eq!(identifiers("table", &table).len(), 100);
    assert!(next_cursor(&stderr).is_some());
    // The other readers of every user stream too (checked for the same fault).
    let (backup, _) = capped("users export");
    assert_eq!(backup.lines().count(), n);
    let (status, _) = capped("status -o json");
    let status: Value = serde_json::from_str(&status).unwrap();
    assert_eq!(status["total"]["imported"], n);
}

/// Issue 9: the environment answers at most 1,000 users a call, and the CLI pages on behind
/// it: 2,500 users list whole (each once, in order) in structured output and `users
/// export`; `--limit 1500` spans two calls and ends with the cursor of user 1,500.
#[test]
fn listings_longer_than_a_page_of_the_environment_are_whole() {
    let env = store_with(&csv("u", 0..2500, 10));
    let (stdout, stderr) = list(&env, &["-o", "ndjson"]);
    let all = identifiers("ndjson", &stdout);
    assert_eq!(all.len(), 2500, "{stderr}");
    let mut sorted = all.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(all, sorted, "identifier order, each once");
    assert_eq!(next_cursor(&stderr), None, "{stderr}");
    let (first, stderr) = list(&env, &["-o", "ndjson", "--limit", "1500"]);
    assert_eq!(identifiers("ndjson", &first), all[..1500]);
    let cursor = next_cursor(&stderr).expect("users are left");
    let (rest, stderr) = list(&env, &["-o", "ndjson", "--after", &cursor]);
    assert_eq!(identifiers("ndjson", &rest), all[1500..], "{stderr}");
    let backup = env.ok(&["users", "export"]);
    assert_eq!(backup.lines().count(), 2500);
    let exported: Vec<String> = backup
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            v["identifier"].as_str().unwrap().to_owned()
        })
        .collect();
    assert_eq!(exported, all);
}
