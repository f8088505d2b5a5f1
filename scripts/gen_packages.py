#!/usr/bin/env python3
"""A district's report packages for the benchmark (scripts/bench.sh, district rows).

    python3 scripts/gen_packages.py DIR COMMUNITIES ISSUES [PERIOD]

Writes DIR/社区NNNN-PERIOD.yishi for COMMUNITIES communities of ISSUES issues each, in the
format `yishi report --package` writes (README, "The package format"): one line
{"sha256":"<hex>","package":{...}}, the hash over the exact bytes of the package. Each carries
figures for its issues, an overdue action per 100 issues and an escalated issue per 500, and
(version 2) the record: every issue one by one (title, category, channel, day, status, masked
submitters), 12 meetings with 28 seats and their items, a motion, a resolution and an action
per 20 issues, postings and feedback counts by issue, so that rollup reads, checks and
combines what a real district would send. Deterministic: the same arguments give the same
files.
"""
import hashlib
import json
import os
import random
import sys


TITLES = ["小区东门路灯不亮，夜间出行不便", "楼道堆放杂物，存在消防隐患", "电动车充电桩不足",
          "垃圾分类点离老年楼太远", "儿童没有课外活动场所", "广场舞音响声音太大"]
CATEGORIES = ["facilities", "safety", "parking", "environment", "children", "other"]
CHANNELS = ["线下", "线上", "走访"]
SEATS = ["committee", "party", "backbone", "women", "social-org", "social-resource"]


def ratio(num, den):
    return {"numerator": num, "denominator": den}


