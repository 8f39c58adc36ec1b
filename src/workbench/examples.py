"""The bundled examples, loadable at any stage (as COINr's ``build_example_coin``).

    >>> from workbench.examples import load_example
    >>> rubric, data = load_example("county", up_to="data")        # doctest: +SKIP
    >>> card = load_example("county", up_to="scores")              # doctest: +SKIP

Shared by tests, doctests and notebooks, so they all start from the same files. The files are
package data (``workbench/shipped/``, read through :mod:`importlib.resources`), so they work the
same from a clone and from an installed wheel; in the repository, ``shipped/indicators`` and
``shipped/samples`` are links to ``indicators/`` and ``data/samples/``, the one copy of each.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from importlib import resources
from pathlib import Path

from .errors import DataError, OutputError, check_option

__all__ = [
    "ROOT",
    "EXAMPLES",
    "SHIPPED_RUBRICS",
    "sample_path",
    "shipped_root",
    "resolve_rubric",
    "example_data_path",
    "asem_spec",
    "load_example",
    "copy_examples",
    "use_repository_root",
]

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
# what the package ships, as folders of the repository (shipped/ mirrors the repository's layout)
_SHIPPED = {"indicators": "**/*.yaml", "data/samples": "**/*", "notebooks": "[0-9][0-9]_*.py"}


def shipped_root() -> Path:
    """The folder of the shipped rubrics, samples and notebooks inside the installed package."""
    return Path(str(resources.files("workbench").joinpath("shipped")))


def sample_path(relative: str) -> Path:
    """Absolute path of a bundled file, named as in the repository.

    ``"indicators/cq_organs.yaml"``, ``"indicators/scenarios/quota_10.yaml"`` and
    ``"data/samples/county_organs.csv"`` resolve inside the installed package, so this works from
    any folder, with or without a clone around it.
    """
    rel = Path(str(relative).replace("\\", "/").lstrip("/"))
    path = shipped_root() / rel
    if ".." in rel.parts or rel.parts[:1] not in [(k.split("/")[0],) for k in _SHIPPED] or not path.is_file():
        raise DataError(
            f"bundled file not found: {relative}",
            hint="bundled files are named like 'indicators/cq_organs.yaml' or 'data/samples/county_organs.csv'; "
            "`workbench examples` copies them all into a folder of yours",
        )
    return path


def _shipped_files() -> list[Path]:
    root = shipped_root()
    files = {p for folder, pattern in _SHIPPED.items() for p in (root / folder).glob(pattern) if p.is_file()}
    return sorted(p.relative_to(root) for p in files if "__pycache__" not in p.parts)


def _shipped_rubrics() -> dict[str, str]:
    folder = shipped_root() / "indicators"
    return {p.stem: f"indicators/{p.name}" for p in sorted(folder.glob("*.yaml"))}


SHIPPED_RUBRICS = _shipped_rubrics()


def resolve_rubric(path) -> Path:
    """A rubric path as given, or the shipped rubric of that name (``cq_organs``, ``hangzhou_dual100``...).

    A path that exists is always taken as given; a bare name that is not a file names a shipped
    rubric. Anything else is left for :func:`workbench.load_rubric` to report.
    """
    given = Path(path)
    if given.exists() or given.parent != Path("."):
        return given
    name = given.stem if given.suffix in (".yaml", ".yml") else given.name
    if name in SHIPPED_RUBRICS:
        return sample_path(SHIPPED_RUBRICS[name])
    return given


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


def asem_spec():
    """The build of COINr's ASEM example (``build_example_coin``): denominate, impute by EurAsia
    group mean, screen units with under 90% of their data, winsorise up to 5 points, min-max
    [1, 100], arithmetic means. It reproduces COINr 1.1.14's index (tests/reference/asem.md)."""
    from .composite import Spec

    return Spec(
        denominate=True,
        impute={"method": "group_mean", "group": "EurAsia_group"},
        screen={"min_share": 0.9},
        treat={"winmax": 5},
        normalise={"method": "minmax", "lo": 1, "hi": 100},
    )


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
    the notebooks call this first so that they run the same from JupyterLab, Voila and CI, in a
    clone of the repository or in a folder made by :func:`copy_examples`.
    """
    here = Path.cwd()
    for root in (ROOT, here, here.parent):
        if (root / "indicators").is_dir() and (root / "data" / "samples").is_dir():
            os.chdir(root)
            break
    return Path.cwd()


def copy_examples(to="workbench-examples") -> list[Path]:
    """Copy the shipped rubrics, scenarios, sample data and notebooks into a folder of yours, to edit.

    The copy keeps the repository's layout (``indicators/``, ``indicators/scenarios/``,
    ``data/samples/``, ``notebooks/``), so every command in the README works from inside ``to``. Files that already
    exist there with the same content are left alone; a file that exists with different content is
    never overwritten (an :class:`~workbench.errors.OutputError` lists them, and nothing is copied).

    Returns
    -------
    list of Path  the files written
    """
    target = Path(to)
    if target.exists() and not target.is_dir():
        raise OutputError(f"{target} exists and is not a folder", hint="name a new or existing folder")
    plan, clashes = [], []
    for rel in _shipped_files():
        src, dest = shipped_root() / rel, target / rel
        if dest.exists():
            if dest.read_bytes() != src.read_bytes():
                clashes.append(str(dest))
            continue
        plan.append((src, dest))
    if clashes:
        raise OutputError(
            f"{len(clashes)} file(s) in {target} differ from the shipped examples and would be overwritten: "
            + ", ".join(clashes[:5])
            + (" ..." if len(clashes) > 5 else ""),
            hint="choose another folder with --to, or move your edited files away first",
        )
    target.mkdir(parents=True, exist_ok=True)
    # stage everything beside the target, then move into place: an error leaves nothing half-copied
    with tempfile.TemporaryDirectory(prefix=".workbench-examples-", dir=target) as tmp:
        staged = []
        for src, dest in plan:
            tmp_file = Path(tmp) / dest.relative_to(target)
            tmp_file.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, tmp_file)
            staged.append((tmp_file, dest))
        for tmp_file, dest in staged:
            dest.parent.mkdir(parents=True, exist_ok=True)
            os.replace(tmp_file, dest)
    return [dest for _, dest in plan]
