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
# # 11 从候选指标到考核方案 · From candidate indicators to a rubric
#
# 研究者设计考核指标体系的常见流程：从文件和文献整理**候选指标** → 两到三轮**德尔菲法**专家咨询筛选指标 →
# **层次分析法**（主观）与**熵权法**（客观）赋权 → **组合赋权** → 评分 → **障碍度**诊断“什么拖了后腿” →
# 用**秩和比法**分档。本笔记本在样本县（86 个部门）上走完这条流程。专家小组是**模拟**的（有固定随机种子），
# 用来演示方法；真实研究请用 `write_questionnaire` 发问卷、`read_questionnaires` 收回。
#
# The pipeline of Chinese rubric-design studies, end to end on the sample county: candidate
# indicators, two Delphi rounds with a simulated (seeded) expert panel, AHP and entropy weights,
# combined weights, scoring, obstacle degrees and rank-sum-ratio tiers.

# %% tags=["parameters"]
RUBRIC = "indicators/cq_organs.yaml"  # the county's current rubric: its 27 items are candidates
DATA = "data/samples/county_organs.csv"
AHP_SHEET = "data/samples/expert_panel.csv"  # pairwise judgments of 12 experts (signed coding)
N_EXPERTS = 18
SEED = 2026
COMBINE = "game"  # multiplicative | linear | min_entropy | game | max_deviation
TIERS = 3
OUT_DIR = None  # where questionnaires and rubrics are written (None: a temporary folder)

# %%
import tempfile
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

import workbench as wb
from workbench import calibration, delphi, weighting
from workbench.analysis import scorecard_obstacles
from workbench.examples import use_repository_root
from workbench.mcda import rsr
from workbench.report.fonts import setup_fonts

HERE = use_repository_root()
setup_fonts()
OUT = Path(OUT_DIR) if OUT_DIR else Path(tempfile.mkdtemp(prefix="wb11_"))
rubric = wb.load_rubric(RUBRIC)

# %% [markdown]
# ## 候选指标 · Candidate indicators
#
# 现行方案的 27 项加上 6 项常被提议、但多为“痕迹”或难以核实的指标。
#
# The 27 items of the current rubric plus six often proposed items that mostly measure paperwork.

# %%
extra = pd.DataFrame(
    {
        "code": [
            "x_news_count",
            "x_meeting_pages",
            "x_wall_count",
            "x_wechat_active",
            "x_survey_essays",
            "x_volunteer",
        ],
        "name": [
            "党建宣传报道篇数",
            "会议记录页数",
            "党建文化墙数量",
            "党员微信群活跃度",
            "领导干部调研文章篇数",
            "党员志愿服务时长",
        ],
        "block": ["ideology", "organisation", "ideology", "organisation", "leadership", "central"],
    }
)
candidates = pd.concat([delphi.candidates_from_rubric(rubric), extra], ignore_index=True)
candidates["block_name"] = candidates["block"].map(rubric.names())
candidates[["code", "name", "block_name"]].tail(8)

# %% [markdown]
# 模拟专家心目中的“真实重要性”：现行方案分值越高的指标越重要（3.9-4.8 分），新增候选在 2.3-2.9 分之间。
#
# The simulated panel's true importance: more points in the current rubric, more important; the six
# additions sit lower.

# %%
full = rubric.full_marks().loc[rubric.indicators]
importance = pd.concat(
    [3.9 + 0.9 * full / full.max(), pd.Series([2.6, 2.3, 2.4, 2.9, 2.7, 2.8], index=extra["code"])]
)
panel = delphi.simulate_panel(importance, n_experts=N_EXPERTS, n_rounds=2, seed=SEED)
round1, round2 = panel.rounds.values()
round1.iloc[:5, :6]

# %% [markdown]
# ## 第一轮：集中程度、协调程度和筛选 · Round 1
#
# 算术均数、标准差、变异系数、满分频率、等级和，以及肯德尔和谐系数 W（同分校正）及其 χ² 检验。
# 筛选用界值法：均数和满分频率的界值 = 均数 − 标准差（高于界值入选），变异系数的界值 = 均数 + 标准差
# （低于界值入选）；三项都不达标的删除，部分不达标的交专家讨论。

# %%
s1 = delphi.summarise(round1)
s1

# %%
screen1 = delphi.screen(s1)
screen1.table.loc[screen1.dropped + screen1.review, ["decision_zh", "reason_zh"]]

# %% [markdown]
# 第二轮问卷：删除的指标不再发出，每项指标旁附上一轮的均数、变异系数和结论（控制反馈）。
#
# The round-2 questionnaire carries last round's mean, CV and decision next to each item.

# %%
remaining = candidates[~candidates["code"].isin(screen1.dropped)]
sheet = delphi.write_questionnaire(
    OUT / "E01_第2轮.xlsx", remaining, round_no=2, expert="E01", feedback=screen1
)
pd.read_excel(sheet, sheet_name="指标评分").head(4)

# %% [markdown]
# ## 第二轮与收敛 · Round 2 and convergence
#
# 第二轮用绝对标准：均数 ≥ 3.5 且变异系数 ≤ 0.25。删去低分指标本身会让 W 变小（指标间差别变小），
# 所以比较两轮要看两轮都评过的指标上的 W（`W_common`）：它上升、变异系数下降，说明意见趋于一致。
#
# Round 2 uses absolute thresholds. Dropping low-rated items lowers W by itself, so rounds are
# compared on the indicators rated in both (`W_common`).

