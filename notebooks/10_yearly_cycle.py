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
# # 10 一年一度的考核循环 · The yearly cycle
#
# 考核办公室每年都要走一遍同样的流程：按考核方案制发**填报表**，收回几十上百个单位的报表，**核对**
# 缺项、越界、写错的数据并退回修改，**计分定等**，再和**去年**比（谁进位、谁退位、哪个板块进步了），
# 和**修订后的方案**比（改了权重和名额，谁的等次会变、为什么）。种子材料 004 记载万州区直机关工委面对
# 86 个部门；种子材料 003 记载杭州第一次党建报表就发现 27 项指标中有 116 个数据不合要求。本笔记本用
# 样本县（86 个部门）把这一循环从头走到尾：
#
# 填报表 → 模拟报回（含人为设置的错误）→ 汇总核对 → 数据核查 → 计分 → 与去年比 → 与修订稿比 → 简报。
#
# A policy office's yearly loop on the bundled county (86 departments): collection forms from the
# rubric, simulated returns with planted problems, collection and checks, scoring, year over year
# against last year's data and rubric version, the revised rubric side by side, and a briefing.

# %% tags=["parameters"]
RUBRIC = "indicators/cq_organs.yaml"  # this year's rubric (2025)
DATA = "data/samples/county_organs.csv"  # the figures the departments report this year
LAST_RUBRIC = "indicators/versions/cq_organs_2024.yaml"  # last year's version of the rubric
LAST_DATA = "data/samples/county_organs_2024.csv"  # last year's figures
LAST_TRUTH = "data/samples/county_truth_2024.csv"  # who was planted as an improver or a decliner
DRAFT = "indicators/versions/cq_organs_2026_draft.yaml"  # next year's draft revision
SEED = 2025  # the simulated returns (which departments make which mistakes)
THRESHOLD = 0.05  # a block improves or declines when its share of full marks moves by 5 points
OUT_DIR = None  # where forms, returns and results go (None: a temporary folder)
BRIEFING_DRAWS = 50  # weight draws of the briefing's robustness section (the command's default is 300)

# %%
import tempfile
from pathlib import Path

import pandas as pd

import workbench as wb
from workbench.collection import collect, simulate_returns, write_template, write_unit_templates
from workbench.compare import compare_periods, compare_versions, plot_periods, plot_versions
from workbench.examples import use_repository_root
from workbench.report.briefing import build_briefing
from workbench.report.fonts import setup_fonts

HERE = use_repository_root()  # notebooks run from the repository root, in JupyterLab, Voila and CI alike
setup_fonts()
OUT = Path(OUT_DIR) if OUT_DIR else Path(tempfile.mkdtemp(prefix="wb10_"))
rubric = wb.load_rubric(HERE / RUBRIC)
data = wb.read_table(HERE / DATA, rubric=rubric)
units = data[["name", "category"]]

# %% [markdown]
# ## 1. 填报表 · Collection forms from the rubric
#
# 填报表只由考核方案生成：每个指标一行（代码、名称、所属板块、计量单位、填报要求、佐证材料），只有
# “填报值”和“备注”两列可以填写；等次类指标是下拉列表，百分比限定 0–100，清单缺项数限定为整数，允许
# “不涉及”的指标才接受“不涉及”；表头和单位代码锁定，另附中文“填报说明”工作表。方案改了，重新生成即可。
# 这里为每个部门生成一份（单位代码已预填），另生成一份空白表和一份“每行一个单位”的总表。
#
# The form comes from the rubric alone; one per department (id pre-filled and locked), a blank one,
# and one with a row per department.

# %%
forms = write_unit_templates(rubric, units, OUT / "forms")
blank = write_template(rubric, OUT / "填报表_空白.xlsx")
master = write_template(rubric, OUT / "填报表_全部单位.xlsx", units=units)
print(f"{len(forms)} forms, e.g. {forms[0].name}; blank form {blank.name}; master form {master.name}")
pd.read_excel(forms[0], header=3, nrows=8).iloc[:, :8]

# %% [markdown]
# ## 2. 报回的表 · Simulated returns with planted problems
#
# 用带种子的模拟函数让 86 个部门“填表报回”：大多数填得正确，少数漏填、越界、把数字写成文字
# （“九十五”“见附件”）、选了列表里没有的等次、填了公式、改了锁定的单元格、同一单位报了两份不同的表，
# 还有人寄来一份情况说明和一个改了扩展名的文件；两个部门没用填报表，而是报来 CSV 表格。
# `planted` 记下每处错误在哪个文件、哪个单元格。
#
# Seeded returns: most correct, a few with planted mistakes (listed in `planted`), two sent as CSV.

# %%
planted = simulate_returns(rubric, data, OUT / "returns", seed=SEED, csv_units=2)
planted

# %% [markdown]
# ## 3. 汇总与核对 · Collect and check
#
# `collect` 读取文件夹里的全部报表（文件名、顺序不限），按预填的单位代码（没有则按文件名）认出单位，
# 逐项核对，**不因一个坏文件而停下**，也**不改动文件夹里的任何文件**；输出汇总表和按文件、单元格列出的
# 中文问题清单，可以直接退回各单位。`check=True` 同时做数据核查：同类单位中明显偏离的数据。
#
# Every problem is listed with its file and cell; nothing in the folder is changed.

# %%
result = collect(OUT / "returns", rubric, units=units, check=True)
result

# %%
result.problem_table()

# %% [markdown]
# 人为设置的每一处错误都被找到了，而且没有多报（样本县的原始数据是干净的）：

