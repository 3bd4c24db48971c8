"""The scoring sheet (phiếu chấm điểm) of a product set, and scoring a council's choice.

A sheet is read from the rows ``RefData.rubric`` gives (title, description,
level, stars, score): level 0 is a part (A, B, C), level 1 a section, level 2 a
criterion, level 3 an option with its points. An option belongs to the nearest
header above it that carries a score, so in Part C a section with options right
under it is itself the criterion. The rows are a transcription of the decision's
appendix: the parser keeps going on odd rows and ``problems`` lists what does not
add up, so the data can be corrected rather than the code.

Keys are stable for a given sheet: a criterion is its part letter and its number
in the part ("A1", "C7"), an option its number in the criterion starting at 1.
Key 0 is "none of these" (0 points), added to criteria whose sheet has no
0-point option: on the paper sheet a council may leave such a criterion without a
tick, which scores nothing and fails any minimum requirement on it.

A ``stars`` mark (3, 4, 5) on an option is a minimum requirement: a product can
be ranked N stars only if, for every criterion with an option marked N or lower,
the chosen option is that one or one scoring more. A mark on a criterion's own
header (Part A's "Sở hữu trí tuệ****") means the criterion must be met at all:
it is carried by the criterion's lowest real option.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ocop_desktop import refdata
from ocop_desktop.errors import ValidationError
from ocop_desktop.text import nfc

PART_CODES = ("A", "B", "C")
DATA_NOTE_PREFIXES = ("Hiệu đính:", "Ghi chú bản chép:")
STAR_CLASSES = (3, 4, 5)
NONE_KEY = 0
# Below the lowest class a product is not recognised: 1 or 2 stars by points.
NOT_RECOGNISED = 2

_PART = re.compile(r"Ph[aầ]n\s*([ABC])\b", re.IGNORECASE)
_MARKS = re.compile(r"\s*\(?\*{3,5}\)?")
# "…địa phương***** Ghi chú: …" (sets 21, 22): the note after the marks on a new line.
_MARKS_BEFORE_TEXT = re.compile(r"\s*\(?\*{3,5}\)?\s+(?=\S)")


@dataclass(frozen=True)
class Option:
    key: int
    title: str
    points: float
    min_stars: int | None = None


@dataclass(frozen=True)
class Criterion:
    key: str
    part: str
    title: str
    description: str
    max_points: float
    options: tuple[Option, ...]

    def option(self, key: int) -> Option | None:
        return next((o for o in self.options if o.key == key), None)


@dataclass(frozen=True)
class Section:
    title: str
    description: str
    max_points: float
    criteria: tuple[Criterion, ...]


@dataclass(frozen=True)
class Part:
    code: str
    title: str
    max_points: float
    sections: tuple[Section, ...]

    @property
    def criteria(self) -> tuple[Criterion, ...]:
        return tuple(c for s in self.sections for c in s.criteria)


@dataclass(frozen=True)
class Sheet:
    product_set: int
    parts: tuple[Part, ...]
    # What did not add up while reading the rows (see ``problems``).
    notes: tuple[str, ...] = ()

    @property
    def criteria(self) -> tuple[Criterion, ...]:
        return tuple(c for p in self.parts for c in p.criteria)

    def criterion(self, key: str) -> Criterion | None:
        return next((c for c in self.criteria if c.key == key), None)

    @property
    def data_notes(self) -> tuple[str, ...]:
        """Notes the data carries on its own transcription: a correction made from
        the sheet's own totals ("Hiệu đính"), or a fault kept because the decision's
        text could not be checked ("Ghi chú bản chép"). Shown with the sheet."""
        texts = [s.description for p in self.parts for s in p.sections]
        texts += [c.description for c in self.criteria]
        return tuple(dict.fromkeys(t for t in texts if t.startswith(DATA_NOTE_PREFIXES)))


@dataclass(frozen=True)
class Requirement:
    """The option a criterion must reach (or beat) for a star class."""

    stars: int
    criterion: Criterion
    option: Option


@dataclass(frozen=True)
class Score:
    parts: dict[str, float]
    total: float
    stars_by_points: int
    # The highest class whose minimum requirements are all met (2: not even 3 stars).
    stars_allowed: int
    stars: int
    # The requirements of the next class up that are not met, when they lower the stars.
    capped_by: tuple[Requirement, ...] = ()
    unanswered: tuple[str, ...] = field(default=())


def clean_title(text: str) -> str:
    """NFC, no tick box, no trailing star marks, tidy spaces; line breaks kept."""
    lines = [" ".join(line.split()) for line in nfc(text).replace("□", "").splitlines()]
    out = "\n".join(line for line in lines if line).strip()
    return _MARKS.sub("", _MARKS_BEFORE_TEXT.sub("\n", out)).strip()


def _number(text: str | None) -> float | None:
    text = (text or "").strip().replace(",", ".")
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        return None


def _stars(text: str | None) -> int | None:
    value = _number(text)
    return int(value) if value is not None and int(value) in STAR_CLASSES else None


class _Builder:
    """Collects rows into parts, sections and criteria; notes what does not fit."""

    def __init__(self, product_set: int) -> None:
        self.product_set = product_set
        self.notes: list[str] = []
        self.parts: list[dict[str, Any]] = []
        self.owner: dict[str, Any] | None = None  # the header options attach to
        self.group: dict[str, Any] | None = None  # the last criterion not starting with "-"

    def note(self, row_no: int, text: str) -> None:
        self.notes.append(f"set {self.product_set:02d} row {row_no}: {text}")

    def part(self, row_no: int, row: dict[str, str]) -> None:
        title = clean_title(row.get("title") or "")
        found = _PART.search(title)
        code = found.group(1).upper() if found else None
        if code is None:
            code = PART_CODES[len(self.parts)] if len(self.parts) < 3 else f"P{len(self.parts)}"
            self.note(row_no, f"part header without a letter: {title!r}, taken as {code}")
        self.parts.append(
            {"code": code, "title": title, "max": _number(row.get("score")), "sections": []}
        )
        self.owner = None

    def section(self, row_no: int, row: dict[str, str]) -> None:
        if not self.parts:
            self.note(row_no, "section before any part")
            self.part(row_no, {"title": ""})
        section = self._header(row, "section")
        self.parts[-1]["sections"].append(section)
        self.group = None
        self.owner = section if section["max"] is not None else None

    def criterion(self, row_no: int, row: dict[str, str]) -> None:
        if not self.parts or not self.parts[-1]["sections"]:
            self.note(row_no, "criterion before any section")
            self.section(row_no, {"title": "", "score": ""})
        header = self._header(row, "criterion")
        group = self.group
        if header["title"].startswith(("-", "+")) and group is not None and not group["options"]:
            # "- Tạp chất" under "a) Ngoại hình" (set 11): a criterion inside a group.
            group["group"] = True
            header["title"] = f"{group['title']} - {header['title'].lstrip('-+ ')}"
        else:
            self.group = header
        if header["max"] is None:
            # "a)" with no score (set 03): its options belong to the section above.
            if header["stars"]:
                self.note(row_no, "star mark on a criterion without a score")
            return
        self.parts[-1]["sections"][-1]["children"].append(header)
        self.owner = header

    def option(self, row_no: int, row: dict[str, str]) -> None:
        title = clean_title(row.get("title") or "")
        points = _number(row.get("score"))
        if self.owner is None:
            self.note(row_no, f"option without a scored header above it: {title[:50]!r}")
            return
        if points is None:
            # Resolved from its neighbours in _make_criterion ("l" for 1 in sets 17, 18).
            self.owner.setdefault("unread", {})[len(self.owner["options"])] = (
                row_no,
                row.get("score"),
            )
        marks = re.search(r"\*{3,5}", row.get("title") or "")
        stars = _stars(row.get("stars"))
        if marks and len(marks.group(0)) != stars:
            self.note(row_no, f"title marks {marks.group(0)} but stars column is {stars or '-'}")
        self.owner["options"].append(
            Option(len(self.owner["options"]) + 1, title, points, stars)  # type: ignore[arg-type]
        )

    @staticmethod
    def _header(row: dict[str, str], kind: str) -> dict[str, Any]:
        return {
            "kind": kind,
            "title": clean_title(row.get("title") or ""),
            "description": clean_title(row.get("description") or ""),
            "max": _number(row.get("score")),
            "stars": _stars(row.get("stars")),
            "options": [],
            "children": [],
        }


def parse(product_set: int, rows: list[dict[str, str]]) -> Sheet:
    """A sheet from the CSV rows of one product set (never raises on odd rows)."""
    b = _Builder(product_set)
    handlers = {"0": b.part, "1": b.section, "2": b.criterion, "3": b.option}
    for row_no, row in enumerate(rows, start=2):  # row 1 is the CSV header
        handler = handlers.get((row.get("level") or "").strip())
        if handler is None:
            b.note(row_no, f"unknown level {row.get('level')!r}")
            continue
        handler(row_no, row)
    parts = []
    for p in b.parts:
        number = 0
        sections = []
        for s in p["sections"]:
            criteria = []
            for header in [s, *_merge_cases(s)]:
                if header is s and not s["options"]:
                    continue
                if header.get("group") and not header["options"]:
                    continue
                if header is not s and s["options"]:
                    b.note(0, f"section {s['title'][:40]!r} has options and criteria")
                number += 1
                criteria.append(_make_criterion(b, f"{p['code']}{number}", p["code"], header))
            if not criteria:
                b.note(0, f"section {s['title'][:40]!r} has no options")
            sections.append(Section(s["title"], s["description"], s["max"] or 0.0, tuple(criteria)))
        parts.append(Part(p["code"], p["title"], p["max"] or 0.0, tuple(sections)))
    return Sheet(product_set, tuple(parts), tuple(b.notes))


_CASE = re.compile(r"^[a-zđ]\s*[.)]\s*(Trường hợp\s*\d+)\s*:?\s*(.*)$", re.IGNORECASE | re.DOTALL)


def _merge_cases(section: dict[str, Any]) -> list[dict[str, Any]]:
    """Set 26 scores some sections as "Trường hợp 1: community ... / Trường hợp 2:
    tourist spot ...": only the case that fits the product applies, so the cases
    become one criterion whose options carry their case's name."""
    children = section["children"]
    cases = [(c, _CASE.match(c["title"])) for c in children]
    if len(children) < 2 or not all(m for _, m in cases):
        return children
    options: list[Option] = []
    unread: dict[int, tuple[int, Any]] = {}
    for child, m in cases:
        name = f"{m.group(1)}: {m.group(2)}".strip(" :") if m else ""
        for i, o in enumerate(child["options"]):
            if i in child.get("unread", {}):
                unread[len(options)] = child["unread"][i]
            options.append(Option(len(options) + 1, f"{name} - {o.title}", o.points, o.min_stars))
    merged = dict(children[0], title=section["title"], description=section["description"])
    merged.update(options=options, unread=unread, max=max(c["max"] or 0 for c in children))
    return [merged]


