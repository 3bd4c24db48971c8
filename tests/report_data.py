"""Realistic report data made through the core services (producers, products,
recognitions, targets), so the summary is tested against what officers enter."""

from __future__ import annotations

import random
from datetime import date, timedelta

from ocop_desktop import clock, producers, products, recognitions, refdata, targets
from ocop_desktop.store import Store
from ocop_desktop.validation import PRODUCER_KINDS

NAMES = [
    "Mắm tôm Lê Gia",
    "Chiếu cói Nga Sơn",
    "Nước mắm Khải Hoàn",
    "Gạo nếp cái hoa vàng",
    "Bánh gai Tứ Trụ",
    "Chè lam Phủ Quảng",
    "Mật ong rừng Bá Thước",
    "Nem chua Thanh Hóa",
    "Rượu cần Mường Lát",
    "Cam Vân Du",
    "Dầu lạc Đông Tiến",
    "Mây tre đan Hoằng Hóa",
    "Trà hoa vàng Thường Xuân",
    "Bưởi Luận Văn",
]
MARKETS = ["Nga", "Hàn Quốc", "Đài Loan", "Nam Phi", "Nhật Bản"]
PLATFORMS = ["Postmart", "Voso", "Shopee", "Lazada", "Tiki"]
TRICKY = ["=1+2", "+84 chợ", "-giảm giá", "@shop", "\tTab đầu"]


def populate(store: Store, n_products: int = 40, seed: int = 7, year: int | None = None) -> None:
    """Producers, products and their recognition histories across the node's area."""
    rng = random.Random(seed)
    ref = refdata.load()
    today = clock.today()
    year = year or today.year
    communes = sorted(store.node.area)
    if store.node.is_province:
        # a few communes in several former districts, so the breakdown has rows
        by_district: dict[int, list[int]] = {}
        for c in communes:
            by_district.setdefault(ref.former_district_of[c], []).append(c)
        communes = [cs[0] for _, cs in sorted(by_district.items())[:6]]
    producer_ids = []
    for i in range(max(3, n_products // 2)):
        producer_ids.append(
            producers.add(
                store,
                {
                    "name": f"{rng.choice(['Hợp tác xã', 'Công ty TNHH', 'Hộ kinh doanh'])} "
                    f"Đồng Tiến {i + 1}",
                    "kind": PRODUCER_KINDS[i % 4],
                    "commune_code": communes[i % len(communes)],
                    "representative": "Lê Thị Hằng" if i % 3 == 0 else "Mai Văn Tiến",
                    "representative_female": int(i % 3 == 0),
                    "representative_ethnic": int(i % 5 == 0),
                },
            )
        )
    for i in range(n_products):
        name = f"{NAMES[i % len(NAMES)]} {i + 1}"
        if i == 1:
            name = TRICKY[0]  # must stay text in the workbook
        pid = products.add(
            store,
            {
                "name": name,
                "producer_id": producer_ids[i % len(producer_ids)],
                "product_set": rng.randint(1, 26),
                "export_markets": rng.sample(MARKETS, rng.randint(1, 2)) if i % 4 == 0 else None,
                "ecommerce": rng.sample(PLATFORMS, rng.randint(1, 3)) if i % 3 == 0 else None,
                "notes": TRICKY[i % len(TRICKY)],
            },
        )
        if i % 7 == 6:
            continue  # never recognised
        first = today - timedelta(days=rng.randint(30, 5 * 365))
        if i % 9 == 0:
            first = today - timedelta(days=36 * 30 + rng.randint(10, 200))  # expired
        if i % 8 == 3:
            first = today - timedelta(days=36 * 30 - rng.randint(40, 120))  # expiring soon
        stars = rng.choice([3, 3, 3, 4, 4, 5])
        data = {
            "product_id": pid,
            "decision_no": f"{100 + i}/QĐ-UBND",
            "decision_date": first.isoformat(),
            "issuer": None,  # the body the rule of the date names
            "stars": stars,
            "points": {3: 62, 4: 80, 5: 93}[stars],
        }
        if stars == 5 and i % 2:
            data.update(stars=4, potential_5=1)
        rid = recognitions.add(store, data)
        if i % 11 == 5:
            recognitions.revoke(store, rid, today.isoformat(), "Vi phạm chất lượng")
        elif i % 10 == 4 and stars >= 4 and first < date(year, 1, 1):
            # re-evaluated this year with fewer stars: a downgrade, not a re-recognition
            recognitions.add(
                store,
                {
                    "product_id": pid,
                    "decision_no": f"{700 + i}/QĐ-UBND",
                    "decision_date": date(year, 1, 1).isoformat(),
                    "stars": 3,
                    "points": 62,
                },
            )
        elif i % 6 == 2 and first < date(year, 1, 1):
            # upgraded or renewed this year
            again = date(year, 1, 1) + timedelta(
                days=rng.randint(0, (today - date(year, 1, 1)).days)
            )
            recognitions.add(
                store,
                {
                    "product_id": pid,
                    "decision_no": f"{900 + i}/QĐ-UBND",
                    "decision_date": again.isoformat(),
                    "stars": 4 if stars == 3 else stars,
                    "points": 80 if stars == 3 else data["points"],
                    "potential_5": data.get("potential_5", 0),
                },
            )
    targets.set_target(
        store,
        year,
        {"new_products": 20, "four_star": 5, "potential_five": 1, "upgrades": 4, "renewals": 3},
    )
