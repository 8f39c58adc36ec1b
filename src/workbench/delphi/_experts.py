"""Who answered and how much their answers weigh: positive and authority coefficients.

The coding tables are data. The defaults are the tables used throughout Chinese Delphi studies
of indicator systems; their numbers are checked in the tests against a published worked
computation (a BMJ Open Delphi study's Table 4, where Ca = 0.944, Cs = 0.775, Cr = 0.860 are
derived from these codes for 16 experts).
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..errors import DataError, Problem, SpecError
from ._common import as_ratings, names

__all__ = ["BASIS_CODES", "FAMILIARITY_CODES", "authority", "authority_table", "positive_coefficient"]

# 判断依据 (judgment basis, Ca): what an expert's ratings rest on and how strongly (大/中/小).
# All "大" sums to 1.0, all "中" to 0.8, all "小" to 0.6.
BASIS_CODES = {
    "common": {
        "理论分析": {"大": 0.3, "中": 0.2, "小": 0.1},
        "实践经验": {"大": 0.5, "中": 0.4, "小": 0.3},
        "同行了解": {"大": 0.1, "中": 0.1, "小": 0.1},
        "直觉": {"大": 0.1, "中": 0.1, "小": 0.1},
    },
}
# 熟悉程度 (familiarity, Cs). Two codings circulate; "common" is the one of the worked example above,
# "zero_based" (1, 0.8, 0.5, 0.2, 0) appears in other studies. Name the one your protocol used.
FAMILIARITY_CODES = {
    "common": {"很熟悉": 1.0, "熟悉": 0.8, "一般": 0.6, "不太熟悉": 0.4, "很不熟悉": 0.2},
    "zero_based": {"很熟悉": 1.0, "熟悉": 0.8, "一般": 0.5, "不太熟悉": 0.2, "很不熟悉": 0.0},
}
# English answers accepted on read (questionnaires translated for foreign experts)
_ALIASES = {
    "high": "大",
    "medium": "中",
    "low": "小",
    "very familiar": "很熟悉",
    "familiar": "熟悉",
    "moderately familiar": "一般",
    "somewhat familiar": "不太熟悉",
    "unfamiliar": "很不熟悉",
}


def positive_coefficient(ratings) -> float:
    """Expert positive coefficient (专家积极系数): share of invited experts who answered.

    Parameters
    ----------
    ratings : DataFrame or array of shape (n_experts, n_indicators)
        One row per invited expert; a row without any answer is a questionnaire not returned.

    Returns
    -------
    float
        Responded / invited; 0.7 or more is usually read as an engaged panel (Babbie's response
        rate conventions, as used in Delphi studies).

    Examples
    --------
    >>> positive_coefficient([[5, 4], [3, 4], [float("nan"), float("nan")], [4, 4]])
    0.75
    """
    r = as_ratings(ratings, func="positive_coefficient", min_indicators=1)
    return float(r.answered.any(axis=1).sum() / len(r.experts))


def _table(name, given, tables):
    if isinstance(given, Mapping):
        return given
    if given not in tables:
        raise SpecError(
            f"The '{name}' parameter of authority must be one of {sorted(tables)} or a mapping of codes. "
            f"Got {given!r} instead.",
            key=name,
        )
    return tables[given]


def _code(value, codes: Mapping):
    """A coded number for a cell: numbers pass, words are looked up; None for an unknown word."""
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return float(value)
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return np.nan
    word = str(value).strip()
    word = _ALIASES.get(word.lower(), word)
    return codes.get(word)


def _coded(frame: pd.DataFrame, codes: Mapping, problems: list) -> np.ndarray:
    """The answers of ``frame`` as numbers by each column's coding table; an answer not in its
    table is a problem (every one listed) and stays NaN. The tables are small and so are panels
    (tens of experts), so the cells are looked up one by one."""
    coded = np.full(frame.shape, np.nan)
    for j, col in enumerate(frame.columns):
        for i, v in enumerate(frame[col].tolist()):
            c = _code(v, codes[col])
            if c is None:
                problems.append(
                    Problem(
                        f"{v!r} for expert {frame.index[i]!r}; expected one of {list(codes[col])}",
                        row=i + 2,
                        column=str(col),
                    )
                )
            else:
                coded[i, j] = c
    return coded


def _as_frame(x, name) -> pd.DataFrame:
    if isinstance(x, pd.Series):
        return x.to_frame(name)
    if isinstance(x, pd.DataFrame):
        return x
    raise DataError(
        f"authority: '{name}' must be a Series (one answer per expert) or a DataFrame (experts in rows); "
        f"got {type(x).__name__}."
    )


def authority_table(basis, familiarity, *, basis_codes="common", familiarity_codes="common") -> pd.DataFrame:
    """Judgment coefficient Ca, familiarity Cs and authority Cr = (Ca + Cs) / 2 per expert.

    Parameters
    ----------
    basis : DataFrame (experts x basis dimensions) or Series of numbers
        Columns 理论分析, 实践经验, 同行了解, 直觉 holding 大 / 中 / 小 (or high / medium / low, or the
        coded numbers); Ca is the row sum. A numeric Series is taken as Ca itself.
    familiarity : Series or DataFrame (experts x indicators)
        很熟悉 / 熟悉 / 一般 / 不太熟悉 / 很不熟悉 (or numbers in [0, 1]); per-indicator answers
        are averaged per expert.
    basis_codes, familiarity_codes : str or mapping, default="common"
        A named table of :data:`BASIS_CODES` / :data:`FAMILIARITY_CODES`, or your own mapping.

    Returns
    -------
    DataFrame indexed by expert with columns ``ca``, ``cs``, ``cr``.

    Raises
    ------
    DataError
        Unknown answers (every cell listed), experts missing from one of the two inputs, numbers
        outside [0, 1].

    References
    ----------
    The codes and Cr = (Ca + Cs) / 2 as used in Chinese Delphi studies; worked example in BMJ Open
    (Delphi study, Table 4: 16 experts, Ca 0.944, Cs 0.775, Cr 0.860).
    """
    bcodes = _table("basis_codes", basis_codes, BASIS_CODES)
    fcodes = _table("familiarity_codes", familiarity_codes, FAMILIARITY_CODES)
    problems = []
    if isinstance(basis, pd.Series) and pd.api.types.is_numeric_dtype(basis):
        ca = basis.astype(float)
    else:
        frame = _as_frame(basis, "basis")
        unknown = [c for c in frame.columns if c not in bcodes]
        if unknown:
            raise DataError(
                f"authority: basis column(s) {names(unknown)} are not judgment bases of the coding table "
                f"(expected {names(bcodes)}).",
                column=str(unknown[0]),
            )
        coded = _coded(frame, {col: bcodes[col] for col in frame.columns}, problems)
        ca = pd.Series(np.nansum(coded, axis=1), index=frame.index)
        ca[np.isnan(coded).all(axis=1)] = np.nan
    fam = _as_frame(familiarity, "familiarity")
    fcoded = _coded(fam, dict.fromkeys(fam.columns, fcodes), problems)
    if problems:
        raise DataError("authority: answers that are not in the coding tables", problems=problems)
    with np.errstate(all="ignore"):
        cs = pd.Series(np.nanmean(np.where(np.isnan(fcoded), np.nan, fcoded), axis=1), index=fam.index)
    if set(ca.index) != set(cs.index):
        only = sorted(set(ca.index) ^ set(cs.index), key=str)
        raise DataError(
            f"authority: experts {names(only)} appear in only one of 'basis' and 'familiarity'; "
            "give both answers for every expert."
        )
    cs = cs.loc[ca.index]
    bad = (ca > 1 + 1e-9) | (ca < 0) | (cs > 1 + 1e-9) | (cs < 0)
    if bad.any():
        raise DataError(
            f"authority: coefficients outside [0, 1] for expert(s) {names(ca.index[bad.to_numpy()])}; "
            "coded answers must be shares (e.g. 0.8 for 熟悉).",
        )
    out = pd.DataFrame({"ca": ca, "cs": cs, "cr": (ca + cs) / 2})
    out.index.name = "expert"
    return out


def authority(basis, familiarity, *, basis_codes="common", familiarity_codes="common") -> pd.Series:
    """Expert authority coefficient (专家权威系数) Cr = (Ca + Cs) / 2 per expert.

    Ca is the judgment coefficient (sum of the coded judgment bases), Cs the familiarity
    coefficient. A panel mean Cr of 0.7 or more is the usual threshold for an authoritative panel.
    See :func:`authority_table` for the inputs and the coding tables; this returns its ``cr``.

    Examples
    --------
    >>> import pandas as pd
    >>> basis = pd.DataFrame({"理论分析": ["大"], "实践经验": ["大"], "同行了解": ["中"], "直觉": ["小"]})
    >>> float(authority(basis, pd.Series(["熟悉"])).iloc[0])
    0.9
    """
    t = authority_table(basis, familiarity, basis_codes=basis_codes, familiarity_codes=familiarity_codes)
    return t["cr"]
