//! bcrypt in the OpenBSD crypt(3) string format: `$2b$CC$<22 salt chars><31 hash chars>`
//! (bcrypt alphabet `./A-Za-z0-9`), as written by OpenBSD, crypt_blowfish and PHP.

use super::error::{HashError, malformed, unsupported};

const SCHEME: &str = "bcrypt";

/// A validated bcrypt crypt string, as handed to the bcrypt crate.
#[derive(Clone)]
pub(super) struct Bcrypt {
    crypt: String,
}

/// Parse `$2a$` / `$2b$` / `$2y$` strings. `$2x$` is refused with [`HashError::Bcrypt2x`].
pub(super) fn parse(s: &str) -> Result<Bcrypt, HashError> {
    let prefix = s.get(..4).unwrap_or(s);
    match prefix {
        "$2a$" | "$2b$" | "$2y$" => {}
        "$2x$" => return Err(HashError::Bcrypt2x),
        _ if s.starts_with("$2$") => {
            return Err(unsupported(
                "bcrypt-2",
                "the original 1999 `$2$` bcrypt variant is not implemented by any maintained \
                 library; fix: import these users without a password and ask them to reset it",
            ));
        }
        _ => {
            return Err(malformed(
                SCHEME,
                "the prefix is not `$2a$`, `$2b$` or `$2y$`; fix: re-export the hash unmodified",
            ));
        }
    }
    let bytes = s.as_bytes();
    if bytes.len() != 60 {
        return Err(malformed(
            SCHEME,
            format!(
                "the string is {} characters long, bcrypt strings are exactly 60; fix: it is \
                 truncated or padded, re-export it",
                s.chars().count()
            ),
        ));
    }
    // Length 60 and the prefix check make the fixed offsets below valid.
    let cost_ok = bytes[4].is_ascii_digit() && bytes[5].is_ascii_digit() && bytes[6] == b'$';
    let cost = if cost_ok {
        u32::from(bytes[4] - b'0') * 10 + u32::from(bytes[5] - b'0')
    } else {
        return Err(malformed(
            SCHEME,
            "the cost field is not two digits followed by `$`; fix: re-export the hash unmodified",
        ));
    };
    if !(4..=31).contains(&cost) {
        return Err(malformed(
            SCHEME,
            format!("cost {cost} is outside bcrypt's range 4..=31; fix: re-export the hash"),
        ));
    }
    if cost > super::MAX_BCRYPT_COST {
        return Err(super::error::unsupported(
            SCHEME,
            format!(
                "cost {cost} is above {}, the most pools verifies (each step doubles the time: cost {cost} would take minutes per login); fix: import these users without a password (their first login asks the pool)",
                super::MAX_BCRYPT_COST
            ),
        ));
    }
    let body_ok = bytes[7..]
        .iter()
        .all(|b| b.is_ascii_alphanumeric() || *b == b'.' || *b == b'/');
    if !body_ok {
        return Err(malformed(
            SCHEME,
            "salt and hash contain characters outside the bcrypt alphabet `./A-Za-z0-9`; fix: \
             the string is damaged, re-export it",
        ));
    }
    // Let the bcrypt crate decode salt and hash now, so verify() cannot fail on them later.
    if s.parse::<::bcrypt::HashParts>().is_err() {
        return Err(malformed(
            SCHEME,
            "salt or hash do not decode (non-canonical final character); fix: the string is \
             damaged, re-export it",
        ));
    }
    Ok(Bcrypt {
        crypt: s.to_owned(),
    })
}

impl Bcrypt {
    /// The cost field: log2 of the number of key-expansion rounds (validated at parse).
    pub(super) fn cost(&self) -> u32 {
        self.crypt
            .get(4..6)
            .and_then(|c| c.parse().ok())
            .unwrap_or(31)
    }

    /// Verify with the bcrypt crate, which truncates passwords to 72 bytes like every bcrypt
    /// implementation that produced these hashes, and compares in constant time.
    pub(super) fn verify(&self, password: &[u8], scheme: &'static str) -> Result<bool, HashError> {
        ::bcrypt::verify(password, &self.crypt).map_err(|e| HashError::Evaluation {
            scheme,
            reason: e.to_string(),
        })
    }
}
