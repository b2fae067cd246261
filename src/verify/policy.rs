//! notation's OCI trust policy (`trustpolicy.json` / `trustpolicy.oci.json`,
//! version 1.0), read unchanged and validated as notation validates it (the
//! Notary Project specification, "Trust Store and Trust Policy", and
//! notation-go's checks): every problem is one message naming the statement and
//! the value at fault.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use anyhow::Result;
use serde::Deserialize;

use crate::error::Error;
use crate::fsutil::{self, ShowPath};

use super::store::StoreRef;
use super::{MAX_ENTRIES, MAX_STATEMENTS, TRUST_POLICY};

/// A validated trust policy document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustPolicy {
    pub statements: Vec<PolicyStatement>,
}

/// One statement of the trust policy (`trustPolicies[i]`): what the Notary
/// Project verifier needs, already validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyStatement {
    pub name: String,
    /// `*` alone, or fully qualified repositories (`host[:port]/path`).
    pub registry_scopes: Vec<String>,
    /// The level as written (`strict`, `permissive`, `audit`, `skip`).
    pub level: Level,
    /// The action per check: the level's, with `override` applied.
    pub actions: BTreeMap<Check, Action>,
    pub verify_timestamp: VerifyTimestamp,
    /// In the order written; empty only under `skip`.
    pub trust_stores: Vec<StoreRef>,
    /// Empty only under `skip`.
    pub trusted_identities: TrustedIdentities,
}

/// A verification level (`signatureVerification.level`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Strict,
    Permissive,
    Audit,
    Skip,
}

impl Level {
    pub fn name(self) -> &'static str {
        match self {
            Level::Strict => "strict",
            Level::Permissive => "permissive",
            Level::Audit => "audit",
            Level::Skip => "skip",
        }
    }

    fn parse(text: &str) -> Option<Level> {
        Some(match text {
            "strict" => Level::Strict,
            "permissive" => Level::Permissive,
            "audit" => Level::Audit,
            "skip" => Level::Skip,
            _ => return None,
        })
    }

    /// The level's action for each check (the specification's table).
    pub fn action(self, check: Check) -> Action {
        use Action::{Enforce, Log, Skip};
        match (self, check) {
            (Level::Skip, _) => Skip,
            (_, Check::Integrity) => Enforce,
            (Level::Strict, _) => Enforce,
            (Level::Permissive, Check::Authenticity) => Enforce,
            (Level::Permissive, _) | (Level::Audit, _) => Log,
        }
    }
}

/// A validation of the specification's table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Check {
    Integrity,
    Authenticity,
    AuthenticTimestamp,
    Expiry,
    Revocation,
}

impl Check {
    pub const ALL: [Check; 5] = [
        Check::Integrity,
        Check::Authenticity,
        Check::AuthenticTimestamp,
        Check::Expiry,
        Check::Revocation,
    ];

    /// The name in the policy's `override` and in JSON output.
    pub fn name(self) -> &'static str {
        match self {
            Check::Integrity => "integrity",
            Check::Authenticity => "authenticity",
            Check::AuthenticTimestamp => "authenticTimestamp",
            Check::Expiry => "expiry",
            Check::Revocation => "revocation",
        }
    }
}

/// What a failed check does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// The verification fails.
    Enforce,
    /// The failure is reported and verification goes on.
    Log,
    /// The check is not made.
    Skip,
}

impl Action {
    #[allow(dead_code)] // for the Notary Project verifier (verify::notary)
    pub fn name(self) -> &'static str {
        match self {
            Action::Enforce => "enforce",
            Action::Log => "log",
            Action::Skip => "skip",
        }
    }
}

/// `signatureVerification.verifyTimestamp`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VerifyTimestamp {
    /// Verify the timestamp countersignature whenever the conditions hold (the default).
    Always,
    /// Only when a certificate of the signing chain has expired.
    AfterCertExpiry,
}

/// `trustedIdentities`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TrustedIdentities {
    /// `["*"]`: any signing certificate that chains to the trust stores.
    Any,
    /// `x509.subject: ...` entries (other prefixes are kept out: they match no
    /// certificate, as in notation).
    Subjects(Vec<DistinguishedName>),
}

