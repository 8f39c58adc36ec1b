"""Messages in Chinese and English, through one gettext catalogue.

Every user-facing text of the package (command-line help and progress, error messages, briefing
labels) is written in English in the source, marked with :func:`_` (or :func:`_p` when a short label
needs a context, :func:`_n` for plurals), and translated through the catalogue
``workbench/locale/zh_CN/LC_MESSAGES/workbench.po`` (compiled to ``.mo`` by ``make i18n``; a test
checks that every marked text has its Chinese and that the compiled file is current). English is the
source language, so an English run needs no catalogue.

The language is, in order: :func:`set_language` (the CLI's ``--lang``), the environment variable
``WORKBENCH_LANG``, the locale (``LC_ALL``, ``LC_MESSAGES``, ``LANG``: ``zh_*`` gives Chinese, any
other language English), and Chinese when nothing says otherwise (the people who read our messages
read Chinese first).

Texts with fields are translated first and filled in afterwards, so translators see the fields::

    raise DataError(_("column {column} is not numeric").format(column=name))
"""

from __future__ import annotations

import contextlib
import functools
import gettext
import os
from importlib import resources

__all__ = ["LANGUAGES", "language", "set_language", "use_language", "normalise_language", "_", "_p", "_n"]

DOMAIN = "workbench"
LANGUAGES = ("zh", "en")
_CATALOGUE = {"zh": "zh_CN"}
_chosen: list[str | None] = [None]


def normalise_language(value: str | None) -> str | None:
    """``'zh'``, ``'zh_CN.UTF-8'``, ``'zh-Hans'``, ``'cn'`` → ``'zh'``; other language tags → ``'en'``."""
    if not value:
        return None
    tag = str(value).strip().lower().replace("-", "_")
    if not tag or tag in ("c", "posix") or tag.startswith("c."):
        return None
    return "zh" if tag.startswith(("zh", "cn", "chinese")) else "en"


def language() -> str:
    """The language messages are shown in now: ``'zh'`` or ``'en'``."""
    if _chosen[0]:
        return _chosen[0]
    env = os.environ
    return _from_environment(
        env.get("WORKBENCH_LANG"), env.get("LC_ALL"), env.get("LC_MESSAGES"), env.get("LANG")
    )


@functools.lru_cache(maxsize=64)
def _from_environment(*values: str | None) -> str:
    # cached on the variables' values: messages are built in hot paths (one per cell checked)
    for value in values:
        lang = normalise_language(value)
        if lang:
            return lang
    return "zh"


def set_language(lang: str | None) -> str:
    """Choose the language for this process (``None`` goes back to the environment); returns it."""
    _chosen[0] = normalise_language(lang)
    return language()


@contextlib.contextmanager
def use_language(lang: str | None):
    """Show messages in ``lang`` inside a ``with`` block (briefings in English, tests)."""
    before = _chosen[0]
    set_language(lang)
    try:
        yield language()
    finally:
        _chosen[0] = before


@functools.cache
def translations(lang: str) -> gettext.NullTranslations:
    """The compiled catalogue of a language (English is the source: no catalogue needed)."""
    if lang not in _CATALOGUE:
        return gettext.NullTranslations()
    folder = resources.files("workbench").joinpath("locale")
    return gettext.translation(DOMAIN, localedir=str(folder), languages=[_CATALOGUE[lang]])


def _(message: str) -> str:
    """``message`` in the current language."""
    return translations(language()).gettext(message)


def _p(context: str, message: str) -> str:
    """``message`` in the current language, for a short label whose meaning depends on ``context``."""
    return translations(language()).pgettext(context, message)


def _n(singular: str, plural: str, n: int) -> str:
    """Singular or plural ``message`` for ``n``, in the current language."""
    return translations(language()).ngettext(singular, plural, n)
