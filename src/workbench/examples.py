"""The bundled examples, loadable at any stage (as COINr's ``build_example_coin``).

    >>> from workbench.examples import load_example
    >>> rubric, data = load_example("county", up_to="data")        # doctest: +SKIP
    >>> card = load_example("county", up_to="scores")              # doctest: +SKIP

Shared by tests, doctests and notebooks, so they all start from the same files.
"""

from __future__ import annotations

from pathlib import Path

from .errors import DataError, check_option

__all__ = ["ROOT", "EXAMPLES", "sample_path", "example_data_path", "load_example", "use_repository_root"]

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = {
    "county": ("indicators/cq_organs.yaml", "data/samples/county_organs.csv"),
    "comprehensive": ("indicators/comprehensive_2pct.yaml", "data/samples/county_organs.csv"),
    "hangzhou": ("indicators/hangzhou_dual100.yaml", "data/samples/hangzhou_units.csv"),
    "enterprise": ("indicators/enterprise.yaml", "data/samples/enterprises.csv"),
    "enterprise_multiplier": ("indicators/enterprise_multiplier.yaml", "data/samples/enterprises.csv"),
    "shuangshu": ("indicators/city_shuangshu.yaml", "data/samples/county_shuangshu.csv"),
    "longxi_fortress": ("indicators/longxi_fortress.yaml", "data/samples/longxi_branches.csv"),
    "longxi_service": ("indicators/longxi_service.yaml", "data/samples/longxi_cadres.csv"),
    "longxi_vanguard": ("indicators/longxi_vanguard.yaml", "data/samples/longxi_members.csv"),
    "asem": ("data/samples/asem/ASEM_iMeta.csv", "data/samples/asem/ASEM_iData.csv"),
}


def sample_path(relative: str) -> Path:
    """Absolute path of a bundled file (``indicators/...`` or ``data/samples/...``)."""
    path = ROOT / relative
    if not path.exists():
        raise DataError(
            f"bundled file not found: {path}",
            hint="the examples live in the repository (indicators/, data/samples/); run from a clone",
        )
    return path


def example_data_path(rubric) -> Path:
    """The bundled sample table a rubric names in its ``example_data`` key (a file name).

    Raises
    ------
    DataError
        When the rubric names no sample data (then a data table must be given) or the file is missing.
    """
    name = getattr(rubric, "example_data", None)
    if not name:
        raise DataError(
            f"rubric {rubric.code!r} names no sample data ('example_data'), so a data table is needed",
            hint="give the data table with --data FILE, or add 'example_data: <file name>' to the rubric",
        )
    return sample_path("data/samples/" + name)


def load_example(name: str = "county", up_to: str = "scores"):
    """Load a bundled example up to a stage.

    Parameters
    ----------
    name : str, default='county'
        One of :data:`EXAMPLES` (the Wanzhou-sized county under the Chongqing rubric, the 2%
        comprehensive scheme, Hangzhou's dual-100, the enterprise schemes, Longxi's indices, ASEM).
    up_to : {'rubric', 'data', 'scores'}, default='scores'
        'rubric' returns the Rubric; 'data' returns (rubric, data); 'scores' returns the Scorecard.
    """
    from .io import read_table
    from .rubric import load_rubric, rubric_from_table
    from .scoring import score

    check_option(name, EXAMPLES, name="name", func="load_example")
    check_option(up_to, ("rubric", "data", "scores"), name="up_to", func="load_example")
    rubric_file, data_file = EXAMPLES[name]
    rubric = (
        rubric_from_table(sample_path(rubric_file))
        if name == "asem"
        else load_rubric(sample_path(rubric_file))
    )
    if up_to == "rubric":
        return rubric
    data = read_table(sample_path(data_file), rubric=rubric)
    if up_to == "data":
        return rubric, data
    return score(rubric, data)


def use_repository_root() -> Path:
    """Make the repository the working folder, so ``indicators/...`` and ``data/samples/...`` resolve.

    Jupyter and Voila start a notebook's kernel in the notebook's own folder (``notebooks/``);
    the notebooks call this first so that they run the same from JupyterLab, Voila and CI.
    """
    import os

    if (ROOT / "indicators").is_dir():
        os.chdir(ROOT)
    return Path.cwd()
