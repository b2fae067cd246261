//! Property tests for what registry/ parses from people and from servers:
//! references, `WWW-Authenticate` challenges and `Link` headers.

use proptest::prelude::*;

use super::api::next_link;
use super::auth::{Scheme, parse_challenge};
use super::reference::{Reference, is_path_component, is_tag};

fn component() -> impl Strategy<Value = String> {
    "[a-z0-9]{1,6}([._-][a-z0-9]{1,6}){0,2}"
}

fn host() -> impl Strategy<Value = String> {
    (
        "[a-z][a-z0-9]{0,8}",
        prop::collection::vec("[a-z][a-z0-9-]{0,6}[a-z0-9]", 1..3),
    )
        .prop_map(|(first, rest)| format!("{first}.{}", rest.join(".")))
}

fn tag() -> impl Strategy<Value = String> {
    "[A-Za-z0-9_][A-Za-z0-9_.-]{0,20}"
}

proptest! {
    /// The hand-written checks of path components and tags accept exactly what
    /// distribution's patterns accept, near-misses and non-ASCII included.
    #[test]
    fn components_and_tags_are_checked_as_the_grammar_says(
        text in "[a-zA-Z0-9._\\-/:é]{0,12}",
        near in "[a0_.-]{0,8}",
        long in "[A-Za-z0-9_.-]{126,130}",
    ) {
        static COMPONENT: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
            regex::Regex::new(r"^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$").unwrap()
        });
        static TAG: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
            regex::Regex::new(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$").unwrap()
        });
        for sample in [&text, &near, &long] {
            prop_assert_eq!(is_path_component(sample), COMPONENT.is_match(sample), "{:?}", sample);
            prop_assert_eq!(is_tag(sample), TAG.is_match(sample), "{:?}", sample);
        }
    }

    /// A reference written from valid parts parses into those parts, and its
    /// display parses back to the same reference.
    #[test]
    fn references_round_trip(
        host in host(),
        port in proptest::option::of(1u16..),
        path in prop::collection::vec(component(), 1..4),
        tag in proptest::option::of(tag()),
        digest in proptest::option::of("[0-9a-f]{64}"),
    ) {
        let registry = match port {
            Some(port) => format!("{host}:{port}"),
            None => host.clone(),
        };
        let mut text = format!("{registry}/{}", path.join("/"));
        if let Some(tag) = &tag {
            text.push(':');
            text.push_str(tag);
        }
        if let Some(digest) = &digest {
            text.push_str("@sha256:");
            text.push_str(digest);
        }
        let parsed = Reference::parse(&text, None).unwrap();
        prop_assert_eq!(&parsed.registry, &registry);
        prop_assert_eq!(&parsed.repository, &path.join("/"));
        prop_assert_eq!(&parsed.tag, &tag);
        prop_assert_eq!(parsed.digest.clone(), digest.map(|d| format!("sha256:{d}")));
        let again = Reference::parse(&parsed.to_string(), None).unwrap();
        prop_assert_eq!(again, parsed);
    }

    /// Whatever is typed, parsing answers (a reference or a usage error) and never panics.
    #[test]
    fn any_input_parses_or_is_refused(
        input in ".{0,80}",
        default in proptest::option::of("[a-z]{1,8}\\.[a-z]{2,4}(:[0-9]{2,5})?"),
    ) {
        if let Ok(reference) = Reference::parse(&input, default.as_deref()) {
            let again = Reference::parse(&reference.to_string(), None).unwrap();
            prop_assert_eq!(again, reference);
        }
    }

    /// A Bearer challenge with any realm and service parses back to them, in any
    /// parameter order, with Basic offered too.
    #[test]
    fn bearer_challenges_parse(
        path in "[a-z0-9/]{0,12}",
        service in "[a-zA-Z0-9.:_-]{1,20}",
        scope in "[a-z0-9:/,_-]{0,30}",
        service_first in any::<bool>(),
        with_basic in any::<bool>(),
    ) {
        let realm = format!("https://auth.example.com/{path}");
        let params = if service_first {
            format!(r#"service="{service}",realm="{realm}",scope="{scope}""#)
        } else {
            format!(r#"realm="{realm}",scope="{scope}",service="{service}""#)
        };
        let header = if with_basic {
            format!(r#"Basic realm="r", Bearer {params}"#)
        } else {
            format!("Bearer {params}")
        };
        match parse_challenge(&header) {
            Some(Scheme::Bearer { realm: parsed, service: parsed_service }) => {
                let expected = url::Url::parse(&realm).unwrap();
                prop_assert_eq!(parsed.as_str(), expected.as_str());
                prop_assert_eq!(parsed_service.as_deref(), Some(service.as_str()));
            }
            other => prop_assert!(false, "{header} -> {other:?}"),
        }
    }

    /// Any header text: a challenge parses or is ignored, never a panic.
    #[test]
    fn any_challenge_text_is_safe(header in ".{0,200}") {
        let _ = parse_challenge(&header);
    }

    /// The `next` target is found among other links, whatever their order.
    #[test]
    fn next_links_are_found(
        others in prop::collection::vec(("[a-z0-9/?=&]{1,20}", "prev|first|last"), 0..4),
        next in "/v2/[a-z0-9/]{1,20}\\?n=[0-9]{1,4}&last=[a-z0-9]{1,8}",
        position in 0usize..5,
        quoted in any::<bool>(),
    ) {
        let rel = if quoted { r#"rel="next""# } else { "rel=next" };
        let mut parts: Vec<String> = others
            .iter()
            .map(|(target, rel)| format!(r#"<{target}>; rel="{rel}""#))
            .collect();
        parts.insert(position.min(parts.len()), format!("<{next}>; {rel}"));
        prop_assert_eq!(next_link(&parts.join(", ")), Some(next));
    }

    #[test]
    fn any_link_text_is_safe(header in ".{0,200}") {
        let _ = next_link(&header);
    }
}
