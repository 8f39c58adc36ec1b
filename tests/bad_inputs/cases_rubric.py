"""Hostile and broken rubric files (read by ``workbench check`` and every command)."""

from __future__ import annotations

import workbench as wb
from workbench.errors import RubricError

from ._make import SMALL_RUBRIC, Setup, alias_bomb, case, check_argv, data, rubric, score_argv, write


def _rubric_case(id, text, where=(), *, encoding="utf-8"):
    """A rubric whose text is ``text`` (str, bytes, or a function of SMALL_RUBRIC)."""

    def make(folder, out):
        body = text(SMALL_RUBRIC) if callable(text) else text
        p = write(folder, "r.yaml", body, encoding)
        return Setup(check_argv(p), "r.yaml", api=lambda: wb.load_rubric(p))

    case(f"rubric-{id}", "rubric YAML", error=RubricError, where=where)(make)


def _add(line):
    return lambda t: t + line


def _sub(old, new):
    def edit(t):
        assert old in t, old
        return t.replace(old, new, 1)

    return edit


# ---- expansion, size and structure limits of the YAML loader
_rubric_case("alias-bomb", alias_bomb(), ("anchors and aliases", "line"))
_rubric_case("alias-bomb-unknown-key", lambda t: t + "extra:\n" + alias_bomb(indent="  "), ("anchors",))
_rubric_case("alias-bomb-in-meta", lambda t: t + "meta:\n" + alias_bomb(indent="  "), ("anchors",))
_rubric_case(
    "merge-key-bomb",
    "b0: &b0 {"
    + ", ".join(f"k{i}: x" for i in range(20))
    + "}\n"
    + "".join(f"b{i}: &b{i} [" + ",".join([f"*b{i - 1}"] * 20) + "]\n" for i in range(1, 6))
    + "c: {<<: *b0, z: 1}\n",
    ("anchors",),
)
_rubric_case("recursive-alias", "code: x\nname: y\nblocks: &a [*a]\n", ("refers to itself",))
_rubric_case("nesting-100", "code: x\nname: y\nmeta: " + "[" * 100 + "]" * 100 + "\n", ("nests", "limit"))
_rubric_case("nesting-5000", "code: x\nblocks: " + "[" * 5000 + "]" * 5000 + "\n", ("malformed YAML",))
_rubric_case("python-object-tag", "code: !!python/object/apply:os.system ['echo pwned']\n", ("line 1",))
_rubric_case("python-name-tag", "code: x\nname: !!python/name:os.system\n", ("line 2",))
_rubric_case("bad-binary", "code: x\nname: !!binary '%%%'\n", ("line 2",))
_rubric_case("huge-integer", "code: x\nname: y\nscale: " + "9" * 6000 + "\n", ("cannot be read",))
_rubric_case("impossible-date", "code: x\nname: y\nsource: 2024-13-45\n", ("cannot be read",))
_rubric_case("two-documents", "code: x\n---\ncode: y\n", ("malformed YAML",))
_rubric_case("nul-byte", "code: x\nname: a\x00b\n", ("malformed YAML",))
_rubric_case("gbk-encoded", lambda t: t, ("not UTF-8",), encoding="gbk")
_rubric_case("empty-file", "", ("must be a mapping",))
_rubric_case("top-level-list", "- code: x\n", ("must be a mapping",))
_rubric_case("tab-indentation", "code: x\nblocks:\n\t- code: a\n", ("line 3",))
_rubric_case("unclosed-quote", 'code: x\nname: "三会一课"落实率\n', ("line 2",))
_rubric_case("unhashable-key", "code: x\nname: y\n? [a, b]\n: 1\n", ("unhashable",))


def _sparse(folder, out):
    p = folder / "r.yaml"
    with p.open("wb") as fh:  # a sparse 100 MB file: refused from its size, never read
        fh.truncate(100 * 1024 * 1024)
    return Setup(check_argv(p), "r.yaml", api=lambda: wb.load_rubric(p))


case("rubric-over-size-limit", "rubric YAML", error=RubricError, where=("bytes, over the limit",))(_sparse)

