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
# # 01 权重模拟器 · The weight simulator
#
# 给政策研究室用：选择内置考核方案，或上传自己的考核方案（YAML）和数据（Excel/CSV，按与命令行
# 相同的规则检查）；表格列出各类别（分类指导）的板块权重，滑块调整所选类别的权重（合计保持 100），
# 也可明确选择“所有类别同时调整”；切换考核方式（党建单独评定、党建占综合考核固定权重、杭州“双百分”、
# 双乘数），开关优秀名额限制和一票否决。等次分布、等次变化的单位及原因、排名表和排名变化图随之更新；
# 调整后的考核方案（YAML）和结果（Excel）可以下载。作为网页应用运行：`workbench app`（仅本机 127.0.0.1，
# 不联网；在代码库中也可用 `make app`）。
#
# For policy offices: pick a shipped rubric or upload your own rubric and data (checked as the
# command line checks them); the table shows every category's block weights, the sliders edit the
# chosen category (or every category, by an explicit choice); switch the scheme, the quota and the
# veto; see who changes grade and why; download the adjusted rubric and the results.
# Run it as an app: `workbench app` (or `make app` in a clone; Voila on 127.0.0.1, offline).

# %% tags=["parameters"]
rubric = "cq_organs"  # a shipped rubric's name, or the path of a rubric file
data_path = None  # a data table; None: the rubric's sample data
top = 20

# %%
from workbench.examples import use_repository_root
from workbench.report.app import simulator_app

use_repository_root()  # notebooks run from the repository root, in JupyterLab, Voila and CI alike

app = simulator_app(rubric, data_path=data_path, top=top)
app

# %% [markdown]
# ## 滑块背后的数字 · The numbers behind the view
#
# `app.state` 就是上面控件所显示的情景。下面的表格在页面打开时算出（原方案，与控件相同）；在上面
# 操作后，以上面的结果为准。在代码里设置它，控件也随之移动，例如只调整党政综合部门的思想建设权重、
# 把党建放进综合考核：
#
# `app.state` is the scenario the controls above show. The tables below were computed when the page
# opened (the rubric as written, as the controls then); after you move the controls, the views above
# are current. Setting the state from code moves the controls, e.g.
#
# ```python
# state.scope = "党政综合部门"
# state.set_weight("ideology", 30)
# state.scheme, state.party_weight = "weighted", 0.10
# ```

# %%
state = app.state
state.weights_frame()

# %%
state.counts()

# %%
state.table(top=10)

# %% [markdown]
# ## 小结 · What we learned
#
# - 各类别有自己的板块权重；滑块只改所选类别，或在明确选择后同时改所有类别，分类指导不会被抹平。
# - 权重、考核方式、名额和否决开关都只是参数；计算全部由工作台完成，结果可复现，
#   调整后的考核方案（YAML）交给 `workbench brief --rubric` 即可生成简报。
# - Every category keeps its own weights; a slider changes the chosen category, or all of them when
#   asked. The package does the computing: any view can be reproduced, downloaded and briefed.
