use super::spec::{SOURCE_FIELDS, source_fields};
use super::{PoolSpec, SourceKind};
use crate::error::{Error, Result, setting};
use crate::export::ExportFormat;
use crate::secret::SecretRef;
use std::borrow::Cow;
use std::net::IpAddr;
use url::Url;

/// A pool's source-specific settings. Secrets are held as references only (R11).
#[derive(Debug, Clone, PartialEq)]
pub enum SourceSettings {
    /// Auth0 tenant; `domain` is a host name such as `acme.eu.auth0.com`; `connection` the
    /// database connection (the password-realm grant's realm), [`AUTH0_DEFAULT_CONNECTION`]
    /// when absent; `endpoint_url` replaces `https://{domain}` (test doubles).
    Auth0 {
        domain: String,
        client_id: String,
        client_secret: SecretRef,
        connection: Option<String>,
        endpoint_url: Option<Url>,
    },
    /// AWS Cognito; `client_secret` is the app client's secret when it has one (sent as
    /// `SECRET_HASH`); `endpoint_url` overrides the regional endpoint (emulators, VPC
    /// endpoints).
    Cognito {
        region: String,
        user_pool_id: String,
        client_id: String,
        client_secret: Option<SecretRef>,
        endpoint_url: Option<Url>,
    },
    /// Firebase Authentication; `endpoint_url` overrides the Identity Toolkit host (emulator).
    Firebase {
        project_id: String,
        api_key: SecretRef,
        endpoint_url: Option<Url>,
    },
    /// An HTTP endpoint of the operator's; `auth_header` is the full header value to send.
    Custom {
        url: Url,
        auth_header: Option<SecretRef>,
    },
    /// An export file; `format` is detected from the content when absent.
    Export {
        file: String,
        format: Option<ExportFormat>,
        hash_config: Option<String>,
    },
    /// OpenID Connect federation; `issuer` serves `/.well-known/openid-configuration`.
    Oidc {
        issuer: Issuer,
        client_id: String,
        client_secret: SecretRef,
        tenant_claim: Option<String>,
    },
}

impl SourceSettings {
    /// The source kind of these settings.
    pub fn kind(&self) -> SourceKind {
        match self {
            SourceSettings::Auth0 { .. } => SourceKind::Auth0,
            SourceSettings::Cognito { .. } => SourceKind::Cognito,
            SourceSettings::Firebase { .. } => SourceKind::Firebase,
            SourceSettings::Custom { .. } => SourceKind::Custom,
            SourceSettings::Export { .. } => SourceKind::Export,
            SourceSettings::Oidc { .. } => SourceKind::Oidc,
        }
    }

