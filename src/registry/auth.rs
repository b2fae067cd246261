//! Registry authentication: anonymous, Basic, and Bearer token challenges
//! (`WWW-Authenticate` realm / service / scope), with tokens reused for the run.

use std::collections::HashMap;

use base64::Engine;
use url::Url;

use crate::secret::Credentials;
use crate::secret::SecretString;

/// What a request needs access to; decides the Bearer token's scope.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Scope {
    /// `/v2/` itself: no scope.
    Base,
    /// Read a repository.
    Pull(String),
    /// Read and write a repository.
    Push(String),
    /// Delete from a repository.
    Delete(String),
    /// List the registry's repositories.
    Catalog,
}

impl Scope {
    /// The token-request `scope` value, if any.
    pub fn token_scope(&self) -> Option<String> {
        match self {
            Scope::Base => None,
            Scope::Pull(repo) => Some(format!("repository:{repo}:pull")),
            Scope::Push(repo) => Some(format!("repository:{repo}:pull,push")),
            Scope::Delete(repo) => Some(format!("repository:{repo}:delete")),
            Scope::Catalog => Some("registry:catalog:*".to_owned()),
        }
    }
}

/// How the registry wants to be authenticated, as learned from its challenges.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scheme {
    /// Nothing learned yet.
    Unknown,
    /// The registry answered without asking for credentials.
    Anonymous,
    Basic,
    Bearer {
        realm: Url,
        service: Option<String>,
    },
}

/// Authentication state of one registry for this run.
#[derive(Debug)]
pub struct AuthState {
    pub scheme: Scheme,
    tokens: HashMap<Option<String>, SecretString>,
}

impl AuthState {
    pub fn new() -> Self {
        AuthState {
            scheme: Scheme::Unknown,
            tokens: HashMap::new(),
        }
    }

    /// The Authorization header to send for `scope`, if one is known.
    ///
    /// With stored credentials and nothing learned yet, Basic is sent at once: a
    /// Basic registry then needs no extra round trip, and a Bearer registry answers
    /// with its challenge as it would anyway.
    pub fn header(&self, scope: &Scope, credentials: Option<&Credentials>) -> Option<SecretString> {
        match &self.scheme {
            Scheme::Unknown | Scheme::Basic => credentials
                .filter(|c| !c.is_identity_token())
                .map(basic_header),
            Scheme::Anonymous => None,
            Scheme::Bearer { .. } => self
                .tokens
                .get(&scope.token_scope())
                .map(|token| SecretString::new(format!("Bearer {}", token.expose()))),
        }
    }

    pub fn store_token(&mut self, scope: &Scope, token: SecretString) {
        self.tokens.insert(scope.token_scope(), token);
    }
}

impl Default for AuthState {
    fn default() -> Self {
        AuthState::new()
    }
}

/// `Basic base64(user:password)`.
pub fn basic_header(credentials: &Credentials) -> SecretString {
    let raw = format!("{}:{}", credentials.username, credentials.password.expose());
    SecretString::new(format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(raw)
    ))
}

/// Parse a `WWW-Authenticate` header into the scheme it asks for. Bearer is
/// preferred when several challenges are offered.
pub fn parse_challenge(header: &str) -> Option<Scheme> {
    let challenges = http_auth::parse_challenges(header).ok()?;
    let param = |challenge: &http_auth::ChallengeRef<'_>, name: &str| {
        challenge
            .params
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.to_unescaped())
    };
    if let Some(bearer) = challenges
        .iter()
        .find(|c| c.scheme.eq_ignore_ascii_case("bearer"))
    {
        let realm = Url::parse(&param(bearer, "realm")?).ok()?;
        return Some(Scheme::Bearer {
            realm,
            service: param(bearer, "service"),
        });
    }
    challenges
        .iter()
        .any(|c| c.scheme.eq_ignore_ascii_case("basic"))
        .then_some(Scheme::Basic)
}

/// The token endpoint URL for a Bearer challenge and scope.
pub fn token_url(realm: &Url, service: Option<&str>, scope: &Scope) -> Url {
    let mut url = realm.clone();
    {
        let mut query = url.query_pairs_mut();
        if let Some(service) = service {
            query.append_pair("service", service);
        }
        if let Some(scope) = scope.token_scope() {
            query.append_pair("scope", &scope);
        }
    }
    url
}

/// The token in a token-endpoint answer (`token`, or OAuth's `access_token`).
pub fn parse_token(body: &[u8]) -> Option<SecretString> {
    #[derive(serde::Deserialize)]
    struct Answer {
        token: Option<String>,
        access_token: Option<String>,
    }
    let answer: Answer = serde_json::from_slice(body).ok()?;
    answer
        .token
        .filter(|t| !t.is_empty())
        .or(answer.access_token)
        .filter(|t| !t.is_empty())
        .map(SecretString::new)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_bearer_and_basic_challenges() {
        let scheme = parse_challenge(
            r#"Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull""#,
        )
        .unwrap();
        let Scheme::Bearer { realm, service } = scheme else {
            panic!("not bearer")
        };
        assert_eq!(realm.as_str(), "https://auth.docker.io/token");
        assert_eq!(service.as_deref(), Some("registry.docker.io"));
        assert_eq!(
            parse_challenge(r#"Basic realm="Registry Realm""#),
            Some(Scheme::Basic)
        );
        assert_eq!(parse_challenge("garbage ,,"), None);
    }

    #[test]
    fn token_urls_carry_service_and_scope() {
        let realm = Url::parse("https://auth.example/token?a=1").unwrap();
        let url = token_url(&realm, Some("reg"), &Scope::Push("x/y".into()));
        assert_eq!(
            url.as_str(),
            "https://auth.example/token?a=1&service=reg&scope=repository%3Ax%2Fy%3Apull%2Cpush"
        );
        assert_eq!(Scope::Base.token_scope(), None);
    }

    #[test]
    fn tokens_and_headers() {
        assert_eq!(parse_token(br#"{"token":"abc"}"#).unwrap().expose(), "abc");
        assert_eq!(
            parse_token(br#"{"access_token":"xyz"}"#).unwrap().expose(),
            "xyz"
        );
        assert!(parse_token(b"{}").is_none());
        let creds = Credentials {
            username: "user".into(),
            password: SecretString::new("pass"),
        };
        assert_eq!(basic_header(&creds).expose(), "Basic dXNlcjpwYXNz");
        let mut state = AuthState::new();
        assert!(state.header(&Scope::Base, Some(&creds)).is_some());
        state.scheme = Scheme::Bearer {
            realm: Url::parse("https://a/t").unwrap(),
            service: None,
        };
        assert!(
            state
                .header(&Scope::Pull("r".into()), Some(&creds))
                .is_none()
        );
        state.store_token(&Scope::Pull("r".into()), SecretString::new("t"));
        assert_eq!(
            state
                .header(&Scope::Pull("r".into()), None)
                .unwrap()
                .expose(),
            "Bearer t"
        );
    }
}
