//! Roster rows for `yishi member import`.

use super::FieldSpec;

pub const NAME: usize = 0;
pub const SEAT: usize = 1;
pub const PHONE: usize = 2;
pub const ADDRESS: usize = 3;
pub const NOTE: usize = 4;
pub const JOINED: usize = 5;

pub const FIELDS: &[FieldSpec] = &[
    FieldSpec {
        key: "name",
        aliases: &["姓名", "名字", "成员", "member"],
        required: true,
    },
    FieldSpec {
        key: "seat",
        aliases: &["席位", "类别", "身份", "代表类别", "category"],
        required: true,
    },
    FieldSpec {
        key: "phone",
        aliases: &["联系电话", "电话", "手机", "手机号", "tel", "mobile"],
        required: false,
    },
    FieldSpec {
        key: "address",
        aliases: &["地址", "住址", "楼栋"],
        required: false,
    },
    FieldSpec {
        key: "note",
        aliases: &["备注", "说明", "单位", "notes"],
        required: false,
    },
    FieldSpec {
        key: "joined",
        aliases: &["加入日期", "任期开始", "joined_on", "date", "日期"],
        required: false,
    },
];
