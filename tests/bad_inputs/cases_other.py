"""Scenario files, expert sheets, report filings and the paths every command writes to."""

from __future__ import annotations

import os

import pandas as pd

import workbench as wb
from workbench.errors import DataError, JudgmentError, OutputError, SpecError, WorkbenchError
from workbench.scenario import apply_scenario, load_scenario

from ._make import CQ, PANEL, ROOT, SAMPLES, Setup, alias_bomb, case, data, rubric, write, xlsx

COUNTY = SAMPLES / "county_organs.csv"


# ---- scenario files (workbench brief --scenario)
def _scenario_case(id, text, where=(), *, encoding="utf-8"):
    def make(folder, out):
        s = write(folder, "s.yaml", text, encoding)
        argv = ["brief", "--rubric", str(CQ), "--data", str(COUNTY), "--scenario", str(s), "--out", str(out)]
        argv += ["--format", "html", "--draws", "10"]
        api = lambda: apply_scenario(wb.load_rubric(CQ), load_scenario(s))  # noqa: E731
        return Setup(argv, "s.yaml", api=api)

    case(f"scenario-{id}", "scenario YAML", error=SpecError, where=where)(make)


_scenario_case("alias-bomb-in-description", "name: s\ndescription:\n" + alias_bomb(indent="  "), ("anchors",))
_scenario_case("recursive-alias", "name: s\nweights: &w {leadership: *w}\n", ("refers to itself",))
_scenario_case("name-with-rlo", 'name: "方案\\u202E10"\n', ("'name'", "U+202E"))
_scenario_case("description-with-nul", 'name: s\ndescription: "a\\0b"\n', ("'description'", "U+0000"))
_scenario_case("weight-inf", "name: s\nweights: {leadership: .inf}\n", ("weights.leadership",))
_scenario_case("weight-1e308", "name: s\nweights: {leadership: 1e308}\n", ("weights.leadership",))
_scenario_case("weight-unknown-code", "name: s\nweights: {nope: 3}\n", ("nope",))
_scenario_case("band-text", "name: s\nbands: {优秀: abc, 较差: 0}\n", ("bands.优秀",))
_scenario_case("band-nan", "name: s\nbands: {优秀: .nan, 较差: 0}\n", ("bands.优秀",))
_scenario_case("quota-nan", "name: s\nquota: {优秀: .nan}\n", ("quota",))
_scenario_case("party-weight-inf", "name: s\nscheme: {type: weighted, party_weight: .inf, other: {column: econ_score}}\n",
               ("party_weight",))  # fmt: skip
_scenario_case("other-not-a-mapping", "name: s\nscheme: {type: weighted, other: text}\n", ("scheme.other",))
_scenario_case("other-scale-zero", "name: s\nscheme: {type: weighted, other: {column: econ_score, scale: 0}}\n",
               ("scheme.other.scale",))  # fmt: skip
_scenario_case("python-tag", "name: !!python/object/apply:os.system ['id']\n", ("line 1",))
_scenario_case("top-level-list", "- name: s\n", ("mapping",))
_scenario_case("veto-text", "name: s\nveto: yes please\n", ("'veto'",))
_scenario_case("gbk-encoded", "name: 党建权重\n", ("not UTF-8",), encoding="gbk")
_scenario_case("unknown-key", "name: s\nweight: {leadership: 2}\n", ("weight",))


def _missing_scenario(folder, out):
    s = folder / "s.yaml"
    argv = ["brief", "--rubric", str(CQ), "--data", str(COUNTY), "--scenario", str(s), "--out", str(out)]
    return Setup(argv, "s.yaml", api=lambda: load_scenario(s))


case("scenario-missing-file", "scenario YAML", error=SpecError, where=("not found",))(_missing_scenario)


# ---- expert sheets (workbench ahp)
def _panel_text() -> str:
    return PANEL.read_text(encoding="utf-8")


