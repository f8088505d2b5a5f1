//! A posting is one fact. `notice decision`, `notice result` and `council notice` record the
//! posting the first time (its signed day, period and the chain head printed on it as
//! 记录校验码); every later run renders that same posting, in any format, and records nothing.
//! A second posting (a corrected notice) is explicit: `--repost --reason`. `--dry-run`
//! previews what would be posted and records nothing.

use crate::domain::audit::Anchor;
use crate::domain::followup::Notice;
use crate::error::{Error, Result};
use crate::i18n::Text;
use crate::store::{Actor, Store, Writer, followup};
use chrono::NaiveDate;

/// How a notice command posts.
#[derive(Debug, Clone, Default)]
pub struct PostingRequest {
    /// --date: the day a new posting is signed; a rendering accepts only its own day.
    pub date: Option<NaiveDate>,
    /// --repost --reason: post again, replacing the posting in force.
    pub repost: Option<String>,
    pub dry_run: bool,
}

/// What became of the notice.
#[derive(Debug, Clone, PartialEq)]
pub enum Posted {
    /// First posting, recorded as notice `id`.
    New { id: i64, signed_on: NaiveDate },
    /// A second posting replacing notice `of`.
    Repost {
        id: i64,
        of: i64,
        signed_on: NaiveDate,
    },
    /// The posting in force rendered again; nothing recorded.
    Rendered { id: i64, signed_on: NaiveDate },
    /// --dry-run: what would be posted; nothing recorded.
    Preview,
}

/// The day, period and code a notice is rendered with.
#[derive(Debug, Clone)]
pub struct Stamp {
    pub signed_on: NaiveDate,
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
    pub anchor: Option<Anchor>,
}

/// Which notice: its kind and what it belongs to, and how it is named in messages.
pub struct Which {
    pub kind: crate::domain::followup::NoticeKind,
    pub meeting_id: Option<i64>,
    pub issue_id: Option<i64>,
    pub zh: String,
    pub en: String,
}

impl Which {
    fn text(&self, key: &'static str) -> Text {
        Text::new(key).pair("what", self.zh.clone(), self.en.clone())
    }
}

/// Run a notice command: `fresh` computes the stamp of a new posting (and refuses what may
/// not be posted), `render` builds the document from the stamp and returns its plain text.
/// `explicit` says whether the options given on the command line agree with a recorded
/// posting (a rendering refuses options that would change it).
pub fn post<T>(
    store: &mut Store,
    actor: &Actor,
    which: &Which,
    req: &PostingRequest,
    fresh: impl FnOnce(&Writer, NaiveDate) -> Result<Stamp>,
    agrees: impl FnOnce(&Stamp) -> bool,
    render: impl FnOnce(&Writer, &Stamp) -> Result<(String, T)>,
) -> Result<(Posted, T)> {
    let today = actor.local.date();
    let run = |w: &mut Writer| -> Result<(Posted, T)> {
        let existing = followup::posting(w.conn(), which.kind, which.meeting_id, which.issue_id)?;
        match (existing, &req.repost) {
            (Some(p), None) => {
                let stamp = stamp_of(&p)?;
                if req.date.is_some_and(|d| d != stamp.signed_on) || !agrees(&stamp) {
                    return Err(Error::refused_text(
                        which
                            .text("notice.differs")
                            .arg("id", p.id)
                            .arg("date", stamp.signed_on)
                            .arg("period", period(&stamp)),
                    ));
                }
                let (_, out) = render(w, &stamp)?;
                Ok((
                    Posted::Rendered {
                        id: p.id,
                        signed_on: stamp.signed_on,
                    },
                    out,
                ))
            }
            (None, Some(_)) => Err(Error::refused_text(which.text("notice.nothing_to_repost"))),
            (replaces, reason) => {
                let mut stamp = fresh(w, req.date.unwrap_or(today))?;
                stamp.anchor = crate::store::audit::head(w.conn())?;
                let (text, out) = render(w, &stamp)?;
                let notice = Notice {
                    id: 0,
                    kind: which.kind,
                    meeting_id: which.meeting_id,
                    issue_id: which.issue_id,
                    starts_on: stamp.start.to_string(),
                    ends_on: stamp.end.map(|d| d.to_string()),
                    text,
                    signed_on: Some(stamp.signed_on.to_string()),
                    anchor: stamp.anchor.clone(),
                    repost_of: replaces.as_ref().map(|p| p.id),
                    repost_reason: reason.clone(),
                };
                let id = followup::add_notice(w, &notice)?;
                let posted = match (req.dry_run, replaces) {
                    (true, _) => Posted::Preview,
                    (false, Some(p)) => Posted::Repost {
                        id,
                        of: p.id,
                        signed_on: stamp.signed_on,
                    },
                    (false, None) => Posted::New {
                        id,
                        signed_on: stamp.signed_on,
                    },
                };
                Ok((posted, out))
            }
        }
    };
    if req.dry_run {
        store.trial(actor, run)
    } else {
        store.write(actor, run)
    }
}

/// What to tell the secretary about the posting.
pub fn said(which: &Which, posted: &Posted, reason: Option<&str>) -> Text {
    match posted {
        Posted::New { id, signed_on } => which
            .text("notice.posted")
            .arg("id", id)
            .arg("date", signed_on),
        Posted::Repost { id, of, signed_on } => which
            .text("notice.reposted")
            .arg("id", id)
            .arg("of", of)
            .arg("date", signed_on)
            .arg("reason", reason.unwrap_or("")),
        Posted::Rendered { id, signed_on } => which
            .text("notice.rendered")
            .arg("id", id)
            .arg("date", signed_on),
        Posted::Preview => which.text("notice.preview"),
    }
}

fn period(s: &Stamp) -> String {
    match s.end {
        Some(end) => format!(", {}–{end}", s.start),
        None => String::new(),
    }
}

/// The stamp recorded with a posting; an unreadable stored day is a data error naming it.
fn stamp_of(p: &Notice) -> Result<Stamp> {
    let day = |column: &str, value: &str| {
        value.parse::<NaiveDate>().map_err(|_| {
            Error::data_text(crate::text!(
                "store.notice_day_unreadable",
                row = p.id,
                column = column,
                value = value
            ))
        })
    };
    Ok(Stamp {
        signed_on: day("signed_on", p.signed_day())?,
        start: day("starts_on", &p.starts_on)?,
        end: p
            .ends_on
            .as_deref()
            .map(|e| day("ends_on", e))
            .transpose()?,
        anchor: p.anchor.clone(),
    })
}
