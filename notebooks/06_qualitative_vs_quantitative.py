# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 06 定性还是定量？评委可靠性、一致性，以及谁的等次取决于计分方式
# **Qualitative versus quantitative scoring: rater reliability, agreement, and what changes for whom**
#
# 种子材料反复提到：考核过多依赖定性判断（民主测评、个别谈话、上级印象、满意度），主观、难以横向比较；
# 而定量指标又往往量不到真正要紧的东西。本笔记本在同一批单位上并排比较两种计分：评委之间有多一致、
# 哪些评委偏宽或偏严、两种计分排出的名次和等次有多大差别、定性部分占比变化时谁会进入或离开“优秀”，
# 以及换一组测评人时等次有多大可能改变。数据是随项目附带的区县机关样本（86 个部门，12 名测评人加自评）。
#
# The seeds keep returning to one complaint: assessment leans on qualitative judgement (democratic
# evaluation, individual talks, the superior's impression, satisfaction), which is subjective and
# hard to compare, while quantitative items miss what matters. This notebook puts the two kinds of
# scoring side by side on the same units: how well the raters agree, which raters are lenient or
# severe, how far the two scorings differ in ranks and grades, who enters or leaves 优秀 as the
# qualitative share changes, and how likely a grade is to change with another panel of raters. Data:
# the bundled county sample (86 departments, 12 raters plus a self-rating).

# %% tags=["parameters"]
RUBRIC = "indicators/cq_organs.yaml"  # the party-building rubric (Chongqing organs)
DATA = "data/samples/county_organs.csv"  # quantitative and qualitative indicator data
RATINGS = "data/samples/democratic_evaluation.csv"  # 民主测评: units x raters, grade words
TRUTH = "data/samples/county_truth.csv"  # the synthetic latent quality (only a sample has it)
SELF_RATER = "SELF"  # column of the self-rating (自评)
TARGET = 0.8  # reliability the panel mean should reach
N_SHARES = 11  # qualitative shares 0, 0.1, ..., 1
N_REGRADE = 2000  # simulated panels for the regrade probability
OPERATOR = "min_max"  # fuzzy operator of the group-weighted evaluation in section 5
SEED = 2026

# %%
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

import workbench as wb
from workbench.agreement import spearman_brown
from workbench.examples import use_repository_root
from workbench.mcda import fuzzy_evaluation
from workbench.qualquant import OPERATORS, qual_vs_quant, read_ratings
from workbench.report.fonts import setup_fonts

use_repository_root()  # notebooks run from the repository root, in JupyterLab, Voila and CI alike

setup_fonts()
root = Path(wb.__file__).resolve().parents[2]
rubric = wb.load_rubric(root / RUBRIC)
data = wb.read_table(root / DATA, rubric=rubric)
sheet = read_ratings(root / RATINGS, self_rater=SELF_RATER)
sheet

# %% [markdown]
# `read_ratings` 读入测评表：单位为行、测评人为列，等次词（较差 < 一般 < 良好 < 优秀）编码为 1-4，
# 空格为缺评。写错的等次词（比如“优”）会连同行号、列名和单位一起报错。
#
# `read_ratings` reads the sheet: units in rows, raters in columns, grade words coded 1-4 (worst
# first), blanks as missing ratings. A misspelt grade word (say 优) is reported with its row, rater
# column and unit.
#
# `qual_vs_quant` 一次算完下面各节用到的全部结果：
# 定性计分默认是方案中的定性指标（kind 为 qualitative，或来源为 民主测评/述职/个别谈话）按方案的分值
# 折成 0-100 分，定量计分是其余指标的 0-100 分，两者都直接取自 `wb.score` 的得分卡。
#
# `qual_vs_quant` computes everything the sections below use. The qualitative scoring is, by
# default, the rubric's qualitative items (kind qualitative, or source 民主测评/述职/个别谈话) on
# 0-100 with the rubric's own points; the quantitative scoring is the other items on 0-100; both
# come straight from the `wb.score` scorecard.

# %%
report = qual_vs_quant(
    rubric, data, sheet, shares=np.linspace(0, 1, N_SHARES), target=TARGET, n_regrade=N_REGRADE, seed=SEED
)
report

