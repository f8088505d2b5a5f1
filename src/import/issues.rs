//! Issue rows: which headers mean which field, and how a row becomes a validated issue.

use super::{FieldSpec, Row, RowError, strip_formula_guard};
use crate::domain::channel::ChannelWords;
use crate::domain::issue;
use crate::domain::{contact, date, text};
use crate::store::issues::NewIssue;

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
    /// From --channel, or the survey platform; without it, a row must name its channel.
    pub channel: Option<String>,
    pub raised_on: String,
    pub channels: ChannelWords,
}

/// Validate one row into an issue. The first bad field is reported with its column.
pub fn parse(row: &Row, d: &Defaults) -> Result<NewIssue, RowError> {
    row.check_width()?;
    let field =
        |i: usize| -> Result<Option<&str>, RowError> { Ok(row.get(i)?.map(strip_formula_guard)) };
    let title = match field(TITLE)? {
        Some(t) => {
            text::single_line("title", t).map_err(|e| row.error(TITLE, strip_field(&e.message)))?
        }
        None => return Err(row.error(TITLE, "is empty: every issue needs a title".into())),
    };
    let submitted_by = match field(SUBMITTED_BY)? {
        Some(n) if n.contains("**") => {
            return Err(row.error(
                SUBMITTED_BY,
                format!(
                    "\"{n}\" looks masked: export with --show-contacts to keep residents' names"
                ),
            ));
        }
        Some(n) => Some(
            text::name("name", n).map_err(|e| row.error(SUBMITTED_BY, strip_field(&e.message)))?,
        ),
        None => None,
    };
    let phone = match field(PHONE)? {
        Some(p) => Some(contact::phone(p).map_err(|e| row.error(PHONE, e.message))?),
        None => None,
    };
    let channel = match field(CHANNEL)? {
        Some(c) => {
            d.channels
                .resolve(c)
                .ok_or_else(|| row.error(CHANNEL, d.channels.unknown(c)))?
                .0
        }
        None => d.channel.clone().ok_or_else(|| {
            row.error(CHANNEL, "is empty: give the channel (线下/访谈/线上 or a word from [channels] in yishi.toml), or --channel for rows without one".into())
        })?,
    };
    let raised_on = match field(DATE)? {
        Some(s) => date::parse_date(s)
            .ok_or_else(|| row.error(DATE, format!("\"{s}\" is not a date ({})", date::DATE_HINT)))?
            .to_string(),
        None => d.raised_on.clone(),
    };
    let category = match field(CATEGORY)? {
        Some(c) => Some(issue::parse_category(c).ok_or_else(|| {
            row.error(
                CATEGORY,
                format!(
                    "\"{c}\" is not a category (allowed: {})",
                    issue::category_keys().join(", ")
                ),
            )
        })?),
        None => None,
    };
    let detail = match field(DETAIL)? {
        Some(t) => Some(
            text::multi_line("detail", t)
                .map_err(|e| row.error(DETAIL, strip_field(&e.message)))?,
        ),
        None => None,
    };
    let address = match field(ADDRESS)? {
        Some(a) => Some(
            text::single_line("address", a)
                .map_err(|e| row.error(ADDRESS, strip_field(&e.message)))?,
        ),
        None => None,
    };
    Ok(NewIssue {
        title,
        detail,
        submitted_by,
        phone,
        address,
        channel,
        category: category.map(String::from),
        raised_on,
    })
}

/// "title is empty: ..." → "is empty: ...": the column name is already in the message prefix.
fn strip_field(message: &str) -> String {
    match message.split_once(' ') {
        Some((_, rest)) => rest.to_string(),
        None => message.to_string(),
    }
}
