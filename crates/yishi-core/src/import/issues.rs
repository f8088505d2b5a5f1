//! Issue rows: which headers mean which field, and how a row becomes a validated issue.

use super::survey::Intake;
use super::{FieldSpec, Row, RowError, strip_formula_guard};
use crate::domain::channel::ChannelWords;
use crate::domain::issue;
use crate::domain::issue::{IssueParts, NewIssue};
use crate::domain::suggest::CategoryKeywords;
use crate::domain::{contact, date, text};
use std::borrow::Cow;

pub const TITLE: usize = 0;
pub const SUBMITTED_BY: usize = 1;
pub const PHONE: usize = 2;
pub const CHANNEL: usize = 3;
pub const DATE: usize = 4;
pub const CATEGORY: usize = 5;
pub const DETAIL: usize = 6;
pub const ADDRESS: usize = 7;

pub const FIELDS: &[FieldSpec] = &[
    FieldSpec {
        key: "title",
        aliases: &[
            "标题",
            "议题",
            "问题",
            "反映问题",
            "反映的问题",
            "您想反映的问题",
            "想反映的问题",
            "诉求",
            "意见建议",
            "主题",
            "事项",
            "题目",
            "issue",
        ],
        required: true,
    },
    FieldSpec {
        key: "submitted_by",
        aliases: &[
            "提出人",
            "反映人",
            "姓名",
            "称呼",
            "居民",
            "提议人",
            "name",
            "submitter",
            "resident",
        ],
        required: false,
    },
    FieldSpec {
        key: "phone",
        aliases: &[
            "联系电话",
            "电话",
            "手机",
            "手机号",
            "联系方式",
            "tel",
            "mobile",
        ],
        required: false,
    },
    FieldSpec {
        key: "channel",
        // 来源 is survey metadata (see survey.rs): it feeds the channel when nothing else does.
        aliases: &["反映渠道", "渠道", "收集渠道", "收集方式", "source"],
        required: false,
    },
    FieldSpec {
        key: "date",
        aliases: &[
            "日期",
            "时间",
            "提出日期",
            "反映时间",
            "提交时间",
            "收集日期",
            "raised_on",
        ],
        required: false,
    },
    FieldSpec {
        key: "category",
        aliases: &["问题类别", "问题类型", "类别", "分类", "类型", "type"],
        required: false,
    },
    FieldSpec {
        key: "detail",
        aliases: &[
            "内容",
            "详情",
            "具体内容",
            "问题描述",
            "描述",
            "请详细描述",
            "详细描述",
            "具体描述",
            "详细说明",
            "details",
            "description",
        ],
        required: false,
    },
    FieldSpec {
        key: "address",
        aliases: &[
            "地址",
            "住址",
            "楼栋",
            "住址楼栋",
            "家庭住址",
            "您所在的楼栋",
            "所在楼栋",
            "门牌号",
            "所在小区",
        ],
        required: false,
    },
    // `issue list --csv` writes these; reading our own export back skips them.
    FieldSpec {
        key: "_ignored",
        aliases: &["id", "编号", "status", "状态", "outcome", "merged_into"],
        required: false,
    },
];

/// Defaults for values a row may leave empty, and the community's channel words.
pub struct Defaults {
    /// From --channel, or `[channels] survey` for a survey export; without it, a row must name
    /// its channel.
    pub channel: Option<String>,
    pub raised_on: String,
    pub channels: ChannelWords,
    /// Keywords that suggest a category for rows without one (`[categories]`).
    pub categories: CategoryKeywords,
}

/// Validate one row into an issue. The first bad field is reported with its column.
pub fn parse(row: &Row, d: &Defaults) -> Result<NewIssue, RowError> {
    parse_fields(row, d, &mut Memo::default()).map(|f| f.to_new_issue())
}

/// A validated issue row, borrowing its text from the row (and `Memo`) where it can: a bulk
/// import copies each field once, into its batch (see `store::issues::PlannedText`).
pub struct IssueFields<'a> {
    title: Cow<'a, str>,
    detail: Option<Cow<'a, str>>,
    submitted_by: Option<Cow<'a, str>>,
    phone: Option<&'a str>,
    address: Option<Cow<'a, str>>,
    channel: Cow<'a, str>,
    category: Option<&'static str>,
    raised_on: Day<'a>,
    /// The category came from a keyword, not from the row.
    pub suggested: bool,
    /// How a survey's answer came in (None for other files).
    pub intake: Option<Box<Intake>>,
}

/// The day an issue was raised: read from the row (written YYYY-MM-DD), or the default.
enum Day<'a> {
    Read([u8; 10]),
    Default(&'a str),
}