# %%
found = set(zip(result.problems["file"], result.problems["kind"]))
missed = planted.loc[[(f, k) not in found for f, k in zip(planted["file"], planted["kind"])]]
print(f"planted {len(planted)}, found {len(result.problems)}, missed {len(missed)}")
written = result.write(OUT / "results" / "汇总.xlsx") + result.write_feedback(OUT / "results" / "退回修改")
print(f"{len(written)} files written, e.g. {written[0].name}, {written[-1].name}")

# %% [markdown]
# 数据核查（同类单位内稳健 z 值超过 3.5）列出偏离同类的数据，供核实，不一定是错误：

# %%
result.checks.table("zh").head(10)

# %% [markdown]
# ## 4. 计分 · Scoring
#
# 没有错误的单位可以先计分；有问题的单位按问题清单改正后重新报送。这里假设它们改正后报回的就是
# 样本表中的原始数据，于是得到全部 86 个部门的最终数据。
#
# Units without errors can be scored at once; the others resubmit (here: their original figures).

# %%
fixed = pd.concat([result.ready, data.loc[~data.index.isin(result.ready.index)]]).loc[data.index]
card = wb.score(rubric, fixed)
card.grade_counts()

# %% [markdown]
# ## 5. 与去年比 · Year over year
#
# 去年用的是 2024 年版方案（领导重视只有 4 项、优秀名额 25%），今年是 2025 年版，总分不在同一把尺子上，
# 所以比较的是**类别内排名**（进位、退位）、**等次**和**各板块得分率**（得分占板块满分的比例，不受
# 权重调整影响）。样本数据里预设了 5 个“进步者”和 5 个“退步者”，看看能否认出来。
#
# Ranks within category, grades and each block's share of full marks, across two rubric versions.

# %%
last_rubric = wb.load_rubric(HERE / LAST_RUBRIC)
last = wb.read_table(HERE / LAST_DATA, rubric=last_rubric)
yoy = compare_periods(
    {"2024": wb.score(last_rubric, last), "2025": card}, names=data["name"], threshold=THRESHOLD
)
yoy

# %%
fig = plot_periods(yoy)  # the inline backend shows it

# %%
truth = pd.read_csv(HERE / LAST_TRUTH, index_col="unit", dtype={"unit": str})
yoy.movement.join(truth["planted"]).dropna(subset=["planted"])[
    ["name", "rank_prev", "rank_now", "rank_change", "grade_prev", "grade_now", "planted"]
]

# %%
yoy.blocks

# %% [markdown]
# ## 6. 与修订稿比 · The draft revision side by side
#
# 2026 年修订稿：“三会一课”由 5 分提到 6 分，台账资料规范由 2 分降到 1 分，加分封顶由 5 分降到 3 分，
# 优秀名额由 20% 收紧到 15%。同一批数据按新旧两稿计分，列出方案改了什么、谁的等次变了、
# 因为跨过了分数线还是名额，以及是哪几项造成的差别；再比较各板块的名义权重与实际分量。
#
# What changed in the rubric, who changes grade and why (band, quota, veto), which items made the
# difference, and nominal vs effective weights before and after.

# %%
draft = wb.load_rubric(HERE / DRAFT)
versions = compare_versions(rubric, draft, fixed)
versions.diff.changes[["change", "code", "description"]]

# %%
versions.movers()[["name", "category", "grade_old", "grade_new", "reason", "drivers"]]

# %%
fig = plot_versions(versions)

# %%
versions.weights

# %% [markdown]
# ## 7. 简报 · The briefing
#
# 领导看的简报（`workbench brief`）在结果、等次原因之外，加上两节：**与上年比较**（进位退位、等次变动、
# 各板块进退）和**与修订方案比较**（改了什么、谁的等次因此变化、原因、名义权重与实际分量）。这两节只在
# 给出上年数据（`--previous`）或修订方案（`--revision`）时出现。命令行写法：
#
# ```
# workbench brief --rubric indicators/cq_organs.yaml --data 2025.csv --period 2025 \
#     --previous 2024 indicators/versions/cq_organs_2024.yaml data/samples/county_organs_2024.csv \
#     --revision indicators/versions/cq_organs_2026_draft.yaml
# ```
#
# The briefing gets two optional sections: year over year (`--previous`) and the revision (`--revision`).

# %%
final = wb.io.write_table(OUT / "results" / "2025.csv", fixed)
briefing = build_briefing(
    HERE / RUBRIC,
    final,
    OUT / "briefing",
    formats=("html",),
    n_draws=BRIEFING_DRAWS,
    previous=[["2024", HERE / LAST_RUBRIC, HERE / LAST_DATA]],
    period="2025",
    revision_path=HERE / DRAFT,
)
print(f"briefing written: {briefing[0].name} ({briefing[0].stat().st_size:,} bytes)")

# %% [markdown]
# ## 小结 · What we did
#
# - 由考核方案直接生成了带下拉列表、数值范围、锁定表头和中文说明的填报表（每个部门一份，单位代码预填）。
# - 汇总了 86 个部门的报回文件（含 CSV 和坏文件），人为设置的每一处错误都按文件和单元格列了出来，
#   没有误报；文件夹里的文件一个也没改；同时做了同类偏离核查。
# - 计分定等后，与去年（不同版本的方案）比较了类别内排名、等次和各板块得分率，预设的进步者全部进位。
# - 把 2026 年修订稿与现行方案并排比较：改了什么、谁的等次因此变化、原因和主要影响指标。
# - 生成了带“与上年比较”和“与修订方案比较”两节的简报。
#
# The loop end to end: forms from the rubric, returns collected and checked (every planted problem
# found with its file and cell, nothing modified), scoring, year over year across rubric versions,
# the draft revision side by side, and a briefing with both comparisons.
