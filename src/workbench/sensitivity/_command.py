"""``workbench uncertainty``: rank intervals and grade probabilities, here or on a dask cluster."""

from __future__ import annotations

from pathlib import Path

from ..errors import SpecError

__all__ = ["add_arguments", "run"]

# user-facing text of this command, in one place (Chinese first, English after)
TEXT = {
    "written": "不确定性分析已写入 / uncertainty written: {path} ({units} 个单位 units, {runs} 次 runs{where})",
    "cluster": ", 集群 cluster {address}: {workers} 个工作进程 workers",
    "fragile": "等次不稳定的单位 / units with a fragile grade: {k}",
    "error": "报告的秩区间最大误差 / largest error of the reported rank quantiles: {e:g}",
    "no_cluster": (
        "cannot reach the dask scheduler at {address!r} ({exc}); start one with 'dask scheduler' and "
        "'dask worker {address}', or leave out --scheduler to run here"
    ),
    "no_dask": "--scheduler needs the 'distributed' package (pip install distributed)",
}


def add_arguments(p) -> None:
    """The options of the command (the rubric and data options come from ``cli.data_args``)."""
    p.add_argument("--draws", type=int, default=1000, help="number of runs (default 1000)")
    p.add_argument("--seed", type=int, default=20261125, help="random seed (same seed, same result)")
    p.add_argument(
        "--concentration",
        type=float,
        default=50.0,
        help="Dirichlet concentration of the weight draws around the rubric's weights (default 50)",
    )
    p.add_argument("--sampling", choices=["sobol", "random"], default="sobol", help="design (default sobol)")
    p.add_argument(
        "--scheduler",
        default=None,
        help="address of a dask.distributed scheduler, e.g. tcp://10.0.0.5:8786 (default: run here)",
    )
    p.add_argument(
        "--reduce",
        action="store_true",
        help="reduce the runs where they are scored (always on above 10^8 runs x units)",
    )
    p.add_argument("--out", default="reports", help="output folder (default reports/)")


def _client(address: str):
    try:
        from distributed import Client
    except ImportError:  # pragma: no cover - distributed is a dependency
        raise SpecError(TEXT["no_dask"], key="scheduler") from None
    try:
        return Client(address, timeout="20s")
    except (OSError, TimeoutError, ValueError) as exc:
        raise SpecError(TEXT["no_cluster"].format(address=address, exc=exc), key="scheduler") from None


def run(args, load) -> int:
    """Run the analysis and write one row per unit (rank interval, grade probabilities)."""
    from ..io import check_outputs, safe_filename, write_table
    from ._uncertainty import uncertainty

    rubric, data = load(args)
    # a rubric code is one safe file name, and no input is overwritten (checked before the work)
    path = Path(args.out) / f"{safe_filename(rubric.code)}_uncertainty.csv"
    check_outputs([args.rubric, args.data], [path], folder=Path(args.out))
    factors = {"weights": {"dirichlet": {"concentration": args.concentration}}}
    client = _client(args.scheduler) if args.scheduler else None
    try:
        res = uncertainty(rubric, data, None, factors, n=args.draws, seed=args.seed, sampling=args.sampling,
                          client=client, keep_runs=False if args.reduce else None)  # fmt: skip
        workers = len(client.scheduler_info()["workers"]) if client is not None else 0
    finally:
        if client is not None:
            client.close()
    write_table(path, res.to_frame())  # formula-safe cells, CSV with a BOM for Excel and WPS
    where = TEXT["cluster"].format(address=args.scheduler, workers=workers) if client is not None else ""
    print(TEXT["written"].format(path=path, units=len(res.rank_stats), runs=args.draws, where=where))
    if res.fragile is not None:
        print(TEXT["fragile"].format(k=len(res.fragile)))
    if res.rank_error is not None:
        print(TEXT["error"].format(e=float(res.rank_error.max())))
    return 0
