"""The summary's tables, once, in a form no output owns: headers, column kinds
and raw values (numbers as numbers, dates as ISO text). The PDF formats and
draws them, the workbook writes them as sheets, so the two can never disagree on
a header, an order or a total.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ocop_desktop.reports.wording import (
    STAR_LABELS,
    kind_label,
    short_district,
    stars_label,
    status_label,
)
from ocop_desktop.summary import STAR_CLASSES, Summary

STAR_ORDER = ("5", "potential_5", "4", "3")  # the order a reader ranks them in
RESULT_LABELS = {
    "new_products": "Sản phẩm được công nhận mới",
    "four_star": "Sản phẩm đạt 4 sao (mới, nâng hạng)",
    "potential_five": "Sản phẩm tiềm năng 5 sao (mới, nâng hạng)",
    "upgrades": "Sản phẩm được nâng hạng",
    "renewals": "Sản phẩm được công nhận lại",
}
UNPLANNED_LABELS = {
    "downgrades": "Sản phẩm bị hạ hạng",
    "revocations": "Giấy chứng nhận bị thu hồi",
}


@dataclass(frozen=True)
class Column:
    label: str
    kind: str = "text"  # text | int | pct | date
    width: float = 1.0  # share of the printed width (relative to the other columns)
    chars: float = 14  # width in the workbook, in characters
    printed: bool = True  # the PDF shows it (the workbook shows every column)


@dataclass
class Table:
    key: str
    title: str  # the caption without its number
    sheet: str  # the workbook's sheet name (at most 31 characters)
    columns: list[Column]
    rows: list[list[Any]]
    total: list[Any] | None = None  # a bold last row ("Tổng số")
    notes: dict[str, Any] = field(default_factory=dict)

    @property
    def printed_columns(self) -> list[int]:
        return [i for i, c in enumerate(self.columns) if c.printed]


def _star_columns(chars: float = 12) -> list[Column]:
    return [Column(STAR_LABELS[k], "int", 1.0, chars) for k in STAR_CLASSES] + [
        Column("Tổng", "int", 1.0, 10)
    ]


def _star_values(stars: dict[str, int]) -> list[int]:
    return [stars[k] for k in STAR_CLASSES] + [sum(stars.values())]


def stars(s: Summary) -> Table:
    certified = s.products["certified"]
    rows = [
        [STAR_LABELS[k], s.stars[k], 100.0 * s.stars[k] / certified if certified else None]
        for k in STAR_ORDER
    ]
    return Table(
        "stars",
        "Sản phẩm OCOP còn hiệu lực theo hạng sao",
        "Theo hạng sao",
        [
            Column("Hạng sao", "text", 2.0, 22),
            Column("Số sản phẩm", "int", 1.0, 14),
            Column("Tỷ lệ", "pct", 1.0, 10),
        ],
        rows,
        ["Tổng số", certified, 100.0 if certified else None],
    )


def by_group(s: Summary) -> Table:
    return Table(
        "by_group",
        "Sản phẩm OCOP còn hiệu lực theo nhóm sản phẩm",
        "Theo nhóm",
        [Column("Nhóm sản phẩm", "text", 3.3, 50), *_star_columns()],
        [[f"{g['group_code']}. {g['group']}", *_star_values(g["stars"])] for g in s.by_group],
        ["Tổng số", *_star_values(s.stars)],
    )


def by_product_set(s: Summary) -> Table:
    """Only the sets with certified products (all 26 would be mostly zeros)."""
    sets = [r for r in s.by_product_set if r["certified"]]
    return Table(
        "by_product_set",
        "Sản phẩm OCOP còn hiệu lực theo bộ sản phẩm",
        "Theo bộ sản phẩm",
        [
            Column("Mã bộ", "int", 0.55, 8),
            Column("Bộ sản phẩm", "text", 3.0, 60),
            Column("Nhóm", "text", 0.55, 8),
            Column("Số sản phẩm", "int", 1.0, 14),
        ],
        [[r["code"], r["name"], r["group_code"], r["certified"]] for r in sets],
        ["", "Tổng số", "", sum(r["certified"] for r in sets)],
    )


def by_district(s: Summary) -> Table:
    return Table(
        "by_district",
        "Sản phẩm OCOP còn hiệu lực theo địa bàn huyện cũ (xếp hạng)",
        "Theo huyện cũ",
        [
            Column("Hạng", "int", 0.7, 8),
            Column("Mã huyện", "int", 0.8, 10, printed=False),
            Column("Huyện cũ", "text", 1.7, 24),
            Column("Sản phẩm theo dõi", "int", 1.0, 14),
            *_star_columns(),
            Column("Chủ thể", "int", 0.95, 10),
        ],
        [
            [
                d["rank"],
                d["code"],
                d["short_name"],
                d["products"],
                *_star_values(d["stars"]),
                d["producers"],
            ]
            for d in s.by_district
        ],
        ["", "", "Toàn tỉnh", s.products["total"], *_star_values(s.stars), s.producers["total"]],
    )


def by_commune(s: Summary, *, with_products_only: bool = False) -> Table:
    """Per current commune or ward; on a provincial report only those with products
    (the others are counted in ``notes['without_products']``)."""
    communes = s.by_commune
    if with_products_only:
        communes = [c for c in communes if c["products"]]
    table = Table(
        "by_commune",
        "Sản phẩm OCOP theo xã, phường",
        "Theo xã phường",
        [
            Column("Mã xã", "int", 0.8, 10, printed=False),
            Column("Xã, phường", "text", 2.0, 26),
            Column("Huyện cũ", "text", 1.4, 24, printed=s.scope.kind == "province"),
            Column("Sản phẩm theo dõi", "int", 1.1, 14),
            *_star_columns(),
        ],
        [
            [
                c["code"],
                c["name"],
                short_district(c["former_district"]),
                c["products"],
                *_star_values(c["stars"]),
            ]
            for c in communes
        ],
        ["", "Tổng số", "", s.products["total"], *_star_values(s.stars)],
    )
    table.notes["without_products"] = len(s.by_commune) - len(communes)
    table.notes["communes"] = len(s.by_commune)
    return table


def producers_by_kind(s: Summary) -> Table:
    pr = s.producers
    kinds = [k for k in pr["by_kind"] if k != "unknown" or pr["by_kind"][k]]
    return Table(
        "producers_by_kind",
        "Chủ thể OCOP theo loại hình",
        "Chủ thể theo loại hình",
        [
            Column("Loại hình chủ thể", "text", 1.45, 28),
            Column("Số chủ thể", "int", 0.7, 12),
            Column("Có sản phẩm OCOP còn hiệu lực", "int", 1.0, 18),
        ],
        [
            [kind_label(k), pr["by_kind"][k], pr["with_certified_products_by_kind"][k]]
            for k in kinds
        ],
        ["Tổng số", pr["total"], pr["with_certified_products"]],
    )


def year_results(s: Summary) -> Table:
    y = s.year_results
    target, percent = y["target"] or {}, y["percent"] or {}
    return Table(
        "year_results",
        f"Kết quả năm {y['year']} so với kế hoạch",
        f"Kết quả năm {y['year']}",
        [
            Column("Chỉ tiêu", "text", 2.9, 44),
            Column("Kế hoạch", "int", 1.0, 12),
            Column("Thực hiện", "int", 1.0, 12),
            Column("Tỷ lệ đạt", "pct", 1.0, 14),
        ],
        [
            *(
                [label, target.get(key), y["achieved"][key], percent.get(key)]
                for key, label in RESULT_LABELS.items()
            ),
            # no target is set for these: they are counted, not planned
            *([label, None, y["achieved"][key], None] for key, label in UNPLANNED_LABELS.items()),
        ],
    )


def certificates(
    items: list[dict[str, Any]], key: str, title: str, sheet: str, *, province: bool = True
) -> Table:
    """Expiring, or expired without re-recognition: one row per certificate (the
    former district printed on a provincial report only)."""
    return Table(
        key,
        title,
        sheet,
        [
            Column("STT", "int", 0.6, 6),
            Column("Tên sản phẩm", "text", 2.4, 40),
            Column("Chủ thể", "text", 2.1, 36),
            Column("Xã, phường", "text", 1.35, 22),
            Column("Huyện cũ", "text", 1.05, 22, printed=province),
            Column("Hạng sao", "text", 0.95, 16),
            Column("Số quyết định", "text", 1.2, 18),
            Column("Ngày quyết định", "date", 0.9, 14, printed=False),
            Column("Hết hạn", "date", 1.2, 14),
        ],
        [
            [
                i,
                it["product"],
                it["producer"] or "",
                it["commune"],
                short_district(it["former_district"]),
                stars_label(it["stars"], it["potential_5"]),
                it["decision_no"],
                it["decision_date"],
                it["expiry_date"],
            ]
            for i, it in enumerate(items, 1)
        ],
    )


def expiring_window(s: Summary) -> tuple[int, str, list[dict[str, Any]]]:
    """The warning window in days, its last day, and the summary's certificates
    expiring within it (the one window setting every list and report uses)."""
    e = s.expiring
    return e["days"], e["until"], e["items"]


def expiring(s: Summary) -> Table:
    return certificates(
        expiring_window(s)[2],
        "expiring",
        "Giấy chứng nhận OCOP sắp hết hạn",
        "Sắp hết hạn",
        province=s.scope.kind == "province",
    )


def expired(s: Summary) -> Table:
    return certificates(
        s.expired_without_renewal["items"],
        "expired",
        "Sản phẩm OCOP đã hết hạn chứng nhận, chưa được công nhận lại",
        "Hết hạn chưa công nhận lại",
        province=s.scope.kind == "province",
    )


def markets(s: Summary) -> Table:
    return Table(
        "markets",
        "Thị trường xuất khẩu",
        "Xuất khẩu",
        [Column("Thị trường xuất khẩu", "text", 1.8, 30), Column("Số sản phẩm", "int", 1.0, 14)],
        [[m["market"], m["products"]] for m in s.export["markets"]],
    )


def platforms(s: Summary) -> Table:
    return Table(
        "platforms",
        "Sàn thương mại điện tử",
        "Thương mại điện tử",
        [
            Column("Sàn thương mại điện tử", "text", 1.8, 30),
            Column("Số sản phẩm", "int", 1.0, 14),
        ],
        [[m["platform"], m["products"]] for m in s.ecommerce["platforms"]],
    )


def products(s: Summary) -> Table:
    """Every product in scope with its certificate in force (the last annex and the
    workbook's product sheet)."""
    from ocop_desktop import refdata

    sets = refdata.load().product_sets
    province = s.scope.kind == "province"
    rows = []
    for i, r in enumerate(s.product_rows.itertuples(index=False), 1):
        has = isinstance(r.recognition_id, str)
        ps = sets.get(r.product_set)
        points = r.points if has and r.points == r.points else None  # NaN: not scored
        rows.append(
            [
                i,
                r.name,
                r.producer_name or "",
                kind_label(r.producer_kind) if isinstance(r.producer_kind, str) else "",
                ps.name if ps else "",
                ps.group if ps else "",
                r.commune_name,
                short_district(r.district_name),
                stars_label(r.stars, r.potential_5) if has else "",
                points,
                status_label(r.status),
                r.decision_no if has else "",
                r.decision_date if has else None,
                r.expiry_date if has else None,
                ", ".join(r.markets),
                ", ".join(r.platforms),
            ]
        )
    return Table(
        "products",
        "Danh sách sản phẩm và giấy chứng nhận OCOP",
        "Sản phẩm",
        [
            Column("STT", "int", 12, 6),
            Column("Tên sản phẩm", "text", 45 if province else 54, 40),
            Column("Chủ thể", "text", 40 if province else 49, 36),
            Column("Loại hình chủ thể", "text", 22, 20, printed=False),
            Column("Bộ sản phẩm", "text", 30, 36, printed=False),
            Column("Nhóm", "text", 20, 20, printed=False),
            Column("Xã, phường", "text", 28 if province else 32, 22),
            Column("Huyện cũ", "text", 22, 22, printed=province),
            Column("Hạng sao", "text", 22, 16),
            Column("Điểm", "num", 12, 8, printed=False),
            Column("Tình trạng", "text", 26, 18),
            Column("Số quyết định", "text", 31, 18),
            Column("Ngày quyết định", "date", 18, 14),
            Column("Hết hạn", "date", 18, 14),
            Column("Thị trường xuất khẩu", "text", 26, 26, printed=False),
            Column("Sàn thương mại điện tử", "text", 26, 26, printed=False),
        ],
        rows,
    )


def overview(s: Summary) -> Table:
    """The workbook's first sheet: the main figures as label/value pairs."""
    p, y = s.products, s.year_results
    window_days = expiring_window(s)[0]
    rows: list[list[Any]] = [
        ["Địa bàn", s.scope.name],
        ["Tỉnh", s.scope.province],
        ["Số liệu tính đến ngày", s.as_of],
        ["Năm báo cáo", s.year],
        ["Sản phẩm được theo dõi", p["total"]],
        ["Sản phẩm OCOP còn hiệu lực", p["certified"]],
        *[[f"  trong đó {STAR_LABELS[k]}", s.stars[k]] for k in STAR_ORDER],
        ["Sản phẩm hết hạn chứng nhận (chưa công nhận lại)", p["expired"]],
        ["Sản phẩm bị thu hồi chứng nhận", p["revoked"]],
        ["Sản phẩm chưa được công nhận", p["never_certified"]],
        ["Chủ thể được theo dõi", s.producers["total"]],
        ["Chủ thể có sản phẩm OCOP còn hiệu lực", s.producers["with_certified_products"]],
        ["Chủ thể có người đại diện là nữ", s.producers["representative_female"]],
        [
            "Chủ thể có người đại diện là người dân tộc thiểu số",
            s.producers["representative_ethnic"],
        ],
        [f"Quyết định công nhận năm {y['year']}", y["achieved"]["total"]],
        [f"Giấy chứng nhận hết hạn trong {window_days} ngày tới", len(expiring_window(s)[2])],
        ["Sản phẩm xuất khẩu", s.export["products"]],
        ["Sản phẩm trên sàn thương mại điện tử", s.ecommerce["products"]],
    ]
    return Table(
        "overview",
        "Tổng hợp",
        "Tổng hợp",
        [Column("Chỉ tiêu", "text", 3, 58), Column("Giá trị", "value", 1, 22)],
        rows,
    )


def summary_tables(s: Summary) -> list[Table]:
    """The workbook's summary sheets, in order."""
    out = [overview(s), stars(s), by_group(s), by_product_set(s)]
    if s.by_district:
        out.append(by_district(s))
    out += [
        by_commune(s),
        producers_by_kind(s),
        year_results(s),
        expiring(s),
        expired(s),
        markets(s),
        platforms(s),
    ]
    return out
