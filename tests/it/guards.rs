//! The council's rules that moved from the store to `domain::guards` (issue 25): the same
//! refusals, with exit 1, and nothing changed.

use crate::common::Env;

#[test]
fn inviting_a_name_already_invited_is_refused_and_changes_nothing() {
    let env = Env::new();
    env.convened();
    let err = env.fails_unchanged(&["council", "invite", "M1", "王建国"], 1);
    assert!(err.contains("王建国 is already invited to M1"), "{err}");
    // Someone new is invited once, then refused the second time.
    env.ok(&["council", "invite", "M1", "街道办刘科长", "--observer"]);
    let err = env.fails_unchanged(
        &["council", "invite", "M1", "街道办刘科长", "--observer"],
        1,
    );
    assert!(
        err.contains("街道办刘科长 is already invited to M1"),
        "{err}"
    );
}

#[test]
fn a_stakeholder_is_listed_once_per_issue() {
    let env = Env::new();
    env.convened();
    env.ok(&["issue", "stakeholder", "add", "1", "街道办刘科长"]);
    let err = env.fails_unchanged(&["issue", "stakeholder", "add", "1", "街道办刘科长"], 1);
    assert!(
        err.contains("街道办刘科长 is already a stakeholder of issue #1"),
        "{err}"
    );
}
