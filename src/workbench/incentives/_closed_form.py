"""Closed forms of the incentive model: the benchmarks the simulation must reproduce.

- :func:`effort_shares`: a fixed effort budget split across tasks under linear aggregation.
- :func:`hm_linear_contract`: the optimal linear incentives of Holmström & Milgrom's (1991)
  multitask model with separable quadratic cost and independent measurement errors.
- :func:`veto_insurance_effort`: the "insurance" effort a one-vote veto item draws.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._i18n import _
from .._results import ResultMixin
from ..errors import SpecError

__all__ = ["effort_shares", "hm_linear_contract", "HMContract", "veto_insurance_effort"]


def _check_gamma(gamma, func: str) -> float:
    if isinstance(gamma, bool) or not isinstance(gamma, (int, float, np.floating)) or not 0 < gamma <= 1:
        raise SpecError(
            _(
                "The 'gamma' parameter of {func} must be a number in (0, 1] (output a * "
                "e**gamma). Got {gamma!r} instead."
            ).format(func=func, gamma=gamma),
            key="gamma",
        )
    return float(gamma)


def _array(x, name: str, func: str, *, positive: bool = False) -> np.ndarray:
    try:
        arr = np.asarray(x, dtype=float)
    except (TypeError, ValueError):
        raise SpecError(
            _("The '{name}' parameter of {func} must be numeric. Got {x!r} instead.").format(
                name=name, func=func, x=x
            ),
            key=name,
        ) from None
    if not np.all(np.isfinite(arr)):
        raise SpecError(
            _("The '{name}' parameter of {func} must be finite. Got {x!r} instead.").format(
                name=name, func=func, x=x
            ),
            key=name,
        )
    bad = arr <= 0 if positive else arr < 0
    if np.any(bad):
        sign = _("positive") if positive else _("non-negative")
        raise SpecError(
            _("The '{name}' parameter of {func} must be {sign}. Got {x!r} instead.").format(
                name=name, func=func, sign=sign, x=x
            ),
            key=name,
        )
    return arr


def effort_shares(weights, gamma=0.5, productivity=None):
    """Closed-form split of a fixed effort budget across tasks under linear aggregation.

    A unit with budget E maximises ``sum_k w_k a_k e_k**gamma`` subject to ``sum_k e_k = E``. The
    first-order conditions ``w_k a_k gamma e_k**(gamma-1) = lambda`` give
    ``e_k / E = (w_k a_k)**(1/(1-gamma)) / sum_j (w_j a_j)**(1/(1-gamma))``; with ``gamma = 1``
    (perfect substitutes) the whole budget goes to the task(s) with the largest ``w_k a_k``.

    Parameters
    ----------
    weights : array-like of shape (n_tasks,) or (n_units, n_tasks), Series or DataFrame
        Non-negative weights of the tasks in the composite score (need not sum to 1).
    gamma : float in (0, 1], default=0.5
        Curvature of output ``a_k e_k**gamma``.
    productivity : array-like broadcastable to ``weights``, optional
        ``a_k`` per task (or per unit and task); default 1.

    Returns
    -------
    shares : ndarray, Series or DataFrame like ``weights``
        Effort shares (each row sums to 1), labelled like ``weights``.

    References
    ----------
    Holmström, B. and Milgrom, P. (1991) Multitask principal-agent analyses. JLEO 7, 24-52.

    Examples
    --------
    >>> effort_shares([0.98, 0.02]).round(6)
    array([9.99584e-01, 4.16000e-04])
    >>> float(effort_shares([0.7, 0.3])[1].round(4))
    0.1552
    """
    func = "effort_shares"
    gamma = _check_gamma(gamma, func)
    w = _array(weights, "weights", func)
    if w.ndim not in (1, 2) or w.shape[-1] == 0:
        raise SpecError(
            _(
                "The 'weights' parameter of {func} must have shape (n_tasks,) or (n_units, "
                "n_tasks). Got shape {shape} instead."
            ).format(func=func, shape=w.shape),
            key="weights",
        )
    a = np.ones_like(w) if productivity is None else _array(productivity, "productivity", func)
    try:
        wa = np.broadcast_to(w, np.broadcast_shapes(w.shape, a.shape)) * a
    except ValueError:
        raise SpecError(
            _(
                "The 'productivity' parameter of {func} must broadcast to the weights' shape "
                "{shape}. Got shape {got} instead."
            ).format(func=func, shape=w.shape, got=a.shape),
            key="productivity",
        ) from None
    zero_rows = ~np.any(wa > 0, axis=-1)
    if np.any(zero_rows):
        raise SpecError(
            _(
                "{func}: every row needs a task with positive weight x productivity; found "
                "{n} row(s) where all are zero"
            ).format(func=func, n=int(np.sum(zero_rows))),
            key="weights",
        )
    if gamma == 1.0:
        top = wa == wa.max(axis=-1, keepdims=True)
        shares = top / top.sum(axis=-1, keepdims=True)
    else:
        # in logs, so that gamma near 1 (a huge exponent) does not overflow
        with np.errstate(divide="ignore"):
            logs = np.log(wa) / (1.0 - gamma)
        logs = logs - logs.max(axis=-1, keepdims=True)
        raw = np.exp(logs)
        shares = raw / raw.sum(axis=-1, keepdims=True)
    if isinstance(weights, pd.DataFrame):
        return pd.DataFrame(shares, index=weights.index, columns=weights.columns)
    if isinstance(weights, pd.Series):
        return pd.Series(shares, index=weights.index, name="effort_share")
    return shares


@dataclass(frozen=True, repr=False)
class HMContract(ResultMixin):
    """Optimal linear incentives of the separable multitask model (:func:`hm_linear_contract`).

    Attributes
    ----------
    alpha : ndarray or Series (n_tasks,)  commission rate per measured task
    effort : ndarray or Series (n_tasks,)  the agent's effort ``alpha / c``
    risk_premium : float  ``r / 2 * sum(alpha**2 sigma2)``
    """

    alpha: object
    effort: object
    risk_premium: float

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            {"alpha": np.asarray(self.alpha), "effort": np.asarray(self.effort)}, index=_index(self)
        )

    def _summary_title(self) -> str:
        return _("Holmström-Milgrom linear contract (separable tasks)")

    def _summary_facts(self) -> dict:
        return {_("risk premium"): self.risk_premium}


def _index(result):
    return result.alpha.index if isinstance(result.alpha, pd.Series) else None


def hm_linear_contract(benefit, cost, sigma2, r) -> HMContract:
    """Optimal linear incentives when tasks are technologically independent.

    Holmström & Milgrom's (1991) agent chooses efforts ``t`` at cost ``sum_i c_i t_i**2 / 2``;
    measured performance is ``x = t + noise`` with independent noise of variance ``sigma2_i``;
    the agent is paid ``alpha . x`` and has constant absolute risk aversion ``r``. The agent sets
    ``t_i = alpha_i / c_i``, and maximising the total certainty equivalent
    ``sum_i B_i t_i - c_i t_i**2 / 2 - r alpha_i**2 sigma2_i / 2`` gives
    ``alpha_i* = B_i / (1 + r c_i sigma2_i)``: a noisier measure gets a weaker incentive.

    Parameters
    ----------
    benefit : array-like (n_tasks,)  marginal value ``B_i`` of effort to the principal
    cost : array-like (n_tasks,)  cost coefficients ``c_i > 0``
    sigma2 : array-like (n_tasks,)  measurement-error variances (>= 0)
    r : float  absolute risk aversion (>= 0)

    Returns
    -------
    HMContract

    References
    ----------
    Holmström, B. and Milgrom, P. (1991) Multitask principal-agent analyses: incentive contracts,
    asset ownership, and job design. JLEO 7 (special issue), 24-52.

    Examples
    --------
    >>> hm_linear_contract([1, 1], [1, 1], [0.5, 2.0], 2.0).alpha
    array([0.5, 0.2])
    """
    func = "hm_linear_contract"
    b = _array(benefit, "benefit", func)
    c = _array(cost, "cost", func, positive=True)
    s2 = _array(sigma2, "sigma2", func)
    r = float(_array(r, "r", func))
    try:
        b, c, s2 = np.broadcast_arrays(b, c, s2)
    except ValueError:
        raise SpecError(
            _("{func}: 'benefit', 'cost' and 'sigma2' must have the same length").format(func=func),
            key="benefit",
        ) from None
    alpha = b / (1.0 + r * c * s2)
    effort = alpha / c
    premium = float(r / 2.0 * np.sum(alpha**2 * s2))
    if isinstance(benefit, pd.Series):
        alpha = pd.Series(alpha, index=benefit.index, name="alpha")
        effort = pd.Series(effort, index=benefit.index, name="effort")
    return HMContract(alpha=alpha, effort=effort, risk_premium=premium)


def veto_insurance_effort(p0, scale, loss, cost):
    """Effort a one-vote veto item draws, whatever the task weights.

    A veto event happens with probability ``p(v) = p0 exp(-v / s)`` when ``v`` effort goes into
    preventing it (safety checks, clean-governance education...), and costs the unit ``L``. With
    a constant marginal cost of effort ``c``, the unit minimises ``L p0 exp(-v/s) + c v``; the
    first-order condition ``(p0 L / s) exp(-v/s) = c`` gives

        v* = s ln(p0 L / (s c))   if p0 L / (s c) > 1, else 0.

    Neither the weights of the scored tasks nor their thresholds appear: the veto draws a fixed
    "insurance" effort, and when the effort budget binds, each extra veto item takes its share out
    of the weighted work (crowding out).

    Parameters
    ----------
    p0 : float or array  veto probability without prevention effort (0..1)
    scale : float or array  effort that cuts the hazard by a factor e (> 0)
    loss : float or array  loss if vetoed, in reward units (>= 0)
    cost : float or array  marginal cost of effort (> 0)

    Returns
    -------
    float or ndarray

    References
    ----------
    Bevan, G. and Hood, C. (2006) What's measured is what matters: targets and gaming in the
    English public health care system. Public Administration 84(3), 517-538.

    Examples
    --------
    >>> round(veto_insurance_effort(0.3, 1.0, 10.0, 0.1), 6)
    3.401197
    """
    func = "veto_insurance_effort"
    p0 = _array(p0, "p0", func)
    if np.any(p0 > 1):
        raise SpecError(
            _("The 'p0' parameter of {func} must be a probability in [0, 1]. Got {p0!r} instead.").format(
                func=func, p0=p0
            ),
            key="p0",
        )
    s = _array(scale, "scale", func, positive=True)
    L = _array(loss, "loss", func)
    c = _array(cost, "cost", func, positive=True)
    with np.errstate(divide="ignore"):
        v = s * np.log(p0 * L / (s * c))
    v = np.maximum(v, 0.0)
    return float(v) if v.ndim == 0 else v