def _judgment(text: str, value: str) -> str:
    lines = text.splitlines()
    parts = lines[1].split(",")
    parts[2] = value  # E01's first judgment (leadership_vs_ideology)
    lines[1] = ",".join(parts)
    return "\n".join(lines) + "\n"


def _ahp_argv(sheet, out, *extra, rubric_path=CQ):
    return [
        "ahp",
        "--sheet-file",
        str(sheet),
        "--rubric",
        str(rubric_path),
        "--out",
        str(out),
        "--n-boot",
        "0",
        *extra,
    ]


def _expert_case(id, edit, error, where=(), *, encoding="utf-8"):
    def make(folder, out):
        e = write(folder, "e.csv", edit(_panel_text()), encoding)
        api = lambda: wb.calibration.panel_from_sheet(e, wb.load_rubric(CQ))  # noqa: E731
        return Setup(_ahp_argv(e, out), "e.csv", api=api)

    case(f"expert-{id}", "expert sheet", error=error, where=where)(make)


_expert_case(
    "cell-1-over-0", lambda t: _judgment(t, "1/0"), JudgmentError, ("row 2", "leadership_vs_ideology")
)
_expert_case("cell-inf", lambda t: _judgment(t, "inf"), JudgmentError, ("row 2",))
_expert_case("cell-minus-inf", lambda t: _judgment(t, "-inf"), JudgmentError, ("row 2",))
_expert_case("cell-infinity-sign", lambda t: _judgment(t, "∞"), JudgmentError, ("row 2",))
_expert_case("cell-1e308", lambda t: _judgment(t, "1e308"), JudgmentError, ("row 2", "scale"))
_expert_case("id-lookalike", lambda t: t.replace("\nE02,", "\nＥ01,", 1), DataError, ("row 2", "row 3"))
_expert_case("id-with-rlo", lambda t: t.replace("\nE02,", "\nE0\u202e2,", 1), DataError, ("row 3", "U+202E"))


def _mixed_panel(folder, out):
    lines = _panel_text().splitlines()
    gbk_row = "E99,国资委处长," + ",".join(lines[2].split(",")[2:])  # pasted from a GBK file
    e = write(folder, "e.csv", ("\n".join(lines) + "\n").encode() + (gbk_row + "\n").encode("gbk"))
    api = lambda: wb.calibration.panel_from_sheet(e, wb.load_rubric(CQ))  # noqa: E731
    return Setup(_ahp_argv(e, out), "e.csv", api=api)


case("expert-mixed-encoding", "expert sheet", error=DataError, where=("mixes encodings",))(_mixed_panel)


def _expert_xlsx(folder, out):
    table = [line.split(",") for line in _panel_text().splitlines()]
    e = xlsx(folder, table, name="e.xlsx", post=lambda ws: ws.__setitem__("XFD1048576", 1))
    api = lambda: wb.calibration.panel_from_sheet(e, wb.load_rubric(CQ))  # noqa: E731
    return Setup(_ahp_argv(e, out), "e.xlsx", api=api)


case("expert-xlsx-far-cell", "expert sheet", error=DataError, where=("XFD1048576",))(_expert_xlsx)


def _formula_experts(folder, out):
    text = _panel_text().replace("\nE01,", "\n=cmd|' /C calc'!A0,", 1).replace("\nE02,", "\n@SUM(1+1),", 1)
    e = write(folder, "e.csv", text)
    from .cases_rubric import _no_formulas

    return Setup(_ahp_argv(e, out), "e.csv", check=_no_formulas)


case("expert-ids-are-formulas", "expert sheet", safe="ids written as text (leading ')")(_formula_experts)


# ---- report filings (workbench.anomalies: check_report reads a frame and a checks file)
def _checks_case(id, text, where=()):
    def make(folder, out):
        c = write(folder, "checks.yaml", text)
        return Setup(None, "checks.yaml", api=lambda: wb.anomalies.parse_checks(c))

    case(f"filings-checks-{id}", "report filings", error=SpecError, where=where)(make)


