# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 09 更轻的方案，更干净的数据 · Lighter rubrics and cleaner report data
#
# 种子材料 000 批评考核方案“考核内容 20 余条至近 100 条”，基层负担重；种子材料 003 记载杭州第一次
# 党建报表就发现 **27 项指标中有 116 个数据**不符合要求或偏离平均水平。本笔记本回答两个问题：
#
# 1. **精简**：重庆机关党建考核方案（`indicators/cq_organs.yaml`，27 项）里，哪些指标可以删除或合并，
#    而排名和等次几乎不变？能省下多少收集台账的工时？
# 2. **核查**：样本县 86 个部门 12 个月的党建报表（`data/samples/report_filings.csv`）里，哪些数据超出范围、
#    合计不符、突增突降或明显偏离同类单位？列出清单，退回各单位核实。
#
# Seed 000 criticises schemes of 20 to ~100 items as a burden on grassroots units; seed 003 reports that
# Hangzhou's first party-building report found 116 figures on 27 indicators that failed requirements or
# deviated from the average. This notebook (1) slims the Chongqing organ rubric while keeping ranks and
# grades close to the full rubric's, and shows the hours saved; (2) checks a year of monthly report
# filings and lists every flagged figure, ready to send back to the unit.

# %% tags=["parameters"]
RUBRIC = "indicators/cq_organs.yaml"
DATA = "data/samples/county_organs.csv"
MIN_SPEARMAN = 0.98  # smallest Spearman correlation with the full rubric's ranking
MAX_GRADE_CHANGES = 3  # most departments whose grade may change
OBJECTIVE = "items"  # "items": drop as many items as possible; "burden": save as many hours as possible
FILINGS = "data/samples/report_filings.csv"
INDICATORS = "data/samples/report_indicators.csv"
PLANTED = "data/samples/planted_anomalies.csv"
PEER_THRESHOLD = 5.0  # robust z among peers; the README's documented checks use 5, the default is 3.5
EXPORT_DIR = None  # where to write the flag list (None: a temporary folder)

# %%
import tempfile
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

import workbench as wb
from workbench.anomalies import check_report, checks_from_table
from workbench.examples import use_repository_root
from workbench.report.fonts import setup_fonts
from workbench.slimming import slim

HERE = use_repository_root()  # notebooks run from the repository root, in JupyterLab, Voila and CI alike
setup_fonts()
OUT = Path(EXPORT_DIR) if EXPORT_DIR else Path(tempfile.mkdtemp(prefix="wb09_"))

# %% [markdown]
# ## 1. 精简指标 · Slimming the rubric
#
# 每项指标的收集负担（小时/单位）写在方案文件的 `burden_hours` 里。`slim` 先做三件事：
# **冗余**（同一板块内高度相关的指标；几乎人人满分、没有区分度的指标），**逐项删除的影响**（删掉一项，
# 它的分值按比例分给同一板块的其他指标，看排名的 Spearman 相关、等次变化和平均名次变动），然后**搜索**
# 在“Spearman ≥ 阈值、等次变化 ≤ 上限”的约束下能删掉的最多指标（候选不超过 20 项时穷举求精确解，
# 否则逐项贪心）。重新计分不重跑评分规则：固定的得分率矩阵乘以重新归一的满分，一次算完成千上万个方案。
#
# Burden hours come from the rubric file. `slim` screens redundancy (highly correlated siblings,
# items nearly everyone aces), measures the impact of removing each item (its points go to its
# siblings), and searches for the largest set of items that keeps Spearman with the full ranking and
# the number of grade changes within bounds (exact over at most 20 candidates, greedy otherwise).

# %%
rubric = wb.load_rubric(HERE / RUBRIC)
data = wb.read_table(HERE / DATA, rubric=rubric)
card = wb.score(rubric, data)
res = slim(rubric, card, min_spearman=MIN_SPEARMAN, max_grade_changes=MAX_GRADE_CHANGES, objective=OBJECTIVE)
res

