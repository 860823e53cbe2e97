use crate::*;
use std::process::Stdio;

/// R12: two `configure` processes racing on one version: one wins, the other is told, and the
/// winner's change is what the store holds (no lost update).
#[test]
fn r12_concurrent_configure_one_wins_one_conflicts() {
    for round in 0..5 {
        let env = Env::new();
        env.export_pool("ex");
        let spawn = |mode: &str| {
            env.std_cmd()
                .args(["configure", "ex", "--mode", mode, "--if-version", "1"])
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        };
        let (a, b) = (spawn("sync"), spawn("jit"));
        let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
        let codes = [a.status.code(), b.status.code()];
        assert!(
            codes.contains(&Some(0)) && codes.contains(&Some(CONFLICT)),
            "round {round}: {codes:?}"
        );
        let loser = if a.status.success() { &b } else { &a };
        assert!(String::from_utf8_lossy(&loser.stderr).contains("R12"));
        let winner_mode = if a.status.success() { "sync" } else { "jit" };
        let v: serde_json::Value =
            serde_json::from_str(&env.ok(&["inspect", "ex", "-o", "json"])).unwrap();
        assert_eq!(v["mode"], winner_mode);
        assert_eq!(v["version"], 2);
    }
}