impl Day<'_> {
    fn as_str(&self) -> &str {
        match self {
            // Only ASCII digits and dashes are ever written into it.
            Day::Read(bytes) => std::str::from_utf8(bytes).unwrap_or_default(),
            Day::Default(s) => s,
        }
    }

    /// YYYY-MM-DD, as `NaiveDate`'s `to_string` writes a year of four digits (the only years
    /// `date::parse_date` reads), without the formatting machinery.
    fn of(date: chrono::NaiveDate) -> Option<Day<'static>> {
        use chrono::Datelike;
        let (y, m, d) = (date.year(), date.month(), date.day());
        if !(0..=9999).contains(&y) {
            return None;
        }
        let y = y as u32;
        let digit = |n: u32| b'0' + (n % 10) as u8;
        Some(Day::Read([
            digit(y / 1000),
            digit(y / 100),
            digit(y / 10),
            digit(y),
            b'-',
            digit(m / 10),
            digit(m),
            b'-',
            digit(d / 10),
            digit(d),
        ]))
    }
}

impl IssueFields<'_> {
    /// The fields in the order of `store::issues::IssueParts`.
    pub fn parts(&self) -> IssueParts<'_> {
        [
            Some(&self.title),
            self.detail.as_deref(),
            self.submitted_by.as_deref(),
            self.phone,
            self.address.as_deref(),
            Some(&self.channel),
            self.category,
            Some(self.raised_on.as_str()),
        ]
    }

    pub fn to_new_issue(&self) -> NewIssue {
        NewIssue {
            title: self.title.to_string(),
            detail: self.detail.as_deref().map(String::from),
            submitted_by: self.submitted_by.as_deref().map(String::from),
            phone: self.phone.map(String::from),
            address: self.address.as_deref().map(String::from),
            channel: self.channel.to_string(),
            category: self.category.map(String::from),
            raised_on: self.raised_on.as_str().to_string(),
        }
    }
}

/// Channel and category words already resolved, by the text of the row: a file uses a handful
/// of them, so each row's lookup is a comparison or two instead of a search and a copy.
#[derive(Default)]
pub struct Memo {
    channels: Vec<(String, String)>,
    categories: Vec<(String, &'static str)>,
}

/// The most words a [`Memo`] keeps of each kind (a file with more resolves the rest each time).
const MEMO_WORDS: usize = 32;

/// A channel word: kept in the memo (by its place there), or resolved for this row only.
enum Word {
    Memo(usize),
    Once(String),
}

impl Memo {
    fn channel(&mut self, typed: &str, d: &Defaults) -> Option<Word> {
        if let Some(i) = self.channels.iter().position(|(t, _)| t == typed) {
            return Some(Word::Memo(i));
        }
        let (word, _) = d.channels.resolve(typed)?;
        if self.channels.len() < MEMO_WORDS {
            self.channels.push((typed.to_string(), word));
            return Some(Word::Memo(self.channels.len() - 1));
        }
        Some(Word::Once(word))
    }

    fn word(&self, w: Word) -> Cow<'_, str> {
        match w {
            Word::Memo(i) => Cow::Borrowed(&self.channels[i].1),
            Word::Once(s) => Cow::Owned(s),
        }
    }

    fn category(&mut self, typed: &str) -> Option<&'static str> {
        if let Some((_, key)) = self.categories.iter().find(|(t, _)| t == typed) {
            return Some(key);
        }
        let key = issue::parse_category(typed)?;
        if self.categories.len() < MEMO_WORDS {
            self.categories.push((typed.to_string(), key));
        }
        Some(key)
    }
}

/// [`parse`], borrowing: for the bulk import. The fields are checked in the file's usual
/// order, and the first bad one is the row's error.
pub fn parse_fields<'a>(
    row: &'a Row,
    d: &'a Defaults,
    memo: &'a mut Memo,
) -> Result<IssueFields<'a>, RowError> {
    row.check_width()?;
    let title = title_of(row)?;
    let submitted_by = submitter_of(row)?;
    let phone = match cell(row, PHONE)? {
        Some(p) => {
            Some(contact::phone_text(p).map_err(|e| row.error_from(PHONE, e.message.clone(), &e))?)
        }
        None => None,
    };
    let channel = match cell(row, CHANNEL)? {
        Some(c) => Some(
            memo.channel(c, d)
                .ok_or_else(|| unknown_channel(row, d, c))?,
        ),
        None => {
            default_channel(row, d)?;
            None
        }
    };
    let raised_on = raised_on_of(row, d)?;
    let category = category_of(row, memo)?;
    let detail = text_of(row, DETAIL, "detail", text::multi_line_text)?;
    let address = text_of(row, ADDRESS, "address", text::single_line_text)?;
    // Only a file with no category column: an empty cell in one is a choice (our own export
    // of an issue without a category reads back as it was).
    let suggested = if !row.has_column(CATEGORY) {
        d.categories.suggest(&title, detail.as_deref())
    } else {
        None
    };
    let intake = row.intake().map(Box::new);
    // The memo is done changing: its words can be lent to the row.
    let memo: &'a Memo = memo;
    let channel = match channel {
        Some(w) => memo.word(w),
        None => Cow::Borrowed(default_channel(row, d)?),
    };
    Ok(IssueFields {
        title,
        detail,
        submitted_by,
        phone,
        address,
        channel,
        category: category.or(suggested),
        raised_on,
        suggested: suggested.is_some(),
        intake,
    })
}