# %% [markdown]
# ## 1. 评委可靠吗？ / How reliable are the raters?
#
# 组内相关系数 ICC 有六种形式（Shrout & Fleiss 1979）：ICC1 单向随机，ICC2 双向随机、绝对一致（评委的
# 宽严也算误差，决定等次时应看这一种），ICC3 双向混合、相对一致；带 k 的是 k 名评委平均分的可靠性。
# ANOVA 需要每名评委都打了分的单位，缺评的单位只在这里被剔除（Krippendorff α 和各种得分使用全部评分）。
#
# The six intraclass correlations (Shrout & Fleiss 1979): ICC1 one-way random, ICC2 two-way random
# with absolute agreement (rater leniency counts as error, the relevant form when grades are set),
# ICC3 two-way mixed consistency; the "k" forms are the reliability of the mean of k raters. The
# ANOVA needs units rated by every rater; units with a missing rating are left out here only
# (Krippendorff's alpha and all scores use every rating).

# %%
report.reliability

# %%
rel = report.reliability
panel_sizes = np.arange(1, 21)
fig, ax = plt.subplots(figsize=(6.5, 3.8))
ax.plot(panel_sizes, spearman_brown(rel.single, panel_sizes), marker="o", ms=3)
ax.axhline(TARGET, color="grey", ls="--", lw=1)
ax.axvline(rel.raters_needed, color="tab:red", ls=":", lw=1)
ax.set_xlabel("测评人数 / number of raters")
ax.set_ylabel("平均分的可靠性 / reliability of the mean")
ax.set_title(
    f"Spearman-Brown：单个评委 {rel.form} = {rel.single:.2f}，需要 {rel.raters_needed} 人达到 {TARGET}"
)
fig.tight_layout()

# %% [markdown]
# 单个测评人的可靠性约 0.5，与 domain.md 引用的研究一致（两位上级的评价相关约 0.52）：一个人的印象里，
# 噪声和真实差异差不多大。但 12 人的平均分可靠性超过 0.9，按 Spearman-Brown 公式，4 人左右就能达到 0.8。
# 问题不在于“定性”本身，而在于只听一个人。
#
# One rater's reliability is about 0.5, as in the research domain.md cites (two supervisors agree at
# about 0.52): in one person's impression the noise is as large as the true differences. The mean of
# 12 raters, however, is above 0.9, and by Spearman-Brown about 4 raters reach 0.8. The weakness is
# not qualitative judgement as such but relying on a single judge.

# %%
cols = ["n_ratings", "rest_r", "mean_kappa", "leniency", "pval", "top_share", "verdict_zh"]
report.raters[cols].round(3)

# %%
raters = report.raters
flag = (raters["leniency"].abs() >= 0.2) & (raters["pval"] < 0.05)
fig, axes = plt.subplots(1, 2, figsize=(10, 4), sharey=True)
axes[0].barh(raters.index, raters["leniency"], color=np.where(flag, "tab:red", "tab:grey"))
axes[0].axvline(0, color="black", lw=0.8)
axes[0].set_xlabel("宽严（与其他评委之差，标准差）/ leniency (SD)")
axes[1].barh(raters.index, raters["rest_r"], color="tab:blue")
axes[1].set_xlabel("与其余评委平均分的相关 / correlation with the rest")
axes[0].invert_yaxis()
fig.suptitle("各测评人：宽严与一致性（红色 = 显著偏宽或偏严）")
fig.tight_layout()

# %% [markdown]
# 自评平均比他评高约 0.3 个标准差（domain.md：自评通常偏高约 0.3 SD），所以样本的测评规则不计自评。
# 几名评委系统地偏宽或偏严：只要同一组评委给所有单位打分，这种宽严对排名无害；但如果不同单位由不同
# 评委打分，宽严就会直接变成等次差异。评委之间的一致性（与其余评委平均分的相关）都在 0.5 以上，没有
# 哪位评委与大家明显背道而驰。有的评委把一半以上的票投给“优秀”，区分度因此受限（天花板效应）。
#
# Self-ratings run about 0.3 SD above the others' (domain.md: self-ratings are typically ~0.3 SD
# high), which is why the sample's rule does not count them. A few raters are systematically
# lenient or severe: harmless for the ranking as long as the same panel rates every unit, but
# turned directly into grade differences when different units face different raters. Every rater
# correlates above 0.5 with the rest of the panel; none goes against the others. Some raters give
# more than half of their votes to 优秀, which limits how much they can discriminate (a ceiling).

