//! The store file itself (SQLite only): its permissions, who can read it, and what is said
//! when the path does not hold a usable store (R11: the store holds password hashes).

use super::sqlite_only;
use crate::*;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::process::Output;

fn mode(path: &std::path::Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// `pools ARGS` with `POOLS_STORE=store`, run with umask 0 so that only the modes pools asks
/// for count.
fn run_umask0(env: &Env, store: &std::path::Path, args: &[&str]) -> Output {
    let mut c = env.std_cmd();
    c.env("POOLS_STORE", store).args(args);
    // SAFETY: umask is async-signal-safe; nothing else runs between fork and exec.
    unsafe {
        c.pre_exec(|| {
            libc::umask(0);
            Ok(())
        });
    }
    c.output().unwrap()
}

fn create_args(name: &str) -> Vec<&str> {
    vec![
        "create", name, "--type", "external", "--source", "export", "--file", "x.csv",
    ]
}

/// R11: a new store, its WAL files and the directories made for it are private to the user,
/// whatever the umask.
#[test]
fn r11_new_store_and_its_directories_are_private() {
    sqlite_only!();
    let env = Env::new();
    let store = env.path("deep/er/pools.db");
    let out = run_umask0(&env, &store, &create_args("p"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(mode(&store), 0o600);
    assert_eq!(mode(&env.path("deep")), 0o700);
    assert_eq!(mode(&env.path("deep/er")), 0o700);
    // The -wal and -shm files exist while a connection is open; SQLite gives them the
    // database file's mode.
    let db = rusqlite::Connection::open(&store).unwrap();
    db.execute("INSERT INTO settings (key, value) VALUES ('t', 'v')", [])
        .unwrap();
    for ext in ["-wal", "-shm"] {
        let mut p = store.clone().into_os_string();
        p.push(ext);
        assert_eq!(mode(std::path::Path::new(&p)), 0o600, "{ext}");
    }
    drop(db);
    // No temporary file is left beside it.
    let names: Vec<_> = std::fs::read_dir(env.path("deep/er"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(names, ["pools.db"], "{names:?}");
}

/// An existing store keeps the mode its owner gave it; `-v` warns when others can read it.
#[test]
fn existing_store_keeps_its_mode_and_verbose_warns() {
    sqlite_only!();
    let env = Env::new();
    env.export_pool("a");
    std::fs::set_permissions(env.store(), std::fs::Permissions::from_mode(0o644)).unwrap();
    let out = env.run(&["list", "-v"]);
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("readable by others") && stderr.contains("chmod 600"),
        "{stderr}"
    );
    env.export_pool("b");
    assert_eq!(mode(&env.store()), 0o644);
    std::fs::set_permissions(env.store(), std::fs::Permissions::from_mode(0o600)).unwrap();
    let out = env.run(&["list", "-v"]);
    assert!(!String::from_utf8_lossy(&out.stderr).contains("readable by others"));
}

/// Runs `pools ARGS` as a user who may read the store but not write it or its directory: as
/// root (who ignores file modes) the child drops to `nobody`; otherwise the directory is
/// made read-only.
fn as_reader(env: &Env, args: &[&str]) -> Output {
    let mut c = env.std_cmd();
    c.args(args);
    if unsafe { libc::geteuid() } == 0 {
        // SAFETY: setgid/setuid are async-signal-safe; nothing else runs before exec.
        unsafe {
            c.pre_exec(|| {
                if libc::setgroups(0, std::ptr::null()) != 0
                    || libc::setgid(65534) != 0
                    || libc::setuid(65534) != 0
                {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
    }
    c.output().unwrap()
}

/// A store the user can read but not write (an auditor, a read-only mount): every read
/// works, and nothing is written; a change is refused with what to do.
#[test]
fn read_only_store_can_be_read() {
    sqlite_only!();
    let env = Env::new();
    env.export_pool("a");
    env.export_pool("b");
    let before = std::fs::read(env.store()).unwrap();
    // Readable by everyone, writable by nobody but root (and, when not root, by no one).
    std::fs::set_permissions(env.store(), std::fs::Permissions::from_mode(0o444)).unwrap();
    let dir_mode = if unsafe { libc::geteuid() } == 0 {
        0o755
    } else {
        0o555
    };
    std::fs::set_permissions(env.dir.path(), std::fs::Permissions::from_mode(dir_mode)).unwrap();
    for args in [
        vec!["list", "-o", "json"],
        vec!["inspect", "a"],
        vec!["export"],
        vec!["users", "list"],
        vec!["status"],
    ] {
        let out = as_reader(&env, &args);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        if args[0] == "list" {
            let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
            assert_eq!(list.as_array().unwrap().len(), 2);
        }
    }
    let out = as_reader(&env, &create_args("c"));
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("read-only") && stderr.contains("hint:"),
        "{stderr}"
    );
    std::fs::set_permissions(env.dir.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
    assert_eq!(
        std::fs::read(env.store()).unwrap(),
        before,
        "nothing was written"
    );
    assert!(!env.path("pools.db-shm").exists() && !env.path("pools.db-wal").exists());
}

/// `pools ARGS` (with `stdin`) in a private mount namespace where `env`'s directory `ro/` is
/// mounted read-only on `mnt/` (`unshare -rm`: a user namespace, so no root is needed where
/// the kernel allows them).
///
/// Panics, saying what the machine lacks, when it cannot make such a mount: a test that
/// skipped there would pass without checking anything (this works here and in CI as root).
fn on_read_only_mount(env: &Env, args: &[&str], stdin: &str) -> Output {
    use std::io::Write as _;
    let template = env.std_cmd();
    let mut c = std::process::Command::new("unshare");
    c.env_clear()
        .envs(template.get_envs().filter_map(|(k, v)| Some((k, v?))))
        .current_dir(env.dir.path())
        .args([
            "-rm",
            "sh",
            "-c",
            r#"mount --bind "$1" "$2" && mount -o remount,bind,ro "$2" || exit 99; shift 2; exec "$@""#,
            "sh",
        ])
        .arg(env.path("ro"))
        .arg(env.path("mnt"))
        .arg(template.get_program())
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = c.spawn().unwrap_or_else(|e| {
        panic!("this machine cannot run `unshare` (util-linux), needed for a read-only mount: {e}")
    });
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).ok();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("unshare:"),
        "this machine cannot make a mount namespace (`unshare -rm` needs user namespaces or root): {stderr}"
    );
    assert_ne!(
        out.status.code(),
        Some(99),
        "this machine cannot bind-mount a directory read-only in a mount namespace (`mount --bind`, `mount -o remount,bind,ro`): {stderr}"
    );
    out
}

/// Issue 8 (F7): on a read-only mount (EROFS: a snapshot, a restored backup, a container's
/// read-only volume) reads work, and every write (configure, import, a committed login, a
/// new store) says "the file system is read-only" with the hint of the permission case,
/// not "cannot be opened ... check that the file exists".
#[test]
fn a_store_on_a_read_only_mount_says_so() {
    sqlite_only!();
    let env = Env::new();
    std::fs::create_dir(env.path("ro")).unwrap();
    std::fs::create_dir(env.path("mnt")).unwrap();
    let store = env.path("ro/pools.db");
    env.write("ro/x.csv", "email,password_hash\nada@example.com,$2b$04$abcdefghijklmnopqrstuu5ulUbYEDJnCwvqxZsaJ2pyRz6dYc7O2\n");
    env.cmd()
        .env("POOLS_STORE", &store)
        .args([
            "create", "csvp", "--type", "external", "--source", "export", "--file", "ro/x.csv",
        ])
        .assert()
        .success();
    let before = std::fs::read(&store).unwrap();
    let mounted = env.path("mnt/pools.db").display().to_string();
    let out = on_read_only_mount(&env, &["--store", &mounted, "list"], "");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("csvp"));
    let new_store = env.path("mnt/new/pools.db").display().to_string();
    for (store, args, stdin) in [
        (&mounted, vec!["configure", "csvp", "--disable"], ""),
        (&mounted, vec!["users", "import", "--pool", "csvp"], ""),
        (
            &mounted,
            vec![
                "simulate-login",
                "ada@example.com",
                "--password-stdin",
                "--commit",
            ],
            "pw\n",
        ),
        (
            &new_store,
            vec![
                "create", "p2", "--type", "external", "--source", "export", "--file", "x.csv",
            ],
            "",
        ),
    ] {
        let mut all = vec!["--store", store.as_str()];
        all.extend(args.iter().copied());
        let out = on_read_only_mount(&env, &all, stdin);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(
            stderr.contains(&format!(
                "error: store {store}: the file system is read-only\n"
            )),
            "{args:?}: {stderr}"
        );
        assert!(
            stderr.contains("hint: reads need read access only; changes need write access to the file and its directory"),
            "{args:?}: {stderr}"
        );
        assert!(!stderr.contains("cannot be opened"), "{args:?}: {stderr}");
    }
    assert_eq!(
        std::fs::read(&store).unwrap(),
        before,
        "nothing was written"
    );
}

/// Asserts a refusal of the store at `store`: exit `code`, one `error:` line naming the
/// problem once, one `hint:` line; the file is left as it was.
fn store_refused(env: &Env, store: &std::path::Path, code: i32, needle: &str) {
    let before = std::fs::read(store).ok();
    for args in [vec!["list"], create_args("p")] {
        let out = env
            .cmd()
            .env("POOLS_STORE", store)
            .args(&args)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(code), "{args:?}: {stderr}");
        let lines: Vec<&str> = stderr.lines().collect();
        assert_eq!(lines.len(), 2, "{stderr}");
        assert!(
            lines[0].starts_with("error: ") && lines[0].contains(needle),
            "{stderr}"
        );
        assert!(lines[1].starts_with("hint: "), "{stderr}");
        assert!(!stderr.contains("Error code"), "{stderr}");
        assert_eq!(
            lines[0].matches(needle).count(),
            1,
            "the problem is said once: {stderr}"
        );
        assert_eq!(
            std::fs::read(store).ok(),
            before,
            "{args:?} changed the file"
        );
    }
}

#[test]
fn a_directory_is_not_a_store() {
    sqlite_only!();
    let env = Env::new();
    std::fs::create_dir(env.path("dir")).unwrap();
    store_refused(&env, &env.path("dir"), VALIDATION, "is a directory");
}

#[test]
fn a_file_that_is_not_a_database_is_refused() {
    sqlite_only!();
    let env = Env::new();
    let p = env.write("notes.txt", "these are my notes, not a database\n");
    store_refused(&env, &p, VALIDATION, "not a SQLite database");
}

/// A zero-byte file is what `touch` makes: pools never leaves one (a new store appears whole),
/// so it is not adopted silently.
#[test]
fn an_empty_file_is_refused() {
    sqlite_only!();
    let env = Env::new();
    let p = env.write("empty.db", "");
    store_refused(&env, &p, VALIDATION, "empty file");
}

/// Trial finding 10: a /proc file reports 0 bytes yet has content: it is said to be no
/// regular file, not an empty one, and the hint never says to remove it.
#[test]
fn a_proc_file_is_not_called_empty() {
    sqlite_only!();
    let env = Env::new();
    let out = env
        .cmd()
        .args(["--store", "/proc/self/status", "list"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(VALIDATION), "{stderr}");
    assert!(stderr.contains("not a regular file"), "{stderr}");
    assert!(!stderr.contains("empty file"), "{stderr}");
    assert!(!stderr.contains("remove it"), "{stderr}");
}

/// `/dev/null` (or a FIFO) is no store, and the hint never says to remove it.
#[test]
fn a_device_is_not_a_store() {
    sqlite_only!();
    let env = Env::new();
    let out = env
        .cmd()
        .args(["--store", "/dev/null", "list"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(VALIDATION), "{stderr}");
    assert!(stderr.contains("not a regular file"), "{stderr}");
    assert!(!stderr.contains("remove it"), "{stderr}");
}

#[test]
fn a_damaged_store_says_so_with_a_hint() {
    sqlite_only!();
    let env = Env::new();
    env.export_pool("a");
    let mut bytes = std::fs::read(env.store()).unwrap();
    // Page 1 after the 100-byte header holds the schema table: overwrite it.
    bytes[100..4000].fill(0xab);
    let p = env.path("broken.db");
    std::fs::write(&p, &bytes).unwrap();
    store_refused(&env, &p, 1, "damaged");
}

/// XDG Base Directory: an empty `POOLS_STORE` is unset, and a relative `XDG_DATA_HOME` /
/// `XDG_CONFIG_HOME` is invalid and ignored (the `$HOME` defaults apply).
#[test]
fn empty_and_relative_locations_are_ignored() {
    sqlite_only!();
    let env = Env::new();
    let out = env
        .cmd()
        .env("POOLS_STORE", "")
        .env("XDG_DATA_HOME", "rel/data")
        .env("XDG_CONFIG_HOME", "rel/config")
        .env_remove("POOLS_CREDENTIALS_FILE")
        .args([
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
            "-",
        ])
        .write_stdin("s3cret")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(env.path(".local/share/pools/pools.db").exists());
    assert!(env.path(".config/pools/credentials.json").exists());
    assert!(!env.path("rel").exists(), "a relative XDG path was used");
}

/// `POOLS_KEYRING` takes auto, os or file: anything else is a usage error naming them.
#[test]
fn unknown_keyring_mode_is_a_usage_error() {
    sqlite_only!();
    let env = Env::new();
    let out = env
        .cmd()
        .env("POOLS_KEYRING", "bogus")
        .args(create_args("p"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(USAGE), "{stderr}");
    assert!(
        stderr.contains("POOLS_KEYRING") && stderr.contains("auto, os, file"),
        "{stderr}"
    );
    assert!(!env.store().exists(), "nothing was written");
}

/// The store file's bytes, and whether a `-wal` or `-shm` file is beside `name`.
fn journal_beside(name: &std::path::Path) -> bool {
    ["-wal", "-shm"].iter().any(|ext| {
        let mut p = name.as_os_str().to_owned();
        p.push(ext);
        std::path::Path::new(&p).exists()
    })
}

/// SQLite keeps the journal (`-wal`, `-shm`) beside the name a store is opened by: two names
/// for one file (a hard link) gave two journals, and an import through one while
/// `configure` ran through the other corrupted the store. A file with two names is refused
/// under either (exit 5), before anything is opened through it, saying why and what to do;
/// with the second name removed, the store works again.
#[test]
fn a_hard_linked_store_is_refused_under_every_name() {
    sqlite_only!();
    let env = Env::new();
    env.export_pool("a");
    let link = env.path("h.db");
    std::fs::hard_link(env.store(), &link).unwrap();
    let before = std::fs::read(env.store()).unwrap();
    for name in [&link, &env.store()] {
        for args in [
            vec!["list"],
            create_args("b"),
            vec!["users", "import", "--pool", "a"],
        ] {
            let out = env
                .cmd()
                .env("POOLS_STORE", name)
                .args(&args)
                .output()
                .unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(VALIDATION), "{args:?}: {stderr}");
            assert!(
                stderr.contains(&format!("error: store: {} has 2 names (hard links)", name.display()))
                    && stderr.contains("beside the name it is opened by")
                    && stderr.contains("corrupt the store")
                    && stderr.contains("hint: with no pools process running, remove every name of the file but the one you use")
                    && stderr.contains("-samefile"),
                "{args:?}: {stderr}"
            );
        }
    }
    assert_eq!(
        std::fs::read(env.store()).unwrap(),
        before,
        "nothing was written"
    );
    assert!(
        !journal_beside(&link),
        "nothing was opened through the second name"
    );
    std::fs::remove_file(&link).unwrap();
    env.export_pool("b");
    assert_eq!(order(&env), ["a", "b"]);
}

/// A store moved (`mv`) or copied works under its new name, which becomes its home; the
/// copy and the original are two stores, each under its own name.
#[test]
fn a_moved_or_copied_store_opens_under_its_new_name() {
    sqlite_only!();
    let env = Env::new();
    env.export_pool("a");
    let moved = env.path("moved.db");
    std::fs::rename(env.store(), &moved).unwrap();
    let with = |store: &std::path::Path, args: &[&str]| {
        let out = env
            .cmd()
            .env("POOLS_STORE", store)
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{args:?} on {}: {}",
            store.display(),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    assert!(with(&moved, &["list"]).contains(" a "));
    with(&moved, &create_args("b"));
    let copy = env.path("copy.db");
    std::fs::copy(&moved, &copy).unwrap();
    with(&copy, &create_args("c"));
    env.write("users.csv", "email\nada@example.com\n");
    with(&moved, &["users", "import", "--pool", "a", "--dry-run"]);
    let names = |store: &std::path::Path| -> Vec<String> {
        let v: serde_json::Value =
            serde_json::from_str(&with(store, &["list", "-o", "json"])).unwrap();
        v.as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(names(&moved), ["a", "b"]);
    assert_eq!(names(&copy), ["a", "b", "c"]);
    // Moved back, the store works under its first name again.
    std::fs::rename(&moved, env.store()).unwrap();
    env.export_pool("d");
    assert_eq!(order(&env), ["a", "b", "d"]);
}

/// `pools ARGS` in a private mount namespace (`unshare -rm`) after `mounts` (a shell
/// script of `mount` commands, run in `env`'s directory). `None`, with a note printed, when
/// this machine cannot make such a mount (no user namespaces, no `unshare`): the hard-link
/// test above covers the refusal's logic everywhere.
fn in_mount_namespace(env: &Env, mounts: &str, args: &[&str]) -> Option<Output> {
    let template = env.std_cmd();
    let out = std::process::Command::new("unshare")
        .env_clear()
        .envs(template.get_envs().filter_map(|(k, v)| Some((k, v?))))
        .current_dir(env.dir.path())
        .args([
            "-rm",
            "sh",
            "-c",
            &format!(r#"{{ {mounts}; }} || exit 99; exec "$@""#),
            "sh",
        ])
        .arg(template.get_program())
        .args(args)
        .stdin(std::process::Stdio::null())
        .output();
    match out {
        Ok(out)
            if out.status.code() != Some(99)
                && !String::from_utf8_lossy(&out.stderr).contains("unshare:") =>
        {
            Some(out)
        }
        other => {
            eprintln!(
                "note: skipped: this machine cannot bind-mount in a mount namespace (`unshare -rm`, `mount --bind`): {other:?}"
            );
            None
        }
    }
}

/// A bind mount of the store file is a second name with one inode and one link: the store
/// records its home (its canonical path), and an open by another path while the home is the
/// same file is refused (exit 5), naming both; so is the mount point of such a bind mount
/// where the file's first name is out of sight. A bind mount of its directory is another
/// path to the same journal files (one directory): it works.
#[test]
fn a_store_reached_through_a_bind_mount_is_refused() {
    sqlite_only!();
    let env = Env::new();
    std::fs::create_dir(env.path("d")).unwrap();
    std::fs::create_dir(env.path("m")).unwrap();
    let store = env.path("d/s.db");
    env.cmd()
        .env("POOLS_STORE", &store)
        .args(create_args("a"))
        .assert()
        .success();
    env.write("x.db", "");
    let home = std::fs::canonicalize(&store).unwrap();
    let before = std::fs::read(&store).unwrap();
    let shown = env.path("x.db").display().to_string();
    for args in [vec!["list"], vec!["configure", "a", "--disable"]] {
        let mut all = vec!["--store", shown.as_str()];
        all.extend(args.iter().copied());
        let Some(out) = in_mount_namespace(&env, "mount --bind d/s.db x.db", &all) else {
            return;
        };
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(VALIDATION), "{args:?}: {stderr}");
        assert!(
            stderr.contains(&format!(
                "error: store: {shown} is a second name of the store {} (the same file",
                home.display()
            )) && stderr.contains("corrupt the store")
                && stderr.contains(&format!("hint: use --store {}", home.display())),
            "{args:?}: {stderr}"
        );
    }
    assert_eq!(
        std::fs::read(&store).unwrap(),
        before,
        "nothing was written"
    );
    // With the file's first name out of sight (hidden under a tmpfs, as in a container), the
    // store cannot tell its home is the same file: the mount point itself is refused.
    let Some(out) = in_mount_namespace(
        &env,
        "mount --bind d/s.db x.db && mount -t tmpfs none d",
        &["--store", &shown, "configure", "a", "--disable"],
    ) else {
        return;
    };
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(VALIDATION), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "error: store: {shown} is a mount point, a bind mount of the store file"
        )) && stderr.contains("hint: mount the directory that holds the store instead"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read(&store).unwrap(),
        before,
        "nothing was written"
    );
    let through_dir = env.path("m/s.db").display().to_string();
    let out = in_mount_namespace(
        &env,
        "mount --bind d m",
        &["--store", &through_dir, "configure", "a", "--disable"],
    )
    .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    env.cmd()
        .env("POOLS_STORE", &store)
        .args(["configure", "a", "--enable"])
        .assert()
        .success();
}

/// A read while the store was read-only (`chmod 444`) leaves its `-shm` file read-only (SQLite
/// makes it with the store file's mode, as it makes it owned by another user who reads): the
/// owner's next change, once the store is writable again, says which file blocks it, its
/// owner and mode, and how to fix it, not "read-only for this user (the file or its
/// directory)". The fix given works.
#[test]
fn an_unwritable_journal_file_is_named_with_the_fix() {
    sqlite_only!();
    let env = Env::new();
    if unsafe { libc::geteuid() } == 0 {
        // `as_reader` runs pools as `nobody`: the store and its directory are theirs.
        std::os::unix::fs::chown(env.dir.path(), Some(65534), Some(65534)).unwrap();
    }
    let run = |args: &[&str]| as_reader(&env, args);
    let out = run(&create_args("a"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::set_permissions(env.store(), std::fs::Permissions::from_mode(0o444)).unwrap();
    assert!(run(&["list"]).status.success());
    std::fs::set_permissions(env.store(), std::fs::Permissions::from_mode(0o600)).unwrap();
    let shm = env.path("pools.db-shm");
    let wal = env.path("pools.db-wal");
    if !shm.exists() {
        panic!(
            "a read-only read left no -shm file: {:?}",
            std::fs::read_dir(env.dir.path())
                .unwrap()
                .collect::<Vec<_>>()
        );
    }
    std::fs::set_permissions(&shm, std::fs::Permissions::from_mode(0o444)).unwrap();
    let out = run(&["configure", "a", "--disable"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let uid = std::os::unix::fs::MetadataExt::uid(&std::fs::metadata(&shm).unwrap());
    assert!(
        stderr.contains(&format!(
            "its journal file {} is not writable for this user (owner uid {uid}, mode 0444)",
            shm.display()
        )) && stderr.contains(&format!(
            "hint: when no pools process is running, remove {} and {}",
            wal.display(),
            shm.display()
        )) && !stderr.contains("the file or its directory"),
        "{stderr}"
    );
    let _ = std::fs::remove_file(&wal);
    std::fs::remove_file(&shm).unwrap();
    let out = run(&["configure", "a", "--disable"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Issue 9 (errors that travel): a store busy past the wait (another process holds its write
/// lock) is `unavailable`, exit 8, and not exit 1: the same command may work when retried,
/// and nothing was written (R12); it is said after one wait. The retry then works. SQLite-only: the test holds the lock
/// through SQLite itself.
#[test]
fn a_busy_store_is_unavailable_and_a_retry_works() {
    sqlite_only!();
    let env = Env::new();
    env.write("x.csv", "email,password_hash\n");
    env.ok(&create_args("p1"));
    let holder = rusqlite::Connection::open(env.store()).unwrap();
    holder.execute_batch("BEGIN EXCLUSIVE").unwrap();
    let started = std::time::Instant::now();
    let out = env.run(&create_args("p2"));
    let waited = started.elapsed();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(8), "{stderr}");
    // One wait (10 s), not one per attempt to open the store (it waited six times).
    assert!(waited < std::time::Duration::from_secs(30), "{waited:?}");
    assert!(
        stderr.contains("busy: another process holds its lock"),
        "{stderr}"
    );
    assert!(stderr.contains("hint: retry when"), "{stderr}");
    assert!(!stderr.contains("bug"), "a busy store is no bug: {stderr}");
    holder.execute_batch("ROLLBACK").unwrap();
    drop(holder);
    env.ok(&create_args("p2"));
    let list = env.ok(&["list", "-o", "json"]);
    assert!(list.contains("\"p1\"") && list.contains("\"p2\""), "{list}");
}
