//! Stable codes that reports, traces and findings carry (import reasons, doctor findings,
//! login refusals): each an enum serialised as its snake_case code, read back from it, and
//! written by `Display` the same way, so scripts and the future environment server's
//! clients match on the same strings.

/// Declares a code enum: each variant with its code, serde (`Serialize`, `Deserialize`) as
/// that code, [`std::fmt::Display`] and `as_str` writing it, `ALL` listing every variant.
macro_rules! codes {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $code:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        $vis enum $name {
            $( $(#[$vmeta])* #[serde(rename = $code)] $variant, )+
        }

        impl $name {
            /// Every code, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The code, as serialised.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $code,)+
                }
            }

            /// The variant whose code is `code`.
            pub fn from_code(code: &str) -> Option<Self> {
                match code {
                    $($code => Some($name::$variant),)+
                    _ => None,
                }
            }
        }

        /// The schema of a string of one of its names, for the server's OpenAPI 3.1 document
        /// (a derive would not see the names a macro gives).
        #[cfg(feature = "openapi")]
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .enum_values(Some([$($code),+]))
                    .into()
            }
        }

        #[cfg(feature = "openapi")]
        impl utoipa::ToSchema for $name {}

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

pub(crate) use codes;

/// Test support: every code of `all` serialises to its `as_str` as a JSON string, reads back
/// as itself, and the codes are those `documented` lists (README), each once.
#[cfg(test)]
pub(crate) fn assert_round_trip_and_documented<T>(all: &[T], documented: &[String])
where
    T: serde::Serialize
        + serde::de::DeserializeOwned
        + std::fmt::Display
        + PartialEq
        + std::fmt::Debug,
{
    for code in all {
        let json = serde_json::to_string(code).unwrap();
        assert_eq!(json, format!("\"{code}\""));
        let back: T = serde_json::from_str(&json).unwrap();
        assert_eq!(&back, code);
    }
    let mut ours: Vec<String> = all.iter().map(ToString::to_string).collect();
    ours.sort();
    let mut theirs = documented.to_vec();
    theirs.sort();
    assert_eq!(ours, theirs, "the codes and the README's list differ");
}

/// Test support: the backquoted words of the README's sentence that starts with `start`,
/// after `start` (up to its full stop); `start` must be found once.
#[cfg(test)]
pub(crate) fn readme_codes(start: &str) -> Vec<String> {
    let readme = include_str!("../../../README.md").replace('\n', " ");
    let at = readme
        .find(start)
        .unwrap_or_else(|| panic!("README has no sentence starting {start:?}"));
    assert_eq!(
        readme.matches(start).count(),
        1,
        "{start:?} is in the README more than once"
    );
    let sentence = &readme[at + start.len()..];
    let sentence = &sentence[..sentence.find(". ").unwrap_or(sentence.len())];
    sentence
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doctor::FindingCode;
    use crate::engine::Reason;
    use crate::import::{AliasAction, AliasReason, RowReason};

    /// Issue 9: every login refusal code round-trips through JSON and is one of those the
    /// README lists for `simulate-login`, and the README lists no other.
    #[test]
    fn login_reasons_round_trip_and_are_the_readme_list() {
        assert_round_trip_and_documented(
            Reason::ALL,
            &readme_codes("with one of the reason codes"),
        );
    }

    #[test]
    fn import_row_reasons_round_trip_and_are_the_readme_list() {
        assert_round_trip_and_documented(
            RowReason::ALL,
            &readme_codes("A row that meets a user (in the store, or earlier in the file)"),
        );
    }

    #[test]
    fn alias_actions_round_trip_and_are_the_readme_list() {
        assert_round_trip_and_documented(
            AliasAction::ALL,
            &readme_codes("An alias not kept where its record put it"),
        );
    }

    #[test]
    fn alias_reasons_round_trip_and_are_the_readme_list() {
        assert_round_trip_and_documented(AliasReason::ALL, &readme_codes("Its reason is"));
    }

    #[test]
    fn doctor_findings_round_trip_and_are_the_readme_list() {
        assert_round_trip_and_documented(
            FindingCode::ALL,
            &readme_codes("`pools doctor` reports each finding with one of the codes"),
        );
    }

    #[test]
    fn an_unknown_code_does_not_read() {
        assert!(serde_json::from_str::<Reason>("\"unknown\"").is_err());
        assert!(serde_json::from_str::<FindingCode>("\"Collision\"").is_err());
        assert_eq!(
            RowReason::from_code("shadow_user"),
            Some(RowReason::ShadowUser)
        );
        assert_eq!(RowReason::from_code("shadow"), None);
    }
}
