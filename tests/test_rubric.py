"""Rubric language: loading, weights, round trips, every bad input, and a fuzzed loader."""

from __future__ import annotations

import textwrap

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import workbench as wb
from workbench.errors import RubricError, WorkbenchError
from workbench.rubric._parse import parse_rubric_dict, parse_rubric_text


def load(text: str):
    return parse_rubric_text(textwrap.dedent(text), file="test.yaml")


def problems_of(text: str) -> str:
    with pytest.raises(RubricError) as info:
        load(text)
    assert info.value.file == "test.yaml"
    return str(info.value)


BASE = """
code: r
name: 方案
scale: 100
blocks:
  - code: a
    name: 甲
    weight: 60
    indicators:
      - {code: a1, name: 甲一, weight: 60, rule: {type: linear, lo: 0, hi: 10}}
  - code: b
    name: 乙
    weight: 40
    indicators:
      - {code: b1, name: 乙一, weight: 40, rule: {type: linear, lo: 0, hi: 10}}
"""


def test_load_small(small_rubric_path):
    r = wb.load_rubric(small_rubric_path)
    assert r.indicators == ["meet", "eval", "rate", "check"]
    assert r.top_blocks == ["lead", "org"]
    assert r.blocks == ["lead", "org", "org1", "org2"]
    assert r.full_marks()[["meet", "rate"]].tolist() == [20, 30]
    assert r.effective_weights()[r.indicators].sum() == pytest.approx(1)
    assert r.levels()[["meet", "org1", "org"]].tolist() == [1, 2, 3]
    assert "小型测试方案" in repr(r)


def test_relative_weights_normalise_within_parent():
    r = load(
        BASE.replace("scale: 100", "scale: 100\nweighting: relative")
        .replace("weight: 60", "weight: 3")
        .replace("weight: 40", "weight: 1")
    )
    assert r.local_weights()[["a", "b"]].tolist() == [0.75, 0.25]
    assert r.full_marks()["a1"] == 75


def test_only_child_inherits_points():
    r = load(BASE.replace("{code: a1, name: 甲一, weight: 60,", "{code: a1, name: 甲一,"))
    assert r.full_marks()["a1"] == 60


def test_round_trip(small_rubric_path, tmp_path):
    r = wb.load_rubric(small_rubric_path)
    out = wb.save_rubric(r, tmp_path / "copy.yaml")
    again = wb.load_rubric(out)
    assert again.to_dict() == r.to_dict()
    assert again.full_marks().equals(r.full_marks())
    # rules written in points come back in points
    assert again.to_dict()["blocks"][0]["indicators"][1]["rule"]["points"]["良"] == 16


def test_with_weights_global_and_local(small_rubric_path, tmp_path):
    r = wb.load_rubric(small_rubric_path)
    g = r.with_weights({"meet": 0.1, "eval": 0.1, "rate": 0.4, "check": 0.4}, level="global")
    assert g.full_marks()[["lead", "org", "rate"]].tolist() == pytest.approx([20, 80, 40])
    # points stay consistent: children sum to their parent, so the file reloads
    again = wb.load_rubric(wb.save_rubric(g, tmp_path / "g.yaml"))
    assert again.full_marks()["rate"] == pytest.approx(40)
    loc = r.with_weights({"lead": 1, "org": 1})
    assert loc.full_marks()["lead"] == pytest.approx(50)
    with pytest.raises(RubricError, match="not in rubric"):
        r.with_weights({"zzz": 1})
    with pytest.raises(RubricError, match="cover every indicator"):
        r.with_weights({"meet": 1}, level="global")


# ----------------------------------------------------------------------------- bad input
def test_malformed_yaml_names_line():
    msg = problems_of("code: r\nname: x\nblocks:\n  - code: a\n    name: [unclosed\n")
    assert "line" in msg and "malformed YAML" in msg


def test_yaml_quote_hint():
    err = pytest.raises(RubricError, load, 'code: r\nname: "三会一课"落实率\n').value
    assert "Chinese quotes" in err.hint


def test_unknown_rule_type():
    msg = problems_of(
        BASE.replace("type: linear, lo: 0, hi: 10}}\n  - code: b", "type: magic}}\n  - code: b")
    )
    assert (
        "unknown rule type 'magic'" in msg
        and "blocks[0].indicators[0].rule.type" in msg
        and "(line 10)" in msg
    )


def test_duplicate_code():
    assert "duplicate code 'a1'" in problems_of(BASE.replace("code: b1", "code: a1"))


def test_missing_code():
    assert "'code' is required" in problems_of(BASE.replace("{code: b1, name", "{name"))


def test_parent_does_not_exist():
    text = (
        BASE
        + "indicators:\n  - {code: c1, name: 丙, parent: nowhere, weight: 1, rule: {type: linear, lo: 0, hi: 1}}\n"
    )
    assert "parent 'nowhere' of 'c1' does not exist" in problems_of(text)


def test_negative_and_zero_weights():
    assert "must not be negative" in problems_of(BASE.replace("weight: 60,", "weight: -60,"))
    text = (
        BASE.replace("scale: 100", "scale: 100\nweighting: relative")
        .replace("weight: 60", "weight: 0")
        .replace("weight: 40", "weight: 0")
    )
    assert "all zero" in problems_of(text)


def test_points_do_not_add_up():
    msg = problems_of(BASE.replace("weight: 40,", "weight: 35,"))
    assert "sum to 35 points but 'b' has 40" in msg


def test_quota_over_100_percent():
    grades = "grades: {bands: {优秀: 90, 良好: 80, 较差: 0}, quota: {优秀: 0.7, 良好: 0.5}}\n"
    assert "over 100%" in problems_of(BASE + grades)
    assert "write 0.2 for 20%" in problems_of(
        BASE + "grades: {bands: {优秀: 90, 较差: 0}, quota: {优秀: 20}}\n"
    )


