//! The use cases that drive the [`crate::store::Store`]: an import of an export file and a
//! restore of a backup. They sit above the store, and the types the store reads and writes
//! (import rows, backup records) sit below it, so no module of the core depends on one that
//! depends on it (issue 9).

pub mod import;
pub mod restore;
