//! Ids as types, so that a meeting id can never be passed where a motion id is meant.
//! Each is typed and shown with its prefix (`#12`, `M3`, `V1`, `A2`); the bare number is
//! accepted too.

use std::fmt;
use std::str::FromStr;

macro_rules! id_type {
    ($name:ident, $prefix:literal, $key:literal) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub i64);

        impl FromStr for $name {
            /// What was typed and what was expected, e.g. `"V1" is not a meeting id (expected
            /// M1 or 1)`, worded by the catalogue.
            type Err = crate::i18n::Text;
            fn from_str(typed: &str) -> Result<Self, Self::Err> {
                super::text::parse_id(typed, $prefix)
                    .map($name)
                    .ok_or_else(|| crate::i18n::Text::new($key).arg("typed", typed))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}{}", $prefix, self.0)
            }
        }

        impl From<$name> for i64 {
            fn from(id: $name) -> i64 {
                id.0
            }
        }
    };
}

id_type!(IssueId, '#', "id.not_an_issue");
id_type!(MeetingId, 'M', "id.not_a_meeting");
id_type!(MotionId, 'V', "id.not_a_motion");
id_type!(ActionId, 'A', "id.not_an_action");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_and_shown_with_their_prefix() {
        assert_eq!("#12".parse::<IssueId>(), Ok(IssueId(12)));
        assert_eq!("12".parse::<IssueId>(), Ok(IssueId(12)));
        assert_eq!("m3".parse::<MeetingId>(), Ok(MeetingId(3)));
        assert_eq!(" V1 ".parse::<MotionId>(), Ok(MotionId(1)));
        assert_eq!("A2".parse::<ActionId>(), Ok(ActionId(2)));
        assert_eq!(IssueId(12).to_string(), "#12");
        assert_eq!(MeetingId(3).to_string(), "M3");
        assert_eq!(MotionId(1).to_string(), "V1");
        assert_eq!(ActionId(2).to_string(), "A2");
    }

    #[test]
    fn a_wrong_prefix_or_zero_is_refused_with_what_was_expected() {
        assert_eq!(
            "V1".parse::<MeetingId>()
                .map_err(|e| e.render(crate::domain::locale::Locale::En)),
            Err("\"V1\" is not a meeting id (expected M1 or 1)".to_string())
        );
        assert!("0".parse::<IssueId>().is_err());
        assert!("#".parse::<IssueId>().is_err());
        assert!("M-1".parse::<MeetingId>().is_err());
    }
}