def _resolve_points(b: _Builder, key: str, header: dict[str, Any]) -> list[Option]:
    """Options whose points could not be read take the value between their
    neighbours when those differ by exactly 2 (0, ?, 2 → 1); otherwise left out."""
    options: list[Option] = list(header["options"])
    unread = header.get("unread", {})
    for i in sorted(unread, reverse=True):
        row_no, raw = unread[i]
        before = options[i - 1].points if i > 0 else None
        after = options[i + 1].points if i + 1 < len(options) else None
        if before is not None and after is not None and after - before == 2:
            options[i] = Option(options[i].key, options[i].title, before + 1, options[i].min_stars)
            b.note(row_no, f"{key}: score {raw!r} read as {before + 1:g} (between its neighbours)")
        else:
            b.note(row_no, f"{key}: score {raw!r} unreadable, option left out")
            del options[i]
    return [Option(n, o.title, o.points, o.min_stars) for n, o in enumerate(options, start=1)]


def _make_criterion(b: _Builder, key: str, part: str, header: dict[str, Any]) -> Criterion:
    options = _resolve_points(b, key, header)
    if not options:
        b.note(0, f"criterion {key} {header['title'][:40]!r} has no options")
    if header["stars"] and options:
        lowest = min(options, key=lambda o: o.points)
        if lowest.min_stars is None or lowest.min_stars > header["stars"]:
            i = options.index(lowest)
            options[i] = Option(lowest.key, lowest.title, lowest.points, header["stars"])
    if options and min(o.points for o in options) > 0:
        options.insert(0, Option(NONE_KEY, "", 0.0, None))
    return Criterion(
        key, part, header["title"], header["description"], header["max"] or 0.0, tuple(options)
    )


