//! Maps that refuse a key given twice. serde's derived structs already refuse a duplicate field,
//! but a `BTreeMap` silently keeps the last value, so `{"x": 1, "x": 2}` in `parameters` would
//! quietly mean 2.

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{Deserialize, Deserializer, Error, MapAccess, Visitor};

/// `deserialize_with` for a string-keyed map: an error naming the first key given twice.
pub fn unique_keys<'de, D, V>(d: D) -> Result<BTreeMap<String, V>, D::Error>
where
    D: Deserializer<'de>,
    V: Deserialize<'de>,
{
    struct Unique<V>(PhantomData<V>);
    impl<'de, V: Deserialize<'de>> Visitor<'de> for Unique<V> {
        type Value = BTreeMap<String, V>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("an object with each key once")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut out = BTreeMap::new();
            while let Some(key) = map.next_key::<String>()? {
                if out.contains_key(&key) {
                    return Err(A::Error::custom(format_args!(
                        "duplicate field `{key}`; give each key once"
                    )));
                }
                let value = map.next_value()?;
                out.insert(key, value);
            }
            Ok(out)
        }
    }
    d.deserialize_map(Unique(PhantomData))
}

#[cfg(test)]
mod tests {
    use crate::Scenario;

    fn field(text: &str) -> (String, String) {
        let e = Scenario::from_json(text).unwrap_err();
        (e.field, e.message)
    }

    #[test]
    fn a_key_given_twice_is_refused_and_named() {
        for (text, want) in [
            (r#"{"profile": "book", "profile": "kraft"}"#, "profile"),
            (
                r#"{"parameters": {"zk_session_timeout_ms": 1, "zk_session_timeout_ms": 2}}"#,
                "parameters.zk_session_timeout_ms",
            ),
            (
                r#"{"cluster": {"topics": [{"name": "a", "name": "b"}]}}"#,
                "cluster.topics[0].name",
            ),
            (
                r#"{"cluster": {"brokers": 3, "brokers": 4}}"#,
                "cluster.brokers",
            ),
        ] {
            let (f, m) = field(text);
            assert_eq!(f, want, "{text}: {m}");
            assert!(m.contains("duplicate field"), "{text}: {m}");
        }
        // Different keys in parameters are still fine.
        let s = Scenario::from_json(
            r#"{"parameters": {"zk_session_timeout_ms": 1, "propagation_ms": 2}}"#,
        )
        .unwrap();
        assert_eq!(s.parameters.len(), 2);
    }

    #[test]
    fn syntax_errors_inside_an_object_name_the_object() {
        for (text, want) in [
            (
                r#"{"cluster": {"topics": [{"name": "a",}]}}"#,
                "cluster.topics[0]",
            ),
            (
                r#"{"cluster": {"topics": [{"name": "a", 1: 2}]}}"#,
                "cluster.topics[0]",
            ),
            (
                r#"{"cluster": {"topics": [{"name": "a""#,
                "cluster.topics[0]",
            ),
            (r#"{"cluster": {"#, "cluster"),
            (r#"{"#, "scenario"),
        ] {
            let (f, m) = field(text);
            assert_eq!(f, want, "{text}: {m}");
            assert!(!f.contains('?'), "{f}");
        }
    }
}
