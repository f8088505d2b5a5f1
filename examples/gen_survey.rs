//! Writes a residents' issues CSV with varied titles (place + object + problem + an optional
//! tail, drawn from a few hundred phrases) and about 2% near-duplicates of earlier rows (a
//! resident asking again, with a word changed), for the duplicate-hint and spreadsheet
//! benchmarks. Deterministic (a fixed-seed generator), so runs compare.
//!
//!     cargo run --release --example gen_survey -- 100000 > issues.csv
//!     cargo run --release --example gen_survey -- 100000 --xlsx issues.xlsx

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

const PLACES: &[&str] = &[
    "东门",
    "西门",
    "南门",
    "北门",
    "地下车库",
    "菜市场旁",
    "幼儿园门口",
    "老年活动室",
    "小广场",
    "篮球场",
    "垃圾房",
    "快递柜",
    "中心花园",
    "健身步道",
    "物业楼",
    "社区医院",
    "公交站",
    "停车场",
    "商业街",
    "河边步道",
    "村口",
    "祠堂前",
    "文化礼堂",
    "学校后门",
    "老村部",
    "新村路",
    "桥头",
    "菜地边",
    "农贸市场",
    "消防通道",
];
const OBJECTS: &[&str] = &[
    "路灯",
    "电梯",
    "垃圾桶",
    "井盖",
    "下水道",
    "围墙",
    "监控",
    "门禁",
    "充电桩",
    "健身器材",
    "座椅",
    "护栏",
    "台阶",
    "坡道",
    "扶手",
    "雨棚",
    "信报箱",
    "消防栓",
    "灭火器",
    "化粪池",
    "排水沟",
    "绿化带",
    "树木",
    "草坪",
    "路面",
    "人行道",
    "斑马线",
    "减速带",
    "停车位",
    "非机动车棚",
    "晾衣架",
    "公共厕所",
    "饮水机",
    "宣传栏",
    "广播",
    "路牌",
    "窨井",
    "水管",
    "电线",
    "燃气管",
    "外墙瓷砖",
    "屋顶",
    "楼道窗户",
    "单元门",
    "对讲机",
    "烟感器",
    "应急灯",
    "儿童滑梯",
    "秋千",
    "沙坑",
    "乒乓球台",
    "篮球架",
    "凉亭",
    "长廊",
    "花坛",
    "喷泉",
    "池塘",
    "围栏",
    "道闸",
    "岗亭",
];
const PROBLEMS: &[&str] = &[
    "坏了",
    "不亮",
    "经常故障",
    "损坏严重",
    "没人修",
    "堵塞",
    "漏水",
    "有异味",
    "太少",
    "被占用",
    "存在安全隐患",
    "噪音太大",
    "晚上太暗",
    "松动",
    "倾斜",
    "生锈",
    "断裂",
    "缺失",
    "位置不合理",
    "需要更换",
    "长期闲置",
    "乱停乱放",
    "被破坏",
    "积水严重",
    "夜间扰民",
    "影响通行",
    "没有标识",
    "太脏",
    "蚊虫多",
    "无人管理",
];
const TAILS: &[&str] = &[
    "",
    "",
    "",
    "",
    "",
    "，希望尽快处理",
    "，老人孩子不方便",
    "，多次反映未解决",
    "，晚上出行很危险",
    "，请物业协调",
    "，建议加装",
    "，影响居民生活",
    "，已有一个多月",
    "，下雨天更严重",
    "，请议事会讨论",
];
const SURNAMES: &[&str] = &[
    "陈", "林", "王", "李", "张", "刘", "黄", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何",
    "高", "罗", "郑", "梁",
];
const GIVEN: &[&str] = &[
    "阿姨", "大爷", "秀英", "建国", "伟", "芳", "娜", "敏", "强", "磊", "女士", "先生", "桂英",
    "志明", "海燕", "丽华",
];
const CHANNELS: &[&str] = &[
    "线下",
    "走访",
    "网格",
    "意见箱",
    "12345热线",
    "微信群",
    "问卷星",
];
const CATEGORIES: &[&str] = &["设施", "环境", "安全", "停车", "养老", "物业", "儿童", ""];

