"""Every shipped rubric x every shipped scenario (and none) gives a briefing that explains itself.

Issue 11: briefings crashed for 7 of 9 rubrics, leaked internal words (seed, domain.md, English
headers in the Chinese version), showed the 2% analysis where it does not apply, and did not
explain grades. Each combination is computed from its rubric's own sample data and rendered
(HTML and PDF, as the template notebook does it, in process); the notebook path itself is run by
tests/test_cli_briefing.py and tests/test_briefing_outputs.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

import workbench as wb
from workbench.examples import example_data_path
from workbench.report.briefing import compute_briefing
from workbench.report.briefing.sections import render_blocks
from workbench.report.catalogue import TEXT
from workbench.report.document import blocks_from_dicts, html_page
from workbench.report.pdf import render_pdf
from workbench.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[1]
RUBRICS = sorted(p.stem for p in (ROOT / "indicators").glob("*.yaml"))
SCENARIOS = [None] + sorted(p.stem for p in (ROOT / "indicators" / "scenarios").glob("*.yaml"))
CJK = re.compile(r"[\u3400-\u9fff\uff08\uff09\u3001\u3002\uff0c\uff1a\uff1b]")
INTERNAL = ("seed", "domain.md", "nan", "None", "Dirichlet", "concentration", "index")


def _briefing(code: str, scenario: str | None):
    rubric = wb.load_rubric(ROOT / "indicators" / f"{code}.yaml")
    path = example_data_path(rubric)
    data = wb.read_table(path, rubric=rubric)
    scn = None if scenario is None else load_scenario(ROOT / "indicators" / "scenarios" / f"{scenario}.yaml")
    return rubric, compute_briefing(rubric, data, scenario=scn, n_draws=12, seed=1, data_source=str(path))


def _visible(blocks) -> list[str]:
    out = []
    for b in blocks:
        out.append(b.get("text", ""))
        out.append(b.get("caption", ""))
        out += list(b.get("columns", ()))
        out += [cell for row in b.get("rows", ()) for cell in row]
    return [s for s in out if s]


def _data_words(b) -> set[str]:
    """Words that come from the rubric and the data (names, grades, categories), not from labels."""
    r, c = b.rubric, b.card
    words = {n.name for n in r.nodes.values()} | set(r.grades.names) | {r.name, r.source or ""}
    words |= {it.name for it in (*r.bonus.items, *r.deductions.items)} | {v.name for v in r.veto}
    words |= {r.scheme.other_name or ""}
    if c.category is not None:
        words |= set(map(str, c.category.unique()))
    if b.names is not None:
        words |= set(b.names.astype(str))
    words |= set(map(str, c.index)) | {b.data_file, "x_appendix.csv"}
    if b.scenario is not None:
        words |= {b.scenario.name, b.scenario.description}
    return {w for w in words if w}


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s or "no_scenario")
@pytest.mark.parametrize("code", RUBRICS)
def test_every_rubric_and_scenario_briefs(code, scenario):
    rubric, b = _briefing(code, scenario)
    c = b.card
    zh = render_blocks(b, "zh", date="2026-01-01", appendix="x_appendix.csv")
    headings = [bl["text"] for bl in zh if bl["kind"] == "heading"]
    t = TEXT["zh"]
    for key in ("sec_summary", "sec_assessed", "sec_results", "sec_method"):
        assert t[key] in headings
    # the 2% analysis only where party building has a weight, with that weight
    weighted = b.rubric.scheme.type == "weighted"
    assert (t["sec_two_pct"] in headings) == weighted
    if weighted:
        p = b.rubric.scheme.party_weight
        assert any(f"党建占 {p:.0%} 时" in s for s in _visible(zh))
    assert (t["sec_scenario"] in headings) == (b.baseline is not None)
    if scenario is not None and b.baseline is None:
        assert any("不适用于本方案" in s for s in _visible(zh))
    # numbers traceable to the scorecard: grade counts, and every (name, total) shown
    at = next(i for i, bl in enumerate(zh) if bl.get("text") == t["sub_grade_counts"])
    counts = zh[at + 1]
    total_row = next(r for r in counts["rows"] if r[0] == t["col_all"])
    assert [int(v) for v in total_row[1:]] == c.grade_counts().tolist()
    names = b.names if b.names is not None else c.index.to_series().astype(str)
    # 94.825 shows as 94.83 (a half rounded up) or, by its binary value, 94.82: either is the unit's
    halves = np.floor(c.total * 100 + 0.5) / 100
    truth = {(str(names[u]), f"{v:.2f}") for u in c.index for v in (c.total[u], halves[u])}
    checked = 0
    for bl in zh:
        cols = list(bl.get("columns", ()))
        if bl["kind"] == "table" and t["col_total"] in cols and t["col_name"] in cols:
            i, j = cols.index(t["col_name"]), cols.index(t["col_total"])
            for row in bl["rows"]:
                assert (row[i], row[j]) in truth
                checked += 1
    assert checked >= min(b.n, 20)
    # no internal words, no English in the Chinese version outside data and method names
    data_words = _data_words(b)
    text = "\n".join(_visible(zh))
    for w in sorted(data_words, key=len, reverse=True):
        text = text.replace(w, " ")
    for word in INTERNAL:
        assert word not in text, word
    latin = set(re.findall(r"[A-Za-z_]{2,}", text)) - {"CRITIC"}
    assert not latin, latin
    assert code not in text
    # rendered: HTML escapes and embeds; the PDF has pages
    html = html_page(zh, title=t["title"].format(name=rubric.name))
    assert "<h2>要点</h2>" in html
    pdf = render_pdf(blocks_from_dicts(zh), title="t", footer="f")
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page ") >= 2


@pytest.mark.parametrize("code", RUBRICS)
def test_english_briefing_has_no_chinese_labels(code):
    _, b = _briefing(code, None)
    en = render_blocks(b, "en", date="2026-01-01", appendix="x_appendix.csv")
    data_words = _data_words(b)
    for bl in en:
        texts = [bl.get("text", ""), bl.get("caption", "")] + list(bl.get("columns", ()))
        for s in texts:
            for w in sorted(data_words, key=len, reverse=True):
                s = s.replace(w, " ")
            assert not CJK.search(s), (bl["kind"], s)
    headings = [bl["text"] for bl in en if bl["kind"] == "heading"]
    assert TEXT["en"]["sec_summary"] in headings and TEXT["en"]["sec_results"] in headings


def test_catalogue_is_complete_in_both_languages():
    zh, en = TEXT["zh"], TEXT["en"]
    assert set(zh) == set(en)
    for key, value in en.items():
        assert not CJK.search(value), key
    fields = re.compile(r"{(\w+)")
    # words every sentence is given (subject, score name); others must be the same in both languages
    common = {"subj", "Subj", "subj_one", "counter", "score", "Score", "other"}
    for key in zh:
        assert set(fields.findall(zh[key])) - common == set(fields.findall(en[key])) - common, key
