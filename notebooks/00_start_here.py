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
# # 00 从这里开始 · Start here
#
# **指标设计工作台**帮助研究者和政策研究室设计、赋权、评分并检验考核指标体系（党建工作考核评价
# 及其他公共部门绩效考核），并把结果写成领导看得懂的简报。
#
# The workbench designs, weights, scores and stress-tests assessment rubrics, and turns the results
# into briefings. This notebook shows the bundled data and where to go next.
#
# | 笔记本 Notebook | 回答的问题 Question |
# |---|---|
# | 01_weight_simulator | 权重、考核方式、名额变了，谁的等次会变？ What changes if the weights or the scheme change? |
# | 02_ahp_weights | 专家打分（AHP）得出的权重和一致性 Expert-panel AHP weights and consistency |
# | 03_regression_calibration | 考核组实际看重什么（回归显示的权重） Weights revealed by holistic grades |
# | 04_composite_asem | 合成指数的完整构建（对标 COINr） A composite index built as COINr does |
# | 05_sensitivity | 谁的等次不稳、哪些选择最要紧、名义与实际权重 Fragile grades, what matters, effective weights |
# | 06_qualitative_vs_quantitative | 定性与定量评分是否一致，测评是否可靠 Qualitative vs quantitative scoring |
# | 07_two_percent_problem | “党建只占2%”的激励后果与制度设计 The 2% problem and institutional designs |
# | 08_design_a_rubric | 从空白方案到经检验的方案 From a blank rubric to a tested one |
# | 09_lighter_rubric_cleaner_data | 精简指标、核查报表 Lighter rubrics and cleaner report data |

# %% tags=["parameters"]
example = "county"
unit_to_explain = "D001"

# %%
import pandas as pd

import workbench as wb
from workbench.examples import EXAMPLES, load_example, use_repository_root

use_repository_root()  # notebooks run from the repository root, in JupyterLab, Voila and CI alike

pd.DataFrame(EXAMPLES, index=["rubric", "data"]).T

# %% [markdown]
# ## 样本县 · The bundled county
#
# 一个按万州区规模合成的县：86 个区直部门，分五类机关（数据由 `data/samples/make_samples.py` 以固定种子生成，
# 说明见 `data/samples/README.md`）。考核方案是重庆市机关党建工作目标考核（`indicators/cq_organs.yaml`）。

# %%
rubric, data = load_example(example, up_to="data")
rubric

# %%
card = wb.score(rubric, data)
card.to_frame(names=True).head(10)

# %%
card.grade_counts()

# %% [markdown]
# ## 为什么是这个分数 · Why this score
#
# 每个单位的得分都可以逐行解释：原始数值、计分规则、得分、加扣分（含封顶）、一票否决、名额限制和排名。

# %%
print(card.explain(unit_to_explain))

# %% [markdown]
# ## 小结 · What we learned
#
# - 方案是数据（YAML），读入时一次性检查全部问题；数据表可以是 UTF-8/GBK 的 CSV 或 Excel。
# - `wb.score` 给出每个单位的板块得分、加扣分、否决、等次和排名，`explain` 逐行说明。
# - 接下来：01 权重模拟器，或直接运行 `make brief` 生成简报。
# - Rubrics are data; scoring is explainable line by line; next, the weight simulator (01) or `make brief`.
