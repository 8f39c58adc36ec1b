"""Every user-facing text of the collection forms and the problem lists, in one place.

The texts are English in the source and marked for the message catalogue (:mod:`workbench._i18n`);
with the default language the forms, their instructions sheet and the problem lists come out in
Chinese. Each function returns its texts in the current language.
"""

from __future__ import annotations

from .._i18n import _

__all__ = ["sheet_names", "form_texts", "instructions", "problem_kinds", "problem_texts", "table_headers"]


def sheet_names() -> dict[str, str]:
    return {
        "form": _("Data form"),
        "instructions": _("Instructions"),
        "lists": _("Lists"),
        "table": _("Consolidated table"),
        "problems": _("Problems"),
        "files": _("Returns"),
        "checks": _("Report checks"),
        "remarks": _("Remarks"),
    }


def form_texts() -> dict[str, str]:
    return {
        "title": _("{name}: data form"),
        "unit": _("Unit id"),
        "unit_name": _("Unit name"),
        "category": _("Category"),
        "note": _("Fill in the white cells only; grey cells are locked. See the sheet “{sheet}”."),
        "no": _("No."),
        "code": _("Code"),
        "name": _("Item"),
        "block": _("Block"),
        "uom": _("Unit of measure"),
        "requirement": _("What to enter"),
        "value": _("Value"),
        "evidence": _("Evidence required"),
        "remark": _("Remarks"),
        "notes": _("Notes"),
        "bonus": _("Bonus items"),
        "deduction": _("Deduction items"),
        "veto": _("Veto items"),
        "other": _("Other score"),
        "times": _("times"),
        "codes_row": _("Item code"),
        "req_row": _("What to enter"),
        # requirements
        "between": _("a number from {lo} to {hi}"),
        "at_least": _("a number of at least {lo}"),
        "at_most": _("a number of at most {hi}"),
        "any": _("a number"),
        "whole_between": _("a whole number from {lo} to {hi}"),
        "whole_at_least": _("a whole number of at least {lo}"),
        "whole_any": _("a whole number"),
        "choose": _("choose from the list: {choices}"),
        "flag": _("是 or 否 (blank = 否)"),
        "count": _("number of times (blank = 0)"),
        "exempt": _("; 不涉及 if it does not apply"),
        "error_title": _("Invalid value"),
    }


def instructions() -> list[str]:
    """The lines of the instructions sheet (filled with the rubric's name and the form's sheet name)."""
    return [
        _("How to fill in the data form of {rubric}"),
        _(
            "1. This workbook collects the data of one unit (or of the units listed) for the assessment {rubric}."
        ),
        _(
            "2. Enter data only in the white cells of the sheet “{sheet}”; grey cells are locked and must stay as they are."
        ),
        _(
            "3. Numbers: digits only, without units or a percent sign (enter 95 for 95 per cent). Grades: choose from the drop-down list."
        ),
        _("4. Where an item does not apply to your unit and the form allows it, enter 不涉及."),
        _(
            "5. Bonus and deduction items: the number of times in the year (blank = 0). Veto items: 是 or 否 (blank = 否)."
        ),
        _(
            "6. Do not add, delete or rename sheets, rows or columns, and do not enter formulas: paste values only."
        ),
        _("7. Use the Remarks column to explain anything unusual; keep the evidence listed for each item."),
        _("8. Save as .xlsx and return the file; the file name does not matter."),
        _("Form made from rubric {code}, version {fingerprint}."),
    ]


def problem_kinds() -> dict[str, str]:
    """Short names of the kinds of problems (the 问题类型 column)."""
    return {
        "missing": _("missing value"),
        "out_of_range": _("out of range"),
        "not_whole": _("not a whole number"),
        "not_a_number": _("not a number"),
        "unknown_grade": _("not in the list"),
        "formula": _("formula"),
        "duplicate_unit": _("duplicate unit"),
        "unknown_unit": _("unknown unit"),
        "no_unit": _("unit not identified"),
        "not_returned": _("not returned"),
        "not_a_return": _("not a return"),
        "unreadable": _("file cannot be read"),
        "locked_altered": _("locked cell altered"),
        "template_version": _("form of another rubric version"),
        "unknown_field": _("unknown item"),
        "exempt_blank": _("blank taken as 不涉及"),
    }


def problem_texts() -> dict[str, str]:
    """The sentences of the problem list (filled with ``str.format``)."""
    return {
        "missing": _("the value is missing; enter {expected}"),
        "out_of_range": _("{value} is outside the allowed values: {expected}"),
        "not_whole": _("{value} is not a whole number: {expected}"),
        "not_a_number": _("“{value}” is not a number: {expected}"),
        "unknown_grade": _("“{value}” is not allowed: {expected}"),
        "formula": _("the cell holds a formula; enter the value itself (paste as values)"),
        "duplicate_unit": _(
            "unit {unit} is also returned in {others} with different values; send one corrected return"
        ),
        "duplicate_same": _(
            "unit {unit} is also returned in {others} with the same values; one copy is used"
        ),
        "unknown_unit": _("unit {unit} is not in the list of units"),
        "no_unit": _(
            "the unit cannot be identified: the unit id is empty and the file name does not name a unit"
        ),
        "not_returned": _("no return from unit {unit} {name}"),
        "not_a_return": _("the file is not a data return of {rubric}: {reason}"),
        "locked_altered": _("a locked cell was changed: it should read “{expected}”, it reads “{value}”"),
        "template_version": _(
            "the form was made from another version of the rubric ({found}; now {now}); items are matched by code"
        ),
        "unknown_field": _("item {code} is not in the rubric; ignored"),
        "exempt_blank": _("blank, taken as 不涉及 (does not apply); enter 不涉及 to confirm, or the value"),
        "share_as_percent": _("{value} looks like a share; a percentage is entered as 95 for 95%"),
        # why a file cannot be read or is not a return
        "encrypted": _(
            "the workbook is protected by a password; save it without a password and send it again"
        ),
        "xls": _("the file is in the old .xls format; save it as .xlsx (Excel workbook) and send it again"),
        "not_xlsx": _("the file is not an Excel .xlsx workbook although its name ends in .xlsx"),
        "damaged": _("the workbook is damaged ({reason}); save it again from Excel or WPS"),
        "too_large": _("the file is too large for a return ({reason})"),
        "bad_xml": _("the workbook's content cannot be read ({reason})"),
        "encoding": _("the text file is neither UTF-8 nor GBK"),
        "no_table": _("no table with unit ids and items of the rubric was found"),
        "other_type": _("it is not a spreadsheet (.xlsx or .csv)"),
    }


def table_headers() -> dict[str, str]:
    """Column headers of the problem list, the returns list and the remarks list."""
    return {
        "file": _("File"),
        "unit": _("Unit id"),
        "unit_name": _("Unit name"),
        "cell": _("Cell"),
        "field": _("Item code"),
        "field_name": _("Item"),
        "value": _("Value entered"),
        "kind": _("Problem"),
        "severity": _("Severity"),
        "message": _("What to do"),
        "format": _("Type"),
        "units": _("Units"),
        "status": _("Status"),
        "errors": _("Errors"),
        "warnings": _("Warnings"),
        "remark": _("Remark"),
        "error": _("error"),
        "warning": _("warning"),
        "form": _("form"),
        "table": _("table"),
        "csv": _("CSV"),
        "other": _("other"),
        "collected": _("collected"),
        "with_problems": _("collected, with problems"),
        "skipped": _("skipped"),
    }