impl TrustedIdentities {
    /// Whether a signing certificate whose subject has these attributes (short
    /// names such as `C`, `ST`, `O`, `CN`, upper case; `S` is taken as `ST`) is
    /// trusted: every attribute of one trusted identity is in the subject with
    /// the same value.
    #[allow(dead_code)] // for the Notary Project verifier (verify::notary)
    pub fn allows(&self, subject: &DistinguishedName) -> bool {
        match self {
            TrustedIdentities::Any => true,
            TrustedIdentities::Subjects(list) => list.iter().any(|dn| dn.is_subset_of(subject)),
        }
    }
}

/// A distinguished name as notation compares them: attribute type (upper
/// case, `S` as `ST`) to value, each type once.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DistinguishedName {
    pub attributes: BTreeMap<String, String>,
    /// As written in the policy, for messages.
    pub text: String,
}

impl DistinguishedName {
    /// A certificate subject's attributes (type, value), for
    /// [`TrustedIdentities::allows`]. A type seen twice keeps its first value,
    /// and `is_subset_of` then compares against that one.
    #[allow(dead_code)] // for the Notary Project verifier (verify::notary)
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut attributes = BTreeMap::new();
        let mut text = Vec::new();
        for (kind, value) in pairs {
            text.push(format!("{kind}={value}"));
            attributes
                .entry(normal_type(kind))
                .or_insert_with(|| value.to_owned());
        }
        DistinguishedName {
            attributes,
            text: text.join(", "),
        }
    }

    /// Whether every attribute of `self` is in `other` with the same value.
    pub fn is_subset_of(&self, other: &DistinguishedName) -> bool {
        self.attributes
            .iter()
            .all(|(kind, value)| other.attributes.get(kind) == Some(value))
    }

    /// Parse the value of an `x509.subject:` identity: comma-separated
    /// `TYPE=value` pairs, `\` escaping `,`, `;`, `\`, `+`, `"`, `=` and
    /// leading/trailing spaces (RFC 4514); at least `C`, `ST` (or `S`) and `O`;
    /// each type once; no multi-valued RDN (`+`).
    pub fn parse(text: &str) -> Result<DistinguishedName, String> {
        let mut attributes = BTreeMap::new();
        for rdn in split_unescaped(text, ',')? {
            if split_unescaped(&rdn, '+')?.len() > 1 {
                return Err(format!(
                    "has a multi-valued RDN `{}`, which notation does not support",
                    rdn.trim()
                ));
            }
            let Some((kind, value)) = rdn.split_once('=') else {
                return Err(format!("has `{}`, which is not TYPE=value", rdn.trim()));
            };
            let kind = normal_type(kind.trim());
            if kind.is_empty() || !kind.chars().all(|c| c.is_ascii_alphanumeric() || c == '.') {
                return Err(format!("has an invalid attribute type in `{}`", rdn.trim()));
            }
            let value = unescape(value.trim_start())?;
            if attributes.insert(kind.clone(), value).is_some() {
                return Err(format!(
                    "names `{kind}` twice; each attribute may appear once"
                ));
            }
        }
        for mandatory in ["C", "ST", "O"] {
            if !attributes.contains_key(mandatory) {
                return Err(format!(
                    "has no `{mandatory}`; an identity must name C, ST (or S) and O at least"
                ));
            }
        }
        Ok(DistinguishedName {
            attributes,
            text: text.to_owned(),
        })
    }
}

fn normal_type(kind: &str) -> String {
    let upper = kind.trim().to_ascii_uppercase();
    if upper == "S" { "ST".to_owned() } else { upper }
}

/// `text` split at each `sep` not escaped by `\` (the escapes kept).
fn split_unescaped(text: &str, sep: char) -> Result<Vec<String>, String> {
    let mut parts = vec![String::new()];
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        let last = parts.last_mut().expect("never empty");
        if c == '\\' {
            let Some(next) = chars.next() else {
                return Err("ends with a lone `\\`".to_owned());
            };
            last.push(c);
            last.push(next);
        } else if c == sep {
            parts.push(String::new());
        } else {
            last.push(c);
        }
    }
    Ok(parts)
}

