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
# <!-- Briefing template: executed by `workbench brief` with papermill; exported with code hidden.
#      One cell per section, tagged `section:<name>`, so a failure names its section. -->

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
date = ""
appendix = None
revision_path = None  # a revised rubric to compare with (section "revision")
previous = None  # earlier periods: [[label, rubric path, data path], ...], oldest first (section "years")
period = None  # the label of this period in the year-over-year section

# %% tags=["section:setup"]
import workbench as wb
from workbench.report.briefing import compute_briefing, load_outcome
from workbench.report.briefing.sections import show
from workbench.scenario import load_scenario

rubric = wb.load_rubric(rubric_path)
data = wb.read_table(data_path, rubric=rubric, sheet=sheet, unit=unit)
scenario = None if scenario_path is None else load_scenario(scenario_path)
outcome = None if outcome_path is None else load_outcome(outcome_path)
b = compute_briefing(
    rubric, data, outcome=outcome, scenario=scenario, n_draws=n_draws, seed=seed, data_source=data_path
)

# %% tags=["section:title"]
show("title", b, lang, date, appendix)

# %% tags=["section:summary"]
show("summary", b, lang, date, appendix)

# %% tags=["section:assessed"]
show("assessed", b, lang, date, appendix)

# %% tags=["section:results"]
show("results", b, lang, date, appendix)

# %% tags=["section:reasons"]
show("reasons", b, lang, date, appendix)

# %% tags=["section:years"]
from workbench.compare import revision_briefing, years_briefing

years_briefing(b.card, data, previous, period, lang)

# %% tags=["section:scenario"]
show("scenario", b, lang, date, appendix)

# %% tags=["section:revision"]
revision_briefing(rubric, data, revision_path, lang)

# %% tags=["section:robust"]
show("robust", b, lang, date, appendix)

# %% tags=["section:weights"]
show("weights", b, lang, date, appendix)

# %% tags=["section:two_pct"]
show("two_pct", b, lang, date, appendix)

# %% tags=["section:method"]
show("method", b, lang, date, appendix)
