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
# # 党建只占 2%，精力会去哪里？——考核设计的激励模拟（政策简报）
#
# 种子材料 000 指出：机关党建在年度综合目标考核中“所占比例较小，最少的仅占 2%”，部门领导“只看 GDP”。
# 本简报用 `workbench.incentives` 回答组织部门常问的问题：如果把党建权重从 2% 提到 10%、30%，或者采用
# 杭州的“双百分”制，设置优秀名额、一票否决，各部门会把精力放在哪里？产出的真实价值是多少？谁能评上优秀？
#
# 模型（domain.md“激励模型”）：每个部门有一份可自由支配的精力，分配给经济社会发展工作（econ）、党建实质工作
# （party）和台账留痕（paper，计分但没有实际价值，且可以“做台账”应付）；产出为 a·e^γ（γ = 0.5），
# 得分带有测量误差、不能超过满分；未用于考核事项的精力对部门另有价值（机会成本）。每个部门在等次、名额、
# 一票否决风险下选择使期望奖励减去成本最大的分配；名额使优秀分数线取决于所有部门的努力，按均衡求解。
#
# **The 2% problem, as a policy brief.** Seed 000 reports that organ party building counted for as little as
# 2% of the annual comprehensive assessment, so department heads "only look at GDP". Here the incentive
# simulation asks where 86 county departments would put their discretionary effort under the status quo
# and under alternative designs (higher weights, Hangzhou's dual-100 gate, quotas, veto items, noisy
# qualitative items), what true value that effort produces, and who wins the top grade. Each unit splits
# its effort across economic-social work, substantive party building and the paper trail (measured, not
# valued, and open to gaming), with output a·e^γ, noisy scores capped at full marks, and an outside option
# for unused effort; quotas are solved as an equilibrium of the cut-off.

# %% tags=["parameters"]
RUBRIC_2PCT = "indicators/comprehensive_2pct.yaml"
RUBRIC_DUAL = "indicators/hangzhou_dual100.yaml"
DATA = "data/samples/county_organs.csv"
REWARDS = {"优秀": 1.0, "良好": 0.6, "一般": 0.3, "较差": 0.0}  # value of each grade to a department
GAMING = {"paper": 0.8}  # "doing the paper trail on paper" is 80% as productive as doing the work
STRETCH = 25.0  # points by which stretch targets lower today's routine party-building scores
WEIGHTS = [round(0.01 * i, 2) for i in range(51)]  # party-building weight 0% ... 50%
GATES = list(range(60, 99, 2))  # dual-100: party score needed for the 良好 band
SEED = 20261125

# %%
from dataclasses import replace

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import Markdown, display

import workbench as wb
from workbench import incentives as inc
from workbench.examples import use_repository_root
from workbench.report.fonts import setup_fonts

HERE = use_repository_root()  # notebooks run from the repository root, in JupyterLab, Voila and CI alike
setup_fonts()
pct = "{:.1%}".format

# %% [markdown]
# ## 1. 教科书答案 / The textbook answer
#
# 线性加总、无门槛时，精力按 (w_k a_k)^{1/(1-γ)} 分配。两项工作生产率相同、γ = 0.5 时，党建精力占比为
# w² / (w² + (1-w)²)：权重 2% 时约 0.04%，30% 时约 15.5%（domain.md 所说的“约 0%”与“约 15%”）。
#
# With linear aggregation and no thresholds, effort follows (w_k a_k)^{1/(1-γ)}; for two equally
# productive tasks and γ = 0.5 the party-building share is w² / (w² + (1-w)²).

# %%
textbook = pd.DataFrame({"party_weight": [0.02, 0.05, 0.10, 0.20, 0.30, 0.50]})
textbook["party_effort_share"] = [
    inc.effort_shares([1 - w, w], gamma=0.5)[1] for w in textbook["party_weight"]
]
textbook.style.format(pct)