/// An attribute value with its escapes resolved; unescaped trailing spaces
/// are dropped (a space to keep is written `\ `).
fn unescape(value: &str) -> Result<String, String> {
    let mut out = String::new();
    let mut kept = 0;
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            let next = chars.next().ok_or("ends with a lone `\\`")?;
            out.push(next);
            kept = out.len();
        } else {
            out.push(c);
            if c != ' ' {
                kept = out.len();
            }
        }
    }
    out.truncate(kept);
    Ok(out)
}

/// The document as written; every field optional so each omission gets its
/// own message.
#[derive(Deserialize)]
struct RawDocument {
    version: Option<String>,
    #[serde(rename = "trustPolicies")]
    trust_policies: Option<Vec<RawStatement>>,
}

#[derive(Deserialize)]
struct RawStatement {
    name: Option<String>,
    #[serde(rename = "registryScopes", default)]
    registry_scopes: Vec<String>,
    #[serde(rename = "signatureVerification")]
    signature_verification: Option<RawVerification>,
    #[serde(rename = "trustStores", default)]
    trust_stores: Vec<String>,
    #[serde(rename = "trustedIdentities", default)]
    trusted_identities: Vec<String>,
}

#[derive(Deserialize)]
struct RawVerification {
    level: Option<String>,
    #[serde(default)]
    r#override: BTreeMap<String, String>,
    #[serde(rename = "verifyTimestamp")]
    verify_timestamp: Option<String>,
}

/// The one `help:` for a policy that does not validate.
pub const POLICY_HELP: &str = "fix the trust policy (notation's trustpolicy.json format, version 1.0): https://notaryproject.dev/docs/user-guides/how-to/manage-trust-policy/";

impl TrustPolicy {
    /// Read and validate the trust policy at `path`.
    pub fn load(path: &Path) -> Result<TrustPolicy> {
        let bytes = fsutil::read_file(path, &TRUST_POLICY)?;
        TrustPolicy::parse(&bytes).map_err(|problem| {
            Error::usage(format!("trust policy `{}` {}", path.shown(), problem))
                .help(POLICY_HELP)
                .into()
        })
    }

    /// Parse and validate a trust policy; the error completes "trust policy
    /// FILE ...".
    pub fn parse(bytes: &[u8]) -> Result<TrustPolicy, String> {
        let raw: RawDocument = serde_json::from_slice(bytes)
            .map_err(|err| format!("is not a valid trust policy: {err}"))?;
        match raw.version.as_deref() {
            Some("1.0") => {}
            Some(other) => {
                return Err(format!(
                    "has version \"{other}\"; aseecr reads version \"1.0\""
                ));
            }
            None => return Err("has no `version`; it must be \"1.0\"".to_owned()),
        }
        let raw_statements = raw
            .trust_policies
            .filter(|list| !list.is_empty())
            .ok_or("has no `trustPolicies`; it needs at least one statement")?;
        if raw_statements.len() > MAX_STATEMENTS {
            return Err(format!(
                "has {} statements, more than aseecr's limit of {MAX_STATEMENTS}",
                raw_statements.len()
            ));
        }
        let mut statements = Vec::new();
        let mut names = BTreeSet::new();
        for raw in raw_statements {
            let statement = statement(raw)?;
            if !names.insert(statement.name.clone()) {
                return Err(format!(
                    "has two statements named \"{}\"; statement names must be unique",
                    statement.name
                ));
            }
            statements.push(statement);
        }
        check_scopes(&statements)?;
        Ok(TrustPolicy { statements })
    }

    /// The statement that applies to `repository` (`host[:port]/path`, for
    /// a layout the scope given): the one whose scopes name it, else the
    /// global one (`*`), else none (the image is then untrusted).
    pub fn statement_for(&self, repository: &str) -> Option<&PolicyStatement> {
        self.statements
            .iter()
            .find(|s| s.registry_scopes.iter().any(|scope| scope == repository))
            .or_else(|| self.global_statement())
    }

