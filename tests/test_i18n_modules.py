"""Messages of the method families come out in Chinese, with their fields filled in, when the language
is Chinese (the rest of the suite runs in English and asserts the English source texts)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from workbench._i18n import use_language
from workbench.errors import JudgmentError


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