# %% [markdown]
# 每项指标的区分度、最相关的同板块指标，以及单独删除它的影响（按 Spearman 从高到低）：
#
# Every item: discrimination, its most correlated sibling, and the effect of removing it alone.

# %%
res.impact.sort_values("spearman", ascending=False).round(3)

# %% [markdown]
# ### 省下什么 · What is saved
#
# 下表是建议删除的指标（按删除顺序），`cum_*` 列是累计删除后的效果。

# %%
res.removals[["name", "block_name", "hours_saved_per_unit", "hours_saved_all_units", "cum_spearman",
              "cum_grade_changes", "reason_zh", "reason"]].round(4)  # fmt: skip

# %%
saved = pd.Series(
    {
        "指标数 items (full → slim)": f"{len(rubric.indicators)} → {len(rubric.indicators) - len(res.removed)}",
        "每单位工时 hours per unit (full → slim)": f"{res.hours_full_per_unit:g} → "
        f"{res.hours_full_per_unit - res.hours_saved_per_unit:g}",
        "全县节省工时 hours saved, all units": f"{res.hours_saved_all_units:g}",
        "Spearman": round(res.spearman, 4),
        "等次变化 grade changes": res.grade_changes,
    }
)
saved.to_frame("value")

# %%
fig, axes = plt.subplots(1, 2, figsize=(12, 4.5))
path = res.path
axes[0].plot(path["hours_saved_per_unit"], path["cum_spearman"], marker="o")
axes[0].axhline(MIN_SPEARMAN, color="grey", ls=":")
axes[0].set_xlabel("每单位节省工时 hours saved per unit")
axes[0].set_ylabel("与完整方案排名的 Spearman")
axes[0].set_title("逐项删除：节省工时与排名保持 / hours saved vs ranking kept")
comp = res.comparison
axes[1].scatter(comp["rank_full"], comp["rank_slim"], c=np.where(comp["grade_changed"], "C3", "C0"), s=18)
axes[1].plot([1, len(comp)], [1, len(comp)], color="grey", lw=0.8)
axes[1].set_xlabel("完整方案名次 rank, full rubric")
axes[1].set_ylabel("精简方案名次 rank, slim rubric")
axes[1].set_title("名次对比（红点：等次变化）/ ranks (red: grade changed)")
fig.tight_layout()

# %% [markdown]
# ### 变了什么 · What changes
#
# 等次发生变化的部门，以及名次变动最大的部门：

# %%
comp.loc[
    comp["grade_changed"], ["final_full", "final_slim", "rank_full", "rank_slim", "grade_full", "grade_slim"]
]

# %%
comp.reindex(comp["rank_shift"].abs().sort_values(ascending=False).index).head(8).round(2)

# %% [markdown]
# ### 合并建议与精确搜索 · Merges and the exact search
#
# 高度相关的同板块指标可以合并：保留负担较小的一项，把另一项的分值并入。样本数据中各指标只通过“党建质量”
# 弱相关（见 `data/samples/README.md`），所以这里没有达到阈值的合并对——这本身也是一个结论。
#
# 候选指标较少时可以穷举：下面只在“单独删除后仍满足约束”的指标里挑 Spearman 最高的 16 项做精确搜索，
# 与贪心结果比较。
#
# Highly correlated siblings could be merged (keep the lighter item); the sample's items correlate only
# weakly, so no pair reaches the threshold. With few candidates the search is exact: here over the 16
# least harmful items, against the greedy answer.

# %%
res.merges

# %%
top16 = list(res.impact.sort_values("spearman", ascending=False).index[:16])
exact = slim(rubric, card, min_spearman=MIN_SPEARMAN, max_grade_changes=MAX_GRADE_CHANGES, candidates=top16,
             method="exact")  # fmt: skip