    pub(super) fn from_spec(kind: SourceKind, spec: &PoolSpec) -> Result<Self> {
        let (required, optional) = source_fields(kind);
        for f in SOURCE_FIELDS {
            if spec.field(f).is_some() && !required.contains(f) && !optional.contains(f) {
                return Err(
                    Error::invalid(*f, format!("does not apply to source {kind}")).with_hint(
                        format!(
                            "source {kind} takes: {}",
                            required
                                .iter()
                                .chain(optional)
                                .map(|k| setting(k, None))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    ),
                );
            }
        }
        // Required fields are present: `missing_required` ran first.
        let req = |f: &str| spec.field(f).unwrap_or_default().trim().to_owned();
        let opt = |f: &str| {
            spec.field(f)
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        };
        let secret = |f: &str| SecretRef::parse(f, &req(f));
        let opt_url = |f: &str| opt(f).map(|u| validate_url(f, &u)).transpose();
        Ok(match kind {
            SourceKind::Auth0 => SourceSettings::Auth0 {
                domain: host_name("domain", &req("domain"))?,
                client_id: token("client_id", &req("client_id"))?,
                client_secret: secret("client_secret")?,
                connection: opt("connection")
                    .map(|c| auth0_connection(&c))
                    .transpose()?,
                endpoint_url: opt_url("endpoint_url")?,
            },
            SourceKind::Cognito => {
                let region = aws_region(&req("region"))?;
                let user_pool_id = req("user_pool_id");
                if user_pool_id
                    .split_once('_')
                    .is_none_or(|(r, id)| r != region || id.is_empty())
                {
                    return Err(Error::invalid(
                        "user_pool_id",
                        format!("{user_pool_id:?} is not a user pool ID of region {region}"),
                    )
                    .with_hint(format!(
                        "Cognito user pool IDs look like {region}_AbCdEfGhI"
                    )));
                }
                SourceSettings::Cognito {
                    region,
                    user_pool_id,
                    client_id: token("client_id", &req("client_id"))?,
                    client_secret: opt("client_secret")
                        .map(|v| SecretRef::parse("client_secret", &v))
                        .transpose()?,
                    endpoint_url: opt_url("endpoint_url")?,
                }
            }
            SourceKind::Firebase => SourceSettings::Firebase {
                project_id: token("project_id", &req("project_id"))?,
                api_key: secret("api_key")?,
                endpoint_url: opt_url("endpoint_url")?,
            },
            SourceKind::Custom => SourceSettings::Custom {
                url: validate_url("url", &req("url"))?,
                auth_header: opt("auth_header")
                    .map(|v| SecretRef::parse("auth_header", &v))
                    .transpose()?,
            },
            SourceKind::Export => SourceSettings::Export {
                file: req("file"),
                format: opt("format")
                    .map(|f| {
                        f.parse::<ExportFormat>().map_err(|e| {
                            Error::invalid("format", e).with_hint(format!(
                                "use one of: {}",
                                ExportFormat::NAMES.join(", ")
                            ))
                        })
                    })
                    .transpose()?,
                hash_config: opt("hash_config"),
            },
            SourceKind::Oidc => SourceSettings::Oidc {
                issuer: Issuer::parse(&req("issuer"))?,
                client_id: token("client_id", &req("client_id"))?,
                client_secret: secret("client_secret")?,
                tenant_claim: opt("tenant_claim")
                    .map(
                        |c| match crate::tenant::TenantSource::parse(&format!("property:{c}")) {
                            Ok(_) => Ok(c),
                            Err(_) => Err(Error::invalid(
                                "tenant_claim",
                                format!("{c:?} is not a claim name or dotted path"),
                            )
                            .with_hint(format!(
                                "e.g. {} or {}",
                                setting("tenant_claim", Some("org_id")),
                                setting("tenant_claim", Some("https://example.com/claims.tenant"))
                            ))),
                        },
                    )
                    .transpose()?,
            },
        })
    }

    pub(super) fn write_spec(&self, spec: &mut PoolSpec) {
        let s = |v: &str| Some(v.to_owned());
        let u = |v: &Url| Some(url_text(v));
        match self {
            SourceSettings::Auth0 {
                domain,
                client_id,
                client_secret,
                connection,
                endpoint_url,
            } => {
                spec.domain = s(domain);
                spec.client_id = s(client_id);
                spec.client_secret = Some(client_secret.to_string());
                spec.connection = connection.clone();
                spec.endpoint_url = endpoint_url.as_ref().and_then(u);
            }
            SourceSettings::Cognito {
                region,
                user_pool_id,
                client_id,
                client_secret,
                endpoint_url,
            } => {
                spec.region = s(region);
                spec.user_pool_id = s(user_pool_id);
                spec.client_id = s(client_id);
                spec.client_secret = client_secret.as_ref().map(|c| c.to_string());
                spec.endpoint_url = endpoint_url.as_ref().and_then(u);
            }
            SourceSettings::Firebase {
                project_id,
                api_key,
                endpoint_url,
            } => {
                spec.project_id = s(project_id);
                spec.api_key = Some(api_key.to_string());
                spec.endpoint_url = endpoint_url.as_ref().and_then(u);
            }
            SourceSettings::Custom { url, auth_header } => {
                spec.url = u(url);
                spec.auth_header = auth_header.as_ref().map(|a| a.to_string());
            }
            SourceSettings::Export {
                file,
                format,
                hash_config,
            } => {
                spec.file = s(file);
                spec.format = format.map(|f| f.name().to_owned());
                spec.hash_config = hash_config.clone();
            }
            SourceSettings::Oidc {
                issuer,
                client_id,
                client_secret,
                tenant_claim,
            } => {
                spec.issuer = s(issuer.as_str());
                spec.client_id = s(client_id);
                spec.client_secret = Some(client_secret.to_string());
                spec.tenant_claim = tenant_claim.clone();
            }
        }
    }

    /// Checks the URL settings for credentials ([`check_url_credentials`]); run when a pool
    /// is written.
    ///
    /// Errors: [`Error::Invalid`] on the URL's setting, citing R11.
    pub fn check_urls(&self) -> Result<()> {
        // An issuer takes no query or fragment at all ([`Issuer::parse`]), but a path
        // parameter (`;access_token=`) passes that (retrial finding F).
        let issuer;
        let urls: Vec<(&str, &Url)> = match self {
            SourceSettings::Custom { url, .. } => vec![("url", url)],
            SourceSettings::Oidc { issuer: i, .. } => match Url::parse(i.as_str()) {
                Ok(u) => {
                    issuer = u;
                    vec![("issuer", &issuer)]
                }
                Err(_) => vec![],
            },
            SourceSettings::Cognito { endpoint_url, .. }
            | SourceSettings::Firebase { endpoint_url, .. }
            | SourceSettings::Auth0 { endpoint_url, .. } => {
                endpoint_url.iter().map(|u| ("endpoint_url", u)).collect()
            }
            SourceSettings::Export { .. } => vec![],
        };
        urls.into_iter()
            .try_for_each(|(field, url)| check_url_credentials(field, url))
    }

    /// The secret references these settings hold, by field name.
    pub fn secrets(&self) -> Vec<(&'static str, &SecretRef)> {
        match self {
            SourceSettings::Auth0 { client_secret, .. }
            | SourceSettings::Oidc { client_secret, .. } => {
                vec![("client_secret", client_secret)]
            }
            SourceSettings::Cognito {
                client_secret: Some(c),
                ..
            } => vec![("client_secret", c)],
            SourceSettings::Firebase { api_key, .. } => vec![("api_key", api_key)],
            SourceSettings::Custom {
                auth_header: Some(a),
                ..
            } => vec![("auth_header", a)],
            _ => vec![],
        }
    }
}

/// An OpenID Provider's Issuer Identifier (OpenID Connect Core 1.0 §2): an `https` URL
/// without query or fragment, kept exactly as the operator wrote it (trimmed), because an ID
/// token's `iss` must equal it exactly (§3.1.3.7): `https://id.example.com` and
/// `https://id.example.com/` are two issuers. (`Url` would add the `/` to a bare host.)
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issuer(String);

impl Issuer {
    /// Validates an issuer setting.
    ///
    /// Errors: [`Error::Invalid`] on `issuer`: not an https URL (see [`validate_url`]), or
    /// one with a query or fragment.
    pub fn parse(raw: &str) -> Result<Self> {
        let url = validate_url("issuer", raw)?;
        if url.query().is_some() || url.fragment().is_some() {
            return Err(Error::invalid(
                "issuer",
                format!(
                    "{:?} has a query or fragment: an issuer identifier has neither (OpenID Connect Core 1.0 §2)",
                    redact(raw)
                ),
            )
            .with_hint("write the issuer exactly as the IdP's discovery document names it (`issuer`)"));
        }
        Ok(Issuer(raw.trim().to_owned()))
    }

