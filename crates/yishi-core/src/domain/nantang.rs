//! Nantang rules (南塘议事规则) for the order of speeches: the chair runs the procedure and takes
//! no side; the chair alternates speakers for and against. Checks return warnings; the rules
//! (`nantang = "refuse"`) may make them refusals.

use super::locale::Locale;
use super::motion::SpeechPosition as Position;
use crate::i18n::Text;
use crate::text;

/// A position as an argument of a message: 赞成 / for.
fn side(t: Text, name: &'static str, p: Position) -> Text {
    t.pair(name, p.label(Locale::ZhCn), p.key())
}

/// The other side of a debate; a neutral speaker has none.
fn other(p: Position) -> Option<Position> {
    match p {
        Position::For => Some(Position::Against),
        Position::Against => Some(Position::For),
        Position::Neutral => None,
    }
}

/// What the Nantang rules say about one more speech on an item, given the speeches on it so
/// far (in order). "The other side has asked to speak" is read from the record: someone on the
/// other side has spoken on this item, so that side is in the debate and waiting for its turn.
pub fn speech_warnings(
    speaker: &str,
    is_chair: bool,
    position: Position,
    earlier: &[Position],
) -> Vec<Text> {
    let mut out = Vec::new();
    if is_chair && position != Position::Neutral {
        out.push(side(
            text!("nantang.chair_took_side", speaker = speaker),
            "position",
            position,
        ));
    }
    let sided: Vec<Position> = earlier
        .iter()
        .copied()
        .filter(|p| *p != Position::Neutral)
        .collect();
    if let (Some(other), Some(last)) = (other(position), sided.last())
        && *last == position
        && sided.contains(&other)
    {
        out.push(side(
            side(text!("nantang.same_side_twice"), "position", position),
            "other",
            other,
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use Position::*;

    #[test]
    fn the_chair_takes_no_side() {
        assert_eq!(speech_warnings("王", true, For, &[]).len(), 1);
        assert!(speech_warnings("王", true, Neutral, &[]).is_empty());
        assert!(speech_warnings("张", false, For, &[]).is_empty());
    }

    #[test]
    fn sides_alternate_when_both_are_in_the_debate() {
        // For, against, for: fine.
        assert!(speech_warnings("张", false, For, &[For, Against]).is_empty());
        // For, against, against: the other side is waiting.
        assert_eq!(
            speech_warnings("张", false, Against, &[For, Against]).len(),
            1
        );
        // Neutral speeches do not break a run.
        assert_eq!(
            speech_warnings("张", false, Against, &[For, Against, Neutral]).len(),
            1
        );
        // Nobody against has spoken: two in favour in a row is fine.
        assert!(speech_warnings("张", false, For, &[For]).is_empty());
        assert!(speech_warnings("张", false, Neutral, &[For, For]).is_empty());
    }

    #[test]
    fn positions_in_both_languages() {
        assert_eq!(Position::parse("赞成"), Some(For));
        assert_eq!(Position::parse(" against "), Some(Against));
        assert_eq!(Position::parse("maybe"), None);
    }
}
