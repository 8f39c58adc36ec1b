# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 02 专家打分定权（AHP）· Expert-panel AHP weights
#
# 设计考核方案时，常请 5-30 位专家对指标两两比较（层次分析法 AHP）。问卷工具导出的 Excel 表每行一位专家、
# 每列一对比较（如 `leadership_vs_ideology`）。本笔记本从这张表出发：检查每位专家每个判断矩阵的一致性，
# 找出最不一致的判断并给出修改建议，补全空缺判断；汇总专家意见、合成每个指标的全局权重，并用专家自助法
# （bootstrap）给出区间；把权重写回方案文件并重新读入；最后把专家给出的“陈述权重”与考核组实际评定中
# “显示出的权重”放在一起比较。
#
# A panel of experts compares the rubric's elements pairwise (one row per expert, one column per pair,
# as survey tools export them). From that sheet we check every expert's consistency, list the worst
# judgments with suggested revisions, complete blanks, aggregate the panel, synthesise a global weight
# for every indicator with a bootstrap interval over experts, write the weights back into a rubric
# file and reload it, and compare the stated weights with weights revealed by holistic grades.

# %% tags=["parameters"]
sheet_path = "data/samples/expert_panel.xlsx"
rubric_path = "indicators/cq_organs.yaml"
data_path = "data/samples/county_organs.csv"
grades_path = "data/samples/holistic_grades.csv"
aggregate = "judgments"  # "judgments" (AIJ) or "priorities" (AIP)
n_boot = 1000
seed = 20261125
threshold = 0.1  # Saaty's 10 % rule for the consistency ratio
out_dir = None  # None: a temporary folder; e.g. "reports/ahp" to keep the files

# %%
import tempfile
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

import workbench as wb
from workbench import calibration
from workbench.examples import sample_path, use_repository_root
from workbench.report.fonts import setup_fonts

use_repository_root()  # notebooks run from the repository root, in JupyterLab, Voila and CI alike


def locate(path):  # a path as given, else the bundled file of that name (when run outside the repo)
    return Path(path) if Path(path).exists() else sample_path(path)


setup_fonts()
out = Path(out_dir or tempfile.mkdtemp(prefix="workbench_ahp_"))
rubric = wb.load_rubric(locate(rubric_path))
names = rubric.names()

# %% [markdown]
# ## 读入专家判断表 · Read the panel's sheet
#
# 列名用方案里的代码（或中文名称）写成 `甲_vs_乙`；正数表示前者更重要（Saaty 1-9 标度），负数表示后者更重要，
# 空格是缺失判断。`panel_from_sheet` 按方案的层次把列分到各个判断矩阵：五个一级板块之间（方案根节点
# `__root__`）、领导重视的五项指标之间、作风建设的四项指标之间。列名写错的代码会报错并指出是哪一列。
#
# Columns name rubric codes (or names) as `A_vs_B`; positive values favour the first element, negative
# the second; blanks are missing. The sheet splits into one block per rubric parent.

# %%
panel = calibration.panel_from_sheet(locate(sheet_path), rubric, coding="signed")
panel

# %% [markdown]
# ## 一致性检查 · Consistency
#
# 每位专家、每个矩阵的一致性比率 CR（主特征值法，Saaty 1980 随机一致性指标）。CR 超过 0.1 的判断需要请专家复核。
#
# Each expert's consistency ratio for each block; above 0.1 the judgments should go back to the expert.

# %%
res = calibration.ahp_weights_for_rubric(
    panel, rubric, aggregate=aggregate, n_boot=n_boot, seed=seed, threshold=threshold
)
res.cr.style.format("{:.3f}").highlight_between(left=threshold, color="#f8d0c8")

# %%
res.inconsistent

# %% [markdown]
# 对不一致的专家，列出偏离其自身权重最远的判断：`judgment` 是原判断，`consistent` 是与其权重相符的数值，
# `suggested` 是取整到 1-9 标度的建议值，`cr_after` 是只改这一项后的 CR。
#
# For the inconsistent experts, the judgments furthest from their own priorities, the value that
# would agree with them rounded to Saaty's scale, and the CR after revising only that judgment.

# %%
worst = res.worst[res.worst["inconsistent"]]
worst.groupby(["expert", "parent"]).head(1).round(3)

# %% [markdown]
# 空缺的判断用 Harker（1987）方法补全（由该专家其余判断推出）：
#
# Blank judgments, estimated from each expert's other judgments (Harker 1987):

# %%
res.completed.round(3)

# %% [markdown]
# ## 汇总与合成：全局权重及其区间 · Aggregated global weights with intervals
#
# 判断矩阵按几何平均汇总（AIJ），逐层合成为每个指标在总分中的权重。专家没有比较的板块（思想建设、组织建设、
# 中心工作）内部沿用方案原有的相对权重。区间来自对专家的自助重抽样：换一批专家，权重会在多大范围内变动。
#
# Judgments are aggregated by geometric mean and synthesised down the hierarchy; blocks the panel did
# not judge keep the rubric's own local weights. Intervals come from resampling experts.

# %%
res

# %%
top = res.weights.loc[rubric.top_blocks, ["name", "stated_global", "global", "q05", "q95"]]
top.round(3)