# %% [markdown]
# ## 2. 定性计分和定量计分一致吗？ / Do the qualitative and quantitative scorings agree?
#
# 方案的 27 个指标中有 3 个是定性的（党组书记述职评议、机关作风民主测评、党建品牌创新案例评审），约占
# 总分的 13%-15%（随类别权重而变）。把两部分各自折成 0-100 分后比较：名次相关、等次转移表（行 = 定性
# 计分的等次，列 = 定量计分的等次，按方案的 90/80/60 分数段，不计名额）、名次变动最大的单位。
#
# Three of the rubric's 27 items are qualitative (the secretary's report review, the democratic
# evaluation of work style, the review of innovation cases), about 13%-15% of the total depending
# on the category weights. With each part rescaled to 0-100: rank correlations, the grade
# transition table (rows: grade under the qualitative scoring, columns: under the quantitative one,
# by the rubric's 90/80/60 bands without the quota), and the units that move most.

# %%
report.split

# %%
report.comparison

# %%
report.comparison.transitions

# %%
movers = report.comparison.movers.join(data["name"])
movers[["name", "qualitative", "quantitative", "rank_qualitative", "rank_quantitative", "shift"]].round(1)

# %%
ba = report.comparison.bland_altman
fig, ax = plt.subplots(figsize=(6.5, 4.2))
ax.scatter(ba.table["mean"], ba.table["diff"], s=14, alpha=0.7)
for level, style in ((ba.bias, "-"), (ba.loa_low, "--"), (ba.loa_high, "--")):
    ax.axhline(level, color="tab:red", ls=style, lw=1)
ax.set_xlabel("两种得分的平均 / mean of the two scores")
ax.set_ylabel("定性 − 定量 / qualitative − quantitative")
ax.set_title(f"Bland-Altman：平均差 {ba.bias:.1f}，95% 一致性界限 [{ba.loa_low:.1f}, {ba.loa_high:.1f}]")
fig.tight_layout()

# %% [markdown]
# 两种计分的名次只是中等相关，约一半的单位在两种计分下等次不同。Bland-Altman 图显示，定性得分只取
# 少数几个值（每个定性指标只有 4 个等次），因而在高分端挤成一排，单位之间的差异被压平，差值也随平均分
# 增大（比例偏差）；两者之差的一致性界限宽达 ±20 分：同一个单位，按哪种方式计分，可以差出一个以上的等次。
#
# The two rankings correlate only moderately, and about half the units get a different grade
# under the two. The Bland-Altman plot shows the qualitative score taking only a few values (each
# qualitative item has 4 grades), so it piles up at the top and flattens differences, and the
# difference grows with the mean (proportional bias); the limits of agreement span about ±20
# points: the same unit can differ by more than one grade depending on how it is scored.

# %% [markdown]
# ## 3. 定性部分占比变化时，谁是“优秀”？ / Who is 优秀 as the qualitative share changes?
#
# 混合得分 = 占比 × 定性得分 + (1 − 占比) × 定量得分，占比从 0（只看定量）到 1（只看定性）。
# 虚线是本方案实际的定性占比。
#
# Mixed score = share × qualitative + (1 − share) × quantitative, from share 0 (quantitative only)
# to 1 (qualitative only). The dotted line is the rubric's own qualitative share.

# %%
by_share = report.mix.by_share
fig, ax = plt.subplots(figsize=(7, 4))
ax.plot(
    by_share.index,
    by_share["n_top"],
    marker="o",
    label=f"{report.top_grade}单位数 / units graded {report.top_grade}",
)
ax.plot(
    by_share.index,
    by_share["n_changed_grade"],
    marker="s",
    label="等次与只看定量时不同 / grade changed vs share 0",
)
ax.axvline(
    report.split.qual_share.mean(), color="grey", ls=":", label="本方案的定性占比 / the rubric's share"
)
ax.set_xlabel("定性部分占比 / qualitative share")
ax.set_ylabel("单位数 / units")
ax.legend(fontsize=8)
ax.set_title("定性占比与优秀数量、等次变化")
fig.tight_layout()

# %%
report.mix.grade_counts

# %%
report.top_changes().round(1)

# %% [markdown]
# 优秀的**数量**几乎不随占比变化（约 40 个），但**是谁**变了：占比从 0 提高到 1，十几个部门新进入优秀，
# 另有十几个部门掉出优秀。它们的共同点是两种计分差距大、总分又在 90 分附近：定性得分满分而定量得分
# 90 分上下的部门，占比稍一提高就进入优秀；反过来，定量得分高而某一项定性评价只得“较好”或“B”的部门
# 随之出局。即使只把定性占比从 0 调到 10%，也有约十个部门的等次改变。
#
# The **number** of 优秀 units barely moves with the share (about 40), but **who** they are does:
# from share 0 to 1 more than a dozen departments enter 优秀 and a similar number leave it. They are
# the departments whose two scores differ most while their totals sit near 90: full marks on the
# qualitative items with a quantitative score around 90 enter 优秀 as soon as the share rises; strong
# quantitative scores with one qualitative item at 较好 or B drop out. Even moving the share from 0 to
# 10% changes about ten grades.