# %%
round2 = round2[remaining["code"]]
s2 = delphi.summarise(round2)
screen2 = delphi.screen(
    s2, [{"stat": "mean", "op": ">=", "value": 3.5}, {"stat": "cv", "op": "<=", "value": 0.25}]
)
rounds = delphi.convergence([round1, round2])
rounds

# %%
authority = delphi.authority_table(panel.basis, panel.familiarity)
pd.Series(
    {
        "positive coefficient 第1轮": s1.positive_coefficient,
        "positive coefficient 第2轮": s2.positive_coefficient,
        "authority Cr (mean)": authority["cr"].mean(),
        "kept": len(screen2.kept),
        "dropped or under review": len(screen2.dropped) + len(screen2.review),
    }
).round(3)

# %% [markdown]
# 保留的指标组成候选方案（YAML），删除指标的分值按比例分给同一板块的其他指标，准备交给 AHP 赋权。
#
# The kept items become the candidate rubric, ready for AHP.

# %%
candidate = delphi.candidate_rubric(
    screen2, rubric, code="county_delphi", name="德尔菲筛选后的机关党建考核方案"
)
wb.save_rubric(candidate, OUT / "county_delphi.yaml")
sorted(set(rubric.indicators) - set(candidate.indicators))

# %% [markdown]
# ## 主观与客观权重 · AHP and entropy weights
#
# AHP：12 位专家的判断矩阵（`expert_panel.csv`）按几何平均汇总后逐层合成，取保留指标的全局权重。
# 熵权：各部门在保留指标上的得分率（满分的比例），极差标准化后计算。

# %%
ahp_panel = calibration.panel_from_sheet(AHP_SHEET, rubric, coding="signed")
ahp = calibration.ahp_weights_for_rubric(ahp_panel, rubric, n_boot=0)
ahp_w = ahp.weights.loc[candidate.indicators, "global"]
ahp_w = (ahp_w / ahp_w.sum()).rename("ahp")
data = wb.read_table(DATA, rubric=candidate)
shares = wb.score(candidate, data).shares
shares = shares.fillna(shares.mean())  # exempt items (不涉及) count as the average department
entropy_w = weighting.entropy(shares, normalise="minmax", shift=1e-4)

# %% [markdown]
# ## 组合赋权 · Combined weights
#
# 五种组合方式并列比较；后文用博弈论组合（参数 `COMBINE`）。

# %%
options = {"linear": {"alpha": 0.5}, "max_deviation": {"data": shares}}
methods = ["multiplicative", "linear", "min_entropy", "game", "max_deviation"]
combos = {m: weighting.combine(ahp_w, entropy_w, method=m, **options.get(m, {})) for m in methods}
comparison = pd.DataFrame(
    {"ahp": ahp_w, "entropy": entropy_w.weights} | {m: c.weights for m, c in combos.items()}
)
comparison.round(4).head(10)

# %%
pd.DataFrame({m: c.coefficients for m, c in combos.items()}).round(3)

# %%
combined = combos[COMBINE]
final_rubric = combined.to_rubric(candidate)
wb.save_rubric(final_rubric, OUT / "county_combined.yaml")
card = wb.score(final_rubric, data)
card.to_frame()[["total", "grade", "rank"]].head()

# %% [markdown]
# ## 障碍度：什么拖了后腿 · Obstacle degrees
#
# 障碍度 = 因子贡献度 × 偏离度，归一到该单位的失分总量：每个指标占该单位全部失分的百分比。

# %%
obstacles = scorecard_obstacles(card, k=3)
obstacles.weakest(n=5, k=3)

# %%
obstacles.indicators.head(8).round(3)

# %%
fig, ax = plt.subplots(figsize=(7, 3.5))
obstacles.by_block.mean().rename(final_rubric.names()).sort_values().plot.barh(ax=ax, color="#4c72b0")
ax.set_xlabel("平均障碍度 mean obstacle degree (%)")
ax.set_title("各板块对失分的平均贡献")
fig.tight_layout()

# %% [markdown]
# ## 秩和比分档 · Rank-sum-ratio tiers
#
# 以组合权重计算加权秩和比（WRSR），对 Probit 回归后按概率单位 4 和 6 分为上、中、下三档。

# %%
tiers = rsr(shares, weights=combined.weights, tiers=TIERS)
tiers

# %%
tiers.tier_table[["label", "percentile_from", "percentile_to", "rsr_from", "rsr_to", "n_units"]].round(3)

# %%
pd.crosstab(tiers.tier_label, card.grade)

# %% [markdown]
# ## 小结 · What we did
#
# - 33 项候选指标经两轮模拟德尔菲咨询（积极系数、权威系数、肯德尔 W 和变异系数的变化都可检查），
#   新增的“痕迹”类指标被删除，保留的指标写成候选方案 YAML。
# - AHP 全局权重与熵权经五种方式组合，博弈论组合的系数说明两种权重各占多少；组合权重写回方案文件。
# - 障碍度列出排名靠后部门的主要失分指标，秩和比把部门分为三档，可与等次对照。
#
# Two simulated Delphi rounds screened 33 candidates (the paperwork items went), AHP and entropy
# weights were combined five ways, and the combined rubric was scored, diagnosed by obstacle degree
# and tiered by weighted RSR.
