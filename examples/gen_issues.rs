//! Writes a realistic residents' issues CSV to stdout, for the import benchmark:
//! Chinese titles and details, names, phones, mixed channels, dates in several spellings,
//! quoted fields with commas. Deterministic (a fixed-seed generator), so runs compare.
//!
//!     cargo run --release --example gen_issues -- 1000000 > issues.csv
//!     cargo run --release --example gen_issues -- 1000000 district > district.csv
//!
//! `district`: the rows of a district survey (issue 30): a title with a number, submitter,
//! a phone on one row in four, channel, ISO date, category and a detail sentence of two or
//! three clauses (about 135 bytes a row).
//!
//! `week`: the default rows, dated in the last week the default rows reach (2026-12-22 to
//! 2026-12-28): a survey export collected over a week, imported into the issues before it.

use std::io::{BufWriter, Write};

struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() as usize) % items.len()]
    }
}

const SURNAMES: &[&str] = &[
    "陈", "林", "王", "李", "张", "刘", "黄", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
];
const GIVEN: &[&str] = &[
    "阿姨", "大爷", "秀英", "建国", "伟", "芳", "娜", "敏", "强", "磊", "女士", "先生",
];
const TITLES: &[&str] = &[
    "儿童没有课外活动场所",
    "小区路灯不亮",
    "垃圾分类点太远",
    "电梯经常故障",
    "停车位不够",
    "楼道堆放杂物",
    "广场舞噪音扰民",
    "老人助餐点太少",
    "雨天路面积水",
    "健身器材损坏",
    "外卖电动车乱停",
    "绿化带被占用种菜",
];
const DETAILS: &[&str] = &[
    "放学后孩子只能在楼道里玩，希望有个活动室",
    "晚上车停到消防通道上，\"很危险\"，物业不管",
    "老年人行动不便，走到垃圾点要十分钟",
    "反映多次未解决，希望议事会协调物业公司、业委会",
    "",
];
const CHANNELS: &[&str] = &["线下", "走访", "访谈", "线上", "微信群", "小程序"];
const CATEGORIES: &[&str] = &["儿童", "设施", "环境", "安全", "停车", "养老", "物业", ""];

const CLAUSES: &[&str] = &[
    "晚上七点以后经常有人把车停在消防通道上",
    "物业说已经上报但一直没有回复",
    "老人和孩子出入很不方便",
    "下雨天积水到脚踝",
    "希望社区尽快协调解决",
    "楼下的健身器材螺丝松了",
    "垃圾桶满了没人清理味道很大",
    "电动车在楼道里充电很危险",
    "多位居民联名反映过这个问题",
    "建议在议事会上讨论",
];

/// The district survey's shape (see the module's comment).
fn district(rows: u64, out: &mut impl Write) -> std::io::Result<()> {
    writeln!(out, "标题,提出人,联系电话,渠道,日期,类别,内容")?;
    let mut r = Lcg(20261207);
    for i in 0..rows {
        let title = r.pick(TITLES);
        let name = format!("{}{}", r.pick(SURNAMES), r.pick(GIVEN));
        let phone = if r.next().is_multiple_of(4) {
            format!("13{:09}", r.next() % 1_000_000_000)
        } else {
            String::new()
        };
        let date = format!("2026-{:02}-{:02}", 1 + r.next() % 12, 1 + r.next() % 28);
        let mut detail = format!("{}，{}", r.pick(CLAUSES), r.pick(CLAUSES));
        if r.next().is_multiple_of(2) {
            detail.push('，');
            detail.push_str(r.pick(CLAUSES));
        }
        writeln!(
            out,
            "{title}{i},{name},{phone},{},{date},{},{detail}。",
            r.pick(CHANNELS),
            r.pick(CATEGORIES),
        )?;
    }
    out.flush()
}

fn main() -> std::io::Result<()> {
    let rows: u64 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let mut out = BufWriter::with_capacity(1 << 20, std::io::stdout().lock());
    let mode = std::env::args().nth(2);
    if mode.as_deref() == Some("district") {
        return district(rows, &mut out);
    }
    let last_week = mode.as_deref() == Some("week");
    writeln!(out, "标题,提出人,联系电话,渠道,日期,类别,内容,住址")?;
    let mut r = Lcg(20261125);
    for i in 0..rows {
        let title = r.pick(TITLES);
        let name = format!("{}{}", r.pick(SURNAMES), r.pick(GIVEN));
        let phone = if r.next().is_multiple_of(3) {
            String::new()
        } else {
            format!("13{:09}", r.next() % 1_000_000_000)
        };
        let (mut day, mut month) = (1 + r.next() % 28, 1 + r.next() % 12);
        if last_week {
            (day, month) = (22 + day % 7, 12);
        }
        let date = match r.next() % 3 {
            0 => format!("2026-{month:02}-{day:02}"),
            1 => format!("2026/{month}/{day}"),
            _ => format!("2026年{month}月{day}日"),
        };
        let detail = r.pick(DETAILS).replace('"', "\"\"");
        // The row number keeps every row distinct, as real submissions are.
        writeln!(
            out,
            "{title}（{i}）,{name},{phone},{},{date},{},\"{detail}\",\"{}栋{}室, 东区\"",
            r.pick(CHANNELS),
            r.pick(CATEGORIES),
            1 + r.next() % 30,
            101 + r.next() % 1500
        )?;
    }
    out.flush()
}