# %% [markdown]
# ## 2. 现状：本县 86 个部门，党建占 2% / The status quo in the bundled county
#
# 用样本数据 `county_organs.csv` 按 `comprehensive_2pct.yaml` 打分，以各部门今天的得分为起点
# （`population_from_scorecard`：得分高的任务视为生产率高），方案本身（98% 经济社会 + 2% 党建、优秀 ≤ 20%、
# 党风廉政一票否决、满分 100 分）由 `institution_from_rubric` 读入。
#
# Scores from the bundled sample are the starting point; the rubric's scheme, bands, quota and veto item
# define the institution.

# %%
rubric = wb.load_rubric(HERE / RUBRIC_2PCT)
card = wb.score(rubric, wb.read_table(HERE / DATA, rubric=rubric))
pop = inc.population_from_scorecard(card, gaming=GAMING)
status_quo = inc.institution_from_rubric(rubric, rewards=REWARDS)
status_quo

# %%
now = inc.equilibrium(pop, status_quo, seed=SEED)
now

# %%
now.metrics.to_frame("status quo (2%)").T.round(3)

# %% [markdown]
# 党建只拿到约 0.2% 的考核精力，其中一大半还是台账和“做台账”（`distortion`）；一票否决项反而吸走约 20%
# 的精力——它与权重无关，是“保险”式投入。今天的党建得分普遍在 85–98 分，离满分很近：再多的努力也加不了几分。
#
# Party building gets about 0.2% of assessed effort, most of it paper trail and gaming; the veto item
# draws about 20% as insurance, whatever the weights. Party-building scores already sit near full marks.

# %% [markdown]
# ## 3. 提高党建权重：0% 到 50% / Raising the party-building weight
#
# 两种测量方式对比：**今天的指标**（得分压缩在满分附近）与**拉开差距的指标**（对标更高目标，
# 常规工作只得约 65 分，见参数 `STRETCH`）。后者对应“名义权重与有效权重”的分析：得分被压缩的板块，
# 名义权重再高，有效权重也很小。
#
# Two ways of measuring party building: today's compressed scores, and stretch targets that leave room
# above routine work (nominal vs effective weight: a compressed block has little effective weight).

# %%
TODAY, STRETCHED = "今天的指标 today's measures", "拉开差距的指标 stretch targets"
is_party = np.isin(pop.tasks, ["party", "paper"])
pop_stretch = replace(pop, base=np.clip(pop.base - np.where(is_party, STRETCH, 0.0), 0.0, None))
weight_sweeps = {
    TODAY: inc.sweep(pop, status_quo, "party_weight", WEIGHTS),
    STRETCHED: inc.sweep(pop_stretch, status_quo, "party_weight", WEIGHTS),
}
PANELS = {
    "party_share": "党建精力占比 party-building share of effort",
    "distortion": "台账与做台账占比 effort on paper trail and gaming",
    "value": "真实产出价值 total value produced",
    "top_ability_pct": "优秀单位的能力分位 ability percentile of top-grade winners",
}

# %%
fig, axes = plt.subplots(2, 2, figsize=(12, 8))
for label, sw in weight_sweeps.items():
    for ax, (col, title) in zip(axes.flat, PANELS.items()):
        ax.plot(100 * sw.table.index, sw.table[col], label=label)
        ax.set_title(title, fontsize=10)
        ax.set_xlabel("党建权重 party weight (%)")
axes[0, 0].axvline(2, color="grey", ls=":")
axes[0, 0].legend()
fig.tight_layout()

# %%
tipping = pd.concat(
    {label: inc.tipping_points(sw, "party_share", [0.01, 0.05, 0.10]) for label, sw in weight_sweeps.items()}
)
tipping

# %% [markdown]
# 临界点（`tipping_points`）：党建精力占比越过 1%、5%、10% 所需的权重。用今天的指标，权重要到约 5% 才有 1%
# 的精力、约 27% 才有 10%；换成拉开差距的指标，约 3%、12% 即可。台账项约占党建分的六成，所以党建精力里
# 有相当一部分是留痕和应付（`distortion`）。用今天的指标提高权重，精力从经济社会工作挪到几乎加不了分的党建
# 和台账上，真实产出反而下降；拉开差距后，真实产出随权重上升。优秀单位的能力分位随权重上升：党建权重越高，
# 优秀越集中在各方面都强的部门。
#
# The weight at which party-building effort crosses 1%, 5% and 10% roughly halves when scores are not
# compressed near full marks; a large part of the party-building effort goes to the paper trail. With
# today's measures a higher weight moves effort from economic-social work into tasks that barely move the
# score, and total value falls; with stretch targets it rises. (The curves are jagged where the quota
# tournament makes some units switch between competing for 优秀 and not.)

