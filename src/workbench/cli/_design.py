"""Questions asked of a rubric's design: ``simulate`` (sweep a design parameter, model where units
put their effort) and ``uncertainty`` (rank intervals and grade probabilities under uncertain
weights, here or on a dask cluster)."""

from __future__ import annotations

import sys
from pathlib import Path

from ..errors import WorkbenchError
from ._common import MESSAGES, _inputs, _load

__all__ = ["cmd_simulate", "cmd_uncertainty", "default_parameter", "MAX_SWEEP_POINTS", "SWEEP_DEFAULTS"]

# a sweep's points are each a full model run; more than this is a typo such as 0:1:1e-9
MAX_SWEEP_POINTS = 1000


def _values(text: str) -> list[float]:
    """'0:0.5:0.05' (start:stop:step, stop included) or '0.02,0.1,0.3'; at most MAX_SWEEP_POINTS."""
    import math

    try:
        if ":" in text:
            start, stop, step = (float(v) for v in text.split(":"))
            if not all(map(math.isfinite, (start, stop, step))) or step <= 0 or stop < start:
                raise ValueError
            n = (stop - start) / step + 1
            if n > MAX_SWEEP_POINTS:  # checked before any list is built
                raise WorkbenchError(
                    MESSAGES["too_many_points"].format(n=n, limit=MAX_SWEEP_POINTS, text=text), key="values"
                )
            return [round(start + i * step, 10) for i in range(int(round(n - 1)) + 1)]
        values = [float(v) for v in text.split(",") if v.strip()]
        if not values or not all(map(math.isfinite, values)):
            raise ValueError
        if len(values) > MAX_SWEEP_POINTS:
            raise WorkbenchError(
                MESSAGES["too_many_points"].format(n=len(values), limit=MAX_SWEEP_POINTS, text=text[:40]),
                key="values",
            )
        return values
    except ValueError as exc:
        if isinstance(exc, WorkbenchError):
            raise
        raise WorkbenchError(MESSAGES["bad_values"].format(text=text), key="values") from None


SWEEP_DEFAULTS = {
    "party_weight": "0:0.5:0.02",
    "top_quota": "0.05:0.5:0.05",
    "n_veto": "0:6:1",
    "party_noise": "0:20:2",
    "noise": "0:20:2",
    "party_gate": "60:95:2.5",
    "party_ceiling": "80:100:2",
}


def default_parameter(rubric) -> str:
    """The design question that fits a rubric: party building's weight where it has one, the party
    gate of a dual-100 scheme, otherwise the top grade's quota (or measurement noise without grades)."""
    kind = rubric.scheme.type
    if kind == "weighted":
        return "party_weight"
    if kind == "dual100":
        return "party_gate"
    return "top_quota" if rubric.grades.bands else "party_noise"


def cmd_simulate(args) -> int:
    import matplotlib

    matplotlib.use("Agg")
    from tqdm import tqdm

    from .. import incentives as inc
    from ..errors import check_option
    from ..io import check_outputs, safe_filename, table_bytes, write_files
    from ..report.catalogue import text
    from ..report.plots import figure_png, sweep_chart
    from ..scoring import score

    rubric, data = _load(args)
    parameter = args.parameter or default_parameter(rubric)
    check_option(parameter, inc.DESIGNS, name="parameter", func="workbench simulate")
    values = _values(args.values or SWEEP_DEFAULTS[parameter])
    out = Path(args.out)
    stem = safe_filename(f"{rubric.code}_{parameter}_sweep")  # a code never becomes a path
    paths = [out / f"{stem}.csv", out / f"{stem}_tipping_points.csv", out / f"{stem}.png"]
    check_outputs(_inputs(args), paths, folder=out)
    with tqdm(total=3, desc="simulate", disable=not sys.stderr.isatty()) as bar:
        card = score(rubric, data)
        pop = inc.population_from_scorecard(card)
        inst = inc.institution_from_rubric(rubric)
        bar.update()
        result = inc.sweep(pop, inst, parameter, values)
        bar.update()
        table = result.to_frame()
        tips = inc.tipping_points(result, "party_share", level=args.level)
        title = text("sim_title", args.lang, rubric=rubric.name, param=text(f"sim_{parameter}", args.lang))
        png = figure_png(sweep_chart(table, parameter, args.lang, title=title))
        bar.update()
    tables = [table_bytes(table, ".csv"), table_bytes(tips, ".csv", index=False), png]
    written = write_files(dict(zip(paths, tables)), folder=out)  # all or none
    for path in written:
        print(f"written: {path}")
    if len(tips):
        print(tips.to_string(index=False))
    return 0


def cmd_uncertainty(args) -> int:
    from ..sensitivity._command import run

    return run(args, _load)
