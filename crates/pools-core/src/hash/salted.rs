//! Single-pass digests of a salted password: LDAP `{SSHA}`-style values (RFC 2307 userPassword)
//! and Auth0 custom_password_hash md4/md5/sha1/sha256/sha512 and hmac hashes.

use subtle::ConstantTimeEq;

use super::digests::Digest;
use super::encoding::PasswordEncoding;
use super::error::HashError;

/// Where the salt goes relative to the password before hashing.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum SaltPosition {
    /// `digest(salt || password)`
    Prefix,
    /// `digest(password || salt)`
    Suffix,
}

impl SaltPosition {
    pub(super) fn name(self) -> &'static str {
        match self {
            SaltPosition::Prefix => "prefix",
            SaltPosition::Suffix => "suffix",
        }
    }

    pub(super) fn from_name(s: &str) -> Option<Self> {
        match s {
            "prefix" => Some(SaltPosition::Prefix),
            "suffix" => Some(SaltPosition::Suffix),
            _ => None,
        }
    }
}

/// Where a salted digest came from; decides its scheme name and canonical string.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum SaltedOrigin {
    /// `{SCHEME}base64(digest || salt)`; `salted` tells `{SSHA}` from `{SHA}`.
    Ldap { salted: bool },
    /// Auth0 custom_password_hash with algorithm md4|md5|sha1|sha256|sha512.
    Auth0,
}

/// `digest(salt? || password || salt?)` compared with a stored digest.
#[derive(Clone)]
pub(super) struct SaltedDigest {
    pub(super) origin: SaltedOrigin,
    pub(super) digest: Digest,
    pub(super) salt: Vec<u8>,
    pub(super) position: SaltPosition,
    pub(super) encoding: PasswordEncoding,
    pub(super) hash: Vec<u8>,
}

/// `HMAC-digest(key, salt? || password || salt?)` compared with a stored MAC (Auth0 hmac).
#[derive(Clone)]
pub(super) struct HmacDigest {
    pub(super) digest: Digest,
    pub(super) key: Vec<u8>,
    pub(super) salt: Vec<u8>,
    pub(super) position: SaltPosition,
    pub(super) encoding: PasswordEncoding,
    pub(super) hash: Vec<u8>,
}

/// The message parts in hashing order.
fn parts<'a>(position: SaltPosition, salt: &'a [u8], password: &'a [u8]) -> [&'a [u8]; 2] {
    match position {
        SaltPosition::Prefix => [salt, password],
        SaltPosition::Suffix => [password, salt],
    }
}

/// Scheme name of an LDAP value.
pub(super) fn ldap_scheme(digest: Digest, salted: bool) -> &'static str {
    match (digest, salted) {
        (Digest::Md5, false) => "ldap-md5",
        (Digest::Md5, true) => "ldap-smd5",
        (Digest::Sha1, false) => "ldap-sha",
        (Digest::Sha1, true) => "ldap-ssha",
        (Digest::Sha256, false) => "ldap-sha256",
        (Digest::Sha256, true) => "ldap-ssha256",
        (Digest::Sha384, false) => "ldap-sha384",
        (Digest::Sha384, true) => "ldap-ssha384",
        (Digest::Sha512, false) => "ldap-sha512",
        (Digest::Sha512, true) => "ldap-ssha512",
        _ => "ldap",
    }
}

/// Scheme name of an Auth0 md4|md5|sha1|sha256|sha512 custom hash.
pub(super) fn auth0_digest_scheme(digest: Digest) -> &'static str {
    match digest {
        Digest::Md4 => "auth0-md4",
        Digest::Md5 => "auth0-md5",
        Digest::Sha1 => "auth0-sha1",
        Digest::Sha256 => "auth0-sha256",
        Digest::Sha512 => "auth0-sha512",
        _ => "auth0-digest",
    }
}

/// Scheme name of an Auth0 hmac custom hash.
pub(super) fn auth0_hmac_scheme(digest: Digest) -> &'static str {
    match digest {
        Digest::Md4 => "auth0-hmac-md4",
        Digest::Md5 => "auth0-hmac-md5",
        Digest::Sha1 => "auth0-hmac-sha1",
        Digest::Sha224 => "auth0-hmac-sha224",
        Digest::Sha256 => "auth0-hmac-sha256",
        Digest::Sha384 => "auth0-hmac-sha384",
        Digest::Sha512 => "auth0-hmac-sha512",
        Digest::Ripemd160 => "auth0-hmac-ripemd160",
        Digest::Whirlpool => "auth0-hmac-whirlpool",
    }
}

impl SaltedDigest {
    pub(super) fn scheme(&self) -> &'static str {
        match self.origin {
            SaltedOrigin::Ldap { salted } => ldap_scheme(self.digest, salted),
            SaltedOrigin::Auth0 => auth0_digest_scheme(self.digest),
        }
    }

    pub(super) fn verify(&self, password: &str) -> bool {
        let pw = self.encoding.encode(password);
        let computed = self.digest.hash(&parts(self.position, &self.salt, &pw));
        computed.ct_eq(&self.hash).into()
    }
}

impl HmacDigest {
    pub(super) fn scheme(&self) -> &'static str {
        auth0_hmac_scheme(self.digest)
    }

    pub(super) fn verify(&self, password: &str) -> Result<bool, HashError> {
        let pw = self.encoding.encode(password);
        let computed = self
            .digest
            .hmac(&self.key, &parts(self.position, &self.salt, &pw))
            .ok_or_else(|| HashError::Evaluation {
                scheme: self.scheme(),
                reason: "the HMAC implementation refused the key".to_owned(),
            })?;
        Ok(computed.ct_eq(&self.hash).into())
    }
}