_checks_case("alias-bomb", "ranges:\n" + alias_bomb(indent="  "), ("anchors",))
_checks_case("python-tag", "ranges: !!python/object/apply:os.system ['id']\n", ("line 1",))
_checks_case("range-inf", "ranges: {members_total: [0, .inf]}\n", ("ranges.members_total",))
_checks_case("not-a-mapping", "- 1\n- 2\n", ("mapping",))


def _filings(folder, out, edit):
    f = pd.read_csv(SAMPLES / "report_filings.csv", dtype={"unit": str}).head(120)
    write(folder, "filings.csv", f.to_csv(index=False))
    return edit(f.copy())


def _filings_formulas(folder, out):
    def run(f):
        f.loc[f.index[:3], "unit_name"] = ['=HYPERLINK("http://x","y")', "@SUM(1)", "-2+3"]
        f["members_total"] = f["members_total"].astype(float)
        f.loc[f.index[:3], "members_total"] = [1e6, 2e6, 3e6]  # flagged, so the names reach the report
        return f

    frame = _filings(folder, out, run)

    def check(out_folder):
        rep = wb.anomalies.check_report(frame)
        rep.to_csv(out_folder / "flags.csv")
        rep.to_excel(out_folder / "flags.xlsx")
        from .cases_rubric import _no_formulas

        _no_formulas(out_folder)

    return Setup(None, "filings.csv", check=check)


case("filings-formula-unit-names", "report filings", safe="report sheets written as text (leading ')")(
    _filings_formulas
)


def _filings_inf(folder, out):
    def run(f):
        f["members_total"] = f["members_total"].astype(float)
        f.loc[f.index[0], "members_total"] = float("inf")
        return f

    frame = _filings(folder, out, run)

    def check(out_folder):
        flags = wb.anomalies.check_report(frame).flags
        hit = flags[(flags["row"] == 0) & (flags["indicator"] == "members_total")]
        assert hit["check"].tolist() == ["not_a_number"], hit

    return Setup(None, "filings.csv", check=check)


case("filings-inf-figure", "report filings", safe="flagged not_a_number, kept out of peer statistics")(
    _filings_inf
)


# ---- where commands write: never over an input, never outside --out
def _cli_case(id, make, error=OutputError, where=()):
    case(f"cli-{id}", "CLI paths", error=error, where=where)(make)


def _score_onto(target):
    def make(folder, out):
        r, d = rubric(folder), data(folder)
        victim = {"data": d, "rubric": r}[target]
        argv = ["score", "--rubric", str(r), "--data", str(d), "--out", str(victim)]
        return Setup(argv, victim.name)

    return make


_cli_case("score-out-is-the-data", _score_onto("data"), where=("would replace the input",))
_cli_case("score-out-is-the-rubric", _score_onto("rubric"), where=("would replace the input",))


def _score_symlink(folder, out):
    r, d = rubric(folder), data(folder)
    link = folder / "link.csv"
    link.symlink_to(d)
    return Setup(["score", "--rubric", str(r), "--data", str(d), "--out", str(link)], "d.csv")


def _score_hardlink(folder, out):
    r, d = rubric(folder), data(folder)
    os.link(d, folder / "hard.csv")
    return Setup(["score", "--rubric", str(r), "--data", str(d), "--out", str(folder / "hard.csv")], "d.csv")


def _score_dotdot(folder, out):
    r, d = rubric(folder), data(folder)
    sneaky = folder / ".." / folder.name / "." / "d.csv"
    return Setup(["score", "--rubric", str(r), "--data", str(d), "--out", str(sneaky)], "d.csv")


def _input_is_link_to_out(folder, out):
    r, d = rubric(folder), data(folder)
    link = folder / "data_link.csv"
    link.symlink_to(d)
    return Setup(["score", "--rubric", str(r), "--data", str(link), "--out", str(d)], "d.csv")


def _score_out_folder(folder, out):
    r, d = rubric(folder), data(folder)
    (folder / "results").mkdir()
    return Setup(["score", "--rubric", str(r), "--data", str(d), "--out", str(folder / "results")], "results")


