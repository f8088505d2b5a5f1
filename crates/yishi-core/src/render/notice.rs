//! Notices for the notice board and the residents' chat group: 会议通知 (meeting), 决议公示
//! (decisions) and 实施结果公开 (results).
//!
//! Each notice is a `NoticeView` with every sentence already in the document's language; the
//! built-in templates (templates/notice.*.j2) only lay it out. A community that words its notices
//! differently gives `--template`, which sees the same data as `--format json`, including the
//! structured fields (meeting, items with owner and due date) to write its own sentences from.

use super::words;
use crate::config::{Config, Locale};
use crate::domain::followup::{Action, ActionUpdate, NoticeKind};
use crate::domain::meeting::{AgendaItem, Meeting};
use crate::domain::motion::MotionResult;
use crate::domain::motion::Resolution;
use crate::domain::record::MeetingRecord;
use crate::error::Result;
use chrono::NaiveDate;
use serde::Serialize;

pub const TEXT_TEMPLATE: &str = include_str!("../../../../templates/notice.txt.j2");
pub const MD_TEMPLATE: &str = include_str!("../../../../templates/notice.md.j2");
pub const HTML_TEMPLATE: &str = include_str!("../../../../templates/notice.html.j2");

#[derive(Debug, Serialize)]
pub struct NoticeView {
    pub lang: &'static str,
    pub kind: NoticeKind,
    /// 会议通知 / 决议公示 / 实施结果公开.
    pub title: String,
    pub community: String,
    /// 各位议事会成员、居民朋友： (the salutation), if the notice has one.
    pub greeting: Option<String>,
    /// The opening sentence(s).
    pub intro: String,
    /// What the list below is (议题 / 决议事项 / 落实情况).
    pub items_heading: String,
    pub items: Vec<NoticeItem>,
    /// Paragraphs after the list.
    pub notes: Vec<String>,
    /// 联系人：王秘书　联系电话：0571-8888 1234, when yishi.toml gives them.
    pub contact_line: Option<String>,
    pub contact: Option<String>,
    pub contact_phone: Option<String>,
    /// Who signs: the community's residents' committee.
    pub signer: String,
    /// The date under the signature: 2026年11月25日.
    pub date: String,
    /// The same date as YYYY-MM-DD.
    pub date_iso: String,
    /// Where the seal goes (盖章处).
    pub seal: String,
    pub meeting: Option<MeetingFacts>,
    /// 记录校验码 #N · hash: the chain head when the notice was made, for `verify --anchor`.
    pub anchor: Option<String>,
    /// 扫码评议: a QR code to the satisfaction survey, when `[feedback] survey_url` is set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub qr: Option<QrView>,
    /// The decision notice's codes: one per decided item, each carrying its issue's id, so
    /// that every answer of the survey's export maps to its issue (a code for the whole
    /// meeting could not say which item an answer is about).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub qr_items: Vec<QrView>,
}

/// A QR code on a notice: the survey link with the issue's id, drawn as SVG, and its caption.
#[derive(Debug, Serialize)]
pub struct QrView {
    pub url: String,
    /// 扫码评议 / Scan to give feedback.
    pub caption: String,
    /// The issue's title, under the caption.
    pub title: String,
    /// The code as inline SVG (no text from residents in it: safe to embed as is).
    pub svg: String,
    #[serde(skip)]
    pub code: Option<super::qr::Qr>,
}

impl NoticeView {
    /// Print `head` (the chain head as the notice is made) at the notice's end.
    pub fn with_anchor(mut self, head: Option<&crate::domain::audit::Anchor>) -> NoticeView {
        self.anchor = head.map(|a| words::anchor(a, self.lang == "zh-CN"));
        self
    }

    /// Add a QR code to the survey for each decided item (issue id, title) of a decision
    /// notice, when the configuration names a survey.
    pub fn with_item_surveys(
        mut self,
        feedback: &crate::config::Feedback,
        items: &[(i64, String)],
    ) -> Result<NoticeView> {
        for (id, title) in items {
            if let Some(q) = self.survey_code(feedback, *id, title)? {
                self.qr_items.push(q);
            }
        }
        Ok(self)
    }

