"""Generate the synthetic sample data of the workbench (``data/samples/``).

Run ``python data/samples/make_samples.py`` (or ``--out DIR``) to rewrite every generated file.
The script uses one fixed seed, ``numpy.random.default_rng(20261125)``, split into one child
generator per section, so re-running it gives byte-identical files and a change in one section
leaves the others untouched. It depends on numpy, pandas and openpyxl only (not on workbench).

Every file, column, distribution and assumption is documented in ``data/samples/README.md``.
The ASEM data in ``asem/`` are real (EU JRC, via COINr) and copied, not generated.
"""

from __future__ import annotations

import argparse
import io
import re
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

SEED = 20261125
OUT = Path(__file__).resolve().parent
GRADES4 = ["优秀", "良好", "一般", "较差"]
# Wanzhou's organ work committee (seed 004): 86 departments; these totals must be reproduced.
WANZHOU = {"党委": 5, "机关党委": 32, "党总支": 18, "党支部": 406, "党员": 7907}

DEPARTMENTS = {
    "党政综合部门": [
        "区委办公室",
        "区政府办公室",
        "区人大常委会办公室",
        "区政协办公室",
        "区纪委监委机关",
        "区委组织部",
        "区委宣传部",
        "区委统战部",
        "区委政法委",
        "区委编办",
        "区委政策研究室",
        "区委党校",
        "区档案馆",
        "区信访办",
        "区机关事务管理局",
        "区委网信办",
    ],
    "经济管理部门": [
        "区发展改革委",
        "区经济信息委",
        "区财政局",
        "区商务委",
        "区国资委",
        "区统计局",
        "区审计局",
        "区农业农村委",
        "区住房城乡建委",
        "区交通局",
        "区水利局",
        "区规划自然资源局",
        "区科技局",
        "区金融办",
        "区招商投资促进局",
        "区林业局",
        "区供销合作社",
        "区乡村振兴局",
        "区粮食局",
        "区大数据发展局",
        "人民银行区中心支行",
        "区港口物流办",
    ],
    "执法监管部门": [
        "区公安局",
        "区司法局",
        "区市场监管局",
        "区生态环境局",
        "区应急管理局",
        "区城市管理局",
        "区税务局",
        "区消防救援支队",
        "区人民法院",
        "区人民检察院",
        "区交通运输综合执法支队",
        "区农业综合行政执法支队",
        "区文化市场综合行政执法支队",
        "区卫生健康综合行政执法支队",
        "区烟草专卖局",
        "区海事处",
        "区规划自然资源执法支队",
        "区生态环境保护综合行政执法支队",
    ],
    "社会事业部门": [
        "区教委",
        "区卫生健康委",
        "区民政局",
        "区人力社保局",
        "区文化旅游委",
        "区体育局",
        "区医保局",
        "区退役军人事务局",
        "区人民医院",
        "区中医院",
        "区疾控中心",
        "区图书馆",
        "区气象局",
        "区融媒体中心",
        "区社会保险事务中心",
        "区就业和人才中心",
    ],
    "群团及其他": [
        "区总工会",
        "团区委",
        "区妇联",
        "区科协",
        "区文联",
        "区侨联",
        "区工商联",
        "区红十字会",
        "区残联",
        "区社科联",
        "区计生协",
        "区贸促会",
        "区老干部局",
        "区地方志办",
    ],
}
PARTY_COMMITTEES = ["区公安局", "区税务局", "区人民医院", "区教委", "区卫生健康委"]


# ----------------------------------------------------------------------------- helpers
def _fix_total(
    values: np.ndarray, total: int, movable: np.ndarray, lo: np.ndarray, hi: np.ndarray
) -> np.ndarray:
    """Integer ``values`` adjusted to sum to ``total`` by +-1 steps on ``movable`` units within
    [lo, hi], largest units first (a deterministic largest-remainder style correction)."""
    v = values.astype(int).copy()
    order = np.flatnonzero(movable)[np.argsort(-v[movable], kind="stable")]
    guard = 0
    while v.sum() != total and guard < 100000:
        step = 1 if v.sum() < total else -1
        for i in order:
            if v.sum() == total:
                break
            if lo[i] <= v[i] + step <= hi[i]:
                v[i] += step
        guard += 1
    if v.sum() != total:  # pragma: no cover - the bounds are wide enough
        raise RuntimeError(f"cannot reach total {total}")
    return v


def _cut(latent: np.ndarray, cuts: list[float], labels: list[str]) -> np.ndarray:
    """Labels by falling thresholds: latent >= cuts[0] -> labels[0], >= cuts[1] -> labels[1], ..."""
    idx = np.sum(latent[:, None] < np.asarray(cuts)[None, :], axis=1)
    return np.asarray(labels, dtype=object)[idx]


def _write_csv(frame: pd.DataFrame, path: Path, encoding: str = "utf-8") -> None:
    text = frame.to_csv(index=False, lineterminator="\n")
    path.write_bytes(text.encode(encoding))