    /// The global statement (scope `"*"`), if any: what applies to an image
    /// in a layout without a scope.
    pub fn global_statement(&self) -> Option<&PolicyStatement> {
        self.statements
            .iter()
            .find(|s| s.registry_scopes.iter().any(|scope| scope == "*"))
    }
}

/// Validate one statement (all but the scopes across statements).
fn statement(raw: RawStatement) -> Result<PolicyStatement, String> {
    let name = raw
        .name
        .filter(|n| !n.is_empty())
        .ok_or("has a statement without a `name`; every statement needs one")?;
    let at = format!("statement \"{name}\"");
    if raw.registry_scopes.len() > MAX_ENTRIES
        || raw.trust_stores.len() > MAX_ENTRIES
        || raw.trusted_identities.len() > MAX_ENTRIES
    {
        return Err(format!(
            "{at} has more than {MAX_ENTRIES} scopes, stores or identities, aseecr's limit"
        ));
    }
    let verification = raw
        .signature_verification
        .ok_or_else(|| format!("{at} has no `signatureVerification`"))?;
    let (level, actions) = level_and_actions(&at, &verification)?;
    let verify_timestamp = match verification.verify_timestamp.as_deref() {
        None | Some("always") => VerifyTimestamp::Always,
        Some("afterCertExpiry") => VerifyTimestamp::AfterCertExpiry,
        Some(other) => {
            return Err(format!(
                "{at} has verifyTimestamp \"{other}\"; it must be \"always\" or \"afterCertExpiry\""
            ));
        }
    };
    let (trust_stores, trusted_identities) = if level == Level::Skip {
        if !raw.trust_stores.is_empty() || !raw.trusted_identities.is_empty() {
            return Err(format!(
                "{at} skips verification but names trust stores or trusted identities; remove them, or choose another level"
            ));
        }
        (Vec::new(), TrustedIdentities::Subjects(Vec::new()))
    } else {
        if raw.trust_stores.is_empty() || raw.trusted_identities.is_empty() {
            return Err(format!(
                "{at} needs both `trustStores` and `trustedIdentities` (level \"{}\")",
                level.name()
            ));
        }
        let stores = raw
            .trust_stores
            .iter()
            .map(|s| StoreRef::parse(s).map_err(|problem| format!("{at} {problem}")))
            .collect::<Result<Vec<_>, _>>()?;
        (stores, identities(&at, &raw.trusted_identities)?)
    };
    Ok(PolicyStatement {
        name,
        registry_scopes: raw.registry_scopes,
        level,
        actions,
        verify_timestamp,
        trust_stores,
        trusted_identities,
    })
}

fn level_and_actions(
    at: &str,
    verification: &RawVerification,
) -> Result<(Level, BTreeMap<Check, Action>), String> {
    let written = verification
        .level
        .as_deref()
        .filter(|l| !l.is_empty())
        .ok_or_else(|| format!("{at} has no `signatureVerification.level`"))?;
    let level = Level::parse(written).ok_or_else(|| {
        format!(
            "{at} has level \"{written}\"; it must be \"strict\", \"permissive\", \"audit\" or \"skip\""
        )
    })?;
    let mut actions: BTreeMap<Check, Action> =
        Check::ALL.iter().map(|&c| (c, level.action(c))).collect();
    if level == Level::Skip && !verification.r#override.is_empty() {
        return Err(format!(
            "{at} overrides checks of level \"skip\", which has none"
        ));
    }
    for (key, value) in &verification.r#override {
        let check = Check::ALL
            .into_iter()
            .find(|c| c.name() == key)
            .ok_or_else(|| {
                format!(
                    "{at} overrides \"{key}\"; the checks are authenticity, authenticTimestamp, expiry and revocation"
                )
            })?;
        let action = match value.as_str() {
            "enforce" => Action::Enforce,
            "log" => Action::Log,
            "skip" => Action::Skip,
            _ => {
                return Err(format!(
                    "{at} overrides \"{key}\" with \"{value}\"; it must be \"enforce\", \"log\" or \"skip\""
                ));
            }
        };
        if check == Check::Integrity {
            return Err(format!(
                "{at} overrides \"integrity\", which is always enforced"
            ));
        }
        if action == Action::Skip && check != Check::Revocation {
            return Err(format!(
                "{at} skips \"{key}\"; only \"revocation\" can be skipped"
            ));
        }
        actions.insert(check, action);
    }
    Ok((level, actions))
}

