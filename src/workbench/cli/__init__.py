"""The ``workbench`` command (entry point ``workbench.cli:main``).

Exit codes: 0 success, 2 bad input (the message says where), 1 internal error.
"""

from ._main import (
    DEFAULT_RUBRIC,
    EPILOG,
    MAX_SWEEP_POINTS,
    MESSAGES,
    SWEEP_DEFAULTS,
    _values,  # noqa: F401  (tests check the sweep values)
    build_parser,
    cmd_ahp,
    cmd_brief,
    cmd_check,
    cmd_examples,
    cmd_export,
    cmd_score,
    cmd_simulate,
    cmd_uncertainty,
    default_parameter,
    main,
)

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
