"""A corpus of hostile and broken inputs, generated in a temporary folder by each case.

Every case writes its files (nothing binary is committed), names the command that reads them and,
where there is one, the API call; ``tests/test_bad_inputs.py`` runs each and checks the typed error
(or the documented safe handling), exit code 2, no traceback, nothing written, inputs unchanged
and a message naming the file and the place.
"""

from . import cases_other, cases_rubric, cases_tables  # noqa: F401  (they register their cases)
from ._make import CASES, Case

__all__ = ["CASES", "Case"]
