#!/usr/bin/env python3
"""A district's report packages for the benchmark (scripts/bench.sh, district rows).

    python3 scripts/gen_packages.py DIR COMMUNITIES ISSUES [PERIOD]

Writes DIR/社区NNNN-PERIOD.yishi for COMMUNITIES communities of ISSUES issues each, in the
format `yishi report --package` writes (README, "The package format"): one line
{"sha256":"<hex>","package":{...}}, the hash over the exact bytes of the package. Each carries
figures for its issues, an overdue action per 100 issues and an escalated issue per 500, so
that rollup reads, checks and combines what a real district would send. Deterministic: the
same arguments give the same files.
"""
import hashlib
import json
import os
import random
import sys


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

    def ratio(num, den):
        return {"numerator": num, "denominator": den}

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
    p = {
        "format": "yishi-report-package",
        "version": 1,
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
