"""A small reader for returned workbooks: cell values only, nothing in the file runs.

Returns are untrusted. This reader opens the ``.xlsx`` zip, refuses what is not a workbook
(password-protected files, old ``.xls``, other files renamed ``.xlsx``, damaged archives) with a
reason, and reads the chosen sheets' cell values from their XML: numbers, text (shared or inline),
booleans (as TRUE/FALSE text) and error values, and whether a cell holds a formula. It never evaluates a formula,
follows an external link, loads a macro or expands an XML entity (a document type declaration is
refused outright), and it stops at a cell budget, so a huge sheet costs little. It is about ten
times faster than loading the workbook with openpyxl, which matters when a thousand returns come
in.

References
----------
ECMA-376 Part 1, §18.3 (worksheets: ``sheetData``, ``row``, ``c``, ``v``, ``f``, ``is``) and §18.4
(shared strings: ``si``, ``t``, ``r``, ``rPh``).
"""

from __future__ import annotations

import functools
import re
import zipfile
from dataclasses import dataclass
from xml.etree import ElementTree as ET

__all__ = ["WorkbookError", "Book", "open_book", "CellError"]

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_REF = re.compile(r"^([A-Z]{1,3})(\d{1,7})$")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class WorkbookError(Exception):
    """The file cannot be read as a workbook; ``reason`` is a key of the problem texts."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(reason, detail)
        self.reason, self.detail = reason, detail


@dataclass(frozen=True)
class CellError:
    """An Excel error value such as ``#DIV/0!`` (never a number)."""

    code: str

    def __str__(self) -> str:
        return self.code


@functools.cache
def _col_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _parse(data: bytes, what: str):
    if b"<!DOCTYPE" in data[:4096] or b"<!ENTITY" in data[:4096]:  # workbooks never declare entities
        raise WorkbookError("bad_xml", f"{what}: a document type declaration")
    try:
        return ET.fromstring(data)
    except ET.ParseError as exc:
        raise WorkbookError("bad_xml", f"{what}: {exc}") from None


class Book:
    """An open returned workbook: sheet names and states, shared strings, cell values on demand."""

    def __init__(self, zf: zipfile.ZipFile, max_part_bytes: int):
        self.zf, self.max_part_bytes = zf, max_part_bytes
        self.sheets: dict[str, str] = {}  # name -> zip part
        self.states: dict[str, str] = {}  # name -> visible | hidden | veryHidden
        self._shared: list[str] | None = None
        book = _parse(self._read("xl/workbook.xml"), "xl/workbook.xml")
        rels = _parse(self._read("xl/_rels/workbook.xml.rels"), "workbook relationships")
        targets = {}
        for rel in rels.iter(f"{_PKG_REL}Relationship"):
            t = rel.get("Target", "").lstrip("/")
            targets[rel.get("Id")] = t if t.startswith("xl/") else f"xl/{t}"
        for sheet in book.iter(f"{_NS}sheet"):
            part = targets.get(sheet.get(f"{_REL_NS}id"))
            if part is not None and part in self.zf.NameToInfo:
                self.sheets[sheet.get("name", "")] = part
                self.states[sheet.get("name", "")] = sheet.get("state", "visible")

    def _read(self, part: str) -> bytes:
        info = self.zf.NameToInfo.get(part)
        if info is None:
            raise WorkbookError("not_xlsx", f"no {part}")
        if info.file_size > self.max_part_bytes:
            raise WorkbookError("too_large", f"{part}: {info.file_size:,} bytes")
        try:
            return self.zf.read(part)
        except (zipfile.BadZipFile, OSError, EOFError, RuntimeError) as exc:  # CRC, truncation, encryption
            raise WorkbookError("damaged", f"{part}: {exc}") from None

    @property
    def shared(self) -> list[str]:
        if self._shared is None:
            self._shared = []
            if "xl/sharedStrings.xml" in self.zf.NameToInfo:
                root = _parse(self._read("xl/sharedStrings.xml"), "shared strings")
                for si in root.iter(f"{_NS}si"):
                    self._shared.append(_node_text(si))
        return self._shared

    def cells(self, name: str, max_cells: int) -> dict[tuple[int, int], tuple[object, bool]]:
        """(row, col) -> (value, has formula) of every cell with a value or a formula."""
        root = _parse(self._read(self.sheets[name]), name)
        out: dict[tuple[int, int], tuple[object, bool]] = {}
        data = root.find(f"{_NS}sheetData")
        if data is None:
            return out
        r_prev = 0
        count = 0
        for row in data.iter(f"{_NS}row"):
            r = int(row.get("r") or r_prev + 1)
            r_prev, c_prev = r, 0
            for c in row.iter(f"{_NS}c"):
                count += 1
                if count > max_cells:
                    raise WorkbookError("too_large", f"sheet {name!r}: more than {max_cells:,} cells")
                ref = c.get("r")
                m = _REF.match(ref) if ref else None
                col = _col_number(m.group(1)) if m else c_prev + 1
                c_prev = col
                has_f = c.find(f"{_NS}f") is not None
                value = self._value(c)
                if value is not None or has_f:
                    out[(r, col)] = (value, has_f)
        return out

    def _value(self, c):
        t = c.get("t", "n")
        if t == "inlineStr":
            node = c.find(f"{_NS}is")
            return None if node is None else _node_text(node)
        v = c.find(f"{_NS}v")
        if v is None or v.text is None:
            return None
        text = v.text
        if t == "s":
            try:
                return self.shared[int(text)]
            except (ValueError, IndexError):
                raise WorkbookError("bad_xml", f"shared string {text!r} does not exist") from None
        if t == "b":  # as text: a boolean must not pass for the number 1 or 0
            return "TRUE" if text.strip() == "1" else "FALSE"
        if t == "e":
            return CellError(text)
        if t in ("str", "d"):
            return text
        try:
            return float(text)
        except ValueError:
            raise WorkbookError("bad_xml", f"number {text[:20]!r}") from None