    /// Every QR code the notice carries, in order.
    pub fn codes(&self) -> impl Iterator<Item = &QrView> {
        self.qr.iter().chain(&self.qr_items)
    }

    /// Add the QR code to the satisfaction survey for `issue` (扫码评议 and its title), when
    /// the configuration names a survey.
    pub fn with_survey(
        mut self,
        feedback: &crate::config::Feedback,
        issue: i64,
        title: &str,
    ) -> Result<NoticeView> {
        self.qr = self.survey_code(feedback, issue, title)?;
        Ok(self)
    }

    fn survey_code(
        &self,
        feedback: &crate::config::Feedback,
        issue: i64,
        title: &str,
    ) -> Result<Option<QrView>> {
        let Some(url) = feedback.link(issue) else {
            return Ok(None);
        };
        let code = super::qr::Qr::encode(&url)?;
        Ok(Some(QrView {
            svg: code.svg(180),
            caption: (if self.lang == "zh-CN" {
                "扫码评议"
            } else {
                "Scan to give feedback"
            })
            .into(),
            title: title.to_string(),
            url,
            code: Some(code),
        }))
    }
}

#[derive(Debug, Serialize)]
pub struct NoticeItem {
    /// The line as printed: text with owner and due date, or an action with its state.
    pub line: String,
    pub text: String,
    pub owner: Option<String>,
    pub due: Option<String>,
    /// Lines under it (progress updates of an action).
    pub details: Vec<String>,
}