fn identities(at: &str, written: &[String]) -> Result<TrustedIdentities, String> {
    if written.iter().any(|i| i == "*") {
        if written.len() > 1 {
            return Err(format!(
                "{at} has the trusted identity \"*\" with others; \"*\" must be alone"
            ));
        }
        return Ok(TrustedIdentities::Any);
    }
    let mut subjects: Vec<DistinguishedName> = Vec::new();
    for identity in written {
        if identity.is_empty() {
            return Err(format!("{at} has an empty trusted identity"));
        }
        let Some((prefix, value)) = identity.split_once(':') else {
            return Err(format!(
                "{at} has trusted identity \"{identity}\" without a `x509.subject:` prefix"
            ));
        };
        // notation knows only x509.subject; others match no certificate.
        if prefix != "x509.subject" {
            continue;
        }
        if value.trim().is_empty() {
            return Err(format!(
                "{at} has trusted identity \"{identity}\" without a value"
            ));
        }
        let dn = DistinguishedName::parse(value)
            .map_err(|problem| format!("{at}: trusted identity \"{identity}\" {problem}"))?;
        if let Some(other) = subjects
            .iter()
            .find(|o| o.is_subset_of(&dn) || dn.is_subset_of(o))
        {
            return Err(format!(
                "{at} has overlapping trusted identities \"x509.subject:{}\" and \"{identity}\" (one certificate would match both); keep one",
                other.text
            ));
        }
        subjects.push(dn);
    }
    Ok(TrustedIdentities::Subjects(subjects))
}

/// `*` alone in its statement and in one statement only; every other scope a
/// fully qualified repository, each in one statement only.
fn check_scopes(statements: &[PolicyStatement]) -> Result<(), String> {
    let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
    for statement in statements {
        let at = format!("statement \"{}\"", statement.name);
        if statement.registry_scopes.is_empty() {
            return Err(format!(
                "{at} has no `registryScopes`; name repositories (`registry.example.com/app`) or \"*\""
            ));
        }
        let global = statement.registry_scopes.iter().any(|s| s == "*");
        if global && statement.registry_scopes.len() > 1 {
            return Err(format!(
                "{at} has the scope \"*\" with others; \"*\" must be alone"
            ));
        }
        if global && statement.level == Level::Skip {
            return Err(format!(
                "{at} skips verification for every image (scope \"*\"); skip is for named repositories only"
            ));
        }
        for scope in &statement.registry_scopes {
            if scope != "*" && !valid_scope(scope) {
                return Err(format!(
                    "{at} has the scope \"{scope}\", which is not a fully qualified repository (`registry.example.com/path`, no tag, no scheme)"
                ));
            }
            if let Some(first) = seen.insert(scope, &statement.name) {
                return Err(format!(
                    "has the scope \"{scope}\" in statements \"{first}\" and \"{}\"; a scope may be in one statement only",
                    statement.name
                ));
            }
        }
    }
    Ok(())
}