def _node_text(node) -> str:
    """Text of a shared-string item or inline string: its runs, without phonetic guides (rPh)."""
    parts = []
    for child in node:
        tag = child.tag
        if tag == f"{_NS}t":
            parts.append(child.text or "")
        elif tag == f"{_NS}r":
            t = child.find(f"{_NS}t")
            parts.append("" if t is None or t.text is None else t.text)
    return "".join(parts)


def open_book(path, *, max_bytes: int, max_unzipped: int, max_ratio: float = 250.0) -> Book:
    """Open a returned ``.xlsx`` for reading cell values, or raise :class:`WorkbookError`.

    Reasons: ``encrypted`` (a password-protected workbook is an OLE file with an encryption
    stream), ``xls`` (the old binary format), ``not_xlsx`` (another kind of file), ``damaged`` (a
    broken zip), ``too_large`` (file, unpacked size or compression ratio over the limits).
    """
    with open(path, "rb") as fh:
        head = fh.read(8)
        fh.seek(0, 2)
        size = fh.tell()
    if size > max_bytes:
        raise WorkbookError("too_large", f"{size:,} bytes")
    if head == OLE_MAGIC:
        with open(path, "rb") as fh:
            body = fh.read()
        encrypted = "EncryptionInfo".encode("utf-16-le") in body or b"EncryptedPackage" in body
        raise WorkbookError("encrypted" if encrypted else "xls")
    if not head.startswith(b"PK"):
        raise WorkbookError("not_xlsx")
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise WorkbookError("damaged", str(exc)) from None
    infos = zf.infolist()
    total = sum(i.file_size for i in infos)
    worst = max((i.file_size / max(i.compress_size, 1) for i in infos if i.file_size >= 1 << 20), default=0)
    if total > max_unzipped or worst > max_ratio or len(infos) > 1000:
        zf.close()
        raise WorkbookError("too_large", f"{total:,} bytes unpacked, {len(infos)} parts")
    try:
        return Book(zf, max_part_bytes=max_unzipped)
    except WorkbookError:
        zf.close()
        raise
