//! Feedback rows for `yishi feedback import`.

use super::FieldSpec;

pub const ISSUE: usize = 0;
pub const RESIDENT: usize = 1;
pub const SATISFACTION: usize = 2;
pub const AWARE: usize = 3;
pub const NOTE: usize = 4;
pub const CHANNEL: usize = 5;
pub const DATE: usize = 6;

pub const FIELDS: &[FieldSpec] = &[
    FieldSpec {
        key: "issue",
        // 问卷星 and 腾讯问卷 number their questions (`2、您评议的议题编号：`, `Q2. 您评议的议题编号`):
        // the header is matched without its number, decoration and 您.
        aliases: &[
            "议题编号",
            "议题",
            "编号",
            "issue_id",
            "评议的议题编号",
            "评议的议题",
            "所评议的议题编号",
            "议题号",
        ],
        required: true,
    },
    FieldSpec {
        key: "resident",
        aliases: &["居民", "姓名", "称呼", "评议人", "name"],
        required: false,
    },
    FieldSpec {
        key: "satisfaction",
        aliases: &[
            "满意度",
            "评分",
            "是否满意",
            "满意程度",
            "对处理结果是否满意",
            "对处理结果的满意度",
            "您对处理结果是否满意",
            "您对结果满意吗",
            "score",
        ],
        required: false,
    },
    FieldSpec {
        key: "aware",
        aliases: &[
            "知晓",
            "是否知晓",
            "知晓情况",
            "是否知道",
            "您是否知道",
            "您是否知晓",
            "是否知道处理结果",
            "awareness",
        ],
        required: false,
    },
    FieldSpec {
        key: "note",
        aliases: &["意见", "备注", "意见建议", "comment"],
        required: false,
    },
    FieldSpec {
        key: "channel",
        aliases: &["渠道", "方式", "source"],
        required: false,
    },
    FieldSpec {
        key: "date",
        aliases: &["日期", "时间", "提交时间", "given_on"],
        required: false,
    },
];
