"""Messages of the method families come out in Chinese, with their fields filled in, when the language
is Chinese (the rest of the suite runs in English and asserts the English source texts)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from workbench._i18n import use_language
from workbench.errors import JudgmentError

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def zh():
    with use_language("zh"):
        yield


def test_ahp_errors_and_summary_in_chinese(zh):
    from workbench import ahp

    m = pd.DataFrame([[1, 3], [3, 1.0]], index=["党建", "业务"], columns=["党建", "业务"])
    with pytest.raises(JudgmentError) as err:
        ahp.priorities(m)
    text = str(err.value)
    assert "不满足互反性" in text and "(党建, 业务) = 3，而 (业务, 党建) = 3" in text and "5%" in text
    with pytest.raises(JudgmentError, match="缺少判断"):
        ahp.priorities(np.array([[1, np.nan, 2], [np.nan, 1, 3], [0.5, 1 / 3, 1]]))
    text = repr(ahp.priorities(np.array([[1, 3, 5], [1 / 3, 1, 2], [1 / 5, 1 / 2, 1]])))
    assert "AHP 权重（eigen，n=3）" in text and "一致性比率 CR" in text and "saaty1980 表" in text


def test_calibration_errors_and_notes_in_chinese(zh):
    import workbench
    from workbench.calibration import panel_from_sheet

    rubric = workbench.load_rubric(ROOT / "indicators" / "cq_organs.yaml")
    sheet = pd.read_csv(ROOT / "data" / "samples" / "expert_panel.csv", index_col="expert")
    bad = sheet.copy()
    bad.loc["E07", [c for c in bad.columns if c.startswith("leadership_vs_")]] = np.nan
    with pytest.raises(JudgmentError) as err:
        panel_from_sheet(bad, rubric)
    text = str(err.value)
    assert "panel_from_sheet，一级板块" in text and "专家“E07”：比较图不连通" in text
    with pytest.raises(JudgmentError, match="列“leadership_vs_ideolgy”") as err:
        panel_from_sheet(sheet.rename(columns={"leadership_vs_ideology": "leadership_vs_ideolgy"}), rubric)
    assert "是否应为" in str(err.value)  # the suggested spelling, in Chinese
