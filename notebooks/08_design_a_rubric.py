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
# # 08 设计一套考核方案 · Design a rubric
#
# 从一份空白方案文件开始，一步步得到经过检验、经过赋权、经过压力测试的考核方案：
# 写方案 → 读入并改正错误 → 用样本数据试评分 → 专家（AHP）赋权并写回方案 → 检查等次稳不稳 →
# 看名义权重和实际分量 → 精简指标 → 保存最终方案。
#
# From a blank rubric file to a validated, weighted, stress-tested rubric: write, load and fix,
# score the sample county, weight by the expert panel (AHP) and write the weights back, test the
# robustness of grades, compare nominal and effective weights, slim, and save.

# %% tags=["parameters"]
out_dir = "reports/design"
n_draws = 300
seed = 20261125

# %%
import textwrap
from pathlib import Path

import workbench as wb
from workbench import calibration, sensitivity, slimming
from workbench.examples import use_repository_root

use_repository_root()  # notebooks run from the repository root, in JupyterLab, Voila and CI alike
out = Path(out_dir)
out.mkdir(parents=True, exist_ok=True)

# %% [markdown]
# ## 1. 写一份方案 · Write a rubric
#
# 方案是一份 YAML 文件（语言说明见 `docs/rubric_language.md`）。这里先写一份故意有错的草稿：
# 一个指标的分值写错（板块 20 分，指标合计 18 分），一个计分规则拼错。

# %%
draft = textwrap.dedent(
    """\
    code: my_organs
    name: 我区机关党建工作考核（草稿）
    source: notebook 08
    scale: 100
    blocks:
      - code: leadership
        name: 领导重视
        weight: 30
        indicators:
          - {code: ldr_meetings, name: 党组专题研究党建工作次数, weight: 15, unit: 次/年,
             rule: {type: target_ratio, target: 4}, source: 台账, burden_hours: 4}
          - {code: ldr_funding, name: 党组织活动经费落实率, weight: 13, unit: "%",
             rule: {type: linear, lo: 60, hi: 100}, source: 台账, burden_hours: 2}
      - code: organisation
        name: 组织建设
        weight: 40
        indicators:
          - {code: org_three_one, name: 三会一课落实率, weight: 20, unit: "%",
             rule: {type: bandz, points: [[95, 20], [85, 16], [70, 10]]}, source: 台账, burden_hours: 6}
          - {code: org_dues, name: 党费按时足额交纳率, weight: 20, unit: "%",
             rule: {type: linear, lo: 80, hi: 100}, source: 报表, burden_hours: 1}
      - code: style
        name: 作风建设
        weight: 30
        indicators:
          - {code: sty_mass_rating, name: 群众满意度测评, weight: 30, kind: qualitative, source: 民主测评,
             rule: {type: grade_map, points: {优秀: 30, 良好: 24, 一般: 15, 较差: 0}}, burden_hours: 3}
    grades: {bands: {优秀: 90, 良好: 80, 一般: 60, 较差: 0}, quota: {优秀: 0.2}}
    """
)
draft_path = out / "my_organs_draft.yaml"
draft_path.write_text(draft, encoding="utf-8")

# %% [markdown]
# ## 2. 读入：一次列出所有问题 · Load: every problem at once

# %%
try:
    wb.load_rubric(draft_path)
except wb.RubricError as err:
    print(err)

# %% [markdown]
# 改正两处：领导重视的指标合计应为 30 分，规则类型应为 `bands`。

# %%
fixed = draft.replace("weight: 13,", "weight: 15,").replace("type: bandz", "type: bands")
rubric_path = out / "my_organs.yaml"
rubric_path.write_text(fixed, encoding="utf-8")
rubric = wb.load_rubric(rubric_path)
rubric

# %% [markdown]
# ## 3. 用样本县试评分 · Score the sample county
#
# 样本县的数据列按指标代码命名；方案里的代码与数据列对上即可评分。

# %%
data = wb.read_table("data/samples/county_organs.csv", rubric=rubric)
card = wb.score(rubric, data)
card.grade_counts()

# %% [markdown]
# 注意“优秀”一个也没有：草稿方案区分度太低，很多单位并列满分；优秀名额 20%（17 个）容不下所有并列者，
# 按 `ties: exclude`（名额边界上的并列单位一并降档，名额绝不突破）全部降为良好。这正是党建考核“得分挤在高分段”
# 的老问题——下面的稳健性、实际分量和精简分析都会把它暴露出来。可改为 `ties: include`，或提高指标区分度。
#
# No unit is 优秀: too many units tie at full marks for the 20% quota, and `ties: exclude` demotes all
# tied units at the boundary. The draft does not discriminate; the analyses below show it.

# %%
print(card.explain(card.rank.idxmin()))

# %% [markdown]
# ## 4. 专家赋权并写回方案 · Expert weights, written back
#
# 样本专家组（`data/samples/expert_panel.xlsx`）对重庆方案的五个板块做了两两比较。这里演示同样的流程：
# 读问卷 → 一致性检验 → 聚合 → 全局权重 → 写回方案文件。

# %%
cq = wb.load_rubric("indicators/cq_organs.yaml")
panel = calibration.panel_from_sheet("data/samples/expert_panel.xlsx", cq, coding="signed")
ahp = calibration.ahp_weights_for_rubric(panel, cq, n_boot=200, seed=seed)
ahp.inconsistent_experts

# %%
weighted_path = wb.save_rubric(ahp.rubric(categories="drop"), out / "cq_organs_ahp.yaml")
wb.load_rubric(weighted_path).full_marks()[cq.top_blocks].round(2)

# %% [markdown]
# ## 5. 等次稳不稳 · How robust are the grades
#
# 权重在规定值附近合理变动（Dirichlet 分布，集中度 50），看每个单位保持现等次的概率。

# %%
unc = sensitivity.uncertainty(
    rubric, data, None, {"weights": {"dirichlet": {"concentration": 50}}}, n=n_draws, seed=seed
)
unc.rank_stats.sort_values("q95").head(10)

# %%
list(unc.fragile)

# %% [markdown]
# ## 6. 名义权重与实际分量 · Nominal vs effective weight

# %%
sensitivity.importance(rubric, data, level="indicators").table.round(3)

# %% [markdown]
# ## 7. 精简指标 · Slim the rubric
#
# 在排名（Spearman ≥ 0.95）和等次（变化不超过 2 个单位）基本不变的前提下，哪些指标可以不考？

# %%
slimmed = slimming.slim(rubric, data, min_spearman=0.95, max_grade_changes=2)
slimmed

# %%
final_path = wb.save_rubric(slimmed.slimmed_rubric(), out / "my_organs_final.yaml")
final = wb.load_rubric(final_path)
final.to_frame()[["name", "weight", "full_marks"]]

# %% [markdown]
# ## 小结 · What we learned
#
# - 方案文件一次读入就列出全部错误（位置、原因、改法），改正后才能评分。
# - 专家赋权的结果直接写回方案文件，再读入即可使用；不一致的专家被点名。
# - 不确定性分析指出哪些单位的等次依赖于权重的细微取舍；名义权重大的指标不一定实际分量大。
# - 精简分析给出可以删去的指标及节省的工时，同时保证排名和等次基本不变。
# - The rubric file is the single source of truth: validated, weighted, stress-tested and slimmed,
#   each step reproducible with its seed.
