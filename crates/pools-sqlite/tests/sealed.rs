//! The environment over the real store with the server's sealed secrets file as its
//! credential store (R11: secrets "encrypted at rest on a server").

use pools_core::pool::{Mode, PoolSpec, PoolType, SourceKind};
use pools_core::secret::{Backend, CredentialStore, SealedFile, SealingKey, Secret};
use pools_core::service::environment::CreatePool;
use pools_core::service::secrets::NewSecret;
use pools_core::service::{Environment, Local, Notice};
use pools_sqlite::SqliteStore;
use std::sync::Arc;

/// R11: a pool's `-` secret given to an environment whose credential store is the sealed
/// file is kept there, under the `keyring:` name the pool holds, said to be kept encrypted
/// on the server; the file holds no value in clear; deleting the pool forgets it there.
#[test]
fn r11_a_dash_secret_is_kept_in_the_sealed_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("s.db.secrets.json");
    let sealed = SealedFile::open(&file, SealingKey::new(&[4; 32], "POOLS_SERVER_KEY")).unwrap();
    let creds = CredentialStore::sealed(Arc::new(sealed));
    let store = SqliteStore::open(&dir.path().join("s.db")).unwrap();
    let env = Local::new(Box::new(store), creds.clone(), Box::new(|_: Notice| {}));
    let spec = PoolSpec {
        name: "partner".into(),
        pool_type: Some(PoolType::External),
        source: Some(SourceKind::Custom),
        url: Some("http://127.0.0.1:9/auth".into()),
        auth_header: Some("-".into()),
        tenant: Some("auto".into()),
        mode: Some(Mode::Jit),
        ..Default::default()
    };
    let value = "Bearer partner-VALUE-77";
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let created = rt
        .block_on(env.create_pool(CreatePool {
            spec,
            secrets: vec![NewSecret {
                field: "auth_header".into(),
                value: Secret::new(value.into()),
            }],
            position: None,
        }))
        .unwrap();
    let saved = &created.saved[0];
    assert_eq!(saved.backend, Backend::Sealed(file.clone()));
    let Notice::Note(note) = saved.notice() else {
        panic!("a note")
    };
    assert_eq!(
        note,
        format!(
            "secret kept encrypted on the server as keyring:{}",
            saved.name
        )
    );
    assert_eq!(creds.get(&saved.name).unwrap().unwrap().expose(), value);
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        text.contains(&saved.name) && !text.contains("VALUE"),
        "{text}"
    );

    rt.block_on(env.delete_pool("partner", None, false))
        .unwrap();
    assert!(
        creds.get(&saved.name).unwrap().is_none(),
        "forgotten with its pool"
    );
}