# %% [markdown]
# ## 4. 换一组测评人，等次会变吗？ / Would another panel give another grade?
#
# 用双向方差分析估出真实差异、评委宽严和随机误差的方差，模拟许多组同样人数、同样缺评格局的测评人，
# 统计每个单位的测评等次（测评平均分按 优秀 100 / 良好 80 / 一般 50 / 较差 0 折算，即方案中
# `sty_mass_rating` 的分值，再按 90/80/60 分数段定等次）与现在不同的概率。真实水平按 Kelley 公式
# 向均值收缩，避免把极端的观测值当成真值。
#
# The two-way ANOVA gives the variances of true differences, rater leniency and random error; many
# panels of the same size (and the same missing cells) are simulated and each unit's rating grade
# (panel mean with 优秀 100 / 良好 80 / 一般 50 / 较差 0, the points of the rubric's `sty_mass_rating`,
# graded by the 90/80/60 bands) is compared with the current one. True scores are shrunk towards
# the mean (Kelley), so an extreme observed panel is not taken as the truth.

# %%
regrade = report.regrade
unstable = regrade.table.join(data["name"]).sort_values("p_change", ascending=False)
unstable[["name", "score", "grade", "n_raters", "p_change", "p_up", "p_down"]].head(10).round(3)

# %%
fig, ax = plt.subplots(figsize=(6.5, 3.8))
ax.scatter(regrade.table["score"], regrade.table["p_change"], s=14, alpha=0.7)
for cut in report.bands.values():
    ax.axvline(cut, color="grey", ls=":", lw=1)
ax.set_xlim(regrade.table["score"].min() - 3, 101)
ax.set_xlabel("测评平均分 / panel mean (0-100)")
ax.set_ylabel("换一组测评人后等次改变的概率 / P(other grade)")
ax.set_title("离分数线越近，等次越取决于由谁来测评")
fig.tight_layout()

# %% [markdown]
# 即使 12 人平均的可靠性超过 0.9，测评平均分落在 90 或 80 分线附近的单位，换一组人测评，等次改变的概率
# 仍接近一半；远离分数线的单位则几乎不变。用测评结果定等次时，分数线附近的单位值得复核或扩大测评范围。
#
# Even with a 12-rater mean reliability above 0.9, units whose panel mean sits near the 90 or 80 line
# would get another grade from another panel almost half the time; units far from a line hardly ever.
# When ratings set grades, units near a cut-off deserve a review or a larger panel.

# %% [markdown]
# ## 5. 模糊综合评价 / Fuzzy comprehensive evaluation
#
# 模糊综合评价把每组测评人选择各等次的比例作为隶属度，B = W ∘ R。下面把测评人分为四组并按
# domain.md 的常见权重加权（自评 20%、同级 40%、群众 20%、组织 20%）。**样本并没有记录测评人属于
# 哪一组，这里的分组只是示例**（R01-R05 同级、R06-R09 群众、R10-R12 组织）。算子要写明：加权平均型
# M(·,⊕) 的结果就是加权平均分，而 Zadeh 的 M(∧,∨) 只看“主因素”，每个等次的隶属度不超过最大的组权重。
#
# The fuzzy evaluation uses each rater group's shares of the grades as memberships, B = W ∘ R.
# Raters are split into four groups weighted as in domain.md (self 20%, peers 40%, masses 20%,
# organisation 20%). **The sample does not record which group a rater belongs to: the grouping
# here is an illustration** (R01-R05 peers, R06-R09 masses, R10-R12 organisation). Name the
# operator: the weighted average M(·,⊕) reproduces the weighted mean, while Zadeh's M(∧,∨) keeps
# only the "main factor", so no membership exceeds the largest group weight.

# %%
groups = {SELF_RATER: "自评"} | {
    f"R{j:02d}": "同级" if j <= 5 else "群众" if j <= 9 else "组织" for j in range(1, 13)
}
group_weights = {"自评": 0.2, "同级": 0.4, "群众": 0.2, "组织": 0.2}
grouped = qual_vs_quant(
    rubric, data, sheet, groups=groups, weights=group_weights, operator=OPERATOR, n_regrade=200, seed=SEED
)
grouped.fuzzy.b.join(grouped.fuzzy.grade).join(data["name"]).head(8).round(3)

