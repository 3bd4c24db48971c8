"""A small, real database made through the core services (no demo generator needed)."""

from __future__ import annotations

from datetime import timedelta

from ocop_desktop import clock, producers, products, recognitions, targets
from ocop_desktop.store import Store

PRODUCERS = [
    ("Hợp tác xã Đông Tiến", "hop_tac_xa", 16171, "2801234567"),
    ("Công ty TNHH Mắm Ba Làng", "doanh_nghiep", 16093, "2801234568"),
    ("Hộ kinh doanh Nguyễn Thị Đào", "ho_kinh_doanh", 16108, None),
    ("Tổ hợp tác Cói Nga Sơn", "to_hop_tac", 16114, None),
]
PRODUCTS = [
    # name, producer index, product set, (stars, decided days ago) or None
    ("Mắm tôm Ba Làng", 1, 9, (4, 400)),
    ("Nước mắm Đông Tiến", 0, 9, (3, 1040)),
    ("Chiếu cói Nga Sơn", 3, 21, (3, 200)),
    ("Thảm cói xuất khẩu", 3, 21, (4, 1200)),
    ("Bánh gai Đào", 2, 6, None),
    ("Giò lụa Đông Tiến", 0, 8, (3, 30)),
]


def populate(store: Store) -> dict[str, str]:
    """Producers, products and certificates (valid, expiring, expired) of the Nga Sơn area."""
    ids: dict[str, str] = {}
    producer_ids = []
    for name, kind, commune, tax in PRODUCERS:
        pid = producers.add(
            store, {"name": name, "kind": kind, "commune_code": commune, "tax_code": tax}
        )
        producer_ids.append(pid)
        ids[name] = pid
    ids["incomplete"] = producers.add(
        store,
        {"name": "Hộ ông Lê Văn Bình", "incomplete": "thiếu loại hình"},
        allow_incomplete=True,
    )
    today = clock.today()
    for n, (name, producer, product_set, cert) in enumerate(PRODUCTS):
        prid = products.add(
            store,
            {"name": name, "producer_id": producer_ids[producer], "product_set": product_set},
        )
        ids[name] = prid
        if cert:
            stars, days_ago = cert
            decided = today - timedelta(days=days_ago)
            ids[f"cert:{name}"] = recognitions.add(
                store,
                {
                    "product_id": prid,
                    "decision_no": f"{100 + n}/QĐ-UBND",
                    "decision_date": decided.isoformat(),
                    "stars": stars,
                    "issuer": None,  # the body the rule of the date names
                },
            )
    targets.set_target(store, today.year, {"new_products": 10})
    return ids