# %% [markdown]
# ## 4. 杭州“双百分”门槛 / Hangzhou's dual-100 gate
#
# 双百分制没有“权重”：党建得分进入“一般”（< 80）就不能评优秀。门槛是否起作用，取决于它和各部门常规得分的
# 相对位置；下面把门槛（党建“良好”的下限）从 60 移到 98。
#
# The dual-100 rule has no weight: a party score below the 良好 band caps the final grade. Whether the gate
# bites depends on where it sits relative to routine scores; the sweep moves it from 60 to 98.

# %%
dual = inc.institution_from_rubric(wb.load_rubric(HERE / RUBRIC_DUAL), rewards=REWARDS)
gate_sweeps = {
    TODAY: inc.sweep(pop, dual, "party_gate", GATES),
    STRETCHED: inc.sweep(pop_stretch, dual, "party_gate", GATES),
}
fig, axes = plt.subplots(1, 2, figsize=(12, 4))
for label, sw in gate_sweeps.items():
    axes[0].plot(sw.table.index, sw.table["party_share"], label=label)
    axes[1].plot(sw.table.index, sw.table["top_share"], label=label)
axes[0].set_title("党建精力占比 party-building share of effort")
axes[1].set_title("优秀比例 share of units graded 优秀")
for ax in axes:
    ax.axvline(80, color="grey", ls=":")
    ax.set_xlabel("党建“良好”门槛 party score gate")
axes[0].legend()
fig.tight_layout()

# %%
gate80 = {label: sw.table.loc[80, "party_share"] for label, sw in gate_sweeps.items()}
peak = {label: sw.table["party_share"].idxmax() for label, sw in gate_sweeps.items()}
stretch_weights = weight_sweeps[STRETCHED].table["party_share"]
equivalent = float(np.interp(gate80[STRETCHED], stretch_weights.to_numpy(), stretch_weights.index.to_numpy()))
gate_tips = pd.concat(
    {label: inc.tipping_points(sw, "party_share", [0.10]) for label, sw in gate_sweeps.items()}
)
display(gate_tips)
display(
    Markdown(
        f"门槛 80 分时党建精力占比：今天的指标 {pct(gate80[TODAY])}，拉开差距的指标 {pct(gate80[STRETCHED])}"
        f"（相当于约 {equivalent:.0%} 的党建权重）；党建精力在门槛 {peak[TODAY]} 分（今天的指标）和 "
        f"{peak[STRETCHED]} 分（拉开差距）时最多。 / With the gate at 80, party-building effort is "
        f"{pct(gate80[TODAY])} with today's measures and {pct(gate80[STRETCHED])} with stretch targets (like a "
        f"weight of {equivalent:.0%}); it peaks with the gate at {peak[TODAY]} and {peak[STRETCHED]}."
    )
)

# %% [markdown]
# 门槛低于常规得分时毫无作用；门槛略高于常规得分时，部门为“过线”投入最多；门槛高到多数部门够不着时，
# 它们干脆放弃，党建精力和优秀比例一起下降——这就是阈值附近“努力最多”的驼峰。
#
# A gate below routine scores does nothing; just above them it draws the most effort; too high, and most
# units give up: the hump of effort around a threshold.

# %% [markdown]
# ## 4b. 双乘数：经营得分 × 党建得分率 / The multiplicative scheme
#
# 一些国企把经营业绩得分乘以党建得分率（双乘数）。党建得分率每少 1 个百分点，综合得分就按比例少 1%，
# 所以党建的“边际权重”等于经营得分本身的量级——远高于 2%。下面在同一批部门上比较现状（2%）、10%、30%
# 和双乘数。
#
# Some SOEs multiply the business score by the party-building rate: one point of party rate costs 1% of
# the final score, so party building's marginal weight is of the order of the business score itself.