_cli_case("score-out-symlink-to-data", _score_symlink, where=("would replace the input",))
_cli_case("score-out-hardlink-to-data", _score_hardlink, where=("would replace the input",))
_cli_case("score-out-dotdot-to-data", _score_dotdot, where=("would replace the input",))
_cli_case("score-data-is-a-link-to-out", _input_is_link_to_out, where=("would replace the input",))
_cli_case("score-out-is-a-folder", _score_out_folder, where=("is a folder",))


def _ahp_onto_rubric(folder, out):
    r = write(folder, "cq.yaml", CQ.read_bytes())
    argv = _ahp_argv(PANEL, out, "--write-rubric", str(r), rubric_path=r)
    return Setup(argv, "cq.yaml")


def _ahp_sheet_in_out(folder, out):
    out.mkdir(exist_ok=True)
    e = write(out, "ahp_weights.csv", PANEL.read_bytes())
    return Setup(_ahp_argv(e, out), "ahp_weights.csv")


_cli_case("ahp-write-rubric-is-the-rubric", _ahp_onto_rubric, where=("would replace the input",))
_cli_case("ahp-sheet-is-an-output", _ahp_sheet_in_out, where=("would replace the input",))


def _brief_out_is_rubric(folder, out):
    r = write(folder, "cq.yaml", CQ.read_bytes())
    argv = ["brief", "--rubric", str(r), "--data", str(COUNTY), "--out", str(r), "--format", "html"]
    return Setup(argv, "cq.yaml")


_cli_case("brief-out-is-the-rubric", _brief_out_is_rubric, where=("would replace the input",))


def _simulate(values):
    def make(folder, out):
        r = ROOT / "indicators" / "comprehensive_2pct.yaml"
        argv = ["simulate", "--rubric", str(r), "--data", str(COUNTY), "--values", values, "--out", str(out)]
        return Setup(argv, "--values")

    return make


_cli_case("simulate-values-1e-9-step", _simulate("0:1:1e-9"), WorkbenchError, ("1,000,000,001 points",))
_cli_case("simulate-values-inf", _simulate("0:inf:0.1"), WorkbenchError, ("finite",))
_cli_case("simulate-values-nan", _simulate("nan,0.1"), WorkbenchError, ("finite",))
_cli_case(
    "simulate-values-1001-list", _simulate(",".join(["0.1"] * 1001)), WorkbenchError, ("at most 1,000",)
)


def _export_missing(folder, out):
    return Setup(["export", str(folder / "nb.py"), "--out", str(out)], "nb.py")


_cli_case("export-notebook-missing", _export_missing, WorkbenchError, ("not found",))


def _rubric_is_folder(folder, out):
    (folder / "r.yaml").mkdir()
    return Setup(["check", str(folder / "r.yaml")], "r.yaml", api=lambda: wb.load_rubric(folder / "r.yaml"))


case("cli-check-rubric-is-a-folder", "CLI paths", error=WorkbenchError, where=("cannot read",))(
    _rubric_is_folder
)


def _code_is_a_path(folder, out):
    text = (ROOT / "indicators" / "comprehensive_2pct.yaml").read_text(encoding="utf-8")
    escape = folder.parent / "elsewhere" / "evil"
    r = write(folder, "r.yaml", text.replace("code: comprehensive_2pct", f"code: {escape}", 1))
    argv = ["simulate", "--rubric", str(r), "--data", str(COUNTY), "--values", "0.02,0.1", "--out", str(out)]

    def check(out_folder):
        assert not (folder.parent / "elsewhere").exists()
        names = sorted(p.name for p in out_folder.iterdir())
        assert len(names) == 3 and all(
            "/" not in n and n.endswith(("sweep.csv", "points.csv", "sweep.png")) for n in names
        )

    return Setup(argv, "r.yaml", check=check)


case("cli-rubric-code-is-a-path", "CLI paths", safe="file names made safe; everything inside --out")(
    _code_is_a_path
)