/// `host[:port]/path` as the distribution reference grammar has them (what
/// `registryScopes` and `verify --scope` take).
pub fn valid_scope(scope: &str) -> bool {
    let Some((domain, path)) = scope.split_once('/') else {
        return false;
    };
    let label = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    let component = r"[a-z0-9]+(?:(?:[._]|__|[-]*)[a-z0-9]+)*";
    let domain_re =
        regex::Regex::new(&format!(r"^{label}(?:\.{label})*(?::[0-9]+)?$")).expect("valid regex");
    let path_re =
        regex::Regex::new(&format!(r"^{component}(?:/{component})*$")).expect("valid regex");
    domain_re.is_match(domain) && path_re.is_match(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(statements: serde_json::Value) -> Result<TrustPolicy, String> {
        TrustPolicy::parse(
            serde_json::to_vec(&serde_json::json!({"version": "1.0", "trustPolicies": statements}))
                .unwrap()
                .as_slice(),
        )
    }

    fn strict(name: &str, scope: &str) -> serde_json::Value {
        serde_json::json!({"name": name, "registryScopes": [scope],
            "signatureVerification": {"level": "strict"},
            "trustStores": ["ca:store"], "trustedIdentities": ["*"]})
    }

    #[test]
    fn the_exact_scope_wins_over_the_global_one_and_none_applies_without_it() {
        let both = policy(serde_json::json!([
            strict("global", "*"),
            strict("app", "registry.example.com:5000/team/app"),
        ]))
        .unwrap();
        let pick = |repo: &str| both.statement_for(repo).map(|s| s.name.as_str());
        assert_eq!(pick("registry.example.com:5000/team/app"), Some("app"));
        // No prefix or wildcard matching: only exact repositories, then `*`.
        assert_eq!(
            pick("registry.example.com:5000/team/app/sub"),
            Some("global")
        );
        assert_eq!(pick("registry.example.com:5000/team"), Some("global"));
        let only = policy(serde_json::json!([strict("app", "r.example.com/app")])).unwrap();
        assert!(only.statement_for("r.example.com/other").is_none());
    }

    #[test]
    fn microsofts_documented_policy_reads_unchanged() {
        let text = r#"{"version": "1.0", "trustPolicies": [{"name": "supplychain",
            "registryScopes": ["*"], "signatureVerification": {"level": "strict"},
            "trustStores": ["ca:supplychain"],
            "trustedIdentities": ["x509.subject: CN=Microsoft SCD Products RSA Signing,O=Microsoft Corporation,L=Redmond,ST=Washington,C=US"]}]}"#;
        let policy = TrustPolicy::parse(text.as_bytes()).unwrap();
        let statement = policy
            .statement_for("mcr.microsoft.com/dotnet/runtime")
            .unwrap();
        assert_eq!(statement.level, Level::Strict);
        assert_eq!(statement.actions[&Check::Revocation], Action::Enforce);
        let signer = DistinguishedName::from_pairs([
            ("C", "US"),
            ("ST", "Washington"),
            ("L", "Redmond"),
            ("O", "Microsoft Corporation"),
            ("CN", "Microsoft SCD Products RSA Signing"),
        ]);
        assert!(statement.trusted_identities.allows(&signer));
        let other = DistinguishedName::from_pairs([
            ("C", "US"),
            ("ST", "Washington"),
            ("O", "Microsoft Corporation"),
            ("CN", "Someone Else"),
        ]);
        assert!(!statement.trusted_identities.allows(&other));
    }

    #[test]
    fn levels_and_overrides_follow_the_specifications_table() {
        assert_eq!(Level::Audit.action(Check::Integrity), Action::Enforce);
        assert_eq!(Level::Audit.action(Check::Authenticity), Action::Log);
        assert_eq!(
            Level::Permissive.action(Check::Authenticity),
            Action::Enforce
        );
        assert_eq!(Level::Permissive.action(Check::Expiry), Action::Log);
        let mut s = strict("s", "*");
        s["signatureVerification"]["override"] =
            serde_json::json!({"expiry": "log", "revocation": "skip"});
        let p = policy(serde_json::json!([s])).unwrap();
        let actions = &p.statements[0].actions;
        assert_eq!(actions[&Check::Expiry], Action::Log);
        assert_eq!(actions[&Check::Revocation], Action::Skip);
        assert_eq!(actions[&Check::Authenticity], Action::Enforce);
    }

    #[test]
    fn distinguished_names_unescape_and_alias_s_to_st() {
        let dn = DistinguishedName::parse(r"C=US, S=WA, O=Acme\, Inc., CN=\ padded\ ").unwrap();
        assert_eq!(dn.attributes["ST"], "WA");
        assert_eq!(dn.attributes["O"], "Acme, Inc.");
        assert_eq!(dn.attributes["CN"], " padded ");
        assert!(DistinguishedName::parse("C=US,ST=WA,O=A+OU=B").is_err());
        assert!(DistinguishedName::parse("C=US,ST=WA,O=A,O=B").is_err());
    }
}
