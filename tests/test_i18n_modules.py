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


def test_agreement_errors_warnings_and_notes_in_chinese(zh):
    from workbench import agreement as ag
    from workbench.agreement._common import DroppedRatingsWarning
    from workbench.errors import DataError

    t = pd.DataFrame({"张": ["优秀", "良"], "王": ["好", "一般"]}, index=["单位1", "单位2"])
    with pytest.raises(DataError) as err:
        ag.encode_grades(t)
    text = str(err.value)
    assert "等次词不在等次顺序中（共 2 个问题）" in text and "单位 '单位2' 的等次词 '良' 无法识别" in text
    with pytest.raises(DataError, match="fleiss_kappa 要求每个单位的评委人数相同；多数单位为 3 人"):
        ag.fleiss_kappa([[3, 0], [2, 1], [1, 2], [1, 1]])
    # dropped units warn in a category of their own, so callers filter it whatever the language
    with pytest.warns(DroppedRatingsWarning, match="icc：3 个单位中有 1 个缺少评分，已剔除"):
        ag.icc([[1, 2, 3], [2, 3, 4], [np.nan, 1, 2]])
    with pytest.warns(UserWarning):
        res = ag.krippendorff_alpha(np.full((5, 3), 3.0), level="interval")
    assert "无定义（所有评分相同）" in repr(res) and "说明" in repr(res)


def test_qualquant_errors_and_sentences_in_chinese(zh):
    from workbench.errors import DataError
    from workbench.qualquant import read_ratings

    ratings = ROOT / "data" / "samples" / "democratic_evaluation.csv"
    with pytest.raises(DataError, match="read_ratings：测评表中没有自评列 'ME'；现有列为"):
        read_ratings(ratings, self_rater="ME")
    sheet = read_ratings(ratings, self_rater="SELF")
    assert "缺失评分数: 22" in repr(sheet) and "自评列: SELF" in repr(sheet)


def test_anomalies_errors_in_chinese(zh):
    from workbench.anomalies import check_report
    from workbench.errors import DataError, SpecError

    with pytest.raises(DataError, match="check_report 需要 DataFrame，实际为 list"):
        check_report([1, 2], {})
    table = pd.DataFrame({"unit": ["A", "B"], "total": [3, 4]})
    with pytest.raises(SpecError) as err:
        check_report(table, {"ranges": {"total": [5, 1]}, "colour": 1}, period=None)
    text = str(err.value)
    assert (
        "核查规则有误（共 2 个问题）" in text
        and "最小值 5 大于最大值 1" in text
        and "未知的键 'colour'" in text
    )


def test_weighting_and_mcda_errors_in_chinese(zh):
    from workbench import mcda
    from workbench.errors import DataError, ModelError, SpecError
    from workbench.weighting import regression

    data = pd.DataFrame({"a": [1.0, np.nan, 3.0, 4.0], "b": [2.0, 1.0, 4.0, 3.0]}, index=list("PQRS"))
    with pytest.raises(SpecError, match="“directions”须为每个指标列给出一个方向。缺少 'b'。"):
        mcda.topsis(data.fillna(2.0), [0.5, 0.5], directions={"a": 1})
    x = pd.DataFrame({"a": [1.0, 2, 3, 4, 5, 6], "b": [2.0, 4, 6, 8, 10, 12.01]})
    with pytest.raises(ModelError, match="指标共线：'a' 与 'b'（r = 1.0000）"):
        regression(x, [1.0, 2, 2, 3, 3, 4])
    with pytest.raises(DataError, match="在行 'Q' 的列 'a' 有缺失值"):
        regression(data, [1.0, 2, 3, 4])


def test_incentives_errors_and_summary_in_chinese(zh):
    from workbench.errors import SpecError
    from workbench.incentives import Institution, VetoRisk

    with pytest.raises(SpecError, match="VetoRisk：一票否决事项 'v1'（安全事故）的“p0”须为"):
        VetoRisk(code="v1", name="安全事故", p0=1.5, scale=1.0)
    with pytest.raises(SpecError, match=r"“weights”须为每项任务 \['party', 'work'\] 各给一个权重；缺少"):
        Institution(name="x", tasks=("party", "work"), weights={"party": 1.0}, party=(True, False))


def test_scoring_steps_errors_and_summary_in_chinese(zh):
    import workbench
    from workbench.composite import Spec, apply_overrides, build_index
    from workbench.errors import DataError, SpecError

    with pytest.raises(SpecError, match="Spec 字段“screen.min_share”：应为有限数 >= 0 且 <= 1，实际为 1.5"):
        Spec(screen={"min_share": 1.5})
    with pytest.raises(SpecError, match="无法设置 'treat.winmax'：本 spec 中步骤 'treat' 未启用"):
        apply_overrides(Spec(), {"treat.winmax": 2})
    asem = ROOT / "data" / "samples" / "asem"
    rubric = workbench.rubric_from_table(asem / "ASEM_iMeta.csv")
    data = workbench.read_table(asem / "ASEM_iData.csv")
    with pytest.raises(DataError, match="aggregate：方法 'gmean' 要求取值为正数，但单位/组成部分"):
        build_index(rubric, data, Spec(aggregate="gmean"))
    assert "综合指数" in repr(build_index(rubric, data, Spec()))


def test_anomaly_flags_speak_both_languages_whatever_the_language():
    from workbench.anomalies import check_report

    table = pd.DataFrame({"unit": ["A", "B"], "total": [12, 5], "full": [10, 4], "prob": [1, 1]})
    checks = {"sum": {"total": ["full", "prob"]}, "names": {"total": "党员总数", "full": "正式党员数"}}
    flags = {}
    for lang in ("zh", "en"):
        with use_language(lang):
            rep = check_report(table, checks, period=None)
            flags[lang] = rep.flags.iloc[0]
            sheet = rep.table("zh")
    for row in flags.values():  # the reason columns do not depend on the language of the moment
        assert row["reason_zh"] == "党员总数（12）不等于正式党员数＋prob（11）"
        assert row["reason_en"] == "total (12) does not equal full + prob (11)"
    assert flags["zh"]["expected"] == "= 11（正式党员数＋prob）"
    assert flags["en"]["expected"] == "= 11 (full + prob)"
    assert (
        list(sheet.columns[:2]) == ["单位代码", "单位名称"] and sheet["检查类型"].iloc[0] == "合计或比率不符"
    )