def sections(issues, statuses, period, rng):
    """The record sections of version 2, in the shape report --package writes them."""
    order = [s for s, n in sorted(statuses.items()) for _ in range(n)]
    rng.shuffle(order)
    record = {"issues": [
        {
            "issue": f"#{i}",
            "title": TITLES[i % len(TITLES)],
            "category": CATEGORIES[i % len(CATEGORIES)],
            "channel": CHANNELS[i % len(CHANNELS)],
            "raised_on": f"2026-0{7 + i % 3}-{1 + i % 28:02d}",
            "status": order[i - 1],
            "submitters": ["陈**"] + (["马*"] if i % 7 == 0 else []),
            "merged_into": None,
        }
        for i in range(1, issues + 1)
    ]}
    decided = max(issues // 20, 1)
    record["meetings"] = [
        {
            "meeting": f"M{m}",
            "number": m,
            "title": f"第{m}次居民议事会",
            "starts_at": f"2026-0{7 + m % 3}-{10 + m:02d} 19:30",
            "place": "社区党群服务中心",
            "status": "closed",
            "urgent": False,
            "without_quorum": False,
            "seats": [{"seat": SEATS[k % 6], "role": "standing",
                       "attendance": "present" if k % 9 else "absent"} for k in range(28)],
            "items": [{"issue": f"#{d * 20}", "outcome": "adopted"}
                      for d in range(1, decided + 1) if d % 12 == m % 12],
        }
        for m in range(1, 13)
    ]
    record["motions"] = [
        {"motion": f"V{d}", "meeting": f"M{d % 12 or 12}", "issue": f"#{d * 20}", "amends": None,
         "text": "同意按方案实施，并按期报告进度", "rule": "majority-present", "secret": False,
         "method": "roll-call", "yes": 20, "no": 2, "abstain": 1, "electorate_present": 23,
         "electorate_invited": 28, "result": "adopted", "recounts": 0}
        for d in range(1, decided + 1)
    ]
    record["resolutions"] = [
        {"resolution": f"R{d}", "issue": f"#{d * 20}", "meeting": f"M{d % 12 or 12}",
         "motion": f"V{d}", "text": "同意按方案实施，并按期报告进度", "owner": "物业公司",
         "due": "2026-09-15", "withdrawn": False}
        for d in range(1, decided + 1)
    ]
    record["actions"] = [
        {"action": f"A{d}", "resolution": f"R{d}", "issue": f"#{d * 20}",
         "text": "落实决议：维修、增设与整改，按期报告进度", "owner": "张*", "due": "2026-09-15",
         "progress": 100 if d % 2 else 60, "reported_on": "2026-09-01",
         "done_on": "2026-09-01" if d % 2 else None,
         "state": "done-on-time" if d % 2 else "open"}
        for d in range(1, decided + 1)
    ]
    record["postings"] = [
        {"kind": "decision", "meeting": f"M{m}", "issue": None,
         "starts_on": f"2026-0{7 + m % 3}-{11 + m:02d}", "ends_on": f"2026-0{7 + m % 3}-{17 + m:02d}",
         "days": 7, "signed_on": f"2026-0{7 + m % 3}-{11 + m:02d}", "repost": False}
        for m in range(1, 13)
    ]
    by_issue = [{"issue": f"#{d * 20}", "responses": 4, "satisfaction": ratio(3, 4),
                 "awareness": ratio(4, 4)} for d in range(1, decided + 1)]
    record["feedback"] = {
        "responses": 4 * decided,
        "scores": {"3": decided, "4": 2 * decided, "5": decided},
        "satisfaction": ratio(3 * decided, 4 * decided),
        "awareness": ratio(4 * decided, 4 * decided),
        "by_channel": {"走访": 2 * decided, "问卷": 2 * decided},
        "by_issue": by_issue,
    }
    return record


def package(n, issues, period, rng):
    name = f"社区{n:04d}"
    statuses = {
        "collected": issues // 10,
        "accepted": issues // 10,
        "scheduled": issues // 20,
        "decided": issues // 10,
        "implementing": issues // 5,
        "escalated": issues // 500,
    }
    statuses["completed"] = issues - sum(statuses.values())

    actions = issues // 20
    overdue = [
        {
            "action": f"A{a}",
            "issue": f"#{a * 7 % issues + 1}",
            "text": f"落实第{a}项决议：维修、增设与整改，按期报告进度",
            "owner": "张*",
            "due": f"2026-0{rng.randint(1, 8)}-{rng.randint(10, 28)}",
            "days_overdue": rng.randint(1, 200),
        }
        for a in range(1, issues // 100 + 1)
    ]
    escalated = [
        {
            "issue": f"#{e * 13 % issues + 1}",
            "title": "跨社区道路修缮",
            "to": "街道",
            "reason": "需区级资金，超出社区能力",
            "escalated_on": "2026-07-01",
            "days_waiting": rng.randint(1, 90),
            "answered_on": None,
            "answer": None,
        }
        for e in range(1, issues // 500 + 1)
    ]
    record = sections(issues, statuses, period, rng)
    p = {
        "format": "yishi-report-package",
        "version": 2,
        "community": name,
        "period": period,
        "as_of": period["to"],
        "record_check": f"#{issues * 3} {hashlib.sha256(name.encode()).hexdigest()[:16]}",
        "figures": {
            "meetings_held": 4,
            "issues_total": issues,
            "issues_by_status": dict(sorted(statuses.items())),
            "attendance": ratio(rng.randint(20, 28), 28),
            "participation": ratio(issues // 2, issues * 3),
            "awareness": ratio(rng.randint(100, 200), 200),
            "satisfaction": ratio(rng.randint(100, 200), 200),
            "cycle_complete": ratio(issues // 20, issues // 10),
            "actions_done_on_time": actions // 2,
            "actions_done_late": actions // 10,
            "actions_overdue": len(overdue),
            "actions_open": actions // 4,
            "escalations": {"raised": len(escalated), "answered": 0, "waiting": len(escalated)},
        },
        "overdue_actions": overdue,
        "escalated_issues": escalated,
        **record,
    }
    return name, json.dumps(p, ensure_ascii=False, separators=(",", ":"))


def main():
    out, communities, issues = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    period = {"name": "2026Q3", "from": "2026-07-01", "to": "2026-09-30"}
    if len(sys.argv) > 4:
        period["name"] = sys.argv[4]
    os.makedirs(out, exist_ok=True)
    rng = random.Random(32)
    for n in range(1, communities + 1):
        name, body = package(n, issues, period, rng)
        digest = hashlib.sha256(body.encode()).hexdigest()
        with open(os.path.join(out, f"{name}-{period['name']}.yishi"), "w", encoding="utf-8") as f:
            f.write(f'{{"sha256":"{digest}","package":{body}}}\n')


if __name__ == "__main__":
    main()