# %%
designs = {
    "现状 2% / status quo": status_quo,
    "权重 10%": inc.with_party_weight(status_quo, 0.10),
    "权重 30%": inc.with_party_weight(status_quo, 0.30),
    "双乘数 / multiplicative": replace(status_quo, aggregation="multiplicative", name="双乘数"),
}
compare = pd.DataFrame({label: inc.equilibrium(pop, d, seed=SEED).metrics for label, d in designs.items()}).T
compare[["party_share", "distortion", "value", "top_share"]].round(3)

# %%
mult_share = compare.loc["双乘数 / multiplicative", "party_share"]
display(
    Markdown(
        f"双乘数下党建精力占比 {pct(mult_share)}，现状 2% 时 {pct(compare.iloc[0]['party_share'])}、"
        f"30% 权重时 {pct(compare.loc['权重 30%', 'party_share'])}。 / Under the multiplicative scheme the "
        f"party-building share of effort is {pct(mult_share)}, against "
        f"{pct(compare.iloc[0]['party_share'])} at 2% and {pct(compare.loc['权重 30%', 'party_share'])} at 30%."
    )
)

# %% [markdown]
# ## 5. 名额：优秀变成锦标赛 / Quotas turn the top grade into a tournament
#
# 在党建权重 20%、拉开差距的指标下，把优秀名额从 5% 放宽到不限。名额越紧，分数线越高，够不着的部门越多。
#
# With a 20% weight and stretch targets, the top-grade quota goes from 5% to none.

# %%
design20 = inc.with_party_weight(status_quo, 0.20)
quota_sweep = inc.sweep(pop_stretch, design20, "top_quota", [0.05, 0.10, 0.15, 0.20, 0.30, 0.40, 1.0])
quota_sweep.table[
    ["effort", "party_share", "value", "top_share", "top_ability_pct", "cut_top", "iterations", "converged"]
].round(3)

# %% [markdown]
# 名额 5% 时，考核事项上的精力比不限名额时少三成多，优秀几乎都给了能力最强的部门（能力分位约 91）：
# 锦标赛奖励的是“谁本来就强”，不是“谁更努力”。名额 20%（本方案）时分数线约 93 分。
#
# A tight quota lowers effort (more units give up) and hands the top grade to the most able units.

# %% [markdown]
# ## 6. 一票否决项越多，挤出越多 / Many veto items crowd out weighted work
#
# 每个否决项都吸走一份与权重无关的“保险”精力 s·ln(p0·L/(s·c))（`veto_insurance_effort`）；项目一多，
# 精力预算被占满，加权工作被挤出。某县 2019 年前有 17 个一票否决项。
#
# Each veto item draws a fixed insurance effort; with many items the budget binds and weighted work is
# crowded out (one county had 17 veto items before a 2019 cap).

# %%
veto_sweep = inc.sweep(pop_stretch, design20, "n_veto", list(range(0, 18)))
fig, ax = plt.subplots(figsize=(7, 4))
veto_sweep.table[["party_share", "veto_share", "distortion"]].plot(ax=ax)
ax.set_xlabel("一票否决项数 number of veto items")
ax.set_title("精力去向 where effort goes")
fig.tight_layout()
veto_sweep.table.loc[
    [0, 1, 5, 10, 17], ["effort", "party_share", "veto_share", "value", "party_value"]
].round(3)

# %% [markdown]
# 否决项少时，预算还有余地，保险精力是“额外”的；项目一多，预算用尽，党建和经济社会工作的真实产出
# （`party_value`、`value`）一起下降。
#
# While the budget has room, insurance effort comes on top; once it binds, the true output of party
# building and of economic-social work falls together.

