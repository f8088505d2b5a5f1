//! The words of a reply (答复) for the step an issue reached: ready to paste into WeChat or to
//! read out on the phone. Worded from the catalogue (`reply.draft.*`).

use crate::config::Config;
use crate::domain::locale::Locale;
use crate::domain::reply::ReplyStep;
use crate::domain::rules::Outcome;
use crate::ops::replies::Facts;
use crate::text;

/// The reply's text for `f`'s step, in `locale`.
pub fn draft(f: &Facts, config: &Config, locale: Locale) -> String {
    let zh = locale == Locale::ZhCn;
    let who = f.residents.join(if zh { "、" } else { ", " });
    let contact = match (&config.contact, &config.contact_phone) {
        (Some(c), Some(p)) => Some(format!("{c} {p}")),
        (Some(c), None) => Some(c.clone()),
        (None, Some(p)) => Some(p.clone()),
        (None, None) => None,
    };
    let base = |key| {
        crate::i18n::Text::new(key)
            .arg("who", &who)
            .arg("raised", &f.issue.raised_on)
            .arg("title", &f.issue.title)
            .arg("id", f.issue.id)
            .arg("community", &config.community)
            .arg("on", f.step_on)
    };
    let body = match f.step.step {
        ReplyStep::Accepted => base("reply.draft.accepted"),
        ReplyStep::Rejected => base("reply.draft.rejected").arg(
            "reason",
            f.step
                .note
                .as_deref()
                .filter(|n| !n.trim().is_empty())
                .unwrap_or(if zh {
                    "（未记录原因）"
                } else {
                    "(no reason recorded)"
                }),
        ),
        ReplyStep::Decided if f.issue.outcome == Some(Outcome::NotAdopted) => {
            base("reply.draft.not_adopted")
        }
        ReplyStep::Decided => base("reply.draft.adopted").arg(
            "resolutions",
            if f.resolutions.is_empty() {
                String::from(if zh {
                    "见决议公示"
                } else {
                    "see the decision notice"
                })
            } else {
                f.resolutions.join(if zh { "；" } else { "; " })
            },
        ),
        ReplyStep::Completed => base("reply.draft.completed"),
    };
    let sign = match contact {
        Some(contact) => text!(
            "reply.draft.sign",
            contact = contact,
            community = &config.community
        ),
        None => text!("reply.draft.sign_plain", community = &config.community),
    };
    format!("{}\n{}\n", body.render(locale), sign.render(locale))
}
