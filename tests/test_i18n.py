"""The message catalogue: every marked text has its Chinese, the compiled catalogue is current, and
the language is chosen by --lang, WORKBENCH_LANG or the locale (Chinese when nothing says)."""

from __future__ import annotations

import gettext
import string
from pathlib import Path

import pytest

import workbench
from workbench import _i18n
from workbench._i18n import _, _n, language, normalise_language, set_language, use_language

babel = pytest.importorskip("babel")
from babel.messages.extract import extract_from_dir  # noqa: E402
from babel.messages.pofile import read_po  # noqa: E402

PACKAGE = Path(workbench.__file__).parent
PO = PACKAGE / "locale" / "zh_CN" / "LC_MESSAGES" / "workbench.po"
MO = PO.with_suffix(".mo")
KEYWORDS = {"_": None, "_p": ((1, "c"), 2), "_n": (1, 2)}


def _source_messages() -> dict:
    """(context, msgid) -> where, for every text the package marks for translation."""
    found = {}
    for filename, _lineno, message, _comments, context in extract_from_dir(
        PACKAGE, keywords=KEYWORDS, comment_tags=()
    ):
        msgid = message[0] if isinstance(message, tuple) else message
        found[(context, msgid)] = filename
    return found


@pytest.fixture(scope="module")
def catalogue():
    with PO.open("rb") as f:
        return read_po(f, locale="zh_CN")


def _fields(text: str) -> set:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f is not None}


def test_every_marked_text_has_chinese_and_english(catalogue):
    source = _source_messages()
    assert len(source) >= 10
    entries = {(m.context, m.id[0] if isinstance(m.id, tuple) else m.id): m for m in catalogue if m.id}
    missing = sorted(
        f"{where}: {msgid!r}" for (ctx, msgid), where in source.items() if (ctx, msgid) not in entries
    )
    assert not missing, "texts without a catalogue entry (run `make i18n` and translate):\n" + "\n".join(
        missing
    )
    untranslated = [
        k for k, m in entries.items() if not (all(m.string) if isinstance(m.string, tuple) else m.string)
    ]
    assert not untranslated, f"entries without Chinese: {untranslated[:20]}"
    fuzzy = [k for k, m in entries.items() if m.fuzzy]
    assert not fuzzy, f"fuzzy entries (check and clear the flag): {fuzzy[:20]}"
    stale = sorted(k for k in entries if k not in source)
    assert not stale, f"catalogue entries no longer in the source (run `make i18n`): {stale[:20]}"
    # English is the source language: the msgid is the English text, and must be non-empty
    assert all(msgid.strip() or msgid == ", " for _, msgid in source)


def test_translations_keep_the_fields_of_their_source(catalogue):
    for m in catalogue:
        if not m.id:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        for s in strings:
            assert _fields(s) == _fields(ids[0]), (m.id, s)


def test_catalogue_passes_babels_checks(catalogue):
    # e.g. a literal % in a text makes it a python-format message whose translation must match
    problems = [(m.id, [str(e) for e in errors]) for m, errors in catalogue.check() if errors]
    assert not problems, problems[:10]


def test_compiled_catalogue_is_current(catalogue):
    with MO.open("rb") as f:
        compiled = gettext.GNUTranslations(f)
    for m in catalogue:
        if not m.id:
            continue
        if isinstance(m.id, tuple):
            assert compiled.ngettext(m.id[0], m.id[1], 1) == m.string[0], m.id
        elif m.context:
            assert compiled.pgettext(m.context, m.id) == m.string, m.id
        else:
            assert compiled.gettext(m.id) == m.string, m.id


@pytest.mark.parametrize(
    "value, expected",
    [
        ("zh", "zh"),
        ("zh_CN.UTF-8", "zh"),
        ("zh-Hans", "zh"),
        ("ZH_tw", "zh"),
        ("en_US.UTF-8", "en"),
        ("fr_FR", "en"),
        ("C", None),
        ("C.UTF-8", None),
        ("POSIX", None),
        ("", None),
        (None, None),
    ],
)
def test_language_tags(value, expected):
    assert normalise_language(value) == expected


def test_language_order_flag_env_locale_default(monkeypatch):
    for var in ("WORKBENCH_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    set_language(None)
    assert language() == "zh"  # nothing says: Chinese first
    monkeypatch.setenv("LANG", "C.UTF-8")
    assert language() == "zh"
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    assert language() == "en"
    monkeypatch.setenv("LC_ALL", "zh_CN.UTF-8")
    assert language() == "zh"
    monkeypatch.setenv("WORKBENCH_LANG", "en")
    assert language() == "en"
    with use_language("zh"):
        assert language() == "zh"
    assert language() == "en"
    assert set_language("zh") == "zh" and language() == "zh"
    set_language(None)


def test_errors_render_in_the_chosen_language():
    from workbench.errors import DataError, Problem

    with use_language("zh"):
        err = DataError("x", file="a.csv", problems=[Problem("bad", row=3, column="c", hint="fix")] * 2)
        text = str(err)
        assert "第 3 行" in text and "列“c”" in text and "（提示：fix）" in text and "共 2 个问题" in text
        assert _n("{n} problem", "{n} problems", 5).format(n=5) == "共 5 个问题"
    with use_language("en"):
        text = str(DataError("x", file="a.csv", problems=[Problem("bad", row=3, column="c")] * 2))
        assert "row 3" in text and "column 'c'" in text and "(2 problems)" in text
        assert _("row {row}") == "row {row}"
    _i18n.translations.cache_clear()