# %% [markdown]
# 同一组隶属度 R，换用四种常见算子（`workbench.mcda.fuzzy_evaluation`）：各等次的单位数，以及最大隶属度
# 并列的单位数。并列时取排在前面的、即较低的等次；M(∧,∨) 把每个隶属度截断在组权重上，并列最多，
# 按最大隶属度原则定等次时应当特别说明。
#
# The same memberships R under the four usual operators (`workbench.mcda.fuzzy_evaluation`): units
# per grade, and units whose largest membership is tied. A tie goes to the first, i.e. the lower,
# grade; M(∧,∨) truncates every membership at the group weight and ties most, so grades by the
# maximum-membership principle need a word of caution under it.

# %%
evaluations = {
    op: fuzzy_evaluation(group_weights, grouped.membership, op, grade_scores=grouped.grade_points)
    for op in OPERATORS
}
pd.DataFrame({OPERATORS[op][0]: ev.grade.value_counts() for op, ev in evaluations.items()}).reindex(
    list(report.bands)
).fillna(0).astype(int).T.assign(ties=[len(ev.ties) for ev in evaluations.values()])

# %% [markdown]
# ## 6. 哪种计分更接近真实水平？ / Which scoring recovers the true quality?
#
# 样本数据由一个已知的“真实党建水平”生成（`county_truth.csv`），所以可以检验各种计分与真值的名次相关。
# 这只说明在**样本的生成假设**下哪种计分更准：每个定量指标与真值的关联都较弱（载荷 0.35），而 12 名
# 测评人的噪声虽大，平均后却很可靠。真实考核中两者的可靠性需要用真实数据重新估计。
#
# The sample is generated from a known true quality (`county_truth.csv`), so each scoring can be
# checked against it by rank correlation. This shows which scoring is more accurate **under the
# sample's assumptions only**: each quantitative item loads weakly on the truth (0.35), while the
# 12 raters are noisy one by one but reliable on average. Real assessments need the reliabilities
# estimated from real data.

# %%
truth = wb.read_table(root / TRUTH)["true_quality"]
scorings = report.scores[["quantitative", "qualitative", "panel", "base"]].assign(
    grouped_panel=grouped.scores["panel"], grouped_fuzzy=grouped.scores["fuzzy"]
)
scorings.corrwith(truth, method="spearman").rename("Spearman with true quality").round(3).to_frame()

# %% [markdown]
# ## 结论（由程序生成）/ Key numbers (generated)

# %%
print("\n".join(report.summary_lines("zh")))
print()
print("\n".join(report.summary_lines("en")))

# %% [markdown]
# ## 小结 / What we learned
#
# - **单个评委不可靠，一组评委可靠。** 单人 ICC 约 0.5，12 人平均超过 0.9，约 4 人即可达到 0.8。
#   定性评价的出路是多人、匿名、同一组评委评所有单位，而不是取消定性评价。
# - **要看评委效应。** 自评偏高约 0.3 个标准差，应单列或不计；个别评委系统偏宽或偏严，若各单位的评委
#   不同，应先做宽严校正。
# - **两种计分的名次只是中等相关，约一半单位的等次取决于用哪种计分。** 定性占比变化时优秀的数量
#   基本不变，变的是哪些单位是优秀；方案调整定性权重前，应先看 `top_changes()` 的名单。
# - **分数线附近的等次很大程度上取决于由谁来评。** 换一组测评人，分数线附近的单位有近一半的概率改变
#   等次；这些单位值得复核。
# - 模糊综合评价要写明算子：加权平均型与普通加权平均分相同，主因素型（M(∧,∨)）会改变等次分布，
#   并且常常出现隶属度并列。
#
# - **One rater is unreliable, a panel is reliable.** A single rater's ICC is about 0.5, the mean
#   of 12 above 0.9, and about 4 raters reach 0.8: the remedy for subjective items is several
#   anonymous raters rating every unit, not dropping qualitative assessment.
# - **Check rater effects.** Self-ratings run about 0.3 SD high and should be reported apart or not
#   counted; some raters are systematically lenient or severe, which must be corrected when units
#   face different raters.
# - **The two scorings agree only moderately; about half the grades depend on which one is used.**
#   The number of 优秀 units hardly moves with the qualitative share, but the list of names does:
#   look at `top_changes()` before changing the qualitative weight.
# - **Near a cut-off, the grade depends on who rates.** Another panel would change the grade of
#   units near a line almost half the time; those units deserve a review.
# - Name the fuzzy operator: the weighted average M(·,⊕) equals the plain weighted mean, while the
#   main-factor M(∧,∨) changes the grade distribution and often ties.
