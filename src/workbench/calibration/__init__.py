"""Weight calibration for rubrics: an expert panel's AHP weights, and stated versus revealed weights.

Glue over :mod:`workbench.ahp`, :mod:`workbench.weighting` and :mod:`workbench.scoring` for the
researcher's round trip::

    from workbench import calibration, load_rubric, save_rubric
    rubric = load_rubric("indicators/cq_organs.yaml")
    panel = calibration.panel_from_sheet("data/samples/expert_panel.xlsx", rubric)
    res = calibration.ahp_weights_for_rubric(panel, rubric, seed=1)
    res.cr, res.inconsistent, res.worst          # consistency report
    res.weights                                  # every node: stated, AHP, interval
    save_rubric(res.rubric(), "reports/cq_organs_ahp.yaml")
    calibration.stated_vs_revealed(rubric, data, grades, ahp=res).weights
"""

from ._result import AHPWeights
from ._revealed import StatedRevealed, stated_vs_revealed
from ._sheet import panel_from_sheet
from ._weights import ahp_weights_for_rubric

__all__ = ["panel_from_sheet", "ahp_weights_for_rubric", "AHPWeights", "stated_vs_revealed", "StatedRevealed"]
