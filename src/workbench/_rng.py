"""One way to make randomness: every stochastic function calls :func:`as_generator`."""

from __future__ import annotations

import numbers

import numpy as np

from .errors import SpecError

__all__ = ["as_generator"]


def as_generator(seed=None) -> np.random.Generator:
    """Turn ``None``, an int, a SeedSequence or a Generator into a ``numpy.random.Generator``.

    A Generator passed in is used as is (the caller owns its state); an int always gives the same
    stream, so the same seed reproduces the same output. Global state (``np.random.seed``) is never
    touched.

    >>> as_generator(1).integers(100) == as_generator(1).integers(100)
    True
    """
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is None or isinstance(seed, (numbers.Integral, np.random.SeedSequence)):
        if isinstance(seed, numbers.Integral) and seed < 0:
            raise SpecError(f"The 'seed' must be a non-negative integer. Got {seed} instead.", key="seed")
        return np.random.default_rng(seed)
    raise SpecError(
        f"The 'seed' parameter must be None, an int or a numpy Generator. Got {type(seed).__name__} instead.",
        key="seed",
    )