# ---- characters that must not reach terminals, HTML or charts
_rubric_case("code-with-nul-escape", _sub("code: small", 'code: "sm\\0all"'), ("key 'code'", "U+0000"))
_rubric_case("name-with-rlo", _sub("name: 小型测试方案", 'name: "方案\\u202Etxt.exe"'), ("U+202E",))
_rubric_case(
    "indicator-name-with-esc", _sub("name: 专题研究次数", 'name: "次数\\e[31m"'), ("U+001B", "blocks[0]")
)
_rubric_case("block-name-bell", _sub("name: 组织建设", 'name: "组织\\a建设"'), ("U+0007",))

# ---- numbers: non-finite, overflowing, signs the language does not allow
_rubric_case("weight-inf", _sub("weight: 40", "weight: .inf"), ("blocks[0].weight",))
_rubric_case("weight-nan", _sub("weight: 40", "weight: .nan"), ("blocks[0].weight",))
_rubric_case(
    "relative-weights-1e308",
    lambda t: (
        t.replace("weight: 40", "weight: 1.0e+308", 1)
        .replace("weight: 60", "weight: 1.0e+308", 1)
        .replace("scale: 100", "scale: 100\nweighting: relative", 1)
    ),
    ("too large",),
)
_rubric_case(
    "bonus-points-negative", _sub("points: 3}", "points: -3}"), ("bonus.items[0].points", "positive")
)
_rubric_case("deduction-points-negative", _sub("points: 4}", "points: -4}"), ("deductions.items[0].points",))
_rubric_case("scale-inf", _sub("scale: 100", "scale: .inf"), ("'scale'",))
_rubric_case("band-nan", _sub("优秀: 90, 良好: 80", "优秀: .nan, 良好: 80"), ("grades.bands",))
_rubric_case("quota-1e308", _sub("quota: {优秀: 0.34}", "quota: {优秀: 1e308}"), ("grades.quota",))
_rubric_case("rule-target-inf", _sub("target: 4}", "target: .inf}"), ("rule.target",))
_rubric_case("bonus-cap-nan", _sub("bonus: {cap: 5", "bonus: {cap: .nan"), ("bonus.cap",))
_rubric_case("duplicate-code", _sub("code: eval", "code: meet"), ("duplicate code",))
_rubric_case("code-is-boolean", _sub("code: small", "code: yes"), ("must be text",))


# ---- documented safe handling
def _round_trip(folder, out):
    p = rubric(folder, SMALL_RUBRIC.replace("name: 小型测试方案", 'name: "小型\\n测试方案\\tA"'))

    def check(out_folder):
        r = wb.load_rubric(p)
        wb.save_rubric(r, out_folder / "again.yaml")
        again = wb.load_rubric(out_folder / "again.yaml")
        assert r.name == again.name == "小型\n测试方案\tA"

    return Setup(check_argv(p), "r.yaml", check=check)


case("rubric-name-with-newline-round-trips", "rubric YAML", safe="line breaks and tabs kept, round trip")(
    _round_trip
)


def _formula_names(folder, out):
    text = SMALL_RUBRIC.replace("name: 领导重视", 'name: \'=HYPERLINK("http://x","点我")\'').replace(
        "name: 组织建设", "name: '@SUM(1+1)'"
    )
    r, d = rubric(folder, text), data(folder)
    return Setup(score_argv(r, d, out, "--names"), "r.yaml", check=_no_formulas)


case("rubric-block-names-are-formulas", "rubric YAML", safe="headers written as text (leading ')")(
    _formula_names
)


def _script_name(folder, out):
    p = rubric(folder, SMALL_RUBRIC.replace("name: 小型测试方案", "name: <script>alert(1)</script>"))
    return Setup(check_argv(p), "r.yaml", check=lambda o: None)


case("rubric-name-is-html", "rubric YAML", safe="accepted as text; escaped where HTML is written")(
    _script_name
)


def _no_formulas(out):
    from test_outputs import assert_no_formulas  # the writer walk's own check

    files = [p for p in out.rglob("*") if p.is_file()]
    assert files, "the safe case wrote nothing"
    for p in files:
        assert_no_formulas(p)
