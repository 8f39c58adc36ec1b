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
# # 05 等次和排名有多稳？权重的不确定性与敏感性分析
# **How robust are grades and ranks? Uncertainty and sensitivity analysis of the weights**
#
# 一个考核方案的权重来自专家判断，换一组同样说得通的权重，谁的等次会变？哪些设定（板块权重、
# 优秀名额、党建在综合考核中的占比）真正决定结果？名义上占 2% 的党建，实际上又有多大分量？
# 本笔记本用 `workbench.sensitivity` 回答这三个问题，数据是随项目附带的区县机关样本（86 个部门）。
#
# Weights come from expert judgement. With another, equally defensible set of weights, whose grade
# would change? Which settings (block weights, the top-grade quota, the share of party building in
# the comprehensive assessment) actually drive the result? And how much does a block with a 2%
# nominal weight really count? This notebook answers the three questions with
# `workbench.sensitivity` on the bundled county sample (86 departments).

# %% tags=["parameters"]
RUBRIC = "indicators/cq_organs.yaml"  # the party-building rubric (Chongqing organs)
RUBRIC_2PCT = "indicators/comprehensive_2pct.yaml"  # party building at 2% of a comprehensive score
DATA = "data/samples/county_organs.csv"
N_RUNS = 1000  # Monte Carlo runs
CONCENTRATION = 50  # Dirichlet concentration: larger = weights closer to the nominal ones
SOBOL_N = 512  # Sobol' base sample (a power of 2)
SEED = 2026
TOP_N = 30  # units shown in the rank-interval chart

# %%
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

import workbench as wb
from workbench import sensitivity as sa
from workbench.examples import use_repository_root
from workbench.report.fonts import setup_fonts

use_repository_root()  # notebooks run from the repository root, in JupyterLab, Voila and CI alike

setup_fonts()
root = Path(wb.__file__).resolve().parents[2]
rubric = wb.load_rubric(root / RUBRIC)
data = wb.read_table(root / DATA, rubric=rubric)
card = wb.score(rubric, data)
card.grade_counts()

# %% [markdown]
# ## 1. 权重不确定时，谁的等次不稳？ / Whose grade is fragile under weight uncertainty?
#
# 在每个板块内，以名义权重为中心按 Dirichlet 分布抽取指标权重（浓度 50：每个权重的相对标准差约为
# $\sqrt{(1-p)/(51p)}$，名义份额 20% 的指标约 ±28%）。方案按类别（分类指导）给五个板块设定了各自的
# 权重，这些类别权重保持不动，只扰动板块内部的指标权重。每一次抽样都重新计算总分、等次（分数段、
# 一票否决、按类别的 20% 优秀名额）和排名；第 r 次结果与 `wb.score(rubric, data, weights=res.run(r)["weights"])`
# 完全一致。
#
# Within each block, indicator weights are drawn from a Dirichlet distribution centred on the nominal
# weights (concentration 50). The block weights are set per unit category (分类指导) and are left
# as they are. Each run rescores totals, grades (bands, one-vote veto, a 20% top-grade quota per
# category) and ranks; run r equals `wb.score(rubric, data, weights=res.run(r)["weights"])`.
# "Fragile" units get their modal grade in fewer than 80% of runs, or a grade other than the
# nominal one in more than 20% of runs.

# %%
res = sa.uncertainty(
    rubric, data, None, {"weights": {"dirichlet": {"concentration": CONCENTRATION}}}, n=N_RUNS, seed=SEED
)
res

# %%
table = res.to_frame().join(data["name"])
table.loc[res.fragile, ["name", "nominal_score", "nominal_grade", "modal_grade", "p_modal", "q05", "q95"]]

# %%
res.grade_probs.loc[res.fragile].join(data["name"])

# %%
top = table.head(TOP_N)
fig, ax = plt.subplots(figsize=(8, 7))
ypos = np.arange(len(top))[::-1]
colour = np.where(top["fragile"], "tab:red", "tab:blue")
ax.hlines(ypos, top["q05"], top["q95"], color=colour, lw=3, alpha=0.6)
ax.scatter(top["nominal_rank"], ypos, color=colour, zorder=3, label="名义排名 nominal rank")
ax.set_yticks(ypos, top["name"])
ax.set_xlabel("排名（90% 区间）/ rank (90% interval)")
ax.set_title("权重不确定下的排名区间（红色 = 等次不稳）")
ax.legend(loc="upper right")
fig.tight_layout()

