#!/usr/bin/env bash
# A two-meeting council as a secretary really runs one (issue 26's messy meetings), for
# scripts/render-check.sh: the Tingtang demo (M1 in June: an amendment, a supplementary motion,
# a failed motion, a rejection, a merge) and then a second meeting M2 in September with an
# objection to one resolution posted in June, a re-raise of a rejected issue, a merge, a
# stakeholder of two items, a proxy, a late arrival, an early leave, a corrected speech, a
# failed motion and its revised one, a recount, a deferral, an owner set after the vote, a
# reopening the next morning, a due date moved, the notices and a result notice.
#
#   scripts/messy-council.sh DIR      (writes DIR/messy.db and DIR/yishi.toml; DIR must be new)
set -euo pipefail

dir=$1
yishi=${YISHI:-target/debug/yishi}
yishi=$(cd "$(dirname "$yishi")" && pwd)/$(basename "$yishi")
mkdir -p "$dir"
db="$dir/messy.db"
rm -f "$db" "$db-wal" "$db-shm" "$dir/yishi.toml"
"$yishi" --db "$db" demo >/dev/null 2>&1
# The residents' committee's contact, as a community would set it in yishi.toml.
printf 'contact = "王秘书"\ncontact_phone = "0571-8888 1234"\n%s\n' "$(cat "$dir/yishi.toml")" >"$dir/yishi.toml"

at() {
  local now=$1
  shift
  YISHI_NOW="$now" "$yishi" --db "$db" --quiet "$@" >/dev/null 2>"$dir/step.err" || { cat "$dir/step.err" >&2; echo "step failed: $*" >&2; exit 1; }
}

# After M1: an objection raised in June against one resolution (R3: no outside cars at night),
# a re-raise of the rejected #4, an issue merged into #5, a moved due date.
at 2026-09-11T09:00 issue add 夜间禁止外来车辆停放影响探望老人 --by 郑阿姨 --channel 线下 \
  --date 2026-06-16 --objection-to R3 --stakeholder 物业公司 --category 停车
at 2026-09-11T09:00 issue add 广场舞音响仍然扰民，协调后没有改善 --by 黄女士 --channel 线下 \
  --date 2026-09-01 --reraise 4 --category 环境
at 2026-09-11T09:00 issue add 助餐点能否增加素菜 --by 吴阿姨 --channel 线下 --date 2026-09-02
at 2026-09-11T09:00 issue merge 11 --into 5
at 2026-09-11T09:00 issue reject 8 --reason 电梯属物业维保范围，已转物业公司处理
at 2026-09-11T09:00 action edit A2 --due 2026-10-31 --reason 禁停标志需交警部门审批
for i in 7 9 10; do at 2026-09-11T09:00 issue accept "$i"; done
at 2026-09-11T09:00 issue stakeholder add 7 物业公司
at 2026-09-12T10:00 issue consult 9 --with 物业公司 --summary 可为探望老人的车辆办理临时通行证
at 2026-09-12T10:00 issue consult 10 --with 广场舞队 --summary 同意20:30后降低音量
at 2026-09-12T10:00 issue consult 7 --with 物业公司 --summary 路灯线路老化，需整体更换
at 2026-09-12T10:00 issue consult 5 --with 助餐点 --summary 可每周增加两次素菜

# M2: convened on the 15th for the 25th.
at 2026-09-15T09:00 council convene --date "2026-09-25 19:30" --place 老村部三楼会议室 \
  --chair 王建国 --recorder 李娜 --observer 周晓 --issue 9 --issue 10 --issue 7 --issue 5
at 2026-09-15T09:00 council notice M2

at 2026-09-25T19:20 council attend M2 王建国 李娜 张伟 林秀英 孙强 物业公司 周晓
at 2026-09-25T19:20 council attend M2 李娜 --proxy-for 陈志明 --authorisation 书面委托书（9月24日）
at 2026-09-25T19:20 council attend M2 赵敏 --late 19:50
at 2026-09-25T19:35 council open M2 --at 19:35
at 2026-09-25T19:40 council speak M2 --item 9 --by 物业公司 --position neutral 可为探望老人的车辆办理临时通行证
at 2026-09-25T19:45 council speak M2 --item 9 --by 张伟 --position for 临时通行证可以兼顾安全和探望
at 2026-09-25T19:48 vote open M2 --item 9 取消夜间禁止外来车辆停放的规定
at 2026-09-25T19:49 vote cast V6 --count 2:5:0
at 2026-09-25T19:49 vote close V6
at 2026-09-25T19:52 vote open M2 --item 9 探望老人的车辆凭物业临时通行证夜间停放
at 2026-09-25T19:55 vote cast V7 --count 5:2:1
at 2026-09-25T19:55 vote close V7
at 2026-09-25T19:58 vote correct V7 --count 6:1:1 --reason 复核举手人数，漏计一票
at 2026-09-25T20:05 council speak M2 --item 10 --by 林秀英 --position for 音响扰民影响老人休息
at 2026-09-25T20:10 vote open M2 --item 10 广场舞20:30后音量不超过55分贝，由广场舞队自行管理
at 2026-09-25T20:12 vote cast V8 --count 6:0:1
at 2026-09-25T20:12 vote close V8 --owner 林秀英 --due 2026-10-15
at 2026-09-25T20:15 vote open M2 --item 10 社区购置分贝仪一台，供广场舞队自测 --supplementary
at 2026-09-25T20:16 vote cast V9 --count 7:0:0
at 2026-09-25T20:16 vote close V9 --owner 王建国 --due 2026-10-31
at 2026-09-25T20:20 council leave M2 孙强 --at 20:20
at 2026-09-25T20:25 vote open M2 --item 5 助餐点每周二、周五增加素菜
at 2026-09-25T20:26 vote cast V10 --count 6:0:0
at 2026-09-25T20:26 vote close V10
at 2026-09-25T20:40 council decide M2 --item 9
at 2026-09-25T20:40 council decide M2 --item 10
at 2026-09-25T20:40 council decide M2 --item 5
at 2026-09-25T20:40 council decide M2 --item 7 --defer --reason 需物业公司先出更换方案
at 2026-09-25T20:45 council close M2 --at 20:45
# Next morning: a correction, then closed again.
at 2026-09-26T09:10 council reopen M2 --reason 更正张伟的发言记录
at 2026-09-26T09:12 council speech edit 6 --summary 临时通行证可以兼顾夜间安全和探望需要 --reason 记录人笔误
at 2026-09-26T09:15 council close M2
# Owners set after the vote, then the 公示.
at 2026-09-26T09:20 action edit A4 --owner 物业公司 --due 2026-10-31 --reason 会后与物业确认
at 2026-09-26T09:30 action edit A7 --owner 张伟 --due 2026-10-15 --reason 会后确定
at 2026-09-26T10:00 notice decision M2 --days 7
at 2026-10-10T10:00 action done A6 --note 已购置分贝仪
at 2026-10-16T10:00 action update A4 --progress 50 --note 通行证样式已定
at 2026-10-20T10:00 action edit A4 --due 2026-11-30 --reason 通行证印制延期
at 2026-10-20T10:00 notice result 10
echo "$db"
