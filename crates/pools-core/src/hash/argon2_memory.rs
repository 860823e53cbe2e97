//! Argon2 working memory, reused: a hash fills `m` KiB (19 MiB for the store's own), and a
//! fresh zeroed allocation per hash costs a 19 MiB memset and the kernel's page faults each
//! time (3% of a server login's CPU in its profile, more than that in faults when the blocking
//! pool's threads move between malloc arenas, issue 11). The first pass writes every block
//! before any is read (RFC 9106 §3.2, steps 5–6; the `argon2` crate's
//! `hash_password_into_with_memory` takes memory as it is), so a buffer is reused unzeroed.
//!
//! At most [`kept`] buffers are kept (the server's CPU gate lets that many hashes run at
//! once), each of at most [`KEEP_MAX_BLOCKS`] blocks; a bigger legacy hash gets its own
//! buffer, dropped after.

use std::sync::{Mutex, OnceLock};

use argon2::{Argon2, Block};

/// The largest buffer kept for reuse: 64 MiB (blocks of 1 KiB), above the store's 19 MiB and
/// the common imported parameters.
const KEEP_MAX_BLOCKS: usize = 65_536;

static FREE: Mutex<Vec<Vec<Block>>> = Mutex::new(Vec::new());

/// How many buffers are kept: one per core and one more, as the server's CPU gate.
fn kept() -> usize {
    static KEPT: OnceLock<usize> = OnceLock::new();
    *KEPT.get_or_init(|| std::thread::available_parallelism().map_or(2, std::num::NonZero::get) + 1)
}

/// `argon.hash_password_into(pwd, salt, out)` on a reused buffer.
///
/// Errors: the `argon2` crate's (a salt or output of the wrong length, a password too long).
pub(super) fn hash_into(
    argon: &Argon2<'_>,
    pwd: &[u8],
    salt: &[u8],
    out: &mut [u8],
) -> argon2::Result<()> {
    let blocks = argon.params().block_count();
    let mut memory = take(blocks);
    let hashed = argon.hash_password_into_with_memory(pwd, salt, out, &mut memory[..blocks]);
    give_back(memory);
    hashed
}

/// The smallest free buffer of at least `blocks` blocks, or a new one.
fn take(blocks: usize) -> Vec<Block> {
    let mut free = FREE
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let fits = (free.iter().enumerate())
        .filter(|(_, b)| b.len() >= blocks)
        .min_by_key(|(_, b)| b.len())
        .map(|(i, _)| i);
    match fits {
        Some(i) => free.swap_remove(i),
        None => {
            drop(free);
            vec![Block::default(); blocks]
        }
    }
}

fn give_back(memory: Vec<Block>) {
    if memory.len() > KEEP_MAX_BLOCKS {
        return;
    }
    let mut free = FREE
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if free.len() < kept() {
        free.push(memory);
    }
}

/// Argon2id of `m_kib` KiB, t = 2, p = 1, for the tests of this module and the workers'.
#[cfg(test)]
pub(super) fn argon(m_kib: u32) -> Argon2<'static> {
    let params = argon2::Params::new(m_kib, 2, 1, Some(32)).expect("valid parameters");
    Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reused_buffer_gives_the_same_hash_as_fresh_memory() {
        // A larger hash first leaves a buffer full of its state; the smaller one after reuses it.
        let mut big = [0u8; 32];
        hash_into(&argon(512), b"another password", b"saltsaltsalt", &mut big).expect("hashes");
        for m in [64, 512, 96] {
            let mut reused = [0u8; 32];
            hash_into(&argon(m), b"pw", b"saltsaltsalt", &mut reused).expect("hashes");
            let mut fresh = [0u8; 32];
            argon(m)
                .hash_password_into(b"pw", b"saltsaltsalt", &mut fresh)
                .expect("hashes");
            assert_eq!(reused, fresh, "m={m}: reused memory changes nothing");
        }
    }

    #[test]
    fn at_most_kept_buffers_stay_and_none_too_large() {
        let buffers: Vec<_> = (0..kept() + 3).map(|_| take(8)).collect();
        for b in buffers {
            give_back(b);
        }
        give_back(vec![Block::default(); KEEP_MAX_BLOCKS + 1]);
        let free = FREE
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        assert!(
            free.len() <= kept(),
            "{} buffers kept, at most {}",
            free.len(),
            kept()
        );
        assert!(
            free.iter().all(|b| b.len() <= KEEP_MAX_BLOCKS),
            "no buffer over the cap"
        );
    }
}
