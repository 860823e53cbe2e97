//! The use cases: [`Environment`], one method per thing an operator or application can ask
//! of an environment, and [`Local`], its implementation over a [`crate::store::Store`] on this
//! machine; and the pipelines an import of an export file and a restore of a backup run.
//! They sit above the store, and the types the store reads and writes (import rows, backup
//! records) sit below it, so no module of the core depends on one that depends on it.

pub mod environment;
pub mod import;
pub mod local;
pub mod restore;
pub mod secrets;
pub mod wire;

pub use environment::Environment;
pub use local::Local;

/// Something an environment tells the operator while it works, beside its result: a warning
/// (a setting that cannot work yet; the change still went ahead) or a note (where a secret
/// was kept).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "level", content = "message", rename_all = "snake_case")]
pub enum Notice {
    Warning(String),
    Note(String),
}

/// Where an environment's [`Notice`]s go as they happen (the CLI: stderr).
pub type Notify = Box<dyn Fn(Notice) + Send + Sync>;

/// A boxed future, `Send` as the environment's are (what `async_trait` methods return).
pub type BoxFuture<'a, T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send + 'a>>;