@lru_cache(maxsize=32)
def sheet(product_set: int) -> Sheet:
    """The parsed sheet of a product set (1–26); ValidationError for another number."""
    if product_set not in refdata.load().product_sets:
        raise ValidationError("rubric.unknown_set", "product_set", value=product_set)
    return parse(product_set, refdata.load().rubric(product_set))


def problems(s: Sheet) -> list[str]:
    """What does not add up on a sheet: parsing notes, maxima that disagree with
    their parts, criteria without options."""
    from ocop_desktop.validation import PART_MAX

    out = list(s.notes)
    where = f"set {s.product_set:02d}"
    codes = [p.code for p in s.parts]
    if codes != list(PART_CODES):
        out.append(f"{where}: parts {codes}, expected A, B, C")
    for p in s.parts:
        expected = PART_MAX.get(p.code.lower())
        if expected is not None and p.max_points != expected:
            out.append(f"{where} part {p.code}: maximum {p.max_points:g}, expected {expected:g}")
        best = sum(max((o.points for o in c.options), default=0) for c in p.criteria)
        if best != p.max_points:
            out.append(
                f"{where} part {p.code}: best options add up to {best:g}, not {p.max_points:g}"
            )
        for sec in p.sections:
            inner = sum(c.max_points for c in sec.criteria)
            if sec.max_points and inner != sec.max_points:
                out.append(
                    f"{where} {sec.title[:40]!r}: criteria add up to {inner:g}, "
                    f"section says {sec.max_points:g}"
                )
        for c in p.criteria:
            if not [o for o in c.options if o.key != NONE_KEY]:
                out.append(f"{where} {c.key}: no options")
                continue
            top = max(o.points for o in c.options)
            if top != c.max_points:
                out.append(f"{where} {c.key}: best option {top:g}, criterion says {c.max_points:g}")
    return out