/// Field `i` of the row, with a spreadsheet's formula guard taken off.
fn cell<'a>(row: &'a Row, i: usize) -> Result<Option<&'a str>, RowError> {
    Ok(row.get(i)?.map(strip_formula_guard))
}

/// A text field checked by `check` (named `field` in its error), when the row has it.
/// (Generic, not a fn pointer: each call is compiled with its check, as it was inline.)
fn text_of<'a>(
    row: &'a Row,
    i: usize,
    field: &str,
    check: impl Fn(&str, &'a str) -> crate::error::Result<Cow<'a, str>>,
) -> Result<Option<Cow<'a, str>>, RowError> {
    cell(row, i)?
        .map(|t| check(field, t).map_err(|e| row.error_from(i, strip_field(&e.message), &e)))
        .transpose()
}

/// The title: every issue has one.
fn title_of<'a>(row: &'a Row) -> Result<Cow<'a, str>, RowError> {
    text_of(row, TITLE, "title", text::single_line_text)?
        .ok_or_else(|| row.error_text(TITLE, crate::text!("import.row.no_title")))
}

/// Who raised it: a name, never one masked by an export (王**).
fn submitter_of<'a>(row: &'a Row) -> Result<Option<Cow<'a, str>>, RowError> {
    if let Some(n) = cell(row, SUBMITTED_BY)?
        && n.contains("**")
    {
        let masked = crate::text!("import.row.masked_name", name = n);
        return Err(row.error_text(SUBMITTED_BY, masked));
    }
    text_of(row, SUBMITTED_BY, "name", text::name_text)
}

/// The channel of a row without one: `--channel` (or the survey's), else an error naming
/// the empty cell or the missing column.
fn default_channel<'a>(row: &Row, d: &'a Defaults) -> Result<&'a str, RowError> {
    d.channel.as_deref().ok_or_else(|| {
        if row.has_column(CHANNEL) {
            row.error_text(CHANNEL, crate::text!("import.row.no_channel"))
        } else {
            row.row_error_text(crate::text!(
                "import.row.no_channel_column",
                columns = FIELDS[CHANNEL].aliases[..3].join("/")
            ))
        }
    })
}

/// The day it was raised: the row's date, else the import's default.
fn raised_on_of<'a>(row: &Row, d: &'a Defaults) -> Result<Day<'a>, RowError> {
    Ok(match cell(row, DATE)? {
        Some(s) => date::parse_date(s)
            .and_then(Day::of)
            .ok_or_else(|| row.error_text(DATE, super::date_text(s)))?,
        None => Day::Default(&d.raised_on),
    })
}

/// The row's category, by its key or Chinese name.
fn category_of(row: &Row, memo: &mut Memo) -> Result<Option<&'static str>, RowError> {
    let Some(c) = cell(row, CATEGORY)? else {
        return Ok(None);
    };
    let key = memo.category(c).ok_or_else(|| {
        let allowed = issue::category_keys().join(", ");
        row.error_text(
            CATEGORY,
            crate::text!("import.row.not_a_category", value = c, allowed = allowed),
        )
    })?;
    Ok(Some(key))
}

/// "title is empty: ..." → "is empty: ...": the column name is already in the message prefix.
fn strip_field(message: &str) -> String {
    match message.split_once(' ') {
        Some((_, rest)) => rest.to_string(),
        None => message.to_string(),
    }
}
/// A channel word the configuration does not know. The Chinese names the value cut short (the
/// English is cut where the errors are collected).
fn unknown_channel(row: &Row, d: &Defaults, typed: &str) -> RowError {
    let zh = d.channels.unknown_text(&super::cut(typed));
    RowError {
        zh: Some(zh.render(crate::domain::locale::Locale::ZhCn)),
        ..row.error(CHANNEL, d.channels.unknown(typed))
    }
}