greedy = slim(rubric, card, min_spearman=MIN_SPEARMAN, max_grade_changes=MAX_GRADE_CHANGES, candidates=top16,
              method="greedy")  # fmt: skip
pd.DataFrame(
    {
        r.method: {
            "removed": len(r.removed),
            "hours saved / unit": r.hours_saved_per_unit,
            "Spearman": round(r.spearman, 4),
            "grade changes": r.grade_changes,
            "candidate sets scored": r.evaluations,
        }  # fmt: skip
        for r in (greedy, exact)
    }
)

# %% [markdown]
# ### 写出精简后的方案 · Writing the slim rubric
#
# `slimmed_rubric()` 删除指标、在板块内按比例重新分配分值（板块删空则整块删除）；`save_rubric` 写出
# 的文件可以直接读回、重新计分，与上面的结果一致。
#
# The slim rubric is written as a rubric file, read back and rescored: the figures match.

# %%
slim_rubric = res.slimmed_rubric()
slim_file = wb.save_rubric(slim_rubric, OUT / "cq_organs_slim.yaml")
back = wb.load_rubric(slim_file)
card_back = wb.score(back, data)
check = pd.Series(
    {
        "items": len(back.indicators),
        "Spearman (rescored from the file)": card.rank.corr(card_back.rank, method="spearman"),
        "grade changes (rescored)": int((card.grade.astype(str) != card_back.grade.astype(str)).sum()),
        "file": slim_file.name,
    }
)
check.to_frame("value")

# %% [markdown]
# ## 2. 报表数据核查 · Checking the report filings
#
# 检查分三类：**规则**（允许范围、部分不超过总数、合计与比率不符、不可能的组合，写在
# `report_indicators.csv` 或一个 YAML/字典里，按规则解析、绝不执行代码），**同类偏离**（同一月份同类单位的
# 稳健 z 分数：中位数和 1.4826 × MAD），**跨期变化**（比本单位其他月份的中位数突增突降 5 倍以上、年内累计数
# 下降）。
#
# Rule checks (ranges, parts above their whole, sums and ratios that do not add up, impossible
# combinations; declared as data, parsed, never evaluated), peer deviation (robust z among peers in the
# same month) and changes across periods (spikes and collapses against the unit's own median, falls of
# year-to-date figures).

# %%
filings = pd.read_csv(HERE / FILINGS, dtype={"unit": str})
checks = checks_from_table(pd.read_csv(HERE / INDICATORS))
names = data["name"]
report = check_report(filings, checks, names=names, peer_threshold=PEER_THRESHOLD)
report

# %%
report.counts()

# %% [markdown]
# 问题清单（前 20 条），每条有单位、报告期、指标、填报值、合理范围和中英文说明，可以直接退回单位：
#
# The flag list (first 20 rows), ready to send back:

# %%
report.table("both").head(20)

# %%
fig, ax = plt.subplots(figsize=(10, 6))
by_ind = pd.crosstab(report.flags["indicator_name"], report.flags["check"])
by_ind.loc[by_ind.sum(axis=1).sort_values().index].plot.barh(stacked=True, ax=ax, width=0.8)
ax.set_xlabel("被标记的数据 flagged figures")
ax.set_ylabel("")
ax.set_title("各指标被标记的数据（按检查类型）/ flags per indicator and check")
fig.tight_layout()

# %% [markdown]
# ### 找到了多少埋设的问题 · How many planted anomalies were found
#
# 样本里埋设了 116 个问题数据（`planted_anomalies.csv`，与杭州首次报表的数字相同）。一个合计或比率
# 不符的标记覆盖它涉及的每个单元格。
#
# The sample has 116 planted anomalies; a relation flag covers every cell it involves.

