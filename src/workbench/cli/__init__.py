"""The ``workbench`` command (entry point ``workbench.cli:main``).

Exit codes: 0 success, 2 bad input (the message says where), 1 internal error.

:mod:`._main` holds the parser (every command and its options) and :func:`main`; the commands live
by group: :mod:`._reports` (brief, export, examples), :mod:`._tables` (score, check),
:mod:`._weights` (ahp) and :mod:`._design` (simulate, uncertainty), with what they share in
:mod:`._common`.
"""

from ._common import DEFAULT_RUBRIC, MESSAGES
from ._design import (
    MAX_SWEEP_POINTS,
    SWEEP_DEFAULTS,
    _values,  # noqa: F401  (tests check the sweep values)
    cmd_simulate,
    cmd_uncertainty,
    default_parameter,
)
from ._main import EPILOG, build_parser, main
from ._reports import cmd_brief, cmd_examples, cmd_export
from ._tables import cmd_check, cmd_score
from ._weights import cmd_ahp

__all__ = [
    "main",
    "build_parser",
    "default_parameter",
    "DEFAULT_RUBRIC",
    "MAX_SWEEP_POINTS",
    "SWEEP_DEFAULTS",
    "EPILOG",
    "MESSAGES",
    "cmd_brief",
    "cmd_score",
    "cmd_check",
    "cmd_ahp",
    "cmd_simulate",
    "cmd_uncertainty",
    "cmd_export",
    "cmd_examples",
]
