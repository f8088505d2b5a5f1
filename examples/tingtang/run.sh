#!/usr/bin/env bash
# 汀塘社区: one whole council cycle with the real yishi binary, from collecting issues in May
# 2026 to residents' feedback in September. The clock is set for each step (YISHI_NOW) so that
# every run gives the same records.
#
#   cargo build --release && bash examples/tingtang/run.sh [WORKDIR]
#
# Leaves the database, minutes (md, html), notices and report in WORKDIR (default: a temp dir).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
yishi=${YISHI:-$here/../../target/release/yishi}
[ -x "$yishi" ] || yishi=$here/../../target/debug/yishi
work=${1:-$(mktemp -d)}
mkdir -p "$work"
cd "$work"
export YISHI_DB="$work/tingtang.db" TZ=CST-8
y() { "$yishi" --as 社区秘书 "$@"; }
at() { export YISHI_NOW="$1"; }

echo "== 1. 议题收集与审核 (late May, early June)"
at 2026-06-01T09:00:00+08:00
y init --community 汀塘社区 --population 4200
y member import "$here/members.csv"
y issue import "$here/issues.csv"
y issue import "$here/issues-gb18030.csv"
y issue accept 1 --note 涉及多方，需议事会协商
y issue accept 2
y issue accept 3
y issue accept 5
y issue reject 4 --reason 已由社区与广场舞队直接协调，调整音响时间
y issue merge 6 --into 1
y issue stakeholder add 1 物业公司
y issue stakeholder add 2 业主委员会代表
y issue consult 1 --with 物业公司 --summary 同意开放老村部四楼，负责日常保洁 --date 2026-06-02
y issue consult 1 --with 汀塘小学 --summary 愿意组织学生志愿者和图书捐赠 --date 2026-06-03
y issue consult 2 --with 业主委员会 --summary 同意在东侧空地划线 --date 2026-06-03
y issue consult 3 --with 环卫站 --summary 可在3栋旁增设一处分类点，但需居民同意 --date 2026-06-04
y issue list

echo "== 2. 召集议事会 (5 June)"
at 2026-06-05T09:00:00+08:00
y council convene --date "2026-06-12 19:30" --place 老村部三楼会议室 --chair 王建国 --recorder 李娜 --observer 周晓
y council notice M1

echo "== 3. 召开议事会 (12 June)"
at 2026-06-12T19:30:00+08:00
y council attend M1 王建国 李娜 张伟 林秀英 孙强 物业公司 业主委员会代表 周晓
y council attend M1 赵敏 --online
y council absent M1 陈志明 --reason 出差
y council open M1 --at 19:35
y council speak M1 --item 1 --by 张伟 --position for "四楼闲置多年，改造成本低"
y council speak M1 --item 1 --by 物业公司 --position against "保洁和安全责任需要明确"
y council speak M1 --item 1 --by 孙强 --position for "学校可以组织图书募捐"
y vote open M1 --item 1 "将老村部四楼改造为儿童活动中心"
y vote amend V1 "将老村部四楼改造为儿童活动中心，并发起图书募捐，由汀塘小学协助"
y vote cast V2 --yes 王建国,李娜,张伟,林秀英,赵敏,孙强,业主委员会代表 --no 物业公司
y vote close V2
y vote cast V1 --yes 王建国,李娜,张伟,林秀英,赵敏,孙强,物业公司 --abstain 业主委员会代表
y vote close V1 --owner 王建国 --due 2026-08-31
y council speak M1 --item 2 --by 业主委员会代表 --position for "东侧空地可划12个车位"
y vote open M1 --item 2 "在小区东侧空地划线增加12个停车位，消防通道设禁停标志"
y vote cast V3 --count 6:1:1
y vote close V3 --owner 张伟 --due 2026-07-31
y vote open M1 --item 3 "在3栋旁增设垃圾分类点"
y vote cast V4 --count 3:3:2
y vote close V4
y council close M1 --at 21:10
y council show M1

echo "== 4. 会议纪要与决议公示 (13 June)"
at 2026-06-13T09:00:00+08:00
y minutes export M1 --format md -o "$work/minutes-M1.md"
y minutes export M1 --format html -o "$work/minutes-M1.html"
y notice decision M1 --days 7 -o "$work/notice-M1.txt"

echo "== 5. 落实与督办 (July, August)"
at 2026-07-15T10:00:00+08:00
y action update A1 --progress 60 --note 墙面粉刷完成，书架已到
y action update A2 --progress 80 --note 划线完成，禁停标志待安装
at 2026-08-20T10:00:00+08:00
y action done A1 --note 儿童活动中心开放，募集图书860册
y action list

echo "== 6. 结果公开与评议 (September)"
at 2026-09-05T10:00:00+08:00
y notice result 1 -o "$work/result-1.txt"
y feedback import "$here/feedback.csv"

echo "== 7. 报告与核验"
at 2026-09-10T10:00:00+08:00
y report
y report --html -o "$work/report.html"
y verify
echo "done: $work"
