"""The result of a collection: the consolidated table, the problem list, and how to write them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .._i18n import _, language
from .._results import ResultMixin
from ._labels import sheet_names, table_headers

__all__ = ["Collection"]


@dataclass(frozen=True, repr=False)
class Collection(ResultMixin):
    """Returns collected from a folder.

    Attributes
    ----------
    table : DataFrame
        One row per unit (index: unit id), columns ``name``, the category column and one per
        rubric field (indicators, bonus and deduction counts, veto flags 是/否, the other score);
        numbers are floats, grades text, blanks where a value was missing or wrong.
    problems : DataFrame
        One row per problem: ``file``, ``unit``, ``unit_name``, ``cell``, ``field``, ``field_name``,
        ``value`` (as entered), ``kind`` (stable code), ``kind_name``, ``severity`` ('error' or
        'warning'), ``message`` (what to do, in the current language), ``expected``.
    files : DataFrame
        One row per file: ``file``, ``format`` (form, table, csv, other), ``units``, ``status``
        (collected, with_problems, skipped), ``errors``, ``warnings``.
    remarks : DataFrame  ``file``, ``unit``, ``field``, ``remark`` written by the units
    checks : AnomalyReport or None  peer-deviation checks of the table (``check=True``)
    rubric_code, folder : str
    """

    table: pd.DataFrame
    problems: pd.DataFrame
    files: pd.DataFrame
    remarks: pd.DataFrame
    checks: object = None
    rubric_code: str = ""
    folder: str = ""

    @classmethod
    def build(cls, table, problems, returns, e, remarks, ctx, rubric, folder, check) -> Collection:
        errors = problems.loc[problems["severity"] == "error"].groupby("file").size()
        warnings = problems.loc[problems["severity"] == "warning"].groupby("file").size()
        rows = []
        for ret in returns:
            n_err, n_warn = int(errors.get(ret.file, 0)), int(warnings.get(ret.file, 0))
            status = "skipped" if ret.skipped else ("with_problems" if n_err else "collected")
            units = "、".join(u["id"] for u in ret.units) if not ret.skipped else ""
            rows.append({"file": ret.file, "format": ret.kind, "units": units, "status": status,
                         "errors": n_err, "warnings": n_warn})  # fmt: skip
        files = pd.DataFrame(rows, columns=["file", "format", "units", "status", "errors", "warnings"])
        rem = pd.DataFrame(
            [(e.at[i, "file"], e.at[i, "id"], code, text) for i, code, text in remarks],
            columns=["file", "unit", "field", "remark"],
        )
        checks = _peer_checks(table, rubric, ctx, check if isinstance(check, dict) else {}) if check else None
        return cls(table, problems, files, rem, checks, rubric.code, str(folder))

    # ------------------------------------------------------------------ views
    def to_frame(self) -> pd.DataFrame:
        return self.problems

    @property
    def units_with_errors(self) -> pd.Index:
        p = self.problems
        bad = p.loc[(p["severity"] == "error") & p["unit"].notna(), "unit"]
        return pd.Index(sorted(set(bad) & set(self.table.index)))

    @property
    def ready(self) -> pd.DataFrame:
        """The table of the units whose return has no error (what can be scored now)."""
        return self.table.drop(index=self.units_with_errors)

    def for_file(self, file: str) -> pd.DataFrame:
        """The problems of one file: the list to send back to the unit that sent it."""
        return self.problems.loc[self.problems["file"] == file]

    def problem_table(self) -> pd.DataFrame:
        """The problem list for people: headers and problem names in the current language."""
        h = table_headers()
        cols = [
            "file",
            "unit",
            "unit_name",
            "cell",
            "field",
            "field_name",
            "value",
            "kind_name",
            "severity",
            "message",
        ]
        out = self.problems[cols].copy()
        out["severity"] = out["severity"].map({"error": h["error"], "warning": h["warning"]})
        return out.rename(columns={**h, "kind_name": h["kind"]})

    def files_table(self) -> pd.DataFrame:
        h = table_headers()
        out = self.files.copy()
        out["format"] = out["format"].map(lambda k: h.get(k, k))
        out["status"] = out["status"].map(lambda k: h.get(k, k))
        return out.rename(columns=h)

    def _summary_title(self) -> str:
        return _("Returns collected for {rubric}: {n} units from {files} files").format(
            rubric=self.rubric_code, n=len(self.table), files=len(self.files)
        )

    def _summary_facts(self) -> dict:
        p = self.problems
        return {
            _("units ready to score"): len(self.ready),
            _("errors"): int((p["severity"] == "error").sum()),
            _("warnings"): int((p["severity"] == "warning").sum()),
            _("files skipped"): int((self.files["status"] == "skipped").sum()),
        }

    # ------------------------------------------------------------------ writing
    def sheets(self) -> dict[str, pd.DataFrame]:
        """The output workbook's sheets: consolidated table, problems, returns, remarks, checks."""
        n = sheet_names()
        h = table_headers()
        out = {n["table"]: self.table, n["problems"]: self.problem_table(), n["files"]: self.files_table()}
        if len(self.remarks):
            out[n["remarks"]] = self.remarks.rename(columns=h)
        if self.checks is not None:
            out[n["checks"]] = self.checks.table(language())
        return out

    def write(self, path, *, inputs=()) -> list[Path]:
        """Write the result: ``.xlsx`` with every sheet, or ``.csv`` (the table) plus
        ``<name>_problems.csv`` beside it; all files or none, never over an input or inside the folder."""
        from ._io import check_outputs, table_bytes, write_files

        path = Path(path)
        sheets = self.sheets()
        if path.suffix.lower() == ".csv":
            problems = path.with_name(f"{path.stem}_{sheet_names()['problems']}.csv")
            files = {
                path: table_bytes(self.table, ".csv"),
                problems: table_bytes(sheets[sheet_names()["problems"]], ".csv", index=False),
            }
        else:
            files = {path: table_bytes({k: v for k, v in sheets.items()}, ".xlsx", index=True)}
        _refuse_inside(self.folder, files)
        check_outputs(list(inputs), list(files))
        return write_files(files)

    def write_feedback(self, folder, *, inputs=()) -> list[Path]:
        """One problem list per returned file that has problems (``<file>_<problems>.xlsx``), to
        send back to the unit; all files or none."""
        from ._io import check_outputs, safe_filename, table_bytes, write_files

        folder = Path(folder)
        table = self.problem_table()
        col = table_headers()["file"]
        files = {}
        for name, group in table.loc[table[col] != ""].groupby(col, sort=True):
            target = folder / f"{safe_filename(Path(name).stem)}_{sheet_names()['problems']}.xlsx"
            files[target] = table_bytes({sheet_names()["problems"]: group}, ".xlsx", index=False)
        _refuse_inside(self.folder, files)
        check_outputs(list(inputs), list(files), folder=folder)
        return write_files(files, folder=folder) if files else []


def _refuse_inside(folder: str, files: dict) -> None:
    """Nothing is written inside the returns folder (the next collection would read it as a return)."""
    from ..errors import OutputError

    top = Path(folder).resolve()
    for p in files:
        if Path(p).resolve().is_relative_to(top):
            raise OutputError(
                _("the output is inside the returns folder {folder}; nothing is written there").format(
                    folder=folder
                ),
                file=str(p),
                hint=_("write the results to another folder"),
            )


def _peer_checks(table, rubric, ctx, options: dict):
    """Peer deviations of the numeric indicators among the units of each category."""
    import warnings

    from ..anomalies import check_report
    from ..errors import WorkbenchWarning

    numeric = [c for c, f in ctx.fields.items() if f.kind == "number" and f.role == "indicator"]
    cat = rubric.categories.column if rubric.categories is not None else None
    if not numeric or table.empty:
        return None
    frame = table.copy()
    frame[numeric] = frame[numeric].astype(float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", WorkbenchWarning)  # small categories are listed in .skipped
        return check_report(frame, period=None, category=cat, names="name", indicators=numeric, **options)