    /// The issuer exactly as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Issuer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The URL as operators wrote it: `Url` adds a trailing `/` to bare hosts, which we drop
/// again so that `export` reproduces the input and `apply` of it is a no-op.
fn url_text(u: &Url) -> String {
    let s = u.as_str();
    if u.path() == "/" && u.query().is_none() && u.fragment().is_none() {
        s.trim_end_matches('/').to_owned()
    } else {
        s.to_owned()
    }
}

/// Parses an URL setting: `https`, or `http` to a loopback host (emulators, tests).
///
/// Errors: [`Error::Invalid`] on `field` naming what is wrong.
pub fn validate_url(field: &str, raw: &str) -> Result<Url> {
    // Messages show the URL without any user:password part (R11).
    let shown = redact(raw);
    let value = shown.as_str();
    let url = Url::parse(raw.trim()).map_err(|e| {
        Error::invalid(field, format!("{value:?} is not a URL: {e}"))
            .with_hint("write the full URL, e.g. https://login.example.com")
    })?;
    let loopback = match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    };
    if url.host().is_none() {
        return Err(Error::invalid(field, format!("{value:?} has no host"))
            .with_hint("write the full URL with its host, e.g. https://login.example.com"));
    }
    match url.scheme() {
        "https" => {}
        "http" if loopback => {}
        "http" => {
            return Err(Error::invalid(
                field,
                format!("{value:?} must use https (plain http is allowed only to loopback hosts)"),
            )
            .with_hint("use the https:// URL of the service"));
        }
        other => {
            return Err(Error::invalid(
                field,
                format!("{value:?}: scheme {other} is not supported; use https"),
            )
            .with_hint(
                "use the service's https:// URL (plain http:// only to a loopback host, such as an emulator)",
            ));
        }
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(
            Error::invalid(field, "credentials inside a URL are not accepted (R11)")
                .with_hint(credentials_hint(field)),
        );
    }
    Ok(url)
}

/// Refuses a URL whose path (`;access_token=`), query string or fragment carries a parameter
/// named like a credential (`?api_key=`, `?token[]=`, `#sig=`, ...; see [`secret_parameter`]): the URL is
/// exported in the YAML that is "safe to commit" and printed by `inspect` (R11), so a
/// credential belongs in a reference instead, like the `user:password@` [`validate_url`]
/// refuses. Run when a pool is written, not when one is loaded: a pool an older version
/// stored still loads, and can be fixed with `configure`.
///
/// Errors: [`Error::Invalid`] on `field` naming the parameter, never its value.
pub fn check_url_credentials(field: &str, url: &Url) -> Result<()> {
    let path_params = url
        .path_segments()
        .into_iter()
        .flatten()
        .flat_map(|segment| {
            segment
                .split_once(';')
                .map(|(_, p)| params(p))
                .unwrap_or_default()
        });
    let found = path_params
        .map(|p| ("path parameter", p))
        .chain(
            params(url.query().unwrap_or_default())
                .into_iter()
                .map(|p| ("query parameter", p)),
        )
        .chain(
            params(url.fragment().unwrap_or_default())
                .into_iter()
                .map(|p| ("fragment parameter", p)),
        )
        .find(|(_, (name, value))| !value.is_empty() && secret_parameter(name));
    match found {
        None => Ok(()),
        Some((part, (name, _))) => Err(Error::invalid(
            field,
            format!(
                "{part} {name:?} looks like a credential, and credentials inside a URL are not accepted (R11): the URL is exported and shown"
            ),
        )
        .with_hint(credentials_hint(field))),
    }
}

/// The `name=value` parameters of a path segment's, query's or fragment's text, decoded:
/// servers split them at `;` as well as `&` (matrix parameters in the path, `?a=1;token=x`
/// in Java and PHP frameworks), so every such piece is one parameter.
fn params(text: &str) -> Vec<(Cow<'_, str>, Cow<'_, str>)> {
    text.split(';')
        .flat_map(|piece| url::form_urlencoded::parse(piece.as_bytes()))
        .collect()
}

/// Whether a URL parameter's name is one that carries a credential, compared without case
/// and ignoring `-`, `_` and `.` (`api_key`, `API-Key`, `apiKey` are one name): exactly
/// `key`, `code` (Azure Functions keys), `sig`, `auth`, `pwd`, `pass`, `jwt`, `session`,
/// `sessionid`, `credential(s)`; or ending in `token`, `secret`, `password`, `passwd`,
/// `apikey`, `accesskey`, `secretkey`, `privatekey`, `subscriptionkey`, `signature`,
/// `authorization` (`access_token`, `client_secret`, `x-api-key`, `X-Amz-Signature`,
/// `subscription-key`). A longer list refuses legitimate endpoints; this one is the names
/// services use. The name is taken as servers read it: decoded (the caller decodes `%xx`),
/// without an array suffix (`token[]`, `token[0]`: PHP and Rails read `token`) and without
/// control characters or blanks (`token%00`: C servers stop at the NUL).
fn secret_parameter(name: &str) -> bool {
    const EXACT: &[&str] = &[
        "key",
        "code",
        "sig",
        "auth",
        "pwd",
        "pass",
        "jwt",
        "session",
        "sessionid",
        "credential",
        "credentials",
    ];
    const ENDINGS: &[&str] = &[
        "token",
        "secret",
        "password",
        "passwd",
        "apikey",
        "accesskey",
        "secretkey",
        "privatekey",
        "subscriptionkey",
        "signature",
        "authorization",
    ];
    let base = name.split('[').next().unwrap_or_default();
    let n: String = base
        .chars()
        .filter(|c| !matches!(c, '-' | '_' | '.') && !c.is_control() && !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    EXACT.contains(&n.as_str()) || ENDINGS.iter().any(|e| n.ends_with(e))
}

/// Where a credential found in the URL setting `field` goes instead.
fn credentials_hint(field: &str) -> String {
    match field {
        "url" => format!(
            "pass it by reference in {} (sent as the Authorization header) and drop it from the URL",
            setting("auth_header", Some("env:VAR"))
        ),
        "issuer" => format!(
            "drop it from the URL: the client authenticates with {}",
            setting("client_secret", Some("env:VAR"))
        ),
        _ => format!(
            "drop it from the URL: an endpoint override takes no credentials (a Firebase API key is {}, a reference)",
            setting("api_key", Some("env:VAR"))
        ),
    }
}

/// The text with any `user:password@` of a URL replaced by `***@`, and the value of every
/// path (`;name=`), query or fragment parameter named like a credential by `***`, for messages.
fn redact(text: &str) -> String {
    let (scheme, rest) = match text.find("://") {
        Some(i) => text.split_at(i + 3),
        None => ("", text),
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let rest = match rest[..authority_end].rfind('@') {
        Some(at) => format!("***@{}", &rest[at + 1..]),
        None => rest.to_owned(),
    };
    // The path's `;` parameters, then the query's and the fragment's (split at `&` and `;`).
    let query_at = rest.find(['?', '#']).unwrap_or(rest.len());
    let mut out = scheme.to_owned();
    mask_parameters(&mut out, &rest[..query_at], &['/', ';']);
    mask_parameters(&mut out, &rest[query_at..], &['?', '#', '&', ';']);
    out
}

/// Appends `text` to `out`, with the value of every `name=value` piece between `separators`
/// whose name is a credential's replaced by `***`.
fn mask_parameters(out: &mut String, text: &str, separators: &[char]) {
    for piece in text.split_inclusive(separators) {
        let (param, end) = match piece.char_indices().last() {
            Some((i, c)) if separators.contains(&c) => (&piece[..i], Some(c)),
            _ => (piece, None),
        };
        match param.split_once('=') {
            Some((name, _))
                if url::form_urlencoded::parse(name.as_bytes())
                    .next()
                    .is_some_and(|(n, _)| secret_parameter(&n)) =>
            {
                out.push_str(name);
                out.push_str("=***");
            }
            _ => out.push_str(param),
        }
        out.extend(end);
    }
}

fn host_name(field: &str, raw: &str) -> Result<String> {
    let shown = redact(raw);
    let v = shown.as_str();
    if v.contains("://") || v.contains('/') {
        return Err(
            Error::invalid(field, format!("{v:?} must be a host name, not a URL")).with_hint(
                format!("e.g. {}", setting("domain", Some("acme.eu.auth0.com"))),
            ),
        );
    }
    let ok = v.contains('.')
        && v.split('.')
            .all(|l| !l.is_empty() && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'));
    if !ok {
        return Err(
            Error::invalid(field, format!("{v:?} is not a host name")).with_hint(format!(
                "e.g. {}",
                setting("domain", Some("acme.eu.auth0.com"))
            )),
        );
    }
    Ok(raw.to_ascii_lowercase())
}

/// A client ID, project ID or similar: 1-256 characters, no whitespace and nothing
/// [`crate::limits::refused_char`] (a token that looks like another would be another).
/// The Auth0 database connection asked when a pool names none (the one every tenant is
/// created with).
pub const AUTH0_DEFAULT_CONNECTION: &str = "Username-Password-Authentication";

/// An Auth0 connection name: letters, digits and inner hyphens, at most 128 (as the Auth0
/// dashboard accepts them, Management API `POST /api/v2/connections`, `name`).
fn auth0_connection(v: &str) -> Result<String> {
    let ok = !v.is_empty()
        && v.len() <= 128
        && v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !v.starts_with('-')
        && !v.ends_with('-');
    if !ok {
        return Err(Error::invalid(
            "connection",
            format!("{:?} is not an Auth0 connection name", redact(v)),
        )
        .with_hint(format!(
            "letters, digits and inner hyphens, at most 128, e.g. {}",
            setting("connection", Some(AUTH0_DEFAULT_CONNECTION))
        )));
    }
    Ok(v.to_owned())
}

fn token(field: &str, v: &str) -> Result<String> {
    if v.is_empty()
        || v.len() > 256
        || v.chars()
            .any(|c| c.is_whitespace() || crate::limits::refused_char(c))
    {
        return Err(Error::invalid(
            field,
            format!(
                "{v:?} must be 1-256 characters without spaces, control or invisible characters"
            ),
        ));
    }
    Ok(v.to_owned())
}

fn aws_region(v: &str) -> Result<String> {
    let parts: Vec<&str> = v.split('-').collect();
    let ok = parts.len() >= 3
        && parts[0].len() == 2
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
        && parts
            .last()
            .is_some_and(|p| p.bytes().all(|b| b.is_ascii_digit()));
    if ok {
        Ok(v.to_owned())
    } else {
        Err(
            Error::invalid("region", format!("{v:?} is not an AWS region"))
                .with_hint(format!("e.g. {}", setting("region", Some("eu-west-1")))),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_need_https_except_loopback() {
        assert!(validate_url("url", "https://id.example.com/x").is_ok());
        assert!(validate_url("url", "http://127.0.0.1:8080").is_ok());
        assert!(validate_url("url", "http://localhost:9099").is_ok());
        assert!(validate_url("url", "http://[::1]:1").is_ok());
        assert!(validate_url("url", "http://id.example.com").is_err());
        assert!(validate_url("url", "ftp://id.example.com").is_err());
        assert!(validate_url("url", "https://u:p@id.example.com").is_err());
        assert!(validate_url("url", "id.example.com").is_err());
        // R11: a password inside a refused URL is never echoed.
        for bad in [
            "http://admin:S3CR3T@x.example.net/a",
            "ftp://u:S3CR3T@x.example.net",
            "https://u:S3CR3T@/x",
        ] {
            let e = validate_url("url", bad).unwrap_err().to_string();
            assert!(!e.contains("S3CR3T"), "{e}");
        }
        assert!(
            !host_name("domain", "https://u:S3CR3T@acme.auth0.com")
                .unwrap_err()
                .to_string()
                .contains("S3CR3T")
        );
    }

    /// Issue 8 (F6, R11): a credential in a URL's query string or fragment is refused when the
    /// pool is written, naming the parameter and never its value, in any case and spelling;
    /// ordinary parameters pass; messages about other faults of such a URL mask the value.
    #[test]
    fn r11_credentials_in_query_strings_are_refused_without_echo() {
        let check = |raw: &str| check_url_credentials("url", &validate_url("url", raw).unwrap());
        for bad in [
            "https://x.example.com/login?api_key=UrlTok-7",
            "https://x.example.com/login?API-KEY=UrlTok-7",
            "https://x.example.com/login?apiKey=UrlTok-7",
            "https://x.example.com/login?v=2&access_token=UrlTok-7",
            "https://x.example.com/login?Token=UrlTok-7",
            "https://x.example.com/login?client_secret=UrlTok-7",
            "https://x.example.com/login?x-api-key=UrlTok-7",
            "https://x.example.com/login?sig=UrlTok-7",
            "https://x.example.com/login?X-Amz-Signature=UrlTok-7",
            "https://x.example.com/api/login?code=UrlTok-7",
            "https://x.example.com/login?password=UrlTok-7",
            "https://x.example.com/login?auth=UrlTok-7",
            "https://x.example.com/login?api%5Fkey=UrlTok-7",
            "https://x.example.com/login#access_token=UrlTok-7",
            // Trial finding 5: a path parameter, an array name, a NUL, `;` in the query.
            "https://x.example.com/x;access_token=UrlTok-7",
            "https://x.example.com/a;v=1;api-key=UrlTok-7/b",
            "https://x.example.com/x?token[]=UrlTok-7",
            "https://x.example.com/x?token%5B%5D=UrlTok-7",
            "https://x.example.com/x?access_token[0]=UrlTok-7",
            "https://x.example.com/x?token%00=UrlTok-7",
            "https://x.example.com/x?token%20=UrlTok-7",
            "https://x.example.com/x?a=1;token=UrlTok-7",
            "https://x.example.com/x#a=1;id_token=UrlTok-7",
        ] {
            let e = check(bad).unwrap_err();
            let text = e.to_string();
            assert!(
                text.starts_with("url: ") && text.contains("R11"),
                "{bad}: {text}"
            );
            assert!(!text.contains("UrlTok"), "{bad}: {text}");
            assert!(e.hint().unwrap().contains("auth_header: env:VAR"), "{bad}");
        }
        for ok in [
            "https://x.example.com/login",
            "https://x.example.com/login?v=2&region=eu&tenant=acme",
            "https://x.example.com/login?keyboard=1&monkey=2&tokens_left=3",
            "https://x.example.com/login?token=",
            "https://x.example.com/login#section",
            "https://x.example.com/a;v=1/b;jsessionid-like=2/c",
            "https://x.example.com/a;token=/b",
            "https://x.example.com/x?ids[]=1&ids[]=2&filter[name]=a",
            "https://x.example.com/x?tokens_left[]=3",
        ] {
            assert!(check(ok).is_ok(), "{ok}");
        }
        let e = validate_url(
            "url",
            "http://x.example.com/login?a=1&api_key=UrlTok-7#sig=UrlTok-8",
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("http://x.example.com/login?a=1&api_key=***#sig=***"),
            "{e}"
        );
        assert!(!e.contains("UrlTok"), "{e}");
        // Path parameters are masked too, and a query value's `/` masks to its end.
        let e = validate_url(
            "url",
            "http://x.example.com/a;access_token=UrlTok-7/b?token=UrlTok-8/c",
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("http://x.example.com/a;access_token=***/b?token=***"),
            "{e}"
        );
        assert!(!e.contains("UrlTok"), "{e}");
    }

    /// A client or project ID with a character that shows as nothing or as a blank would be
    /// another ID than the one on screen: refused like a space.
    #[test]
    fn tokens_refuse_what_names_refuse() {
        assert_eq!(token("client_id", "9vQfUxJ3").unwrap(), "9vQfUxJ3");
        for bad in [
            "a b",
            "a\tb",
            "a\u{a0}b",
            "a\u{200b}b",
            "a\u{2800}b",
            "a\u{3164}b",
            "a\u{fe0f}",
        ] {
            let e = token("client_id", bad).unwrap_err().to_string();
            assert!(e.starts_with("client_id: "), "{bad:?}: {e}");
        }
    }

    #[test]
    fn bare_url_round_trips() {
        let u = validate_url("issuer", "https://id.example.com").unwrap();
        assert_eq!(url_text(&u), "https://id.example.com");
        let u = validate_url("issuer", "https://id.example.com/realms/x/").unwrap();
        assert_eq!(url_text(&u), "https://id.example.com/realms/x/");
    }
}