# %%
w = res.weights[res.weights["level"] == 1].sort_values("global")
fig, ax = plt.subplots(figsize=(7, 8))
ax.barh(
    w["name"], w["global"], xerr=[w["global"] - w["q05"], w["q95"] - w["global"]], color="#4c72b0", alpha=0.8
)
ax.scatter(w["stated_global"], w["name"], color="#c44e52", zorder=3, label="方案原权重 stated")
ax.set_xlabel("全局权重 global weight（误差线：专家自助 5%-95%）")
ax.legend(loc="lower right")
ax.set_title("专家 AHP 权重与方案原权重")
fig.tight_layout()

# %% [markdown]
# 一致性差的专家会拉偏结果吗？把三位不一致专家的权重设为 0 再算一遍：
#
# Does the inconsistent trio move the result? Give them weight 0 and compare:

# %%
strict = calibration.ahp_weights_for_rubric(
    panel,
    rubric,
    aggregate=aggregate,
    n_boot=0,
    expert_weights={e: 0.0 if e in res.inconsistent_experts else 1.0 for e in panel.experts},
)
pd.DataFrame({"all experts": res.weights["global"], "consistent only": strict.weights["global"]}).loc[
    rubric.top_blocks
].round(3)

# %% [markdown]
# ## 写回方案文件并重新读入 · Write the weighted rubric and read it back
#
# `res.rubric()` 返回换上专家权重的方案（分值按新权重重算，规则不变）。本方案对五类机关分别设置了板块
# 权重（分类指导），默认会保留它们并给出提示；`categories="drop"` 让所有类别都采用专家权重。
#
# `res.rubric()` is the rubric with the panel's weights. This rubric has category-specific block
# weights; `categories="drop"` applies the panel's weights to every category.

# %%
weighted = res.rubric(categories="drop")
path = wb.save_rubric(weighted, out / "cq_organs_ahp.yaml")
reloaded = wb.load_rubric(path)
check = pd.DataFrame(
    {
        "full marks (reloaded)": reloaded.full_marks()[rubric.indicators],
        "AHP global x 100": res.global_weights * 100,
    }
)
print(path, "max difference:", float((check.iloc[:, 0] - check.iloc[:, 1]).abs().max()))
check.head(8).round(2)

# %%
data = wb.read_table(locate(data_path), rubric=rubric)
before, after = wb.score(rubric, data), wb.score(reloaded, data)
moved = pd.DataFrame({"name": data["name"], "rank before": before.rank, "rank after": after.rank})
moved["grade before"], moved["grade after"] = before.grade, after.grade
shift = (moved["rank after"] - moved["rank before"]).abs()
print(
    f"rank changed: {(shift > 0).sum()} units, at most {shift.max()} places; grade changed: "
    f"{(moved['grade before'] != moved['grade after']).sum()} units"
)
moved.loc[shift.sort_values(ascending=False).index[:8]]

# %% [markdown]
# 换上专家权重后不少部门名次移动，但等次没有变化：优秀名额（每类 20%）和分数段决定了等次，
# 权重的这点调整不足以让部门跨过等次边界。
#
# Ranks move under the panel's weights, but no grade changes: quotas and bands absorb the shift.

# %% [markdown]
# ## 陈述权重与显示权重 · Stated versus revealed weights
#
# 专家“说”各板块有多重要；考核组对各部门的总体评价（`holistic_grades.csv`）“显示”他们实际看重什么。
# 把方案权重、专家 AHP 权重、客观赋权（熵权、CRITIC、主成分）与回归显示的权重（有序 logit）放在一起。
#
# What the panel says matters, beside what the assessment team's holistic grades reveal.

# %%
grades = wb.read_table(locate(grades_path))["grade"]
sv = calibration.stated_vs_revealed(rubric, data, grades, ahp=res, level="blocks", seed=seed)
table = sv.tables["blocks"].rename(index=names)
table.round(3)

# %%
cols = ["stated", "ahp", "entropy_minmax", "critic", "pca", "ordinal"]
ax = table[cols].plot.bar(figsize=(8, 4), rot=0, width=0.8)
ax.set_ylabel("权重 weight")
ax.set_xlabel("")
ax.set_title("一级板块：陈述权重与显示权重 Stated vs revealed")
ax.legend(
    ["方案 stated", "专家 AHP", "熵权 entropy", "CRITIC", "主成分 PCA", "回归 ordinal"], ncol=3, fontsize=8
)
plt.tight_layout()

# %%
sv.rank_correlation["blocks"].round(2)

# %% [markdown]
# ## 小结 / What we learned
#
# - 12 位专家中 E04、E09、E11 的一致性比率超过 0.1（与样本说明一致），表中列出了他们最该复核的判断和建议值；
#   去掉他们，一级板块权重的变化在 0.03 以内（见对比表）。5 个空缺判断已由各自的其余判断补全。
# - 专家权重与方案原权重接近（组织建设最高），自助区间给出了换一批专家时权重的变动范围。
# - 写回的方案文件可被 `load_rubric` 读回，满分等于 AHP 全局权重 × 100；命令行同样可做：
#   `workbench ahp --sheet-file data/samples/expert_panel.xlsx --out reports/ahp --write-rubric reports/ahp.yaml`。
# - 考核组的实际评定更看重中心工作、较少看重作风建设：陈述权重与显示权重并不一致，值得在定稿前讨论。
# - Three experts are inconsistent; the panel's weights are close to the rubric's, with intervals; the
#   weighted rubric round-trips through a file; the revealed weights differ from the stated ones.