def normalise_choices(s: Sheet, choices: Any) -> dict[str, int]:
    """A choice of one option per criterion, checked against the sheet.

    ``choices`` maps criterion keys to option keys (integers, or their digits as
    text, as a JSON file written by hand may have them). Raises ValidationError
    (field ``options``) for a key the sheet does not have or a criterion left out.
    """
    if not isinstance(choices, Mapping):
        raise ValidationError("rubric.not_a_choice", "options")
    out: dict[str, int] = {}
    for raw_key, raw_option in choices.items():
        key = str(raw_key).strip().upper()
        criterion = s.criterion(key)
        if criterion is None:
            raise ValidationError(
                "rubric.unknown_criterion", "options", criterion=raw_key, set=s.product_set
            )
        option = _option_key(raw_option)
        if option is None or criterion.option(option) is None:
            raise ValidationError(
                "rubric.unknown_option",
                "options",
                criterion=key,
                option=raw_option,
                options=", ".join(str(o.key) for o in criterion.options),
            )
        out[key] = option
    missing = [c.key for c in s.criteria if c.key not in out]
    if missing:
        raise ValidationError(
            "rubric.unanswered", "options", count=len(missing), criteria=", ".join(missing)
        )
    return {c.key: out[c.key] for c in s.criteria}


def _option_key(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def requirements(s: Sheet, stars: int) -> list[Requirement]:
    """What a product must reach on each criterion to be ranked ``stars``: per
    criterion, the best-scoring option marked ``stars`` or lower."""
    out = []
    for c in s.criteria:
        marked = [o for o in c.options if o.min_stars is not None and o.min_stars <= stars]
        if marked:
            out.append(Requirement(stars, c, max(marked, key=lambda o: o.points)))
    return out


def meets(req: Requirement, chosen: Option | None) -> bool:
    """The chosen option is the required one or scores more."""
    return chosen is not None and (
        chosen.key == req.option.key or chosen.points > req.option.points
    )


_meets = meets


def score(s: Sheet, choices: Mapping[str, int]) -> Score:
    """Points per part, total, and stars = min(stars by points, highest class whose
    minimum requirements are met). Criteria not in ``choices`` count 0 points and
    meet no requirement (the dialog shows running totals while a sheet is filled)."""
    chosen: dict[str, Option | None] = {
        c.key: c.option(choices[c.key]) if c.key in choices else None for c in s.criteria
    }
    parts = {
        p.code: round(sum(o.points for c in p.criteria if (o := chosen[c.key])), 2) for p in s.parts
    }
    total = round(sum(parts.values()), 2)
    by_points = refdata.load().stars_for_points(min(total, 100.0))
    allowed = NOT_RECOGNISED
    unmet: tuple[Requirement, ...] = ()
    for stars in STAR_CLASSES:
        unmet = tuple(r for r in requirements(s, stars) if not _meets(r, chosen[r.criterion.key]))
        if unmet:
            break
        allowed = stars
    stars = min(by_points, allowed)
    return Score(
        parts=parts,
        total=total,
        stars_by_points=by_points,
        stars_allowed=allowed,
        stars=stars,
        capped_by=unmet if allowed < by_points else (),
        unanswered=tuple(k for k, o in chosen.items() if o is None),
    )


def as_dict(s: Sheet) -> dict[str, Any]:
    """The sheet as plain data (``ocop evaluations sheet SET --json``)."""
    return {
        "product_set": s.product_set,
        "parts": [
            {
                "code": p.code,
                "title": p.title,
                "max_points": p.max_points,
                "criteria": [
                    {
                        "key": c.key,
                        "title": c.title,
                        "max_points": c.max_points,
                        "options": [
                            {
                                "key": o.key,
                                "title": o.title,
                                "points": o.points,
                                "min_stars": o.min_stars,
                            }
                            for o in c.options
                        ],
                    }
                    for c in p.criteria
                ],
            }
            for p in s.parts
        ],
    }


def as_text(s: Sheet) -> list[str]:
    """The sheet for a person filling an options file: criterion keys, option keys,
    points and minimum-requirement marks."""
    from ocop_desktop.i18n import tr

    def one_line(text: str) -> str:
        return " ".join(text.split())

    lines = [tr("rubric.cli_intro", set=s.product_set), ""]
    for p in s.parts:
        lines.append(f"{one_line(p.title)}")
        for sec in p.sections:
            if not (len(sec.criteria) == 1 and sec.criteria[0].title == sec.title):
                lines.append(f"  {one_line(sec.title)} [{sec.max_points:g}]")
            for c in sec.criteria:
                lines.append(f"    {c.key}  {one_line(c.title)} [{c.max_points:g}]")
                for o in c.options:
                    title = one_line(o.title) if o.key != NONE_KEY else tr("rubric.none_option")
                    mark = f"  ≥{o.min_stars}★" if o.min_stars else ""
                    lines.append(f"        {o.key}  ({o.points:g}) {title}{mark}")
        lines.append("")
    lines += [f"! {note}" for note in s.data_notes]
    if s.data_notes:
        lines.append("")
    example = ", ".join(f'"{c.key}": 1' for c in s.criteria[:3])
    lines.append(tr("rubric.cli_example", example=example))
    return lines