# %% [markdown]
# ## 7. 定性打分噪声大，激励被“拉平” / Noisy qualitative items flatten incentives
#
# 民主测评等定性项的误差与真实差异相当（domain.md：单个评价者之间的一致性约 0.52）。加大党建得分的测量
# 噪声：奖励与表现的联系变弱，优秀越来越像抽签。Holmström–Milgrom 的结论给出另一面：对风险厌恶的单位，
# 噪声越大的指标应给越弱的激励 α* = B / (1 + r c σ²)。
#
# Noise in qualitative items (raters agree at about 0.52) weakens the link between effort and grade, and
# the Holmström–Milgrom optimal incentive on a noisy measure falls as 1 / (1 + r c σ²).

# %%
noise_levels = [0, 2, 4, 6, 8, 12, 16, 20]
noise_sweep = inc.sweep(pop_stretch, design20, "party_noise", noise_levels)
hm = inc.hm_linear_contract(
    np.ones(len(noise_levels)), np.ones(len(noise_levels)), (np.array(noise_levels) / 10) ** 2, 2.0
)
noise_table = noise_sweep.table[["party_share", "top_ability_pct", "value"]].copy()
noise_table["hm_optimal_incentive"] = hm.alpha
noise_table.round(3)

# %% [markdown]
# 噪声从 0 加到 20 分，优秀单位的能力分位从约 84 降到约 79，党建精力也略有下降；若部门厌恶风险，
# 最优激励强度随噪声迅速下降（最后一列）。
#
# As noise grows the top grade tracks ability less, and party-building effort falls somewhat; for risk-averse
# units the optimal incentive on the noisy item collapses (last column).

# %% [markdown]
# ## 8. 名义权重与有效权重 / Nominal vs effective weight
#
# 党建名义权重 20% 时，看它对综合得分差异的实际贡献（协方差分解：各部分与总分的协方差占总分方差的比例）。
#
# At a nominal 20% weight, the party-building score's share of the variance of the final score.

# %%
fw = design20.final_weights()
effective = {}
for label, p in {TODAY: pop, STRETCHED: pop_stretch}.items():
    parts = inc.equilibrium(p, design20).expected[[f"score:{t}" for t in fw.index]] * fw.to_numpy()
    total = parts.sum(axis=1)
    effective[label] = parts.apply(lambda col, total=total: col.cov(total)) / total.var()
effective = pd.DataFrame(effective)
effective.loc["party + paper (党建)"] = effective.loc[["score:party", "score:paper"]].sum()
effective.round(3)

# %% [markdown]
# 今天的指标下，党建 20% 的名义权重只贡献了很小一部分得分差异：得分挤在满分附近，离满分的余量
# （100 − 常规得分）只有十来分，再努力的边际回报接近零——这正是第 3 节中“权重高、精力少”的原因。
#
# With today's compressed scores the nominal 20% carries little effective weight: there are only about ten
# points of headroom below full marks, so the marginal return of effort is close to zero.

# %% [markdown]
# ## 9. 建议（附数字）/ Recommendations, with numbers

