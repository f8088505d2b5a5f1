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

/// The 答复单: the reply as a Word letter (GB/T 9704 faces, like every Word document): the
/// issue's facts, the reply's words under a salutation, the contact, the committee and date
/// with room for the seal, and lines for whoever replied and the resident's receipt, so a
/// 书面 reply handed over can be filed signed.
pub fn slip(
    f: &Facts,
    config: &Config,
    locale: Locale,
    on: chrono::NaiveDate,
    draft_copy: bool,
) -> crate::error::Result<Vec<u8>> {
    use super::doc::{Block, Doc};
    let zh = locale == Locale::ZhCn;
    let t = |key: &'static str| crate::i18n::Text::new(key).render(locale);
    let step = f.step.step.label(locale);
    let mut blocks = vec![
        Block::Field(
            t("reply.slip.issue"),
            format!("#{} {}", f.issue.id, f.issue.title),
        ),
        Block::Field(
            t("reply.slip.raised"),
            super::words::day(&f.issue.raised_on, zh),
        ),
        Block::Field(
            t("reply.slip.step"),
            format!("{step}（{}）", super::words::plain_date(f.step_on, zh)),
        ),
    ];
    // The draft's first line is 「陈**您好：……」: the greeting goes on a line of its own.
    let body = draft(f, config, locale);
    let first = body.lines().next().unwrap_or_default();
    let cut = if zh { "：" } else { ": " };
    match first.split_once(cut) {
        Some((hello, rest)) => {
            blocks.push(Block::Salutation(format!("{hello}{}", cut.trim_end())));
            blocks.push(Block::Para(rest.to_string()));
        }
        None => blocks.push(Block::Para(first.to_string())),
    }
    if let Some(c) = super::notice::contact_line(config, zh) {
        blocks.push(Block::Para(c));
    }
    blocks.push(Block::Closing {
        lines: vec![
            super::notice::signer(config, zh),
            super::words::plain_date(on, zh),
        ],
        seal: Some(t("reply.slip.seal")),
    });
    blocks.push(Block::Signatures(vec![
        t("reply.slip.replied_by"),
        t("reply.slip.received"),
    ]));
    super::docx::write(&Doc {
        lang_zh: zh,
        title: crate::text!("reply.slip.title", community = &config.community).render(locale),
        subtitle: None,
        draft: draft_copy,
        anchor: None,
        blocks,
    })
}
