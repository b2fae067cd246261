//! The `kubernetes.io/dockerconfigjson` Secret for a registry, byte for byte the
//! manifest `kubectl create secret docker-registry NAME --docker-server=REGISTRY
//! --docker-username=USER --docker-password=PASSWORD [-n NS] --dry-run=client -o yaml`
//! prints (kubectl 1.34 and later; older versions add `creationTimestamp: null`
//! under `metadata`, which the API server ignores).
//!
//! kubectl builds the `.dockerconfigjson` value with Go's `json.Marshal` of
//! `{"auths":{SERVER:{"username","password","email"(omitted when empty),"auth"}}}`
//! (kubectl/pkg/cmd/create/create_secret_docker.go), and prints the object as YAML
//! with its keys sorted.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use crate::k8s::yaml_string;
use crate::secret::SecretString;

/// The Secret manifest (YAML, ending in a newline) holding `username` and
/// `password` for `registry` (`host[:port]`, used as the `auths` key as given).
/// `namespace` is written only when given, as kubectl does without `-n`.
///
/// The result contains the password (base64-encoded, not encrypted).
pub fn secret_manifest(
    registry: &str,
    username: &str,
    password: &SecretString,
    namespace: Option<&str>,
    name: &str,
) -> String {
    let config = docker_config_json(registry, username, password);
    let mut yaml = String::new();
    yaml.push_str("apiVersion: v1\n");
    yaml.push_str("data:\n");
    yaml.push_str(&format!(
        "  .dockerconfigjson: {}\n",
        STANDARD.encode(config)
    ));
    yaml.push_str("kind: Secret\n");
    yaml.push_str("metadata:\n");
    yaml.push_str(&format!("  name: {}\n", yaml_string(name)));
    if let Some(namespace) = namespace {
        yaml.push_str(&format!("  namespace: {}\n", yaml_string(namespace)));
    }
    yaml.push_str("type: kubernetes.io/dockerconfigjson\n");
    yaml
}

/// The `.dockerconfigjson` document, as the bytes Go's `json.Marshal` produces for
/// kubectl: compact, fields in the order username, password, auth, and `<`, `>`, `&`,
/// U+2028 and U+2029 escaped as `\u003c`-style sequences.
pub fn docker_config_json(registry: &str, username: &str, password: &SecretString) -> String {
    let auth = STANDARD.encode(format!("{username}:{}", password.expose()));
    let json = format!(
        "{{\"auths\":{{{}:{{\"username\":{},\"password\":{},\"auth\":{}}}}}}}",
        go_json_string(registry),
        go_json_string(username),
        go_json_string(password.expose()),
        go_json_string(&auth),
    );
    json
}

/// A JSON string literal escaped the way Go's encoding/json escapes it.
fn go_json_string(value: &str) -> String {
    let json = serde_json::Value::String(value.to_owned()).to_string();
    // These characters appear only inside the string, never in JSON syntax, so a
    // plain replacement is safe.
    json.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

#[cfg(test)]
mod tests {
    use super::*;

    const REGISTRY: &str = "ecr.dbe-xyz.microsoftdatabox.com:31001";

    fn decode(manifest: &str) -> String {
        let line = manifest
            .lines()
            .find_map(|l| l.strip_prefix("  .dockerconfigjson: "))
            .expect("data line");
        String::from_utf8(STANDARD.decode(line).unwrap()).unwrap()
    }

    #[test]
    fn matches_kubectl_output_without_namespace() {
        let manifest = secret_manifest(
            REGISTRY,
            "admin",
            &SecretString::new("s3cret"),
            None,
            "ase-ecr-credentials",
        );
        // {"auths":{"ecr...:31001":{"username":"admin","password":"s3cret","auth":"YWRtaW46czNjcmV0"}}}
        let expected_json = format!(
            "{{\"auths\":{{\"{REGISTRY}\":{{\"username\":\"admin\",\"password\":\"s3cret\",\"auth\":\"YWRtaW46czNjcmV0\"}}}}}}"
        );
        assert_eq!(decode(&manifest), expected_json);
        let expected = format!(
            "apiVersion: v1\n\
             data:\n  .dockerconfigjson: {}\n\
             kind: Secret\n\
             metadata:\n  name: ase-ecr-credentials\n\
             type: kubernetes.io/dockerconfigjson\n",
            STANDARD.encode(&expected_json)
        );
        assert_eq!(manifest, expected);
    }

    #[test]
    fn matches_kubectl_output_with_namespace() {
        // kubectl create secret docker-registry regcred --docker-server=localhost:5000
        //   --docker-username=u --docker-password=p -n apps --dry-run=client -o yaml
        let manifest = secret_manifest(
            "localhost:5000",
            "u",
            &SecretString::new("p"),
            Some("apps"),
            "regcred",
        );
        assert_eq!(
            manifest,
            "apiVersion: v1\n\
             data:\n  .dockerconfigjson: eyJhdXRocyI6eyJsb2NhbGhvc3Q6NTAwMCI6eyJ1c2VybmFtZSI6InUiLCJwYXNzd29yZCI6InAiLCJhdXRoIjoiZFRwdyJ9fX0=\n\
             kind: Secret\n\
             metadata:\n  name: regcred\n  namespace: apps\n\
             type: kubernetes.io/dockerconfigjson\n"
        );
        assert_eq!(
            decode(&manifest),
            r#"{"auths":{"localhost:5000":{"username":"u","password":"p","auth":"dTpw"}}}"#
        );
    }

    #[test]
    fn the_json_is_escaped_like_go_and_stays_valid() {
        let password = SecretString::new("a\"b\\c<d>&e\u{2028}");
        let json = docker_config_json(REGISTRY, "user", &password);
        assert!(
            json.contains(r#""password":"a\"b\\c\u003cd\u003e\u0026e\u2028""#),
            "{json}"
        );
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        let entry = &value["auths"][REGISTRY];
        assert_eq!(entry["password"], "a\"b\\c<d>&e\u{2028}");
        let auth = STANDARD.decode(entry["auth"].as_str().unwrap()).unwrap();
        assert_eq!(auth, "user:a\"b\\c<d>&e\u{2028}".as_bytes());
    }

    #[test]
    fn names_that_yaml_would_misread_are_quoted() {
        let manifest = secret_manifest(REGISTRY, "u", &SecretString::new("p"), Some("123"), "true");
        assert!(manifest.contains("  name: \"true\"\n"), "{manifest}");
        assert!(manifest.contains("  namespace: \"123\"\n"), "{manifest}");
    }
}
