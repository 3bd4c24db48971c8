"""The recovery sheet: the database key on paper, as words and a QR code.

The key normally lives in the laptop's credential store, tied to the officer's
Windows account. When that account or the laptop is lost, the database (copied
from a backup stick) opens again only with the sheet: ``ocop key restore`` takes
the words, checks they open the database, and keeps the key on the new machine.

Each byte of the key is one syllable (an onset letter and a rime, so a typo is
seen, never silently read as another byte); two check syllables at the end (the
first bytes of the key's SHA-256) catch a wrong or missing word.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path

from ocop_desktop import clock, keystore
from ocop_desktop.errors import UserError

ONSETS = "bdghklmnprstvxyz"
RIMES = ("a", "e", "i", "o", "u", "an", "en", "in", "on", "un", "am", "em", "im", "om", "um", "ai")
CHECK_BYTES = 2
QR_PREFIX = "OCOPKEY1:"
WORDS_PER_LINE = 6


def _check(raw: bytes) -> bytes:
    return hashlib.sha256(raw).digest()[:CHECK_BYTES]


def key_to_words(raw: bytes) -> list[str]:
    return [ONSETS[b >> 4] + RIMES[b & 15] for b in raw + _check(raw)]


def words_to_key(text: str) -> bytes:
    """The key from the sheet's words (any case, any spacing); refuses a typo."""
    words = re.findall(r"[a-z]+", unicodedata.normalize("NFC", text).lower())
    if text.strip().upper().startswith(QR_PREFIX):  # what a QR scanner types
        return _from_qr(text.strip())
    out = bytearray()
    for word in words:
        onset, rime = word[:1], word[1:]
        if onset not in ONSETS or rime not in RIMES:
            raise UserError("key.bad_word", word=word)
        out.append(ONSETS.index(onset) << 4 | RIMES.index(rime))
    raw, check = bytes(out[:-CHECK_BYTES]), bytes(out[-CHECK_BYTES:])
    if len(raw) != keystore.KEY_BYTES:
        raise UserError("key.bad_length")
    if _check(raw) != check:
        raise UserError("key.bad_check")
    return raw


def qr_text(raw: bytes) -> str:
    return QR_PREFIX + (raw + _check(raw)).hex().upper()


def _from_qr(text: str) -> bytes:
    try:
        data = bytes.fromhex(text[len(QR_PREFIX) :])
    except ValueError as exc:
        raise UserError("key.bad_length") from exc
    raw, check = data[:-CHECK_BYTES], data[-CHECK_BYTES:]
    if len(raw) != keystore.KEY_BYTES:
        raise UserError("key.bad_length")
    if _check(raw) != check:
        raise UserError("key.bad_check")
    return raw


def restore_key(db_path: Path, text: str) -> keystore.Key:
    """Keep the key written on a recovery sheet for the database at ``db_path``.

    The key is tried on the database first: words that do not open it are
    refused and nothing is kept (an existing key stays as it was).
    """
    from ocop_desktop.db import open_connection

    raw = words_to_key(text)
    if not Path(db_path).exists():
        raise UserError("db.not_found", path=str(db_path))
    candidate = keystore.Key(raw, keystore.IN_FILE)
    conn = open_connection(db_path, key=candidate)  # raises db.wrong_key
    conn.close()
    return keystore.store_key(db_path, raw)


def sheet_file_name(office_name: str) -> str:
    from ocop_desktop.safe_names import safe_file_name

    return safe_file_name(f"Phiếu khôi phục khoá - {office_name}", ".pdf")


def write_sheet(db_path: Path, office_name: str, out: Path) -> Path:
    """A one-page PDF with the key as words and as a QR code, and what to do with it."""
    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    from ocop_desktop.i18n import tr
    from ocop_desktop.reports import fonts

    key = keystore.find_key(db_path)
    if key is None:
        raise UserError("db.key_missing", path=str(db_path))
    fonts.register()
    body = ParagraphStyle("body", fontName=fonts.REGULAR, fontSize=10.5, leading=14, spaceAfter=4)
    title = ParagraphStyle("title", fontName=fonts.BOLD, fontSize=16, leading=20)
    words = key_to_words(key.raw)
    lines = [words[i : i + WORDS_PER_LINE] for i in range(0, len(words), WORDS_PER_LINE)]
    grid = Table(
        [[f"{n * WORDS_PER_LINE + 1:>2}."] + line for n, line in enumerate(lines)],
        hAlign="LEFT",
    )
    grid.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), "Courier-Bold", 13),
                ("FONT", (0, 0), (0, -1), "Courier", 9),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ]
        )
    )
    qr = QrCodeWidget(qr_text(key.raw), barLevel="M")
    x0, y0, x1, y1 = qr.getBounds()
    side = 45 * mm
    drawing = Drawing(side, side, transform=[side / (x1 - x0), 0, 0, side / (y1 - y0), 0, 0])
    drawing.add(qr)
    facts = [
        tr("key.sheet.office", name=office_name),
        tr("key.sheet.file", path=str(Path(db_path).resolve())),
        tr("key.sheet.made", day=clock.today().strftime("%d/%m/%Y")),
    ]
    story = [
        Paragraph(tr("key.sheet.title"), title),
        Spacer(1, 4 * mm),
        *(Paragraph(f, body) for f in facts),
        Spacer(1, 5 * mm),
        Table([[grid, drawing]], colWidths=[120 * mm, 50 * mm], hAlign="LEFT"),
        Spacer(1, 5 * mm),
        *(Paragraph(tr(k), body) for k in ("key.sheet.keep", "key.sheet.use", "key.sheet.move")),
    ]
    out = Path(out)
    tmp = out.with_name(f".{out.name}.part")
    SimpleDocTemplate(
        str(tmp),
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=tr("key.sheet.title"),
    ).build(story)
    tmp.replace(out)
    return out
