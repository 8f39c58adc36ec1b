"""Which text encoding a CSV file is in: UTF-8 (with or without BOM) or GBK, or a clear error.

Excel and WPS on Chinese Windows save CSV as GBK; newer versions as UTF-8 with a BOM. A file whose
rows mix the two (rows pasted from a GBK file into a UTF-8 one) is refused with the first row that
breaks the encoding of the rows before it: decoding it all as GBK turns every UTF-8 name into
mojibake.
"""

from __future__ import annotations

import re

from .._i18n import _
from ..errors import DataError

__all__ = ["detect_encoding", "detect_encoding_or_raise", "csv_encoding_after_failure"]


def _messages() -> dict:
    """Every message of this module, in the current language (the gettext catalogue)."""
    return {
        "mixed": _(
            "this row is {other} text but the rows before it are {encoding} (from row {first_row}); the "
            "file mixes encodings, e.g. rows pasted from a GBK file into a UTF-8 one"
        ),
        "mixed_hint": _("open the file in Excel or WPS, fix the garbled rows, and save it once as CSV UTF-8"),
    }


def detect_encoding(raw: bytes) -> str:
    """Name the encoding of CSV bytes: 'utf-8-sig' (BOM), 'utf-8', or 'gbk' (read as GB18030).

    Raises
    ------
    DataError
        When the bytes are neither valid UTF-8 nor valid GBK.
    """
    if raw.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    try:
        raw.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc
    try:
        raw.decode("gb18030")
        return "gbk"
    except UnicodeDecodeError:
        pass
    line = raw[: utf8_error.start].count(b"\n") + 1
    raise DataError(
        _("the file is neither UTF-8 nor GBK text (invalid byte at offset {offset}, line {line})").format(
            offset=utf8_error.start, line=line
        ),
        row=line,
        hint=_("save the table as CSV UTF-8 from Excel or WPS"),
    )


def detect_encoding_or_raise(raw: bytes, file: str) -> str:
    try:
        return detect_encoding(raw)
    except DataError as exc:
        raise DataError(str(exc), file=file, row=exc.row, hint=exc.hint) from None


def _decode(raw: bytes, encoding: str, file: str) -> str:
    codec = "gb18030" if encoding.lower() in ("gbk", "gb2312", "gb18030") else encoding
    try:
        return raw.decode(codec)
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        guess = ""
        try:
            raw.decode("gb18030")
            guess = _(" It decodes as GBK: the file was probably saved by Excel or WPS in GBK.")
        except UnicodeDecodeError:
            pass
        raise DataError(
            _("the file is not valid {encoding} text (invalid byte at offset {offset}, line {line}).").format(
                encoding=encoding, offset=exc.start, line=line
            )
            + guess,
            file=file,
            row=line,
            hint=_("pass encoding='gbk', or leave encoding=None to detect it"),
        ) from None


def _codec(encoding: str) -> str:
    return "gb18030" if encoding.lower() in ("gbk", "gb2312", "gb18030") else encoding


_CJK = re.compile("[\u4e00-\u9fff]")


def _line_kind(line: bytes) -> str:
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        try:
            line.decode("gb18030")
        except UnicodeDecodeError:
            return "neither"
        return "GBK"
    # a short GBK word can be valid UTF-8 by chance; Chinese text in UTF-8 has CJK ideographs
    return "UTF-8" if _CJK.search(text) else "other"


def csv_encoding_after_failure(raw: bytes, file: str, *, declared: str) -> str:
    """The encoding to read a CSV with after UTF-8 failed, or a DataError for a mixed file.

    Each non-ASCII line is classified (UTF-8 Chinese, GBK, neither); the first line whose
    encoding differs from the first such line's is reported as the row where the file changes
    encoding (decoding it all as GBK would turn every UTF-8 name into mojibake). Only runs after
    the fast UTF-8 path failed.
    """
    body = raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw
    first = None
    for i, line in enumerate(body.split(b"\n")):
        if line.isascii():
            continue
        kind = _line_kind(line)
        if kind in ("other", "neither") and first is None:
            continue
        if first is None:
            first = (kind, i + 1)
        elif kind != first[0] and kind != "other":
            if kind == "neither":
                break  # the whole-file check below names the byte
            raise DataError(
                _messages()["mixed"].format(row=i + 1, encoding=first[0], other=kind, first_row=first[1]),
                file=file,
                row=i + 1,
                hint=_messages()["mixed_hint"],
            )
    if raw.startswith(b"\xef\xbb\xbf") and first is not None and first[0] == "GBK":
        raise DataError(
            _messages()["mixed"].format(
                row=first[1], encoding="UTF-8 (the file starts with a UTF-8 mark)", other="GBK", first_row=1
            ),
            file=file,
            row=first[1],
            hint=_messages()["mixed_hint"],
        )
    return detect_encoding_or_raise(raw, file)