# %%
planted = pd.read_csv(HERE / PLANTED, dtype={"unit": str})
flagged_cells = {
    (u, p, c)
    for u, p, i, rel in zip(report.flags["unit"], report.flags["period"], report.flags["indicator"], report.flags["related"])
    for c in [i, *[x for x in str(rel).split(", ") if x]]
}  # fmt: skip
planted["found"] = [k in flagged_cells for k in zip(planted["unit"], planted["period"], planted["indicator"])]
plant_cells = set(zip(planted["unit"], planted["period"], planted["indicator"]))
false_flags = sum(
    not ({(u, p, c) for c in [i, *str(rel).split(", ")]} & plant_cells)
    for u, p, i, rel in zip(report.flags["unit"], report.flags["period"], report.flags["indicator"], report.flags["related"])
)  # fmt: skip
summary = (
    planted.groupby("kind")["found"]
    .agg(["sum", "count"])
    .rename(columns={"sum": "found", "count": "planted"})
)
summary.loc["合计 total"] = summary.sum()
summary["recall"] = (summary["found"] / summary["planted"]).map("{:.0%}".format)
summary.loc["误报 false flags"] = [false_flags, np.nan, ""]
summary

# %% [markdown]
# 阈值是一个取舍：把同类偏离的阈值降到默认的 3.5，会多出几条处在边缘的标记。
#
# The peer threshold is a trade-off: at the default 3.5 a few borderline figures are flagged too.

# %%
pd.DataFrame(
    {
        thr: {"flags": len(r.flags), "figures": r.n_figures, "peer deviations": int((r.flags["check"] == "peer_deviation").sum())}
        for thr, r in ((t, check_report(filings, checks, peer_threshold=t)) for t in (3.0, 3.5, 5.0, 8.0))
    }
).T  # fmt: skip

# %% [markdown]
# ### 导出 · Export
#
# CSV（UTF-8 带 BOM，Excel/WPS 直接打开）和 Excel（问题清单 + 汇总）都是原子写出的。

# %%
csv_file = report.to_csv(OUT / "报表问题清单.csv")
xlsx_file = report.to_excel(OUT / "报表问题清单.xlsx")
[csv_file.name, xlsx_file.name]

# %%
report.for_unit(report.flags["unit"].iloc[0])[["period", "indicator_name", "value", "expected", "reason_zh"]]

# %% [markdown]
# ## 小结 / What we learned
#
# - **精简**：在“排名 Spearman ≥ 0.98、最多 3 个部门等次变化”的约束下，27 项指标中约三分之一可以删除，
#   每个部门少收集约三分之一的台账工时（样本中 83 → 54 小时）；删除的多是分值小、与总分关系弱的指标。
#   精简后的方案写成文件、读回重新计分，结果与分析一致。名次仍会移动（个别部门十几名），所以约束要由
#   使用者按用途来定。
# - 样本指标之间只弱相关，没有可合并的“重复指标”；真实方案中若有高度相关的指标，`merges` 会给出合并建议。
# - 精确搜索（候选 ≤ 20 项）有时比贪心多删一项；候选多时贪心很快，结果也接近。
# - **核查**：规则检查、同类偏离和跨期变化三类检查找到了全部 116 个埋设的问题数据，按 README 的阈值没有误报；
#   阈值放宽到 3.5 会多出少量边缘标记。逐月“环比”稳健 z 检查默认关闭：样本中的小计数月度波动大，会产生大量误报。
#
# - **Slimming**: with Spearman ≥ 0.98 and at most 3 grade changes, about a third of the 27 items can go,
#   saving about a third of each department's collection hours (83 → 54 in the sample); the slim rubric
#   file rescored from disk reproduces the analysis. Individual ranks still move (some by a dozen
#   places), so the constraints are a policy choice.
# - The sample's items correlate weakly, so no merge is proposed; the exact search (≤ 20 candidates)
#   can beat the greedy one by an item.
# - **Checking**: rule, peer and change checks find all 116 planted anomalies with no false flag at the
#   README's thresholds; the default 3.5 adds a few borderline flags. The robust z of month-to-month
#   changes is off by default: small monthly counts make it flag ordinary movements.
