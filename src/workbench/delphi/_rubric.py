"""From the last Delphi round to a candidate rubric (YAML) that the AHP step can weight."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from ..errors import RubricError, SpecError
from ._common import DECISIONS, names

__all__ = ["candidates_from_rubric", "candidate_rubric"]


def candidates_from_rubric(rubric) -> pd.DataFrame:
    """The indicators of a rubric as a candidate table (one row per indicator).

    Returns
    -------
    DataFrame with columns ``code``, ``name``, ``block``, ``block_name``, ``kind``, ``direction``,
    ``unit``, ``description`` (the input of :func:`write_questionnaire` and :func:`candidate_rubric`).
    """
    rows = []
    for code in rubric.indicators:
        n = rubric.nodes[code]
        rows.append(
            {
                "code": code,
                "name": n.name,
                "block": n.parent,
                "block_name": rubric.nodes[n.parent].name,
                "kind": n.kind,
                "direction": n.direction,
                "unit": n.unit,
                "description": n.description,
            }
        )
    return pd.DataFrame(rows)


def _kept(screening, include) -> list:
    if isinstance(include, str):
        include = (include,)
    bad = [d for d in include if d not in DECISIONS]
    if bad or not include:
        raise SpecError(
            f"The 'include' parameter of candidate_rubric must list decisions among {list(DECISIONS)}. "
            f"Got {include!r} instead.",
            key="include",
        )
    table = getattr(screening, "table", screening)
    if not isinstance(table, pd.DataFrame) or "decision" not in table.columns:
        raise SpecError("candidate_rubric: 'screening' must be the result of workbench.delphi.screen.")
    return list(table.index[table["decision"].isin(include)])


def candidate_rubric(screening, candidates, *, code=None, name=None, include=("keep",), scale=100):
    """The rubric of the indicators a Delphi round kept, ready for AHP weighting.

    Parameters
    ----------
    screening : ScreeningResult
        The last round's :func:`screen` result.
    candidates : Rubric or DataFrame
        A rubric: the indicators not kept are removed (their weight goes to their siblings, rules
        unchanged; ``workbench.slimming.remove_items``). A table: columns ``code``, ``name``,
        ``block``, ``block_name`` and optionally ``kind``, ``direction``, ``unit``,
        ``description`` and ``rule`` (a rule mapping; default ``{type: minmax}``, peer min-max);
        the rubric uses relative weights, equal within every block and across blocks, for AHP
        or data-driven weights to replace.
    code, name : str, optional
        Code and name of the new rubric (default: the candidate rubric's, or ``delphi_candidates``).
    include : sequence of {"keep", "review", "drop"}, default=("keep",)
        Decisions that enter the rubric (add "review" to keep items still under discussion).
    scale : float, default=100

    Returns
    -------
    Rubric
        Save it with :func:`workbench.save_rubric`.

    Raises
    ------
    RubricError
        Kept indicators missing from the candidates, nothing kept, or a table the rubric loader
        rejects (every problem listed).
    """
    kept = _kept(screening, include)
    if not kept:
        raise RubricError(
            f"candidate_rubric: no indicator has a decision in {list(include)}; nothing to build a rubric from.",
            hint="loosen the screening rules or include 'review'",
        )
    note = f"Delphi: {len(kept)} indicator(s) with decision {'/'.join(include)}"
    if hasattr(candidates, "nodes"):
        from ..slimming import remove_items

        unknown = [c for c in kept if c not in candidates.indicators]
        if unknown:
            raise RubricError(
                f"candidate_rubric: kept indicator(s) {names(unknown)} are not in rubric {candidates.code!r}; "
                "add them to the rubric (with a rule) or pass a candidate table.",
                key="indicators",
            )
        drop = [c for c in candidates.indicators if c not in set(kept)]
        out = remove_items(candidates, drop, note=note) if drop else candidates
        from dataclasses import replace

        return replace(out, code=code or out.code, name=name or out.name)
    if not isinstance(candidates, pd.DataFrame):
        raise SpecError(
            "candidate_rubric: 'candidates' must be a Rubric or a DataFrame of candidate indicators."
        )
    need = {"code", "name", "block", "block_name"}
    if not need <= set(candidates.columns):
        raise RubricError(
            f"candidate_rubric: the candidate table needs columns {sorted(need)}; "
            f"missing {sorted(need - set(candidates.columns))}.",
        )
    table = candidates.set_index("code", drop=False)
    unknown = [c for c in kept if c not in table.index]
    if unknown:
        raise RubricError(
            f"candidate_rubric: kept indicator(s) {names(unknown)} are not in the candidate table."
        )
    blocks: dict = {}
    for c in kept:
        row = table.loc[c]
        rule = row.get("rule") if "rule" in table.columns else None
        item = {
            "code": str(c),
            "name": str(row["name"]),
            "weight": 1,
            "kind": row.get("kind") if isinstance(row.get("kind"), str) else "quantitative",
            "rule": dict(rule) if isinstance(rule, Mapping) else {"type": "minmax"},
        }
        for key in ("direction", "unit", "description"):
            v = row.get(key)
            if v is not None and not (isinstance(v, float) and pd.isna(v)):
                item[key] = int(v) if key == "direction" else str(v)
        b = blocks.setdefault(
            str(row["block"]),
            {"code": str(row["block"]), "name": str(row["block_name"]), "weight": 1, "indicators": []},
        )
        b["indicators"].append(item)
    spec = {
        "code": code or "delphi_candidates",
        "name": name or "德尔菲法筛选后的候选指标体系",
        "scale": scale,
        "weighting": "relative",
        "notes": note + "; equal weights within each block, to be replaced by AHP or data-driven weights.",
        "blocks": list(blocks.values()),
    }
    from ..rubric._parse import parse_rubric_dict

    return parse_rubric_dict(spec)