impl NoticeItem {
    fn plain(line: String) -> NoticeItem {
        NoticeItem {
            text: line.clone(),
            line,
            owner: None,
            due: None,
            details: Vec::new(),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct MeetingFacts {
    /// 第1次 / 1st.
    pub number: String,
    pub name: String,
    /// 2026年12月1日（星期二）19:30.
    pub when: String,
    pub place: String,
    pub urgent: bool,
}

fn zh(locale: Locale) -> bool {
    locale == Locale::ZhCn
}

/// The residents' committee that signs notices and makes the workbooks.
pub fn signer(config: &Config, zh: bool) -> String {
    if zh {
        format!("{}居民委员会", config.community)
    } else {
        format!("{} Residents' Committee", config.community)
    }
}

pub(crate) fn contact_line(config: &Config, zh: bool) -> Option<String> {
    let (sep, c, p) = if zh {
        ("　", "联系人：", "联系电话：")
    } else {
        ("   ", "Contact: ", "Phone: ")
    };
    let parts: Vec<String> = [
        config.contact.as_ref().map(|n| format!("{c}{n}")),
        config.contact_phone.as_ref().map(|n| format!("{p}{n}")),
    ]
    .into_iter()
    .flatten()
    .collect();
    (!parts.is_empty()).then(|| parts.join(sep))
}

fn base(
    kind: NoticeKind,
    title: &str,
    config: &Config,
    locale: Locale,
    date: NaiveDate,
) -> NoticeView {
    let zh = zh(locale);
    NoticeView {
        lang: if zh { "zh-CN" } else { "en" },
        kind,
        title: title.to_string(),
        community: config.community.clone(),
        greeting: None,
        intro: String::new(),
        items_heading: String::new(),
        items: Vec::new(),
        notes: Vec::new(),
        contact_line: contact_line(config, zh),
        contact: config.contact.clone(),
        contact_phone: config.contact_phone.clone(),
        signer: signer(config, zh),
        date: words::plain_date(date, zh),
        date_iso: date.to_string(),
        seal: (if zh { "（盖章处）" } else { "(seal)" }).to_string(),
        meeting: None,
        anchor: None,
        qr: None,
        qr_items: Vec::new(),
    }
}

/// The meeting's name, with its number added when the name does not say it already:
/// 汀塘社区第1次居民议事会 stays as it is; 季度议事会 becomes 季度议事会（第2次居民议事会）.
fn named(m: &Meeting, number: &str, zh: bool) -> String {
    match zh {
        true if m.title.contains(number) => m.title.clone(),
        true => format!("{}（{number}居民议事会）", m.title),
        false => format!("{} (the {number} residents' council)", m.title),
    }
}

fn facts(m: &Meeting, zh: bool) -> MeetingFacts {
    MeetingFacts {
        number: words::meeting_number(m.number, zh),
        name: m.title.clone(),
        when: words::long_datetime(&m.starts_at, zh),
        place: m.place.clone(),
        urgent: m.urgent,
    }
}

/// 会议通知: time, place and agenda of a convened meeting.
pub fn meeting(
    rec: &MeetingRecord,
    config: &Config,
    locale: Locale,
    date: NaiveDate,
) -> NoticeView {
    let zh = zh(locale);
    let m = &rec.meeting;
    let f = facts(m, zh);
    let mut v = base(
        NoticeKind::Meeting,
        if zh {
            "会议通知"
        } else {
            "Notice of meeting"
        },
        config,
        locale,
        date,
    );
    v.greeting = Some(
        (if zh {
            "各位议事会成员、居民朋友："
        } else {
            "To the council members and residents:"
        })
        .into(),
    );
    v.intro = meeting_intro(config, m, &f, zh);
    v.items_heading = (if zh { "议题" } else { "Agenda" }).into();
    v.items = agenda_items(rec, zh);
    v.notes.push(
        (if zh {
            "请各位议事会成员准时参加；利益相关方居民可列席并发言。如不能到会，请提前向社区请假或书面委托。"
        } else {
            "Council members are asked to attend on time; residents concerned may attend and speak. If you cannot attend, please send apologies or a written proxy in advance."
        })
        .into(),
    );
    if m.urgent {
        v.notes.push(
            (if zh {
                "本次会议为紧急召集。"
            } else {
                "This meeting was convened urgently."
            })
            .into(),
        );
    }
    v.meeting = Some(f);
    v.with_anchor(rec.head.as_ref())
}

/// The meeting notice's opening sentence: who meets, when, where, under what name.
fn meeting_intro(config: &Config, m: &Meeting, f: &MeetingFacts, zh: bool) -> String {
    if zh {
        format!(
            "{}定于{}在{}召开{}，研究以下议题：",
            config.community,
            f.when,
            f.place,
            named(m, &f.number, zh)
        )
    } else {
        format!(
            "{} will hold {} on {} at {}. Agenda:",
            config.community,
            named(m, &f.number, zh),
            f.when,
            f.place
        )
    }
}

/// The agenda as notice items, each title with its tags (紧急, 重新提出 and so on).
fn agenda_items(rec: &MeetingRecord, zh: bool) -> Vec<NoticeItem> {
    rec.agenda
        .iter()
        .map(|i| {
            let tags = super::council::item_tags(i, zh);
            if tags.is_empty() {
                NoticeItem::plain(i.item.title.clone())
            } else {
                NoticeItem::plain(if zh {
                    format!("{}（{}）", i.item.title, tags.join("；"))
                } else {
                    format!("{} ({})", i.item.title, tags.join("; "))
                })
            }
        })
        .collect()
}

fn owner_due(r_owner: Option<&str>, r_due: Option<&str>, zh: bool) -> String {
    match (r_owner, r_due, zh) {
        (Some(o), Some(d), true) => format!("（责任人：{o}；完成时限：{}）", words::day(d, true)),
        (Some(o), None, true) => format!("（责任人：{o}）"),
        (None, Some(d), true) => format!("（完成时限：{}）", words::day(d, true)),
        (Some(o), Some(d), false) => format!(" (owner: {o}; due {})", words::day(d, false)),
        (Some(o), None, false) => format!(" (owner: {o})"),
        (None, Some(d), false) => format!(" (due {})", words::day(d, false)),
        (None, None, _) => String::new(),
    }
}

/// 决议公示: the resolutions of a closed meeting, posted from `start` to `end`.
#[allow(clippy::too_many_arguments)]
pub fn decision(
    m: &Meeting,
    resolutions: &[Resolution],
    agenda: &[AgendaItem],
    config: &Config,
    locale: Locale,
    date: NaiveDate,
    start: NaiveDate,
    end: NaiveDate,
) -> NoticeView {
    let zh = zh(locale);
    let f = facts(m, zh);
    let mut v = base(
        NoticeKind::Decision,
        if zh {
            "决议公示"
        } else {
            "Notice of decisions"
        },
        config,
        locale,
        date,
    );
    let held = words::long_date(
        crate::domain::date::parse_date(&m.starts_at).unwrap_or(date),
        zh,
    );
    v.intro = if zh {
        format!(
            "{}于{}召开{}，经表决形成以下决议，现予公示：",
            config.community,
            held,
            named(m, &f.number, zh)
        )
    } else {
        format!(
            "{} held {} on {} and decided:",
            config.community,
            named(m, &f.number, zh),
            held
        )
    };
    v.items_heading = (if zh { "决议事项" } else { "Resolutions" }).into();
    v.items = resolutions
        .iter()
        .map(|r| NoticeItem {
            line: format!(
                "{}{}",
                r.text,
                owner_due(r.owner.as_deref(), r.due.as_deref(), zh)
            ),
            text: r.text.clone(),
            owner: r.owner.clone(),
            due: r.due.clone(),
            details: Vec::new(),
        })
        .collect();
    if let Some(note) = undecided_note(agenda, locale, zh) {
        v.notes.push(note);
    }
    v.notes.push(posting_note(start, end, zh));
    v.meeting = Some(f);
    v
}

/// The note naming the agenda items that made no decision, with what became of each.
fn undecided_note(agenda: &[AgendaItem], locale: Locale, zh: bool) -> Option<String> {
    let others: Vec<&AgendaItem> = agenda
        .iter()
        .filter(|i| i.outcome != Some(MotionResult::Adopted))
        .collect();
    if others.is_empty() {
        return None;
    }
    let list: Vec<String> = others
        .iter()
        .map(|i| {
            let r = MotionResult::label_or_pending(i.outcome, locale);
            if zh {
                format!("{}（{r}）", i.title)
            } else {
                format!("{} ({r})", i.title)
            }
        })
        .collect();
    Some(if zh {
        format!("以下议题未形成决议：{}。", list.join("；"))
    } else {
        format!("No decision was made on: {}.", list.join("; "))
    })
}

/// The posting period, inclusive, and where residents raise objections.
fn posting_note(start: NaiveDate, end: NaiveDate, zh: bool) -> String {
    let days = (end - start).num_days() + 1;
    if zh {
        format!(
            "公示期：{}至{}（{days}天）。公示期内居民如有异议，请向社区居委会书面或口头反映。",
            words::plain_date(start, true),
            words::plain_date(end, true)
        )
    } else {
        format!(
            "Posted from {} to {} ({days} days). Residents with objections may raise them with the residents' committee during this period.",
            words::plain_date(start, false),
            words::plain_date(end, false)
        )
    }
}

/// 实施结果公开: what was done for an issue, by whom and when.
pub fn result(
    issue_title: &str,
    resolution: &Resolution,
    supplementary: &[Resolution],
    actions: &[(Action, Vec<ActionUpdate>)],
    config: &Config,
    locale: Locale,
    date: NaiveDate,
) -> NoticeView {
    let zh = zh(locale);
    let mut v = base(
        NoticeKind::Result,
        if zh {
            "实施结果公开"
        } else {
            "Results of implementation"
        },
        config,
        locale,
        date,
    );
    v.intro = result_intro(issue_title, resolution, supplementary, zh);
    v.items_heading = (if zh { "落实情况" } else { "Actions" }).into();
    v.items = actions
        .iter()
        .map(|(a, updates)| action_item(a, updates, zh))
        .collect();
    v.notes.push(
        (if zh {
            "欢迎居民对落实情况进行评议。"
        } else {
            "Residents are invited to give their feedback."
        })
        .into(),
    );
    v
}

/// The results notice's opening: the resolution and any supplementary ones, as sentences.
fn result_intro(
    issue_title: &str,
    resolution: &Resolution,
    supplementary: &[Resolution],
    zh: bool,
) -> String {
    let sentence = |t: &str| {
        let end = if t.ends_with(['。', '！', '；']) {
            ""
        } else {
            "。"
        };
        format!("{t}{end}")
    };
    let also: Vec<&str> = supplementary.iter().map(|r| r.text.as_str()).collect();
    if zh {
        let also = if also.is_empty() {
            String::new()
        } else {
            format!(
                "补充决议：{}",
                sentence(
                    &also
                        .iter()
                        .map(|t| t.trim_end_matches('。'))
                        .collect::<Vec<_>>()
                        .join("；")
                )
            )
        };
        format!(
            "关于“{issue_title}”，议事会决议：{}{also}现将落实情况公开如下：",
            sentence(&resolution.text)
        )
    } else {
        let also = if also.is_empty() {
            String::new()
        } else {
            format!(
                " Supplementary: {}.",
                also.iter()
                    .map(|t| t.trim_end_matches('.'))
                    .collect::<Vec<_>>()
                    .join("; ")
            )
        };
        format!(
            "On \"{issue_title}\" the council resolved: {}.{also} This is what has been done:",
            resolution.text.trim_end_matches('.')
        )
    }
}

/// One action as a notice item: done or in progress, by whom, with its dated updates.
fn action_item(a: &Action, updates: &[ActionUpdate], zh: bool) -> NoticeItem {
    let owner = a.owner.as_deref().unwrap_or("—");
    let line = match (&a.done_on, zh) {
        (Some(d), true) => {
            format!("{}：已于{}完成，责任人{owner}", a.text, words::day(d, true))
        }
        (Some(d), false) => {
            format!("{}: done on {} by {owner}", a.text, words::day(d, false))
        }
        (None, true) => format!("{}：进行中（{}%），责任人{owner}", a.text, a.progress),
        (None, false) => {
            format!("{}: in progress ({}%), owner {owner}", a.text, a.progress)
        }
    };
    NoticeItem {
        line,
        text: a.text.clone(),
        owner: a.owner.clone(),
        due: a.due.clone(),
        details: updates
            .iter()
            .map(|u| {
                let note = u.note.as_deref().unwrap_or("");
                if zh {
                    format!("{} {}% {note}", words::day(&u.on_day, true), u.progress)
                } else {
                    format!("{} {}% {note}", words::day(&u.on_day, false), u.progress)
                }
                .trim_end()
                .to_string()
            })
            .collect(),
    }
}

/// Text, Markdown or HTML through the built-in template or the community's own.
pub fn render(
    view: &NoticeView,
    format: super::doc::Format,
    user_template: Option<(&str, String)>,
) -> Result<String> {
    use super::doc::Format;
    let builtin = match format {
        Format::Text => TEXT_TEMPLATE,
        Format::Markdown => MD_TEMPLATE,
        _ => HTML_TEMPLATE,
    };
    super::doc::render_template(
        view,
        &format!("notice.{}", format.extension()),
        builtin,
        super::doc::Markup::of(format),
        user_template,
    )
}

/// The notice as a Word document (A4, GB/T 9704 layout).
pub fn docx(view: &NoticeView, draft: bool) -> Result<Vec<u8>> {
    use super::doc::{Block, Doc};
    let mut blocks = Vec::new();
    if let Some(g) = &view.greeting {
        blocks.push(Block::Salutation(g.clone()));
    }
    blocks.push(Block::Para(view.intro.clone()));
    if !view.items.is_empty() {
        blocks.push(Block::List(
            view.items
                .iter()
                .map(|i| {
                    if i.details.is_empty() {
                        i.line.clone()
                    } else {
                        format!("{}（{}）", i.line, i.details.join("；"))
                    }
                })
                .collect(),
        ));
    }
    for n in &view.notes {
        blocks.push(Block::Para(n.clone()));
    }
    for (q, code) in view.codes().filter_map(|q| Some((q, q.code.as_ref()?))) {
        let scale = 8;
        blocks.push(Block::Figure {
            png: code.png(scale)?,
            px: (code.size() * scale) as u32,
            mm: 30,
            caption: vec![q.caption.clone(), q.title.clone()],
        });
    }
    if let Some(c) = &view.contact_line {
        blocks.push(Block::Para(c.clone()));
    }
    blocks.push(Block::Closing {
        lines: vec![view.signer.clone(), view.date.clone()],
        seal: Some(view.seal.clone()),
    });
    super::docx::write(&Doc {
        lang_zh: view.lang == "zh-CN",
        title: view.title.clone(),
        subtitle: None,
        draft,
        anchor: view.anchor.clone(),
        blocks,
    })
}
