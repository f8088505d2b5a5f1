//! CSV for people who open it in Excel: in zh-CN a UTF-8 byte-order mark (without it Excel on
//! Chinese Windows reads the file as GBK and shows mojibake), Chinese headers and values.
//! `issue import` reads both forms back.

use crate::import::csv_cell;

/// The UTF-8 byte-order mark that tells Excel the file is UTF-8.
pub const BOM: &str = "\u{feff}";

const ISSUE_HEADER_EN: &[&str] = &[
    "id",
    "title",
    "submitted_by",
    "phone",
    "address",
    "channel",
    "category",
    "date",
    "detail",
    "status",
];
/// The same columns under the names `issue import` recognises (see import::issues::FIELDS).
const ISSUE_HEADER_ZH: &[&str] = &[
    "编号",
    "标题",
    "提出人",
    "联系电话",
    "地址",
    "渠道",
    "类别",
    "日期",
    "详情",
    "状态",
];

/// The start of an issue export: BOM and Chinese header, or the English keys.
pub fn issue_header(zh: bool) -> String {
    let mut s = String::new();
    if zh {
        s.push_str(BOM);
    }
    push_row(&mut s, if zh { ISSUE_HEADER_ZH } else { ISSUE_HEADER_EN });
    s
}

/// Append one record; cells are quoted as needed and defused against formula injection.
pub fn push_row<S: AsRef<str>>(buf: &mut String, cells: &[S]) {
    let line: Vec<String> = cells.iter().map(|c| csv_cell(c.as_ref())).collect();
    buf.push_str(&line.join(","));
    // CRLF: what RFC 4180 and Excel expect.
    buf.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    #[test]
    fn chinese_export_starts_with_a_bom() {
        let h = super::issue_header(true);
        assert!(h.starts_with('\u{feff}'));
        assert!(h.contains("编号,标题,提出人"));
        assert_eq!(
            super::issue_header(false),
            "id,title,submitted_by,phone,address,channel,category,date,detail,status\r\n"
        );
    }
}