def _normalise_xlsx(raw: bytes) -> bytes:
    """Rewrite an .xlsx so its bytes do not depend on the clock: fixed zip timestamps and fixed
    created/modified dates in docProps/core.xml."""
    src = zipfile.ZipFile(io.BytesIO(raw))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in sorted(src.namelist()):
            data = src.read(name)
            if name == "docProps/core.xml":
                data = re.sub(
                    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)",
                    rb"\g<1>2025-11-25T00:00:00Z\g<2>",
                    data,
                )
            info = zipfile.ZipInfo(name, date_time=(2025, 11, 25, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            dst.writestr(info, data)
    return buf.getvalue()


def _write_xlsx(sheets: dict[str, pd.DataFrame], path: Path) -> None:
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            frame.to_excel(writer, sheet_name=name, index=False)
    path.write_bytes(_normalise_xlsx(buf.getvalue()))


def _r1(x) -> np.ndarray:
    return np.round(np.asarray(x, dtype=float), 1)


# ----------------------------------------------------------------------------- the county
def county_units(rng: np.random.Generator) -> pd.DataFrame:
    """86 departments with their party organisations (Wanzhou's totals) and latent qualities."""
    rows = [(cat, name) for cat, names in DEPARTMENTS.items() for name in names]
    n = len(rows)
    frame = pd.DataFrame(rows, columns=["category", "name"])[["name", "category"]]
    frame.insert(0, "unit", [f"D{i + 1:03d}" for i in range(n)])
    # size prior: enforcement and social-service organs are larger, mass organisations smaller
    base = (
        frame["category"]
        .map(
            {
                "党政综合部门": 0.0,
                "经济管理部门": 0.0,
                "执法监管部门": 0.35,
                "社会事业部门": 0.25,
                "群团及其他": -0.6,
            }
        )
        .to_numpy()
    )
    size = base + rng.normal(0.0, 0.6, n)
    is_pc = frame["name"].isin(PARTY_COMMITTEES).to_numpy()
    order = np.argsort(-np.where(is_pc, -np.inf, size), kind="stable")[: n - 5]  # the rest by size
    org = np.empty(n, dtype=object)
    org[is_pc] = "党委"
    org[order[:32]] = "机关党委"
    org[order[32:50]] = "党总支"
    org[order[50:]] = "党支部"
    members = np.zeros(n, dtype=int)
    lo = np.zeros(n, dtype=int)
    hi = np.zeros(n, dtype=int)
    spec = {"党委": (300, 700, 250, 900), "党总支": (50, 100, 50, 99), "党支部": (8, 50, 6, 49)}
    for kind, (a, b, lo_k, hi_k) in spec.items():
        m = org == kind
        members[m] = rng.integers(a, b, m.sum())
        lo[m], hi[m] = lo_k, hi_k
    m = org == "机关党委"
    members[m] = np.clip(np.round(np.exp(rng.normal(np.log(112), 0.35, m.sum()))), 60, 320).astype(int)
    lo[m], hi[m] = 60, 400
    members = _fix_total(members, WANZHOU["党员"], np.isin(org, ["党委", "机关党委"]), lo, hi)
    branches = np.select(
        [org == "党支部", org == "党总支", org == "机关党委", org == "党委"],
        [1, np.where(members >= 75, 4, 3), np.maximum(3, np.round(members / 17)), np.round(members / 22)],
    ).astype(int)
    movable = np.isin(org, ["党委", "机关党委"])
    branches = _fix_total(branches, WANZHOU["党支部"], movable, np.full(n, 3), np.maximum(3, members // 8))
    frame["org_type"] = org
    frame["n_party_committees"] = (org == "党委").astype(int)
    frame["n_organ_committees"] = (org == "机关党委").astype(int)
    frame["n_general_branches"] = (org == "党总支").astype(int)
    frame["n_branches"] = branches
    frame["n_members"] = members
    return frame


def county_latent(rng: np.random.Generator, units: pd.DataFrame) -> pd.DataFrame:
    """True party-building quality q ~ N(0, 1) and the economic-social score: 78 + 10 (0.3 q +
    0.95 u), u ~ N(0, 1), clipped to [45, 99] (correlation with q about 0.3).

    Six economic departments are "GDP-first" (seed 000: leaders "只看 GDP"): their q is lowered
    by 1.2 and their economic score raised by 8 (effort moved from party building to business).
    """
    n = len(units)
    q = rng.normal(0.0, 1.0, n)
    u = rng.normal(0.0, 1.0, n)
    econ = 78.0 + 10.0 * (0.3 * q + np.sqrt(1 - 0.09) * u)
    gdp_first = rng.choice(np.flatnonzero(units["category"].to_numpy() == "经济管理部门"), 6, replace=False)
    q[gdp_first] -= 1.2
    econ[gdp_first] += 8.0
    flag = np.zeros(n, dtype=int)
    flag[gdp_first] = 1
    return pd.DataFrame({"q": q, "econ_score": _r1(np.clip(econ, 45.0, 99.0)), "gdp_first": flag})


def democratic_ratings(rng: np.random.Generator, units: pd.DataFrame, q: np.ndarray) -> pd.DataFrame:
    """民主测评: 12 raters and a self-rating per department, as words 优秀/良好/一般/较差.

    Rating latent = q + rater leniency (SD 0.35) + noise (SD 1, as large as the true spread, so a
    single rater's reliability is about 0.5); the self-rating is shifted up by 0.3 SD of the
    ratings. About 3% of the raters' cells are blank.
    """
    n, k = len(units), 12
    leniency = rng.normal(0.0, 0.35, k)
    y = q[:, None] + leniency[None, :] + rng.normal(0.0, 1.0, (n, k))
    sd_y = float(np.sqrt(1.0 + 1.0 + 0.35**2))
    self_y = q + 0.3 * sd_y + rng.normal(0.0, 1.0, n)
    cuts = [0.0, -1.5, -2.6]
    words = np.column_stack([_cut(y[:, j], cuts, GRADES4) for j in range(k)])
    words[rng.random((n, k)) < 0.03] = None
    frame = units[["unit", "name"]].copy()
    for j in range(k):
        frame[f"R{j + 1:02d}"] = words[:, j]
    frame["SELF"] = _cut(self_y, cuts, GRADES4)
    return frame


def panel_grade(ratings: pd.DataFrame) -> np.ndarray:
    """The department's 民主测评 grade: mean of the 12 raters (优秀 4 ... 较差 1, blanks skipped),
    >= 3.5 优秀, >= 2.5 良好, >= 1.5 一般, else 较差 (the self-rating is not counted)."""
    value = {g: 4.0 - i for i, g in enumerate(GRADES4)}
    num = ratings[[f"R{j:02d}" for j in range(1, 13)]].apply(lambda col: col.map(value))
    mean = num.astype(float).mean(axis=1).to_numpy()
    return _cut(mean, [3.5, 2.5, 1.5], GRADES4)


def _latent(rng, q, rho):
    return rho * q + np.sqrt(1.0 - rho**2) * rng.normal(0.0, 1.0, len(q))


def county_indicators(
    rng: np.random.Generator, units: pd.DataFrame, q: np.ndarray, mass: np.ndarray
) -> pd.DataFrame:
    """The 27 indicators of indicators/cq_organs.yaml, plus bonus, deduction and veto columns.

    Each indicator is driven by its own latent z_k = rho q + sqrt(1 - rho^2) e_k, e_k ~ N(0, 1),
    rho = 0.35 (0.4 for disciplinary cases and complaints), so the indicators correlate with the
    true quality q and with each other through it; the 民主测评 grade comes from the raters.
    """
    cat = units["category"].to_numpy()
    m = units["n_members"].to_numpy()
    b = units["n_branches"].to_numpy()

    def z(rho=0.35):
        return _latent(rng, q, rho)

    def pois(lam, hi):
        return np.minimum(rng.poisson(lam), hi)

    d = {}
    d["ldr_meetings"] = np.clip(np.round(4.8 + 0.9 * z()), 1, 9)
    d["ldr_secretary_report"] = _cut(z(), [-0.3, -1.5, -2.4], ["好", "较好", "一般", "差"])
    d["ldr_responsibility"] = pois(0.6 * np.exp(-0.6 * z()), 10)
    d["ldr_funding"] = np.clip(np.round(97 + 5 * z()), 40, 100)
    d["ldr_attend"] = np.clip(np.round(6.2 + 1.3 * z()), 0, 12)
    d["ide_group_study"] = np.clip(np.round(11.8 + 1.4 * z()), 5, 18)
    d["ide_member_training"] = np.clip(_r1(96 + 2.5 * z()), 60, 100)
    d["ide_party_lectures"] = np.clip(np.round(4.3 + 1.0 * z()), 0, 8)
    d["ide_ideology_duty"] = pois(0.5 * np.exp(-0.6 * z()), 8)
    d["ide_exam"] = _r1(86 + 4 * z())
    d["org_three_one"] = np.clip(_r1(97 + 2.2 * z()), 60, 100)
    d["org_theme_day"] = np.clip(_r1(11.4 + 0.8 * z()), 6, 12.5)
    overdue = np.minimum(rng.poisson(0.12 * np.exp(-0.6 * z()) * b / 4), b)
    d["org_election"] = _r1(100 * (b - overdue) / b)
    d["org_dues"] = np.clip(_r1(100.5 + 1.0 * z()), 90, 100)
    plan = np.maximum(1, np.round(m / 40))
    done = np.clip(np.round(plan * (1 + 0.3 * z())), 0, 2 * plan)
    d["org_recruit"] = np.where(m < 30, np.nan, np.round(100 * done / plan))
    d["org_democratic_review"] = np.clip(_r1(98 + 1.8 * z()), 75, 100)
    d["org_standard_branch"] = np.clip(_r1(88 + 7 * z()), 40, 100)
    d["org_records"] = pois(0.8 * np.exp(-0.6 * z()), 12)
    d["sty_clean_duty"] = pois(0.4 * np.exp(-0.6 * z()), 10)
    cases = rng.poisson(m / 100 * 0.15 * np.exp(-0.5 * z(0.4)))
    d["sty_discipline_rate"] = np.round(100 * cases / m, 2)
    d["sty_mass_rating"] = mass
    busy = np.isin(cat, ["执法监管部门", "社会事业部门"])
    d["sty_complaints"] = rng.poisson(np.where(busy, 1.8, 1.0) * np.exp(-0.5 * z(0.4)))
    d["cen_task_completion"] = np.clip(_r1(96 + 2.5 * z()), 50, 100)
    d["cen_vanguard_posts"] = np.clip(_r1(32 + 7 * z()), 5, 70)
    d["cen_service_projects"] = np.clip(np.round(6 + 1.4 * z()), 0, 12)
    d["cen_innovation"] = _cut(z(), [0.0, -1.1, -2.2], ["A", "B", "C", "D"])
    d["cen_law_enforcement"] = np.where(cat == "执法监管部门", np.clip(_r1(93 + 4 * z()), 50, 100), np.nan)
    d["bonus_national"] = rng.poisson(0.02 * np.exp(0.8 * q))
    d["bonus_city"] = rng.poisson(0.15 * np.exp(0.6 * q))
    d["bonus_district"] = rng.poisson(0.5 * np.exp(0.5 * q))
    d["bonus_promoted"] = rng.poisson(0.12 * np.exp(0.5 * q))
    d["ded_criticised"] = rng.poisson(0.06 * np.exp(-0.8 * q))
    d["ded_late_report"] = rng.poisson(0.5 * np.exp(-0.5 * q))
    d["ded_rectification"] = rng.poisson(0.25 * np.exp(-0.6 * q))
    return pd.DataFrame(d)


# ----------------------------------------------------------------------------- 党建报表
# code, name, unit, type, min, max, upper bound column, peer check (rate indicators only)
REPORT_INDICATORS = [
    ("members_total", "党员总数", "人", "stock", 0, None, None),
    ("members_full", "正式党员数", "人", "stock", 0, None, "members_total"),
    ("members_probationary", "预备党员数", "人", "stock", 0, None, "members_total"),
    ("branches_total", "党支部数", "个", "stock", 1, None, None),
    ("branches_standard", "标准化达标党支部数", "个", "stock", 0, None, "branches_total"),
    ("branch_secretaries_trained", "支部书记年内累计参训人数", "人", "cumulative", 0, None, "branches_total"),
    ("meetings_branch_assembly", "支部党员大会召开次数", "次", "flow", 0, None, None),
    ("meetings_branch_committee", "支委会召开次数", "次", "flow", 0, None, None),
    ("three_one_rate", "“三会一课”按期开展支部占比", "%", "rate", 0, 100, None),
    ("party_lectures", "党课次数", "次", "flow", 0, None, None),
    ("theme_day_branches", "开展主题党日的支部数", "个", "flow", 0, None, "branches_total"),
    ("theme_day_rate", "主题党日开展率", "%", "rate", 0, 100, None),
    ("study_sessions", "中心组集体学习次数", "次", "flow", 0, None, None),
    ("dues_due", "应缴党费", "元", "flow", 0, None, None),
    ("dues_paid", "实缴党费", "元", "flow", 0, None, None),
    ("dues_rate", "党费收缴率", "%", "rate", 0, 100, None),
    ("recruits_ytd", "年内累计发展党员数", "人", "cumulative", 0, None, None),
    ("applicants", "入党申请人数", "人", "stock", 0, None, None),
    ("activists", "入党积极分子数", "人", "stock", 0, None, "applicants"),
    ("transfers_in", "转入党员数", "人", "flow", 0, None, None),
    ("transfers_out", "转出党员数", "人", "flow", 0, None, None),
    ("member_training_rate", "党员参训率", "%", "rate", 0, 100, None),
    ("volunteer_hours", "党员志愿服务时长", "小时", "flow", 0, None, None),
    ("volunteer_members", "参与志愿服务党员数", "人", "flow", 0, None, "members_total"),
    ("criticisms", "被通报批评次数", "次", "flow", 0, None, None),
    ("talks", "谈心谈话人次", "人次", "flow", 0, None, None),
    ("funding_spent", "党组织活动经费支出", "元", "flow", 0, None, None),
]
REPORT_CODES = [r[0] for r in REPORT_INDICATORS]
IDENTITIES = {  # name: (cells involved, description)
    "members": (
        ("members_total", "members_full", "members_probationary"),
        "members_total = members_full + members_probationary",
    ),
    "dues": (("dues_rate", "dues_paid", "dues_due"), "|dues_rate − 100·dues_paid/dues_due| ≤ 0.05"),
    "theme_day": (
        ("theme_day_rate", "theme_day_branches", "branches_total"),
        "|theme_day_rate − 100·theme_day_branches/branches_total| ≤ 0.05",
    ),
}
PEER_CHECKED = ("three_one_rate", "member_training_rate")
JUMP_FACTOR = 5.0  # (x + 1) / (m + 1) >= 5 or <= 1/5, m = median of the unit's other 11 months
PEER_Z = 5.0  # |x − month median| / (1.4826 MAD) > 5 among the 86 departments
MONTHS = [f"2025-{m:02d}" for m in range(1, 13)]


def report_checks(wide: pd.DataFrame) -> dict[str, np.ndarray]:
    """The documented reference checks on the report table (rows unit x month, sorted by unit
    then period). Returns boolean arrays (rows, 27) per cell-level kind and (rows, 3) identities."""
    x = wide[REPORT_CODES].to_numpy(dtype=float)
    n_units = len(x) // 12
    col = {c: j for j, c in enumerate(REPORT_CODES)}
    meta = {r[0]: r for r in REPORT_INDICATORS}
    oor = np.zeros_like(x, dtype=bool)
    for c, (_, _, _, _, lo, hi, bound) in meta.items():
        v = x[:, col[c]]
        bad = v < lo
        if hi is not None:
            bad |= v > hi
        if bound is not None:
            bad |= v > x[:, col[bound]]
        oor[:, col[c]] = bad
    cube = x.reshape(n_units, 12, -1)
    jump = np.zeros_like(cube, dtype=bool)
    for c, (_, _, _, kind, *_rest) in meta.items():
        j = col[c]
        if kind == "cumulative":
            jump[:, 1:, j] = np.diff(cube[:, :, j], axis=1) < 0
            continue
        others = np.stack([np.median(np.delete(cube[:, :, j], t, axis=1), axis=1) for t in range(12)], axis=1)
        ratio = (cube[:, :, j] + 1.0) / (others + 1.0)
        jump[:, :, j] = (ratio >= JUMP_FACTOR) | (ratio <= 1.0 / JUMP_FACTOR)
    peer = np.zeros_like(cube, dtype=bool)
    for c in PEER_CHECKED:
        v = cube[:, :, col[c]]
        med = np.median(v, axis=0)
        mad = 1.4826 * np.median(np.abs(v - med), axis=0)
        peer[:, :, col[c]] = np.abs(v - med) > PEER_Z * mad
    ident = np.column_stack(
        [
            x[:, col["members_total"]] != x[:, col["members_full"]] + x[:, col["members_probationary"]],
            np.abs(x[:, col["dues_rate"]] - 100 * x[:, col["dues_paid"]] / x[:, col["dues_due"]])
            > 0.05 + 1e-9,
            np.abs(
                x[:, col["theme_day_rate"]]
                - 100 * x[:, col["theme_day_branches"]] / x[:, col["branches_total"]]
            )
            > 0.05 + 1e-9,
        ]
    )
    return {
        "out_of_range": oor,
        "jump": jump.reshape(x.shape),
        "peer_deviation": peer.reshape(x.shape),
        "total_mismatch": ident,
    }


def report_clean(rng: np.random.Generator, units: pd.DataFrame, q: np.ndarray) -> np.ndarray:
    """Clean monthly filings: array (86, 12, 27) in REPORT_CODES order."""
    n = len(units)
    m0 = units["n_members"].to_numpy().astype(float)
    b0 = units["n_branches"].to_numpy().astype(float)
    t = np.arange(12)
    season = np.ones(12)
    season[[0, 1]] = 0.85  # Spring Festival
    season[6] = 1.4  # 七一 (party anniversary)
    out = {}
    lam = m0[:, None] * 0.004
    # transfers are Poisson but a department never moves more than 2 lam + 2 members in a month
    t_in = np.minimum(rng.poisson(lam, (n, 12)), np.ceil(2 * lam) + 2).astype(float)
    t_out = np.minimum(rng.poisson(lam, (n, 12)), np.ceil(2 * lam) + 2).astype(float)
    total = m0[:, None] + np.cumsum(t_in - t_out, axis=1)
    prob0 = np.round(m0 * rng.uniform(0.01, 0.05, n))
    prob = np.maximum(0, prob0[:, None] + np.cumsum(rng.choice([-1, 0, 0, 0, 1], (n, 12)), axis=1))
    prob = np.minimum(prob, np.floor(total / 4))
    out["members_total"] = total
    out["members_full"] = total - prob
    out["members_probationary"] = prob
    b = np.repeat(b0[:, None], 12, axis=1)
    out["branches_total"] = b
    std0 = b0 - rng.binomial(b0.astype(int), 0.15)
    improve = (rng.random(n) < 0.3) & (std0 < b0)
    out["branches_standard"] = np.minimum(b, std0[:, None] + (improve[:, None] & (t >= 6)))
    share = np.clip(np.cumsum(rng.uniform(0.05, 0.2, (n, 12)), axis=1), 0, 1)
    out["branch_secretaries_trained"] = np.floor(share * b0[:, None])
    # meetings follow the calendar: every branch committee monthly, assemblies and lectures
    # quarterly (a third of the branches each month), with a few skipped or extra meetings
    out["meetings_branch_assembly"] = np.maximum(0, np.round(b / 3 * season) + rng.integers(-1, 2, (n, 12)))
    out["meetings_branch_committee"] = np.round(b * season) - rng.binomial(b.astype(int), 0.05)
    level3 = np.clip(95.0 + 1.5 * q + rng.normal(0, 1.2, n), 85, 99.5)
    out["three_one_rate"] = np.clip(_r1(level3[:, None] + rng.normal(0, 1.2, (n, 12))), 0, 100)
    out["party_lectures"] = np.maximum(0, np.round(b / 3 * season) + rng.integers(-1, 2, (n, 12)))
    theme = np.where(b0[:, None] <= 2, b, b - rng.binomial(b.astype(int), 0.04))
    out["theme_day_branches"] = theme
    out["theme_day_rate"] = _r1(100 * theme / b)
    out["study_sessions"] = 1.0 + (rng.random((n, 12)) < 0.25)
    rate = rng.normal(85, 15, n).clip(40, 150)
    due = np.round(total * rate[:, None])
    paid_share = np.where(rng.random((n, 12)) < 0.8, 1.0, rng.uniform(0.95, 0.999, (n, 12)))
    paid = np.round(due * paid_share)
    out["dues_due"] = due
    out["dues_paid"] = paid
    out["dues_rate"] = _r1(100 * paid / due)
    monthly_recruits = rng.poisson(
        np.maximum(m0, 20)[:, None] / 40 / 12 * np.where(np.isin(t, [5, 11]), 4.0, 0.6)
    )
    out["recruits_ytd"] = np.cumsum(monthly_recruits, axis=1)
    app0 = np.maximum(1, np.round(m0 * rng.uniform(0.03, 0.08, n)))
    apps = np.maximum(1, app0[:, None] + np.cumsum(rng.choice([-1, 0, 0, 1], (n, 12)), axis=1))
    out["applicants"] = apps
    out["activists"] = np.minimum(apps, np.round(apps * rng.uniform(0.4, 0.7, n)[:, None]))
    out["transfers_in"] = t_in
    out["transfers_out"] = t_out
    level_t = np.clip(96.0 + 1.2 * q + rng.normal(0, 1.0, n), 88, 99.5)
    out["member_training_rate"] = np.clip(_r1(level_t[:, None] + rng.normal(0, 1.0, (n, 12))), 0, 100)
    inten = np.exp(rng.normal(np.log(1.5), 0.2, n))
    out["volunteer_hours"] = _r1(total * inten[:, None] * season * np.exp(rng.normal(0, 0.12, (n, 12))))
    vshare = np.clip(rng.normal(0.55, 0.08, n), 0.3, 0.8)
    out["volunteer_members"] = np.round(
        total * np.clip(vshare[:, None] + rng.normal(0, 0.03, (n, 12)), 0.2, 0.9)
    )
    out["criticisms"] = rng.poisson(0.02, (n, 12)).astype(float)
    talk = np.exp(rng.normal(np.log(0.6), 0.2, n))
    out["talks"] = np.maximum(1, np.round(total * talk[:, None] * np.exp(rng.normal(0, 0.12, (n, 12)))))
    fund = np.exp(rng.normal(np.log(30), 0.2, n))
    out["funding_spent"] = np.round(total * fund[:, None] * season * np.exp(rng.normal(0, 0.12, (n, 12))), -1)
    return np.stack([out[c].astype(float) for c in REPORT_CODES], axis=2)


# kind -> [(indicator, number of plants)] ; peer deviations are runs of consecutive months
PLANTS = {
    "out_of_range": [
        ("member_training_rate", 3),
        ("meetings_branch_assembly", 2),
        ("party_lectures", 2),
        ("transfers_in", 2),
        ("transfers_out", 2),
        ("criticisms", 2),
        ("study_sessions", 2),
        ("branches_standard", 4),
        ("branch_secretaries_trained", 3),
        ("activists", 4),
        ("volunteer_members", 4),
    ],
    "total_mismatch": [
        ("members_total", 4),
        ("members_full", 4),
        ("members_probationary", 4),
        ("branches_total", 3),
        ("theme_day_branches", 3),
        ("theme_day_rate", 3),
        ("dues_due", 3),
        ("dues_paid", 3),
        ("dues_rate", 3),
    ],
    "jump": [
        ("applicants", 3),
        ("activists", 2),
        ("meetings_branch_committee", 3),
        ("study_sessions", 2),
        ("volunteer_hours", 3),
        ("funding_spent", 3),
        ("talks", 3),
        ("meetings_branch_assembly", 2),
        ("party_lectures", 2),
        ("recruits_ytd", 2),
        ("branch_secretaries_trained", 2),
        ("transfers_in", 1),
    ],
    "peer_deviation": [("member_training_rate", [4, 3, 4, 3]), ("three_one_rate", [3, 4, 3, 4])],
}


def plant_anomalies(rng: np.random.Generator, cube: np.ndarray, ids: list[str]):
    """Plant the anomalies of PLANTS into a copy of the clean cube; one planted cell per
    (unit, indicator) pair and per (unit, month) row. Returns (cube, records)."""
    x = cube.copy()
    n = x.shape[0]
    col = {c: j for j, c in enumerate(REPORT_CODES)}
    used_pairs, used_rows, records = set(), set(), []

    def med_other(u, j, t):
        return float(np.median(np.delete(x[u, :, j], t)))

    def free(u, j, months):
        return (u, j) not in used_pairs and all((u, t) not in used_rows for t in months)

    def pick(j, ok, months_fn=lambda: [int(rng.integers(12))]):
        for _ in range(5000):
            u = int(rng.integers(n))
            months = months_fn()
            if free(u, j, months) and all(ok(u, t) for t in months):
                used_pairs.add((u, j))
                used_rows.update((u, t) for t in months)
                return u, months
        raise RuntimeError(f"no cell found for {REPORT_CODES[j]}")  # pragma: no cover

    def record(u, t, j, kind):
        records.append((ids[u], MONTHS[t], REPORT_CODES[j], kind, x[u, t, j], cube[u, t, j]))

    for code, k in PLANTS["out_of_range"]:
        j = col[code]
        for _ in range(k):
            if code == "member_training_rate":
                u, (t,) = pick(j, lambda u, t: True)
                x[u, t, j] = round(float(rng.uniform(101, 120)), 1)
            elif code in (
                "branches_standard",
                "activists",
                "volunteer_members",
                "branch_secretaries_trained",
            ):
                bound = col[
                    {"activists": "applicants", "volunteer_members": "members_total"}.get(
                        code, "branches_total"
                    )
                ]
                months = (
                    (lambda: [11])
                    if code == "branch_secretaries_trained"
                    else (lambda: [int(rng.integers(12))])
                )
                u, (t,) = pick(j, lambda u, t: True, months)
                x[u, t, j] = x[u, t, bound] + int(rng.integers(1, 4))
            else:  # a count entered with a minus sign
                u, (t,) = pick(j, lambda u, t: True)
                x[u, t, j] = -float(rng.integers(1, 4))
            record(u, t, j, "out_of_range")
    for code, k in PLANTS["total_mismatch"]:
        j = col[code]
        for _ in range(k):
            ok = (lambda u, t, j=j: x[u, t, j] >= 6) if code == "members_full" else (lambda u, t: True)
            u, (t,) = pick(j, ok)
            v = x[u, t, j]
            x[u, t, j] = {
                "members_total": v + int(rng.integers(2, 8)),
                "members_full": v - int(rng.integers(1, 6)),
                "members_probationary": v + int(rng.integers(1, 5)),
                "branches_total": v + 1,
                "theme_day_branches": v - 1 if v >= 1 else v + 1,
                "theme_day_rate": 100.0 if v < 100 else 95.0,
                "dues_due": np.round(v * 1.08),
                "dues_paid": np.round(v * 0.93),
                "dues_rate": 100.0 if v < 100 else 97.0,
            }[code]
            record(u, t, j, "total_mismatch")
    for code, k in PLANTS["jump"]:
        j = col[code]
        for _ in range(k):
            if code in ("recruits_ytd", "branch_secretaries_trained"):  # a cumulative figure that falls
                u, (t,) = pick(j, lambda u, t, j=j: t >= 1 and x[u, t - 1, j] >= 2)
                x[u, t, j] = 0.0
            elif code == "activists":  # a stock that collapses for one month
                u, (t,) = pick(j, lambda u, t, j=j: med_other(u, j, t) >= 5)
                x[u, t, j] = 0.0
            else:  # a one-month spike, e.g. a unit typed an annual figure or an extra zero
                u, (t,) = pick(j, lambda u, t: True)
                m = med_other(u, j, t)
                v = max(6 * (m + 1), m + 12) * float(rng.uniform(1.0, 1.5)) - 1
                x[u, t, j] = (
                    np.round(v, -1)
                    if code == "funding_spent"
                    else np.round(v, 1 if code == "volunteer_hours" else 0)
                )
            record(u, t, j, "jump")
    for code, runs in PLANTS["peer_deviation"]:
        j = col[code]
        for length in runs:

            def months_fn(length=length):
                start = int(rng.integers(0, 13 - length))
                return list(range(start, start + length))

            u, months = pick(j, lambda u, t: True, months_fn)
            for t in months:
                x[u, t, j] = round(float(rng.uniform(50, 72)), 1)
                record(u, t, j, "peer_deviation")
    _verify_plants(x, records, ids)
    return x, records


def _verify_plants(x: np.ndarray, records, ids) -> None:
    """Each plant is caught by its own check and the checks flag nothing else (else: a bug here)."""
    wide = _report_wide(x, ids)
    flags = report_checks(wide)
    col = {c: j for j, c in enumerate(REPORT_CODES)}
    row = {(u, t): i for i, (u, t) in enumerate(zip(wide["unit"], wide["period"]))}
    planted = np.zeros((len(wide), len(REPORT_CODES)), dtype=bool)
    for unit, period, code, kind, _, _ in records:
        i, j = row[(unit, period)], col[code]
        planted[i, j] = True
        if kind == "total_mismatch":
            k = [name for name, (cells, _) in IDENTITIES.items() if code in cells]
            caught = any(flags["total_mismatch"][i, list(IDENTITIES).index(name)] for name in k)
        else:
            caught = flags[kind][i, j]
        if not caught:
            raise RuntimeError(f"planted {kind} at {unit} {period} {code} is not caught")
    for kind in ("out_of_range", "jump", "peer_deviation"):
        extra = flags[kind] & ~planted
        if extra.any():
            i, j = np.argwhere(extra)[0]
            raise RuntimeError(
                f"{kind} check flags an unplanted cell: {wide.iloc[i, :2].tolist()} {REPORT_CODES[j]}"
            )
    for k, (cells, _) in enumerate(IDENTITIES.values()):
        rows = np.flatnonzero(flags["total_mismatch"][:, k])
        involved = planted[:, [col[c] for c in cells]].any(axis=1)
        if not involved[rows].all():
            raise RuntimeError(f"identity {cells} fails in a row without a plant")


def _report_wide(x: np.ndarray, ids: list[str]) -> pd.DataFrame:
    n = x.shape[0]
    frame = pd.DataFrame(x.reshape(n * 12, -1), columns=REPORT_CODES)
    frame.insert(0, "period", MONTHS * n)
    frame.insert(0, "unit", np.repeat(ids, 12))
    return frame


# ----------------------------------------------------------------------------- county outputs
FULLWIDTH = str.maketrans("0123456789.", "０１２３４５６７８９．")
HOLISTIC_WEIGHTS = {  # true weights of the assessment team's overall judgement (standardised indicators)
    "org_three_one": 0.25,
    "cen_task_completion": 0.25,
    "sty_mass_rating": 0.20,
    "ide_group_study": 0.15,
    "ldr_funding": 0.10,
    "ide_member_training": 0.05,
}
HOLISTIC_NOISE_SD = 0.35
HOLISTIC_COUNTS = {"优秀": 17, "良好": 34, "一般": 26, "较差": 9}


def _intlike(values) -> pd.Series:
    """Floats that are whole numbers as a nullable integer column (written without '.0')."""
    s = pd.Series(values, dtype="float64")
    return s.round().astype("Int64") if np.allclose(s.dropna(), s.dropna().round()) else s


def county_organs_table(
    rng: np.random.Generator, units: pd.DataFrame, ind: pd.DataFrame, econ
) -> pd.DataFrame:
    """county_organs.csv with the planted messiness (tokens for missing values, full-width digits,
    blank bonus/deduction counts, 是/否 veto flags)."""
    n = len(units)
    frame = units.copy()
    for c in ind.columns:
        frame[c] = _intlike(ind[c]) if pd.api.types.is_numeric_dtype(ind[c]) else ind[c]
    frame = frame.astype({c: object for c in ("org_recruit", "cen_law_enforcement")})
    na = frame["org_recruit"].isna().to_numpy()
    frame.loc[na, "org_recruit"] = rng.choice(["不涉及", "无", "—"], na.sum(), p=[0.6, 0.25, 0.15])
    frame.loc[frame["cen_law_enforcement"].isna(), "cen_law_enforcement"] = "不涉及"
    # two full-width numbers, as typed with a Chinese input method
    for code in ("ide_member_training", "org_three_one"):
        frame[code] = frame[code].astype(object)
        i = int(rng.integers(n))
        frame.loc[i, code] = str(frame.loc[i, code]).translate(FULLWIDTH)
    for code in [c for c in ind.columns if c.startswith(("bonus_", "ded_"))]:
        frame[code] = frame[code].astype("Int64").mask(frame[code] == 0)
    veto = np.zeros((n, 2), dtype=bool)
    picks = rng.choice(n, 2, replace=False)
    veto[picks[0], 0] = veto[picks[1], 1] = True
    frame["veto_discipline"] = np.where(veto[:, 0], "是", "否")
    frame["veto_ideology"] = np.where(veto[:, 1], "是", "否")
    frame["econ_score"] = econ
    return frame


def county_readme_sheet() -> pd.DataFrame:
    """The 说明 sheet of county_organs.xlsx: one row per column, names from the rubric file."""
    import yaml

    rubric = yaml.safe_load((OUT.parent.parent / "indicators" / "cq_organs.yaml").read_text(encoding="utf-8"))
    rows = [
        ("unit", "单位代码", "", "D001-D086"),
        ("name", "单位名称", "", ""),
        (
            "category",
            "机关类别（分类指导）",
            "",
            "党政综合部门/经济管理部门/执法监管部门/社会事业部门/群团及其他",
        ),
        ("org_type", "单位最高一级党组织", "", "党委/机关党委/党总支/党支部"),
        ("n_party_committees", "党委数", "个", ""),
        ("n_organ_committees", "机关党委数", "个", ""),
        ("n_general_branches", "党总支数", "个", ""),
        ("n_branches", "党支部数", "个", ""),
        ("n_members", "党员数", "名", ""),
    ]
    for block in rubric["blocks"]:
        for it in block["indicators"]:
            note = "不涉及的单位填“不涉及”“无”或“—”" if it.get("missing") == "exempt" else ""
            rows.append((it["code"], f"{block['name']}：{it['name']}", str(it.get("unit", "")), note))
    for key in ("bonus", "deductions"):
        for it in rubric[key]["items"]:
            rows.append((it["code"], it["name"], "次", "空白表示 0 次"))
    for it in rubric["veto"]:
        rows.append((it["code"], f"一票否决：{it['name']}", "", "是/否"))
    rows.append(("econ_score", "经济社会发展得分（综合目标考核）", "分", "0-100"))
    return pd.DataFrame(rows, columns=["列名", "含义", "单位", "说明"])


def holistic_grades(rng: np.random.Generator, units: pd.DataFrame, ind: pd.DataFrame) -> pd.DataFrame:
    """The assessment team's overall grade: h = sum_k w_k z_k + e, e ~ N(0, 0.35^2), z_k the
    indicator standardised over the 86 departments (mean 0, SD 1, ddof=1; 民主测评 coded 优秀 4 ...
    较差 1); the best 17 by h are 优秀, the next 34 良好, the next 26 一般, the last 9 较差."""
    z = []
    for code, w in HOLISTIC_WEIGHTS.items():
        v = ind[code]
        if code == "sty_mass_rating":
            v = v.map({g: 4.0 - i for i, g in enumerate(GRADES4)})
        v = v.astype(float)
        z.append(w * (v - v.mean()) / v.std(ddof=1))
    h = np.sum(z, axis=0) + rng.normal(0.0, HOLISTIC_NOISE_SD, len(units))
    order = np.argsort(-h, kind="stable")
    grade = np.empty(len(units), dtype=object)
    grade[order] = np.repeat(list(HOLISTIC_COUNTS), list(HOLISTIC_COUNTS.values()))
    frame = units[["unit", "name", "category"]].copy()
    frame["grade"] = grade
    return frame


# AHP panel: true weights of the panel (documented in README) and the compared elements
PANEL_GROUPS = {
    "blocks": {"leadership": 0.22, "ideology": 0.18, "organisation": 0.28, "style": 0.14, "central": 0.18},
    "leadership": {
        "ldr_meetings": 0.25,
        "ldr_secretary_report": 0.30,
        "ldr_responsibility": 0.20,
        "ldr_funding": 0.15,
        "ldr_attend": 0.10,
    },
    "style": {
        "sty_clean_duty": 0.30,
        "sty_discipline_rate": 0.25,
        "sty_mass_rating": 0.30,
        "sty_complaints": 0.15,
    },
}
PANEL_INCONSISTENT = ("E04", "E09", "E11")
RI_SAATY = {3: 0.58, 4: 0.90, 5: 1.12}


def _cr(matrix: np.ndarray) -> float:
    n = len(matrix)
    lam = float(np.max(np.linalg.eigvals(matrix).real))
    return (lam - n) / (n - 1) / RI_SAATY[n]


def expert_panel(rng: np.random.Generator) -> tuple[pd.DataFrame, pd.DataFrame]:
    """12 experts' signed pairwise judgments (-9..9) and their consistency ratios.

    Expert weights = panel weights x lognormal(0, 0.2) (renormalised); judgment ratio =
    w_i / w_j x lognormal(0, s), s = 0.12 (consistent experts) or 0.7 (E04, E09, E11), rounded to
    Saaty's 1-9 scale; the inconsistent experts also have their strongest top-block judgment
    reversed. Five judgments are left blank.
    """
    experts = [f"E{i:02d}" for i in range(1, 13)]
    roles = ["机关党务干部", "组织部门干部", "高校学者", "基层党组织书记"] * 3
    rows, crs = [], []
    for e in experts:
        bad = e in PANEL_INCONSISTENT
        row = {"expert": e, "role": roles[experts.index(e)]}
        cr_row = {"expert": e}
        for group, weights in PANEL_GROUPS.items():
            codes = list(weights)
            w = np.array(list(weights.values())) * np.exp(rng.normal(0, 0.2, len(codes)))
            w /= w.sum()
            k = len(codes)
            a = np.ones((k, k))
            for i in range(k):
                for j in range(i + 1, k):
                    r = w[i] / w[j] * np.exp(rng.normal(0, 0.7 if bad else 0.12))
                    s = int(np.clip(np.round(max(r, 1 / r)), 1, 9))
                    a[i, j] = s if r >= 1 else 1 / s
                    a[j, i] = 1 / a[i, j]
            if bad and group == "blocks":
                i, j = np.unravel_index(np.argmax(np.triu(np.abs(np.log(a)), 1)), a.shape)
                a[i, j], a[j, i] = a[j, i], a[i, j]
            cr_row[group] = round(_cr(a), 4)
            for i in range(k):
                for j in range(i + 1, k):
                    v = a[i, j]
                    row[f"{codes[i]}_vs_{codes[j]}"] = int(round(v)) if v >= 1 else -int(round(1 / v))
        rows.append(row)
        crs.append(cr_row)
    frame = pd.DataFrame(rows)
    pair_cols = [c for c in frame.columns if "_vs_" in c]
    frame[pair_cols] = frame[pair_cols].replace(-1, 1).astype("Int64")
    good = [i for i, e in enumerate(experts) if e not in PANEL_INCONSISTENT]
    for cell in rng.choice(len(good) * len(pair_cols), 5, replace=False):
        frame.loc[good[cell // len(pair_cols)], pair_cols[cell % len(pair_cols)]] = pd.NA
    return frame, pd.DataFrame(crs)


def expert_readme_sheet() -> pd.DataFrame:
    lines = [
        "每行一位专家（expert），每列一对比较元素，列名为“元素甲_vs_元素乙”。",
        "数值为带符号的 Saaty 1-9 标度：正数 v 表示元素甲比元素乙重要 v 倍（矩阵元素 a_甲乙 = v）；",
        "负数 -v 表示元素乙比元素甲重要 v 倍（a_甲乙 = 1/v）；1 表示同等重要（-1 也按同等重要读）；不使用 0。",
        "空白表示该专家没有给出这一判断（缺失判断）。",
        "比较的三组元素：五个一级板块 leadership 领导重视、ideology 思想建设、organisation 组织建设、",
        "style 作风建设、central 中心工作；领导重视板块的 5 项指标；作风建设板块的 4 项指标（代码见 indicators/cq_organs.yaml）。",
        "E04、E09、E11 的判断有意不一致（一级板块判断矩阵的一致性比率 CR > 0.1，Saaty 随机一致性指标）。",
    ]
    return pd.DataFrame({"说明": lines})


def hangzhou_table(
    rng: np.random.Generator, units: pd.DataFrame, q: np.ndarray, ind: pd.DataFrame, econ, report_quality
) -> pd.DataFrame:
    """hangzhou_units.csv: the 86 departments under the Hangzhou dual-100 rubric. Items that the
    Chongqing rubric measures too are copied from county_organs (same concept, same figure)."""

    def z(rho=0.35):
        return _latent(rng, q, rho)

    d = units[["unit", "name", "category"]].copy()
    d["hz_clean_duty"] = np.minimum(rng.poisson(0.4 * np.exp(-0.6 * z())), 10)
    d["hz_clean_cases"] = ind["sty_discipline_rate"].to_numpy()
    d["hz_inspection_rectify"] = np.clip(np.round(97 + 3 * z()), 70, 100).astype(int)
    d["hz_clean_talks"] = np.clip(_r1(97.5 + 2.5 * z()), 70, 100)
    d["hz_eight_rules"] = rng.poisson(0.1 * np.exp(-0.5 * z()))
    d["hz_branch_standard"] = ind["org_standard_branch"].to_numpy()
    d["hz_three_one"] = ind["org_three_one"].to_numpy()
    d["hz_report_quality"] = report_quality
    d["hz_cadre_review"] = _cut(z(), [-0.3, -1.5, -2.4], ["好", "较好", "一般", "差"])
    d["hz_member_mgmt"] = np.minimum(rng.poisson(0.5 * np.exp(-0.6 * z())), 10)
    d["hz_secretary_training"] = np.clip(np.round(95 + 5 * z()), 50, 100).astype(int)
    d["hz_ideology_duty"] = ind["ide_ideology_duty"].to_numpy().astype(int)
    d["hz_theory_study"] = ind["ide_group_study"].to_numpy().astype(int)
    d["hz_publicity"] = rng.poisson(20 * np.exp(0.3 * z()))
    d["hz_opinion_response"] = np.clip(_r1(97 + 2.5 * z()), 70, 100)
    d["hz_other_tasks"] = np.clip(np.round(97 + 3 * z()), 60, 100).astype(int)
    d["hz_sat_members"] = np.clip(_r1(95 + 2.5 * z()), 50, 100)
    d["hz_sat_public"] = np.clip(_r1(93 + 3.5 * z()), 40, 100)
    d["econ_score"] = econ
    return d


# ----------------------------------------------------------------------------- other schemes
TOWNS_SHUANGSHU = [
    "城东街道",
    "城西街道",
    "城南街道",
    "城北街道",
    "江南街道",
    "江北街道",
    "新田街道",
    "白岩街道",
    "龙潭街道",
    "桂花街道",
    "太平街道",
    "石桥街道",
] + [
    "青龙镇",
    "白马镇",
    "石门镇",
    "高峰镇",
    "长岭镇",
    "新场镇",
    "双河镇",
    "金竹镇",
    "柳树镇",
    "凉水镇",
    "花园镇",
    "马鞍镇",
    "龙泉镇",
    "天星镇",
    "清水镇",
    "大石镇",
    "红光镇",
    "永安镇",
    "合兴镇",
    "五里镇",
    "桥头镇",
    "罗家镇",
    "杨柳乡",
    "梨花乡",
    "九龙乡",
    "枫木乡",
    "茶园乡",
    "黄泥乡",
]
GOOD4 = ["好", "较好", "一般", "差"]


def shuangshu_table(rng: np.random.Generator) -> pd.DataFrame:
    """county_shuangshu.csv: 12 街道党工委 and 28 乡镇党委 under indicators/city_shuangshu.yaml."""
    n = len(TOWNS_SHUANGSHU)
    q = rng.normal(0, 1, n)

    def z(rho=0.5):
        return _latent(rng, q, rho)

    d = pd.DataFrame({"unit": [f"T{i + 1:02d}" for i in range(n)], "name": TOWNS_SHUANGSHU})
    d["category"] = np.where(d["name"].str.endswith("街道"), "街道", "乡镇")
    for code in (
        "rep_decisions",
        "rep_responsibility",
        "rep_innovation",
        "rep_teams",
        "rep_support",
        "rep_supervision",
    ):
        d[code] = _cut(z(), [-0.3, -1.4, -2.3], GOOD4)
    d["rt_inspection"] = np.clip(_r1(91 + 4 * z()), 60, 100)
    d["rt_calendar"] = np.clip(np.round(96 + 3 * z()), 70, 100).astype(int)
    d["rt_information"] = rng.poisson(10 * np.exp(0.3 * z()))
    d["rt_rectification"] = np.clip(_r1(95 + 4 * z()), 60, 100)
    d["dem_self"] = _cut(z() + 0.8, [-0.3, -1.4, -2.3], GOOD4)  # self-ratings run high
    d["dem_peers"] = np.clip(_r1(88 + 5 * z()), 40, 100)
    d["dem_masses"] = np.clip(_r1(90 + 5 * z()), 40, 100)
    d["dem_organisation"] = _cut(z(), [-0.3, -1.4, -2.3], GOOD4)
    weak = rng.integers(0, 4, n)  # weak organisations found this year; 0 -> 不涉及
    fixed = np.minimum(weak, np.round(weak * np.clip(0.85 + 0.2 * z(), 0, 1)))
    d["perf_weak_orgs"] = np.where(
        weak == 0, "不涉及", (np.round(100 * fixed / np.maximum(weak, 1))).astype(int).astype(str)
    )
    d["perf_recruit"] = np.clip(np.round(100 + 10 * z()), 50, 130).astype(int)
    d["perf_young_recruits"] = np.clip(_r1(50 + 10 * z()), 10, 90)
    inc = np.clip(_r1(75 + 12 * z()), 20, 100)
    d["perf_collective_income"] = np.where(d["category"] == "街道", "不涉及", inc.astype(str))
    d["perf_venues"] = np.clip(_r1(90 + 6 * z()), 50, 100)
    d["perf_training"] = np.clip(_r1(95 + 3 * z()), 60, 100)
    d["talk_committee"] = _cut(z(), [-0.3, -1.4, -2.3], GOOD4)
    d["talk_secretary"] = _cut(z(), [-0.3, -1.4, -2.3], GOOD4)
    d["ss_bonus_promoted"] = rng.poisson(0.2 * np.exp(0.5 * q))
    d["ss_ded_neglect"] = rng.poisson(0.05 * np.exp(-0.8 * q))
    flags = rng.choice(n, 2, replace=False)
    d["ss_veto_false_data"] = np.where(np.arange(n) == flags[0], "有", "无")
    d["ss_veto_mass_incident"] = np.where(np.arange(n) == flags[1], "有", "无")
    return d


ENTERPRISES = [
    "城市建设投资有限公司",
    "轨道交通运营有限公司",
    "自来水有限公司",
    "污水处理有限公司",
    "燃气有限公司",
    "公共交通有限公司",
    "出租汽车有限公司",
    "文化旅游投资有限公司",
    "酒店管理有限公司",
    "物业服务有限公司",
    "港务有限公司",
    "现代物流有限公司",
    "商贸有限公司",
    "粮油储备有限公司",
    "农业发展有限公司",
    "林业开发有限公司",
    "水利投资有限公司",
    "能源发展有限公司",
    "热力有限公司",
    "环境卫生服务有限公司",
    "园林绿化有限公司",
    "房地产开发有限公司",
    "保障性住房建设有限公司",
    "资产经营管理有限公司",
    "融资担保有限公司",
    "小额贷款有限公司",
    "产业投资基金管理有限公司",
    "国有资本运营有限公司",
    "新材料科技有限公司",
    "机械制造有限公司",
    "化工有限公司",
    "医药有限公司",
    "建材有限公司",
    "勘察设计研究院有限公司",
    "检验检测认证有限公司",
    "信息技术有限公司",
    "大数据运营有限公司",
    "会展服务有限公司",
    "广告传媒有限公司",
    "人力资源服务有限公司",
]


def enterprises_table(rng: np.random.Generator) -> pd.DataFrame:
    """enterprises.csv: 40 subsidiaries of a municipal SOE group (enterprise.yaml and
    enterprise_multiplier.yaml). q_pb (party building) and q_biz (business) correlate 0.4."""
    n = len(ENTERPRISES)
    qp = rng.normal(0, 1, n)
    qb = 0.4 * qp + np.sqrt(1 - 0.16) * rng.normal(0, 1, n)

    def zp(rho=0.5):
        return _latent(rng, qp, rho)

    def zb(rho=0.7):
        return _latent(rng, qb, rho)

    d = pd.DataFrame({"unit": [f"E{i + 1:02d}" for i in range(n)], "name": ENTERPRISES})
    d["category"] = rng.choice(["商业一类", "商业二类", "公益类"], n, p=[0.45, 0.3, 0.25])
    d["n_members"] = np.round(np.exp(rng.normal(np.log(90), 0.7, n))).astype(int) + 5
    d["ent_revenue"] = np.clip(_r1(100 + 8 * zb()), 60, 130)
    d["ent_profit"] = np.clip(_r1(100 + 15 * zb()), -50, 160)
    d["ent_asset_growth"] = _r1(103 + 2.5 * zb())
    d["ent_safety_incidents"] = rng.poisson(0.3, n)
    d["ent_member_projects"] = rng.poisson(3 * np.exp(0.3 * zp()))
    d["ent_three_one"] = np.clip(_r1(96 + 3 * zp()), 60, 100)
    d["ent_org_life"] = np.minimum(rng.poisson(0.3 * np.exp(-0.6 * zp())), 6)
    d["ent_duty_list"] = np.minimum(rng.poisson(0.6 * np.exp(-0.6 * zp())), 10)
    d["ent_training_hours"] = np.clip(_r1(34 + 5 * zp()), 10, 60)
    d["ent_recruit"] = np.clip(np.round(100 + 12 * zp()), 0, 150).astype(int)
    d["ent_dues"] = np.clip(_r1(100.5 + 1.0 * zp()), 90, 100)
    d["ent_democratic_rating"] = np.clip(_r1(92 + 4 * zp()), 50, 100)
    d["ent_superior_rating"] = _cut(zp(), [0.3, -0.9, -2.0], ["A", "B", "C", "D"])
    d["ent_honour_national"] = rng.poisson(0.05 * np.exp(0.5 * qp))
    d["ent_honour_provincial"] = rng.poisson(0.25 * np.exp(0.5 * qp))
    d["ent_honour_group"] = rng.poisson(0.7 * np.exp(0.4 * qp))
    d["ent_criticised_group"] = rng.poisson(0.1 * np.exp(-0.6 * qp))
    d["ent_criticised_superior"] = rng.poisson(0.04 * np.exp(-0.6 * qp))
    flags = rng.choice(n, 2, replace=False)
    d["ent_veto_safety"] = (np.arange(n) == flags[0]).astype(int)
    d["ent_veto_stability"] = (np.arange(n) == flags[1]).astype(int)
    d["business_score"] = np.clip(_r1(86 + 6 * zb()), 55, 100)
    return d


LONGXI_TOWNS = [
    "东风镇",
    "红星镇",
    "新民镇",
    "和平镇",
    "团结镇",
    "胜利乡",
    "前进乡",
    "光明镇",
    "丰收镇",
    "兴隆镇",
]
VILLAGES = [
    "李家",
    "王家",
    "张家",
    "石桥",
    "柳湾",
    "杨庄",
    "马场",
    "新庄",
    "上沟",
    "下沟",
    "河湾",
    "山坪",
    "岔口",
    "红岩",
    "油坊",
    "大坪",
    "杏树",
    "榆林",
    "窑坡",
    "沙滩",
]


def longxi_branches_table(rng: np.random.Generator) -> pd.DataFrame:
    """longxi_branches.csv: 120 branches (10 towns x 12: about 10 村 and 2 社区 each)."""
    rows = []
    for town in LONGXI_TOWNS:
        names = rng.choice(VILLAGES, 12, replace=False)
        n_comm = int(rng.integers(1, 4))
        for k, v in enumerate(names):
            kind = "社区党支部" if k < n_comm else "村党支部"
            rows.append((town, f"{town}{v}{'社区' if k < n_comm else '村'}党支部", kind))
    d = pd.DataFrame(rows, columns=["town", "name", "branch_type"])
    n = len(d)
    d.insert(0, "unit", [f"B{i + 1:03d}" for i in range(n)])
    q = rng.normal(0, 1, n)

    def z(rho=0.55):
        return _latent(rng, q, rho)

    village = (d["branch_type"] == "村党支部").to_numpy()
    d["n_members"] = np.round(np.exp(rng.normal(np.log(38), 0.4, n))).astype(int)
    d["n_mobile_members"] = np.where(rng.random(n) < 0.2, 0, rng.poisson(4, n))
    d["lx_secretary_review"] = _cut(z(), [-0.2, -1.2, -2.1], GOOD4)
    d["lx_committee"] = np.minimum(rng.poisson(0.4 * np.exp(-0.6 * z())), 5)
    d["lx_reserve_cadres"] = rng.poisson(2.2 * np.exp(0.3 * z()))
    d["lx_training"] = np.clip(_r1(40 + 8 * z()), 10, 80)
    d["lx_new_members"] = rng.poisson(3 * np.exp(0.3 * z()))
    d["lx_young_share"] = np.clip(_r1(14 + 6 * z()), 0, 50)
    mob = np.clip(_r1(88 + 8 * z()), 40, 100)
    d["lx_mobile_contact"] = np.where(d["n_mobile_members"] == 0, "不涉及", mob.astype(str))
    d["lx_qualified"] = np.clip(_r1(97 + 2 * z()), 80, 100)
    d["lx_three_one"] = np.clip(_r1(92 + 6 * z()), 50, 100)
    d["lx_theme_day"] = np.clip(np.round(11 + 1.3 * z()), 4, 12).astype(int)
    d["lx_life_meeting"] = np.minimum(rng.poisson(0.3 * np.exp(-0.6 * z())), 4)
    exit_ = np.clip(np.round(95 + 8 * z()), 40, 100).astype(int)
    d["lx_poverty_exit"] = np.where(village, exit_.astype(str), "不涉及")
    income = _r1(np.exp(rng.normal(np.log(5), 0.8, n) + 0.3 * z()))
    d["lx_collective_income"] = np.where(village, income.astype(str), "不涉及")
    d["lx_agency_service"] = rng.poisson(55 * np.exp(0.25 * z()))
    sat = np.clip(_r1(85 + 10 * z(0.7)), 30, 100)
    # two of the ten weakest branches fall below 50% satisfaction (the "no star" veto)
    sat[rng.choice(np.argsort(q)[:10], 2, replace=False)] = _r1(rng.uniform(40, 49.9, 2))
    d["lx_satisfaction"] = sat
    d["lx_venue"] = np.minimum(rng.poisson(0.4 * np.exp(-0.6 * z())), 5)
    d["lx_funds"] = np.clip(np.round(92 + 10 * z()), 40, 100).astype(int)
    d["lx_records"] = np.minimum(rng.poisson(np.exp(-0.5 * z())), 10)
    d["lx_bonus_honour"] = rng.poisson(0.15 * np.exp(0.6 * q))
    d["lx_bonus_model"] = rng.poisson(0.2 * np.exp(0.4 * q))
    d["lx_ded_criticised"] = rng.poisson(0.08 * np.exp(-0.6 * q))
    # the veto flag is derived from the satisfaction figure (the rubric language reads flags only)
    d["lx_veto_satisfaction"] = np.where(d["lx_satisfaction"] < 50, "是", "")
    weak = np.argsort(q)[:3]  # the three weakest branches were designated 软弱涣散
    d["lx_veto_weak"] = np.where(np.isin(np.arange(n), weak), "是", "")
    return d


def longxi_cadres_table(rng: np.random.Generator) -> pd.DataFrame:
    """longxi_cadres.csv: 160 cadres (8 towns x (6 乡镇干部 + 14 村干部))."""
    rows = []
    for town in LONGXI_TOWNS[:8]:
        for k in range(20):
            kind = "乡镇干部" if k < 6 else "村干部"
            rows.append((town, f"{town}{kind}{k + 1:02d}", kind))
    d = pd.DataFrame(rows, columns=["town", "name", "cadre_type"])
    n = len(d)
    d.insert(0, "unit", [f"C{i + 1:03d}" for i in range(n)])
    q = rng.normal(0, 1, n)

    def z(rho=0.55):
        return _latent(rng, q, rho)

    village = (d["cadre_type"] == "村干部").to_numpy()
    d["sv_attendance"] = np.clip(_r1(96 + 3 * z()), 70, 100)
    d["sv_tasks"] = np.clip(np.round(96 + 5 * z()), 60, 100).astype(int)
    d["sv_review"] = _cut(z(), [-0.2, -1.2, -2.1], GOOD4)
    d["sv_visits"] = rng.poisson(np.where(village, 110, 80) * np.exp(0.3 * z()))
    d["sv_agency"] = rng.poisson(np.where(village, 42, 30) * np.exp(0.3 * z()))
    d["sv_satisfaction"] = np.clip(_r1(88 + 6 * z()), 40, 100)
    no_task = (~village) & (rng.random(n) < 0.35)  # back-office town cadres without a poverty pairing
    households = np.where(village, rng.integers(2, 6, n), rng.integers(3, 7, n))
    d["sv_help_households"] = np.where(no_task, "不涉及", households.astype(str))
    exit_ = np.clip(np.round(90 + 12 * z()), 20, 100).astype(int)
    d["sv_help_exit"] = np.where(no_task, "不涉及", exit_.astype(str))
    d["sv_violations"] = rng.poisson(0.25 * np.exp(-0.6 * z()))
    d["sv_bonus_honour"] = rng.poisson(0.1 * np.exp(0.5 * q))
    d["sv_ded_complaint"] = rng.poisson(0.15 * np.exp(-0.5 * q))
    d["sv_veto_discipline"] = np.where(np.arange(n) == int(np.argmin(q)), "是", "")
    return d


def longxi_members_table(rng: np.random.Generator) -> pd.DataFrame:
    """longxi_members.csv: 600 members (6 towns x 100, in 40 branches); members aged 70 or more
    are exempt from the three contribution items."""
    n = 600
    town = np.repeat(LONGXI_TOWNS[:6], 100)
    branch = np.array([f"{t}第{(i % 100) // 15 + 1}支部" for i, t in enumerate(town)])
    d = pd.DataFrame(
        {
            "unit": [f"M{i + 1:03d}" for i in range(n)],
            "name": [f"党员{i + 1:03d}" for i in range(n)],
            "town": town,
            "branch": branch,
        }
    )
    d["age"] = np.clip(np.round(rng.normal(55, 14, n)), 22, 92).astype(int)
    old = (d["age"] >= 70).to_numpy()
    q = rng.normal(0, 1, n)

    def z(rho=0.55):
        return _latent(rng, q, rho)

    d["vg_study_hours"] = np.clip(_r1(30 + 8 * z()), 0, 80)
    d["vg_org_life"] = np.clip(np.round(21 + 3.5 * z()), 0, 32).astype(int)
    dues = np.clip(12 - rng.poisson(0.3 * np.exp(-0.8 * z())), 0, 12)
    dues[rng.choice(n, 2, replace=False)] = rng.integers(3, 7, 2)  # two members stopped paying for 6+ months
    d["vg_dues_months"] = dues
    d["vg_violations"] = rng.poisson(0.08 * np.exp(-0.6 * z()))
    d["vg_mass_rating"] = _cut(z(), [0.0, -1.2, -2.2], GRADES4)
    d["vg_family"] = _cut(z(), [-0.4, -1.5, -2.4], GOOD4)
    vol = rng.poisson(22 * np.exp(0.35 * z()))
    d["vg_volunteer_hours"] = np.where(old, "不涉及", vol.astype(str))
    helped = rng.poisson(1.8 * np.exp(0.3 * z()))
    d["vg_help_households"] = np.where(old, "不涉及", helped.astype(str))
    lead = rng.poisson(0.6 * np.exp(0.5 * z()))
    d["vg_lead_projects"] = np.where(old, "不涉及", lead.astype(str))
    d["vg_bonus_deed"] = rng.poisson(0.03 * np.exp(0.5 * q))
    d["vg_veto_redline"] = np.where(np.isin(np.arange(n), rng.choice(n, 2, replace=False)), "是", "")
    # 连续 6 个月不交纳党费: approximated by 6 or fewer months paid in the year
    d["vg_veto_dues"] = np.where(d["vg_dues_months"] <= 6, "是", "")
    return d


# ----------------------------------------------------------------------------- last year
LAST_YEAR = "2024"
PLANTED_CHANGE = 1.5  # improvers' and decliners' change of true quality, in SDs of q
NEW_ITEMS = ("ldr_attend",)  # items the 2025 rubric added: not in last year's form


def county_last_year(
    rng: np.random.Generator, units: pd.DataFrame, q: np.ndarray, econ: np.ndarray
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The same 86 departments one year earlier (2024), for year-over-year comparisons.

    Last year's quality is q_2024 = q - d with d ~ N(0, 0.3) (ordinary year-to-year change), except
    five planted improvers (d = +1.5) and five planted decliners (d = -1.5). Ratings, indicators
    and the table's planted messiness are generated as for 2025 from q_2024; the economic score is
    the current one minus N(1, 2) (one year of growth), clipped to [45, 99]. Last year's form did
    not ask for the items added in 2025 (``ldr_attend``).
    """
    n = len(units)
    d = rng.normal(0.0, 0.3, n)
    picks = rng.choice(n, 10, replace=False)
    d[picks[:5]], d[picks[5:]] = PLANTED_CHANGE, -PLANTED_CHANGE
    q_last = q - d
    ratings = democratic_ratings(rng, units, q_last)
    ind = county_indicators(rng, units, q_last, panel_grade(ratings))
    econ_last = _r1(np.clip(econ - rng.normal(1.0, 2.0, n), 45.0, 99.0))
    table = county_organs_table(rng, units, ind, econ_last).drop(columns=list(NEW_ITEMS))
    planted = np.full(n, "", dtype=object)
    planted[picks[:5]], planted[picks[5:]] = "improver", "decliner"
    truth = pd.DataFrame(
        {
            "unit": units["unit"],
            "true_quality_2024": np.round(q_last, 4),
            "change": np.round(d, 4),
            "planted": planted,
        }  # fmt: skip
    )
    return table, truth


# ----------------------------------------------------------------------------- main
def main(out: Path = OUT) -> list[Path]:
    """Write every generated sample file into ``out``; return their paths."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(SEED)
    (
        g_units,
        g_latent,
        g_rating,
        g_ind,
        g_table,
        g_report,
        g_plant,
        g_holistic,
        g_panel,
        g_hz,
        g_ss,
        g_ent,
        g_lxb,
        g_lxc,
        g_lxm,
        g_last,
    ) = rng.spawn(16)  # a new section takes the next child: the first 15 are as before
    written = []

    def csv(frame, name, encoding="utf-8"):
        _write_csv(frame, out / name, encoding)
        written.append(out / name)

    units = county_units(g_units)
    latent = county_latent(g_latent, units)
    q = latent["q"].to_numpy()
    ratings = democratic_ratings(g_rating, units, q)
    ind = county_indicators(g_ind, units, q, panel_grade(ratings))
    organs = county_organs_table(g_table, units, ind, latent["econ_score"].to_numpy())
    csv(organs, "county_organs.csv")
    csv(organs, "county_organs_gbk.csv", encoding="gbk")
    _write_xlsx({"数据": organs, "说明": county_readme_sheet()}, out / "county_organs.xlsx")
    written.append(out / "county_organs.xlsx")
    truth = pd.DataFrame(
        {"unit": units["unit"], "true_quality": np.round(q, 4), "gdp_first": latent["gdp_first"]}
    )
    csv(truth, "county_truth.csv")
    last, last_truth = county_last_year(g_last, units, q, latent["econ_score"].to_numpy())
    csv(last, f"county_organs_{LAST_YEAR}.csv")
    csv(last_truth, f"county_truth_{LAST_YEAR}.csv")
    csv(ratings, "democratic_evaluation.csv")

    ids = units["unit"].tolist()
    clean = report_clean(g_report, units, q)
    cube, records = plant_anomalies(g_plant, clean, ids)
    wide = _report_wide(cube, ids)
    for c in REPORT_CODES:
        wide[c] = _intlike(wide[c])
    csv(wide, "report_filings.csv")
    meta = pd.DataFrame(
        REPORT_INDICATORS, columns=["code", "name", "unit", "type", "min", "max", "upper_bound"]
    )
    meta["max"] = meta["max"].astype("Int64")
    meta["identity"] = [
        next((desc for cells, desc in IDENTITIES.values() if c in cells), "") for c in REPORT_CODES
    ]
    meta["peer_check"] = np.where(meta["code"].isin(PEER_CHECKED), "是", "否")
    csv(meta, "report_indicators.csv")
    planted = pd.DataFrame(records, columns=["unit", "period", "indicator", "kind", "value", "clean_value"])
    planted = planted.sort_values(["unit", "period", "indicator"], kind="stable").reset_index(drop=True)
    csv(planted, "planted_anomalies.csv")
    bad_months = planted.groupby("unit")["period"].nunique().reindex(ids, fill_value=0).to_numpy()
    report_quality = _r1(100 * (12 - bad_months) / 12)

    csv(holistic_grades(g_holistic, units, ind), "holistic_grades.csv")
    panel, _ = expert_panel(g_panel)
    csv(panel, "expert_panel.csv")
    _write_xlsx({"判断": panel, "说明": expert_readme_sheet()}, out / "expert_panel.xlsx")
    written.append(out / "expert_panel.xlsx")
    csv(
        hangzhou_table(g_hz, units, q, ind, latent["econ_score"].to_numpy(), report_quality),
        "hangzhou_units.csv",
    )
    csv(shuangshu_table(g_ss), "county_shuangshu.csv")
    csv(enterprises_table(g_ent), "enterprises.csv")
    csv(longxi_branches_table(g_lxb), "longxi_branches.csv")
    csv(longxi_cadres_table(g_lxc), "longxi_cadres.csv")
    csv(longxi_members_table(g_lxm), "longxi_members.csv")
    return written


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help="output folder (default: this script's folder)")
    args = parser.parse_args()
    for path in main(args.out):
        print(f"wrote {path} ({path.stat().st_size:,} bytes)")
