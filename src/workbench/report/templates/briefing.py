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
# <!-- Briefing template: executed by `workbench brief` with papermill; exported with code hidden. -->

# %% tags=["parameters"]
rubric_path = "indicators/cq_organs.yaml"
data_path = "data/samples/county_organs.csv"
scenario_path = None
outcome_path = None
lang = "zh"
n_draws = 300
seed = 20261125
sheet = None
unit = None

# %%
import datetime
from pathlib import Path

import workbench as wb
from workbench.report import document as doc
from workbench.report import plots
from workbench.report.briefing import compute_briefing, label, load_outcome, summary_lines
from workbench.scenario import load_scenario

rubric = wb.load_rubric(rubric_path)
data = wb.read_table(data_path, rubric=rubric, sheet=sheet, unit=unit)
scenario = None if scenario_path is None else load_scenario(scenario_path)
outcome = None if outcome_path is None else load_outcome(outcome_path)
b = compute_briefing(
    rubric, data, outcome=outcome, scenario=scenario, n_draws=n_draws, seed=seed, data_source=data_path
)
r, card = b.rubric, b.card
t = lambda key: label(key, lang)  # noqa: E731
pct = "{:.1%}".format

# %%
doc.heading(t("title").format(name=r.name))
doc.note(f"{r.source or r.code} · {Path(data_path).name} · {datetime.date.today().isoformat()}")
doc.bullets(summary_lines(b, lang))

# %%
doc.heading(t("assessed"))
doc.table(b.structure_table(lang))
if b.scenario_name:
    doc.paragraph(f"{t('scenario')}: {b.scenario_name}")

# %%
doc.heading(t("results"))
if r.grades.bands:
    doc.table(card.grade_counts().rename(t("units")).to_frame().T, index=False)
doc.figure(plots.ranking_chart(card, labels=b.names, lang=lang))
doc.table(b.ranking_table(lang))

# %%
if b.baseline is not None and b.transitions() is not None:
    doc.subheading(f"{t('baseline')} → {t('scenario')}")
    doc.table(b.transitions())

# %%
if b.uncertainty is not None:
    doc.heading(t("robust"))
    doc.table(b.fragile_table(lang))
    doc.note(f"Dirichlet weights around the nominal (concentration 50), {b.n_draws} draws, seed {seed}.")

# %%
doc.heading(t("weights"))
doc.table(b.weights.rename(columns={k: t(k) for k in b.weights.columns}).map(pct))

# %%
doc.heading(t("two_pct"))
if b.importance is not None:
    imp = b.importance.table.set_index("name")[["nominal", "contribution", "effective"]]
    doc.table(imp.rename(columns={k: t(k) for k in imp.columns}).map(pct))
doc.table(b.effort.rename(columns={k: t(k) for k in b.effort.columns}).map(pct), index=False)

# %% [markdown]
# 小结：本简报由参数化模板生成，数据与方案文件见页首。 / This briefing was generated from a parameterised template.
