"""Shared fixtures: small rubrics and tables written to a temporary folder."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

# Messages come in Chinese by default (workbench._i18n); the suite asserts the English source texts,
# and the tests of the Chinese catalogue (test_i18n.py) switch language explicitly.
os.environ["WORKBENCH_LANG"] = "en"

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "tests" / "reference"  # published cases, copied from the shared reference folder
ASEM = ROOT / "data" / "samples" / "asem"  # the ASEM data (COINr, MIT), bundled with the samples


def reference_cases(name: str) -> dict:
    """The cases of ``tests/reference/<name>`` keyed by id (each case cites its source)."""
    import json

    return {c["id"]: c for c in json.loads((REFERENCE / name).read_text(encoding="utf-8"))}


SMALL_RUBRIC = textwrap.dedent(
    """\
    code: small
    name: 小型测试方案
    scale: 100
    blocks:
      - code: lead
        name: 领导重视
        weight: 40
        indicators:
          - {code: meet, name: 专题研究次数, weight: 20, unit: 次, rule: {type: target_ratio, target: 4}}
          - {code: eval, name: 民主测评, weight: 20, kind: qualitative,
             rule: {type: grade_map, points: {优: 20, 良: 16, 中: 12, 差: 6}}}
      - code: org
        name: 组织建设
        weight: 60
        blocks:
          - code: org1
            name: 支部建设
            weight: 30
            indicators:
              - {code: rate, name: 按期换届率, weight: 30, missing: exempt,
                 rule: {type: bands, points: [[100, 30], [90, 24], [80, 15]], otherwise: 0}}
          - code: org2
            name: 台账
            weight: 30
            indicators:
              - {code: check, name: 台账缺项, weight: 30, kind: checklist,
                 rule: {type: deduction_per_item, per_item: 2, floor: 10}}
    bonus: {cap: 5, stacking: highest, items: [{code: h1, name: 国家级表彰, points: 3}, {code: h2, name: 市级表彰, points: 2}]}
    deductions: {cap: 10, items: [{code: d1, name: 通报批评, points: 4}]}
    veto: [{code: v1, name: 发生重大安全事故}]
    grades: {bands: {优秀: 90, 良好: 80, 一般: 60, 较差: 0}, quota: {优秀: 0.34}}
    """
)

SMALL_DATA = textwrap.dedent(
    """\
    unit,meet,eval,rate,check,h1,h2,d1,v1
    A,4,优,100,0,1,1,0,0
    B,２,良,９５,2,0,1,3,0
    C,5,中,无,1,0,0,0,1
    D,4,优,100,0,0,0,0,0
    """
)


@pytest.fixture
def small_rubric_path(tmp_path) -> Path:
    p = tmp_path / "small.yaml"
    p.write_text(SMALL_RUBRIC, encoding="utf-8")
    return p


@pytest.fixture
def small_data_path(tmp_path) -> Path:
    p = tmp_path / "small.csv"
    p.write_text(SMALL_DATA, encoding="utf-8")
    return p