def test_bands_must_fall_and_reach_zero():
    assert "falling bounds" in problems_of(BASE + "grades: {bands: {优秀: 80, 良好: 90, 较差: 0}}\n")
    assert "lower scores get no grade" in problems_of(BASE + "grades: {bands: {优秀: 90, 合格: 60}}\n")


def test_unknown_key_suggests():
    msg = problems_of(BASE.replace("weight: 60\n", "wieght: 60\n"))
    assert "unknown key 'wieght'" in msg and "did you mean 'weight'" in msg


def test_all_problems_at_once():
    text = BASE.replace("type: linear, lo: 0, hi: 10}}\n  - code: b", "type: magic}}\n  - code: b").replace(
        "code: b1", "code: a1"
    )
    err = pytest.raises(RubricError, load, text).value
    assert len(err.problems) == 2


def test_veto_and_scheme_validation():
    msg = problems_of(
        BASE + "grades: {bands: {优秀: 90, 较差: 0}}\nveto: [{code: v, name: 否决, cap_grade: 良好}]\n"
    )
    assert "'cap_grade' must be one of the grades" in msg
    assert "unknown scheme type" in problems_of(BASE + "scheme: {type: triple}\n")
    assert "'party_weight' is a share" in problems_of(
        BASE + "scheme: {type: weighted, party_weight: 2, other: {column: e}}\n"
    )


def test_rule_fits_kind():
    msg = problems_of(
        BASE.replace(
            "rule: {type: linear, lo: 0, hi: 10}}\n  - code: b",
            "kind: checklist, rule: {type: linear, lo: 0, hi: 10}}\n  - code: b",
        )
    )
    assert "does not fit a checklist indicator" in msg


def test_missing_file_and_encoding(tmp_path):
    with pytest.raises(RubricError, match="not found"):
        wb.load_rubric(tmp_path / "none.yaml")
    p = tmp_path / "gbk.yaml"
    p.write_bytes("name: 党建\n".encode("gbk"))
    with pytest.raises(RubricError, match="not UTF-8"):
        wb.load_rubric(p)


def test_safe_load_only():
    # a python-object tag must not construct anything
    msg = problems_of("!!python/object/apply:os.system ['echo hacked']\n")
    assert "malformed YAML" in msg


def test_table_form_asem():
    from conftest import ROOT

    r = wb.rubric_from_table(ROOT / "data/samples/asem/ASEM_iMeta.csv")
    assert len(r.indicators) == 49 and r.top_blocks == ["Conn", "Sust"]
    assert len(r.blocks) == 10
    assert r["Flights"].denominator == "Population"
    eff = r.effective_weights()
    for parent in r.blocks + [r.root]:
        assert eff[r.children(parent)].sum() == pytest.approx(eff[parent])


def test_table_form_bad():
    import pandas as pd

    bad = pd.DataFrame(
        {
            "iCode": ["x", "y"],
            "Parent": [None, "nope"],
            "Level": [2, 1],
            "Direction": [1, 1],
            "Weight": [1, 1],
        }
    )
    with pytest.raises(RubricError, match="parent 'nope'"):
        wb.rubric_from_table(bad)
    with pytest.raises(RubricError, match="lacks columns"):
        wb.rubric_from_table(pd.DataFrame({"iCode": ["x"]}))


# ----------------------------------------------------------------------------- fuzzing
yaml_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 200),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=6),
    st.sampled_from(["linear", "bands", "grade_map", "优秀", "points", "relative", "a", "b"]),
)
keys = st.sampled_from(
    [
        "code",
        "name",
        "weight",
        "blocks",
        "indicators",
        "rule",
        "type",
        "lo",
        "hi",
        "points",
        "scores",
        "kind",
        "grades",
        "bands",
        "quota",
        "veto",
        "bonus",
        "items",
        "cap",
        "scheme",
        "parent",
        "direction",
        "missing",
        "categories",
        "column",
        "groups",
        "weights",
        "scale",
        "weighting",
        "target",
        "matrix",
        "other",
    ]
)
trees = st.recursive(
    yaml_scalars,
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(keys, children, max_size=6)),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(trees)
def test_fuzz_structures_only_raise_workbench_errors(data):
    try:
        if isinstance(data, dict):
            parse_rubric_dict(data)
        else:
            parse_rubric_text(yaml.safe_dump(data, allow_unicode=True))
    except WorkbenchError:
        pass


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_fuzz_text_only_raises_workbench_errors(text):
    try:
        parse_rubric_text(text)
    except WorkbenchError:
        pass


RULE_KEYS = [
    "type",
    "lo",
    "hi",
    "points",
    "scores",
    "target",
    "cap",
    "per_item",
    "floor",
    "otherwise",
    "unit",
]


@settings(max_examples=300, deadline=None)
@given(
    st.integers(0, 3),
    st.sampled_from(["weight", "rule", "code", "name", "kind", "direction", "missing", *RULE_KEYS]),
    st.one_of(
        yaml_scalars,
        st.lists(yaml_scalars, max_size=3),
        st.dictionaries(st.text(max_size=3), yaml_scalars, max_size=3),
    ),
)
def test_fuzz_mutated_valid_rubric(which, key, value):
    from conftest import SMALL_RUBRIC

    data = yaml.safe_load(SMALL_RUBRIC)
    leaves = data["blocks"][0]["indicators"] + [b["indicators"][0] for b in data["blocks"][1]["blocks"]]
    leaf = leaves[which]
    if key in RULE_KEYS:
        leaf["rule"][key] = value
    else:
        leaf[key] = value
    try:
        parse_rubric_dict(data)
    except WorkbenchError:
        pass