# %% [markdown]
# 排名靠前的部门之间，名次在几个位置之间来回变动是常态；但等次只在少数部门身上变化：它们的总分
# 恰好落在 90 分或 80 分附近，或恰好处在本类别 20% 优秀名额的边界上。对这些部门，“优秀”还是
# “良好”取决于权重怎么定，而不是工作做得怎样。公布结果时应当说明这一点，或者在边界上设置复核。
#
# Ranks near the top move by a few places as a matter of course, but grades change for only a few
# departments: those whose totals sit close to the 90 or 80 cut-offs, or right at the edge of
# their category's 20% quota. For them the grade depends on the choice of weights rather than on
# their work; a published result should say so, or such cases should be reviewed.

# %% [markdown]
# ## 2. 哪些设定真正起作用？Sobol 敏感性分析 / Which choices matter? Sobol' indices
#
# 现在看“党建占综合考核 2%”的方案：五个党建板块的权重各在名义值的 ±50% 内变动，优秀名额在
# 10%-30% 之间，党建占比（party weight）在 2%-35% 之间。Sobol 一阶指数 S1 是某个设定单独能解释的
# 结果方差份额，总效应指数 ST 还包括它与其他设定的交互作用。结果有两个：排名平均变动了多少位
# （COINr 的做法），以及有多少部门的等次与名义等次不同。
#
# Now the comprehensive scheme with party building at 2%: each of the five block weights varies
# within ±50% of its nominal value, the top-grade quota within 10%-30%, and the party-building share
# within 2%-35%. The first-order index S1 is the share of output variance a setting explains on
# its own; the total index ST adds its interactions. Two outputs: the mean absolute rank change
# against the nominal ranking (as COINr reports) and the share of units whose grade changes.

# %%
rubric_2pct = wb.load_rubric(root / RUBRIC_2PCT)
data_2pct = wb.read_table(root / DATA, rubric=rubric_2pct)
factors = {
    f"weights.{b}": {"uniform": [0.5 * rubric_2pct[b].weight, 1.5 * rubric_2pct[b].weight]}
    for b in rubric_2pct.top_blocks
}
factors["quota"] = {"uniform": [0.1, 0.3]}
factors["party_weight"] = {"uniform": [0.02, 0.35]}
sob = sa.sobol(rubric_2pct, data_2pct, None, factors, n=SOBOL_N, seed=SEED)
sob

# %%
names = {f"weights.{b}": rubric_2pct[b].name for b in rubric_2pct.top_blocks}
names.update(quota="优秀名额 quota", party_weight="党建占比 party weight")
st_table = pd.DataFrame({"排名 ranks": sob.indices["ST"], "等次 grades": sob.grade_indices["ST"]})
ax = st_table.rename(index=names).plot.barh(figsize=(7, 4))
ax.set_xlabel("Sobol 总效应指数 ST / total index")
ax.set_title("谁决定了结果？/ What drives the result?")
ax.figure.tight_layout()

# %% [markdown]
# 几乎全部的变动都来自党建占比这一个数：在它取 2%-35% 的范围里，排名和等次的变化有九成以上
# 由它解释；五个党建板块之间怎么分配权重、优秀名额定为 10% 还是 30%，对排名的影响微乎其微，对
# 等次的影响也很小。当党建只占 2% 时，讨论党建内部的权重细节是在讨论一个几乎不影响结果的问题。
#
# Almost all of the variation comes from one number, the party-building share: over 2%-35% it
# explains over 90% of the variance of both outputs. How the weight is split among the five
# party-building blocks, or whether the quota is 10% or 30%, barely moves ranks and moves grades
# little. At 2%, debating the internal weights of party building is debating something that hardly
# touches the result.

# %% [markdown]
# ## 3. 名义权重与实际分量 / Nominal vs effective weights
#
# 名义权重说明一个板块“最多能”让总分变动多少；它的实际分量取决于各单位在这个板块上的得分差别有多大。
# Paruolo、Saisana 和 Saltelli（2013）用相关比（一阶敏感性指数）
# $S_i = \mathrm{Var}(E[y\mid x_i])/\mathrm{Var}(y)$ 衡量：这个板块的得分能解释多少总分差异。这里用
# 三次 B 样条非参数地估计 $E[y\mid x_i]$，并像调整 $R^2$ 那样扣除拟合自由度带来的偏差；归一化后与
# 名义权重并列。
#
# A nominal weight says how far a block *could* move the total; its effective weight depends on how
# much units differ on it. Paruolo, Saisana & Saltelli (2013) measure it with the correlation ratio
# $S_i = \mathrm{Var}(E[y\mid x_i])/\mathrm{Var}(y)$, estimated here with a cubic B-spline
# (bias-adjusted like an adjusted $R^2$), normalised and set beside the nominal weights.