# %%
sq = now.metrics
w_today, w_stretch = weight_sweeps[TODAY].table, weight_sweeps[STRETCHED].table
tips = {label: tipping.loc[label].set_index("kind")["at"] for label in weight_sweeps}
best_value = w_stretch["value"].idxmax()
recs = [
    f"1. **2% 等于没有权重。** 现状下党建只得到 {pct(sq['party_share'])} 的考核精力，一票否决保险占 "
    f"{pct(sq['veto_share'])}。/ At 2%, party building gets {pct(sq['party_share'])} of assessed effort.",
    f"2. **先改指标，再加权重。** 权重 20% 时，今天的指标只换来 {pct(w_today.loc[0.2, 'party_share'])} 的党建精力，"
    f"拉开差距的指标换来 {pct(w_stretch.loc[0.2, 'party_share'])}；党建精力越过 10% 所需的权重从 "
    f"{tips[TODAY]['crosses 0.1']:.0%} 降到 {tips[STRETCHED]['crosses 0.1']:.0%}。用今天的指标把权重从 2% 提到 30%，"
    f"真实产出从 {w_today.loc[0.02, 'value']:.0f} 变为 {w_today.loc[0.3, 'value']:.0f}；拉开差距后从 "
    f"{w_stretch.loc[0.02, 'value']:.0f} 升到 {w_stretch.loc[0.3, 'value']:.0f}。"
    f" / Fix compressed measures before raising weights.",
    f"3. **压缩台账项。** 权重 20% 时，党建精力中有 "
    f"{pct(w_stretch.loc[0.2, 'distortion'] / w_stretch.loc[0.2, 'party_share'])} 花在台账和“做台账”上。"
    f" / Cut paper-trail items: they absorb much of the party-building effort.",
    f"4. **双百分门槛要放在常规得分之上、多数部门够得着的位置。** 门槛 80 分在拉开差距的指标下带来 "
    f"{pct(gate80[STRETCHED])} 的党建精力（约等于 {equivalent:.0%} 的权重），但对今天挤在满分附近的得分几乎不起作用"
    f"（{pct(gate80[TODAY])}）；门槛过高则多数部门放弃。/ Put the dual-100 gate just above routine scores.",
    f"5. **名额不宜过紧。** 优秀名额 5% 时考核精力为 {quota_sweep.table.loc[0.05, 'effort']:.2f}，名额 20% 时为 "
    f"{quota_sweep.table.loc[0.2, 'effort']:.2f}。/ Tight quotas reward ability, not effort.",
    f"6. **控制一票否决项数量。** 从 1 项增加到 17 项，党建真实产出从 {veto_sweep.table.loc[1, 'party_value']:.0f} "
    f"降到 {veto_sweep.table.loc[17, 'party_value']:.0f}。/ Cap veto items: each one crowds out weighted work.",
    f"7. **降低定性项噪声**（多评价者、锚定描述），否则优秀越来越像抽签：噪声 20 分时优秀单位能力分位为 "
    f"{noise_sweep.table.loc[20, 'top_ability_pct']:.0f}（无噪声时 {noise_sweep.table.loc[0, 'top_ability_pct']:.0f}）。"
    f" / Reduce noise in qualitative items.",
    f"（拉开差距的指标下，真实产出在党建权重约 {best_value:.0%} 时最高；这一点依赖“每分产出价值相同”的假设，"
    f"只作参考。/ Value peaks near a {best_value:.0%} weight under stretch targets, given equal value per point.）",
]
display(Markdown("\n\n".join(recs)))

# %% [markdown]
# ## 小结 / What we learned
#
# - 教科书公式 e_k ∝ (w_k a_k)^{1/(1-γ)}：2% 的权重只换来约 0.04% 的精力，30% 约 15%；模拟在线性情形下精确复现它。
# - 真实方案里还有门槛、名额、否决项、满分上限和测量噪声：阈值附近的部门最努力，名额把优秀变成锦标赛，
#   否决项挤出加权工作，噪声把优秀变成抽签，得分压缩让名义权重失效。
# - 双乘数让党建的边际权重与经营得分同量级，本县模拟中党建精力占比高于 30% 的固定权重（见 4b 节）。
# - 因此“提高党建权重”本身不够：先让党建指标拉开差距、压缩台账项、控制否决项，再确定权重或双百分门槛。
# - 这是一个校准假设下的模拟（生产率由今天的得分推断、精力预算与机会成本为设定值），适合比较方案，
#   不是对某个部门行为的预测。
#
# - The closed form e_k ∝ (w_k a_k)^{1/(1-γ)} gives ~0.04% effort at a 2% weight and ~15% at 30%; the
#   simulation reproduces it exactly in the linear case.
# - Thresholds, quotas, veto items, full-mark ceilings and noise change the picture: units near a cut-off
#   work hardest, quotas make tournaments, veto items crowd out weighted work, noise turns grades into
#   lotteries, and compressed scores void nominal weights.
# - The multiplicative scheme gives party building a marginal weight of the order of the business score:
#   in this county it draws more party-building effort than a fixed 30% weight (section 4b).
# - So raising the weight is not enough: make party-building measures discriminate, cut paper-trail items
#   and veto items, then set the weight or the dual-100 gate.
# - The simulation rests on calibration assumptions (productivities inferred from today's scores, a set
#   effort budget and opportunity cost): use it to compare designs, not to predict one department.
