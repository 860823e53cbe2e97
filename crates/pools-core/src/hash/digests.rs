//! The message digests used by LDAP, Auth0 custom, HMAC and PBKDF2 hashes, dispatched to the
//! RustCrypto implementations.

use hmac::{Hmac, KeyInit, Mac};
use zeroize::Zeroizing;

/// A hash function by name.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Digest {
    Md4,
    Md5,
    Sha1,
    Sha224,
    Sha256,
    Sha384,
    Sha512,
    Ripemd160,
    Whirlpool,
}

impl Digest {
    /// Every digest, for name look-ups.
    const ALL: [Digest; 9] = [
        Digest::Md4,
        Digest::Md5,
        Digest::Sha1,
        Digest::Sha224,
        Digest::Sha256,
        Digest::Sha384,
        Digest::Sha512,
        Digest::Ripemd160,
        Digest::Whirlpool,
    ];

    /// Canonical lower-case name, as used in scheme names and canonical strings.
    pub(super) fn name(self) -> &'static str {
        match self {
            Digest::Md4 => "md4",
            Digest::Md5 => "md5",
            Digest::Sha1 => "sha1",
            Digest::Sha224 => "sha224",
            Digest::Sha256 => "sha256",
            Digest::Sha384 => "sha384",
            Digest::Sha512 => "sha512",
            Digest::Ripemd160 => "ripemd160",
            Digest::Whirlpool => "whirlpool",
        }
    }

    /// Look up a canonical name (exact match).
    pub(super) fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|d| d.name() == name)
    }

    /// Output size in bytes.
    pub(super) fn output_len(self) -> usize {
        match self {
            Digest::Md4 | Digest::Md5 => 16,
            Digest::Sha1 | Digest::Ripemd160 => 20,
            Digest::Sha224 => 28,
            Digest::Sha256 => 32,
            Digest::Sha384 => 48,
            Digest::Sha512 | Digest::Whirlpool => 64,
        }
    }

    /// Digest of the concatenation of `parts`.
    pub(super) fn hash(self, parts: &[&[u8]]) -> Zeroizing<Vec<u8>> {
        fn run<D: sha2::Digest>(parts: &[&[u8]]) -> Zeroizing<Vec<u8>> {
            let mut h = D::new();
            for p in parts {
                h.update(p);
            }
            Zeroizing::new(h.finalize().to_vec())
        }
        match self {
            Digest::Md4 => run::<md4::Md4>(parts),
            Digest::Md5 => run::<md5::Md5>(parts),
            Digest::Sha1 => run::<sha1::Sha1>(parts),
            Digest::Sha224 => run::<sha2::Sha224>(parts),
            Digest::Sha256 => run::<sha2::Sha256>(parts),
            Digest::Sha384 => run::<sha2::Sha384>(parts),
            Digest::Sha512 => run::<sha2::Sha512>(parts),
            Digest::Ripemd160 => run::<ripemd::Ripemd160>(parts),
            Digest::Whirlpool => run::<whirlpool::Whirlpool>(parts),
        }
    }

    /// HMAC (RFC 2104) keyed with `key` over the concatenation of `parts`.
    /// `None` only if the MAC refuses the key, which HMAC never does.
    pub(super) fn hmac(self, key: &[u8], parts: &[&[u8]]) -> Option<Zeroizing<Vec<u8>>> {
        fn run<M: Mac + KeyInit>(key: &[u8], parts: &[&[u8]]) -> Option<Zeroizing<Vec<u8>>> {
            let mut m = <M as KeyInit>::new_from_slice(key).ok()?;
            for p in parts {
                m.update(p);
            }
            Some(Zeroizing::new(m.finalize().into_bytes().to_vec()))
        }
        match self {
            Digest::Md4 => run::<Hmac<md4::Md4>>(key, parts),
            Digest::Md5 => run::<Hmac<md5::Md5>>(key, parts),
            Digest::Sha1 => run::<Hmac<sha1::Sha1>>(key, parts),
            Digest::Sha224 => run::<Hmac<sha2::Sha224>>(key, parts),
            Digest::Sha256 => run::<Hmac<sha2::Sha256>>(key, parts),
            Digest::Sha384 => run::<Hmac<sha2::Sha384>>(key, parts),
            Digest::Sha512 => run::<Hmac<sha2::Sha512>>(key, parts),
            Digest::Ripemd160 => run::<Hmac<ripemd::Ripemd160>>(key, parts),
            Digest::Whirlpool => run::<Hmac<whirlpool::Whirlpool>>(key, parts),
        }
    }

    /// PBKDF2-HMAC (RFC 8018) with this digest; fills `out`. `rounds` must be >= 1 (the parsers
    /// guarantee it).
    pub(super) fn pbkdf2(self, password: &[u8], salt: &[u8], rounds: u32, out: &mut [u8]) {
        use pbkdf2::pbkdf2_hmac as p;
        match self {
            Digest::Md4 => p::<md4::Md4>(password, salt, rounds, out),
            Digest::Md5 => p::<md5::Md5>(password, salt, rounds, out),
            Digest::Sha1 => p::<sha1::Sha1>(password, salt, rounds, out),
            Digest::Sha224 => p::<sha2::Sha224>(password, salt, rounds, out),
            Digest::Sha256 => p::<sha2::Sha256>(password, salt, rounds, out),
            Digest::Sha384 => p::<sha2::Sha384>(password, salt, rounds, out),
            Digest::Sha512 => p::<sha2::Sha512>(password, salt, rounds, out),
            Digest::Ripemd160 => p::<ripemd::Ripemd160>(password, salt, rounds, out),
            Digest::Whirlpool => p::<whirlpool::Whirlpool>(password, salt, rounds, out),
        }
    }
}