struct Row {
    title: String,
    name: String,
    phone: String,
    channel: &'static str,
    date: String,
    category: &'static str,
    address: String,
}

fn rows(n: u64) -> Vec<Row> {
    let mut r = Lcg(20261125);
    let mut out: Vec<Row> = Vec::with_capacity(n as usize);
    for _ in 0..n {
        let (title, name) = if out.len() > 10 && r.next().is_multiple_of(50) {
            // A near-duplicate of an earlier row: the same resident or another, a word changed.
            let earlier = &out[(r.next() as usize) % out.len()];
            let title = match r.next() % 3 {
                0 => format!("{}了", earlier.title),
                1 => earlier.title.replacen("，", "。", 1),
                _ => format!("{}，请尽快", earlier.title),
            };
            let name = if r.next().is_multiple_of(2) {
                earlier.name.clone()
            } else {
                format!("{}{}", r.pick(SURNAMES), r.pick(GIVEN))
            };
            (title, name)
        } else {
            let place = if r.next().is_multiple_of(3) {
                format!("{}栋", 1 + r.next() % 60)
            } else {
                r.pick(PLACES).to_string()
            };
            (
                format!(
                    "{place}{}{}{}",
                    r.pick(OBJECTS),
                    r.pick(PROBLEMS),
                    r.pick(TAILS)
                ),
                format!("{}{}", r.pick(SURNAMES), r.pick(GIVEN)),
            )
        };
        let phone = if r.next().is_multiple_of(3) {
            String::new()
        } else {
            format!("13{:09}", r.next() % 1_000_000_000)
        };
        out.push(Row {
            title,
            name,
            phone,
            channel: r.pick(CHANNELS),
            date: format!("2026-{:02}-{:02}", 1 + r.next() % 12, 1 + r.next() % 28),
            category: r.pick(CATEGORIES),
            address: format!("{}栋{}室", 1 + r.next() % 60, 101 + r.next() % 1500),
        });
    }
    out
}

const HEADER: [&str; 7] = ["标题", "提出人", "联系电话", "渠道", "日期", "类别", "住址"];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let n: u64 = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let rows = rows(n);
    if let (Some("--xlsx"), Some(path)) = (args.get(2).map(String::as_str), args.get(3)) {
        // The same rows as a spreadsheet: the phone as a number and the date as a date cell,
        // as Excel keeps them.
        let mut book = rust_xlsxwriter::Workbook::new();
        let date = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
        let sheet = book.add_worksheet();
        for (c, h) in HEADER.iter().enumerate() {
            sheet.write_string(0, c as u16, *h)?;
        }
        for (i, row) in rows.iter().enumerate() {
            let r = i as u32 + 1;
            sheet.write_string(r, 0, &row.title)?;
            sheet.write_string(r, 1, &row.name)?;
            if let Ok(p) = row.phone.parse::<f64>() {
                sheet.write_number(r, 2, p)?;
            }
            sheet.write_string(r, 3, row.channel)?;
            let d = rust_xlsxwriter::ExcelDateTime::parse_from_str(&row.date)?;
            sheet.write_datetime_with_format(r, 4, &d, &date)?;
            sheet.write_string(r, 5, row.category)?;
            sheet.write_string(r, 6, &row.address)?;
        }
        book.save(path)?;
        return Ok(());
    }
    let mut out = BufWriter::with_capacity(1 << 20, std::io::stdout().lock());
    writeln!(out, "{}", HEADER.join(","))?;
    for row in &rows {
        writeln!(
            out,
            "{},{},{},{},{},{},{}",
            row.title, row.name, row.phone, row.channel, row.date, row.category, row.address
        )?;
    }
    out.flush()?;
    Ok(())
}