# %%
imp = sa.importance(rubric, data)
imp_2pct = sa.importance(rubric_2pct, data_2pct)
imp_2pct

# %%
fig, axes = plt.subplots(1, 2, figsize=(11, 4))
for ax, result, title in [
    (axes[0], imp, "机关党建考核（五个板块）"),
    (axes[1], imp_2pct, "综合考核（党建 2%）"),
]:
    t = result.table.set_index("name")[["nominal", "effective"]]
    t.columns = ["名义权重 nominal", "实际分量 effective"]
    t.plot.barh(ax=ax, title=title)
    ax.set_xlabel("权重 / weight")
fig.tight_layout()

# %% [markdown]
# 在机关党建考核内部，组织建设名义权重最高（25%），但各部门在这一板块上的得分都很接近，它对排名的
# 实际分量不到名义权重的一半；作风建设名义上只占 15%，却因为得分差异大而分量翻倍。在综合考核
# 里，经济社会发展得分几乎决定了一切。党建板块的相关比不为零，是因为在这份样本中党建做得好的部门
# 经济社会得分也往往更高（两者相关）——相关比衡量的是“知道它能多大程度上知道总分”，包含了与其他
# 部分共有的信息；党建本身能移动多少名次，要看上一节的 Sobol 指数和下面的“去掉一个板块”。
#
# Inside the party-building rubric, organisational construction carries the largest nominal weight
# (25%), but departments score alike on it, so its effective weight is under half the nominal;
# work style, nominally 15%, counts double because scores differ widely. In the comprehensive
# scheme the economic score decides nearly everything. The party-building blocks get non-zero
# correlation ratios because in this sample departments good at party building also tend to score
# higher economically: the correlation ratio measures what knowing a block tells about the total,
# shared information included. How far party building itself moves the ranking is what the Sobol'
# indices above and the removal test below measure.

# %%
removed = sa.remove_one(rubric_2pct, data_2pct, level="top")
removed_cq = sa.remove_one(rubric, data, level="top")
pd.concat(
    {
        "党建 2%": removed.table["mean_abs_rank_change"],
        "机关党建考核": removed_cq.table["mean_abs_rank_change"],
    },
    axis=1,
).join(imp.table["name"])

# %% [markdown]
# 去掉一个党建板块（其余板块按原比例重新归一），在机关党建考核里排名平均要变动好几位；在党建只占
# 2% 的综合考核里，平均变动不到一位——党建板块有没有，几乎不影响谁排在前面。
#
# Dropping one party-building block (the others renormalised) moves ranks by several places on
# average inside the party-building rubric, but by less than one place in the 2% comprehensive
# scheme: whether a party-building block exists at all hardly changes who ranks first.

# %% [markdown]
# ## 小结 / What we learned
#
# - **等次的稳健性**：在权重的合理扰动下，排名前后移动几位是常态，但只有少数部门的等次会变；它们
#   都处在分数段或名额的边界上，`res.fragile` 直接列出这些部门，`res.grade_probs` 给出每个等次的概率。
#   Under plausible weight perturbations ranks move a little, but only a few units change grade:
#   those at a band or quota boundary (`res.fragile`, `res.grade_probs`).
# - **什么设定起作用**：在“党建占 2%”的方案中，结果几乎只由党建占比决定（Sobol 总效应指数在 0.9
#   以上）；党建内部的板块权重和优秀名额几乎不起作用。要让党建“有分量”，应调整的是占比，而不是
#   内部权重。In the 2% scheme the party-building share alone drives the result; internal block
#   weights and the quota hardly matter.
# - **名义权重不等于实际分量**：一个板块的实际分量取决于单位之间在它上面的差异。得分集中的板块（如
#   组织建设）实际分量低于名义权重；2% 的权重加上集中的得分，意味着党建几乎不影响谁排在前面。
#   Nominal weight is not effective weight: a block on which units score alike counts for less than
#   its weight says, and a 2% weight on compressed scores leaves the ranking to the other score.
# - 每一次模拟都可以用 `res.run(r)` 取出设定并用 `wb.score` 复现；同一 `seed` 结果完全相同，省级规模
#   （10 万个单位、1000 次抽样）也可以在几秒内完成，或交给 dask 集群（`client=`）。
#   Every run can be replayed from `res.run(r)` with `wb.score`; the same seed gives the same result,
#   and province-scale runs take seconds locally or run on a dask cluster (`client=`).
