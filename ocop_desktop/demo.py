"""Realistic demo data for a node's area: producers, products, evaluations,
recognitions and this year's targets, deterministic for a seed.

Proportions follow Thanh Hóa's reports: producers ~21% enterprises, 30%
cooperatives, 3% cooperative groups, 46% households; products ~88% three-star,
~11% four-star, under 1% five-star; decisions dated 2019 to today, so some
certificates have expired and some expire soon. Rows are written in bulk with
``executemany`` (100,000 products in well under a minute) but carry the same
sync columns and audit entries as rows made one by one.
"""

from __future__ import annotations

import json
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from ocop_desktop import authority, clock, refdata
from ocop_desktop import db as dbmod
from ocop_desktop.db import transaction
from ocop_desktop.errors import UserError
from ocop_desktop.recognitions import add_months, refresh_current
from ocop_desktop.records import now_iso
from ocop_desktop.store import Store
from ocop_desktop.text import search_key

Progress = Callable[[int, int], None]

SURNAMES = [
    "Nguyễn",
    "Lê",
    "Trần",
    "Phạm",
    "Hoàng",
    "Mai",
    "Đỗ",
    "Vũ",
    "Bùi",
    "Đặng",
    "Trịnh",
    "Lường",
    "Hà",
    "Cầm",
    "Phạm",
    "Lê",
    "Nguyễn",
    "Lò",
    "Quách",
    "Đinh",
]
MIDDLE_M = ["Văn", "Đức", "Hữu", "Quang", "Minh", "Xuân", "Đình", "Bá"]
MIDDLE_F = ["Thị", "Thị", "Thu", "Ngọc", "Phương", "Thanh"]
GIVEN_M = [
    "Tiến",
    "Hùng",
    "Dũng",
    "Thắng",
    "Cường",
    "Sơn",
    "Tuấn",
    "Hải",
    "Long",
    "Bằng",
    "Đạt",
    "Khoa",
    "Lực",
    "Nghĩa",
    "Quyết",
    "Trường",
    "Vượng",
    "Thành",
]
GIVEN_F = [
    "Hoa",
    "Lan",
    "Hằng",
    "Nga",
    "Thủy",
    "Hương",
    "Mai",
    "Liên",
    "Yến",
    "Hạnh",
    "Nhung",
    "Oanh",
    "Phượng",
    "Duyên",
    "Loan",
    "Trang",
]
ETHNIC_SURNAMES = {"Lường", "Cầm", "Lò", "Quách", "Hà", "Đinh"}
BRANDS = [
    "Hoàng Long",
    "Minh Phát",
    "Đông Tiến",
    "Phú Thịnh",
    "An Khang",
    "Thành Đạt",
    "Bảo An",
    "Hưng Thịnh",
    "Tân Phong",
    "Việt Hương",
    "Gia Bảo",
    "Nga Sơn Xanh",
    "Sông Mã",
    "Lam Sơn",
    "Hàm Rồng",
    "Trường Xuân",
    "Đức Thắng",
    "Ba Làng",
    "Quảng Phúc",
    "Thiên Ân",
    "Mường Xia",
    "Bến En",
    "Xuân Thành",
    "Kim Ngân",
]
COOP_TRADES = [
    "Dịch vụ nông nghiệp",
    "Sản xuất và chế biến nông sản",
    "Chế biến thủy sản",
    "Nông nghiệp công nghệ cao",
    "Dược liệu",
    "Thủ công mỹ nghệ",
    "Chăn nuôi",
    "Trồng trọt và tiêu thụ",
    "Nuôi trồng thủy sản",
    "Dệt may",
]
GROUP_TRADES = [
    "nghề cói",
    "làm bánh gai",
    "nuôi ong",
    "làm nem chua",
    "mây tre đan",
    "sản xuất rượu",
    "chế biến mắm",
]
PRODUCTS = {
    1: ["Bưởi Luận Văn", "Cam Vân Du", "Dưa lưới", "Rau an toàn", "Chuối tiêu hồng", "Mía tím"],
    2: ["Trứng gà sạch", "Gà đồi", "Tôm sú tươi", "Lợn đen", "Cua biển"],
    3: ["Gạo Nàng Hương", "Gạo nếp cái hoa vàng", "Lạc đỏ", "Gạo hữu cơ", "Đỗ xanh"],
    4: ["Mật ong rừng", "Mật ong hoa nhãn", "Tinh bột nghệ", "Hạt sen sấy"],
    5: ["Bánh gai Tứ Trụ", "Bánh cuốn", "Bánh chưng", "Bánh răng bừa"],
    6: ["Bún khô", "Bánh đa nem", "Cốm", "Miến dong", "Bánh gạo lứt"],
    7: ["Dưa muối", "Mứt gừng", "Nhãn sấy", "Củ kiệu muối", "Chuối sấy dẻo"],
    8: ["Nem chua Thanh Hóa", "Chả tôm", "Giò bò", "Cá khô", "Tôm nõn", "Thịt chua"],
    9: ["Mắm tôm", "Nước mắm", "Mắm tôm Ba Làng", "Tương", "Mắm tép", "Mắm cáy"],
    10: ["Muối hạt", "Tỏi đen", "Ớt bột", "Sả khô", "Tiêu đen"],
    11: ["Chè xanh", "Chè búp khô", "Chè shan tuyết"],
    12: ["Trà hoa cúc", "Trà atiso", "Trà túi lọc lá sen", "Trà gừng"],
    13: ["Cà phê rang xay", "Ca cao bột"],
    14: ["Rượu nếp cẩm", "Rượu men lá", "Rượu ngô", "Rượu làng Quảng Xương"],
    15: ["Rượu mơ", "Rượu chuối hột", "Rượu sim"],
    16: ["Nước khoáng", "Nước uống đóng chai"],
    17: ["Nước ép cam", "Nước mía", "Sữa đậu nành"],
    18: ["Cao lá thuốc", "Viên nghệ mật ong", "Cao dây thìa canh"],
    19: ["Dầu gội thảo dược", "Xà phòng thảo mộc", "Nước súc miệng thảo dược"],
    20: ["Tinh dầu sả chanh", "Tinh dầu tràm", "Thuốc tắm người Dao"],
    21: ["Chiếu cói", "Túi cói", "Giỏ mây tre đan", "Đồ gỗ mỹ nghệ", "Đèn tre"],
    22: ["Thổ cẩm", "Khăn dệt thổ cẩm", "Áo dệt tay"],
    23: ["Hoa lan", "Hoa đào"],
    24: ["Cây cảnh bonsai", "Cây sanh cảnh"],
    25: ["Cá cảnh", "Gà Đông Tảo cảnh"],
    26: ["Du lịch cộng đồng bản Hiêu", "Điểm du lịch sinh thái", "Homestay bản Mạ"],
}
SET_WEIGHTS = {
    1: 6,
    2: 5,
    3: 7,
    4: 3,
    5: 5,
    6: 7,
    7: 6,
    8: 10,
    9: 8,
    10: 3,
    11: 3,
    12: 4,
    13: 1,
    14: 6,
    15: 2,
    16: 1,
    17: 3,
    18: 3,
    19: 2,
    20: 2,
    21: 7,
    22: 2,
    23: 1,
    24: 1,
    25: 1,
    26: 2,
}
UNITS = {
    1: "kg",
    2: "kg",
    3: "kg",
    4: "lọ",
    5: "chiếc",
    6: "gói",
    7: "hộp",
    8: "kg",
    9: "chai",
    14: "chai",
    15: "chai",
    21: "chiếc",
    26: "lượt",
}
ECOMMERCE = ["Postmart", "Voso", "Shopee", "Lazada", "Tiki"]
MARKETS = ["Nga", "Hàn Quốc", "Đài Loan", "Nam Phi", "Nhật Bản", "Trung Quốc", "Úc"]
STANDARDS = ["VietGAP", "HACCP", "ISO 22000", "ISO 9001", "Hữu cơ (TCVN 11041)"]
KINDS = [("doanh_nghiep", 21), ("hop_tac_xa", 30), ("to_hop_tac", 3), ("ho_kinh_doanh", 46)]


def _person(rng: random.Random) -> tuple[str, bool, bool]:
    female = rng.random() < 0.42
    surname = rng.choice(SURNAMES)
    middle = rng.choice(MIDDLE_F if female else MIDDLE_M)
    given = rng.choice(GIVEN_F if female else GIVEN_M)
    return f"{surname} {middle} {given}", female, surname in ETHNIC_SURNAMES and rng.random() < 0.6


def _producer_name(rng: random.Random, kind: str, place: str, person: str) -> str:
    brand = rng.choice(BRANDS)
    if kind == "doanh_nghiep":
        form = rng.choice(["Công ty TNHH", "Công ty Cổ phần", "Công ty TNHH MTV", "DNTN"])
        trade = rng.choice(["Thương mại", "Sản xuất", "Nông sản", "Thực phẩm", "Đầu tư"])
        return f"{form} {trade} {brand}"
    if kind == "hop_tac_xa":
        return f"Hợp tác xã {rng.choice(COOP_TRADES)} {rng.choice([place, brand])}"
    if kind == "to_hop_tac":
        return f"Tổ hợp tác {rng.choice(GROUP_TRADES)} {place}"
    return f"Hộ kinh doanh {person}"


def _uid(rng: random.Random) -> str:
    return uuid.UUID(int=rng.getrandbits(128), version=4).hex


def _place_word(commune_name: str) -> str:
    for prefix in ("Phường ", "Xã ", "Thị trấn ", "Đặc khu "):
        if commune_name.startswith(prefix):
            return commune_name[len(prefix) :]
    return commune_name


def _stars(rng: random.Random) -> tuple[int, int, float]:
    r = rng.random()
    if r < 0.006:
        return 5, 0, round(rng.uniform(90, 96), 1)
    if r < 0.014:
        return 4, 1, round(rng.uniform(90, 93), 1)
    if r < 0.12:
        return 4, 0, round(rng.uniform(70, 89.5), 1)
    return 3, 0, round(rng.uniform(50, 69.5), 1)


def _issuer(stars: int, decided: date, district: str, province: str) -> str:
    """The body the rules of the decision's date name (``authority``)."""
    period = authority.period_for(decided)
    level = period.recogniser[stars]
    if level == authority.CENTRAL:
        return authority.MINISTRY[period.decision]
    if level == authority.DISTRICT and district:
        return f"UBND {district}"
    return f"UBND {province}"


# Demo evaluations are typed totals: the rules ask who stated the minimum requirements.
DEMO_COUNCIL = "Chủ tịch Hội đồng (dữ liệu mẫu)"


@dataclass
class _Rows:
    """The demo rows of every table, as tuples in the column order of ``_insert``."""

    producers: list[tuple] = field(default_factory=list)
    products: list[tuple] = field(default_factory=list)
    evaluations: list[tuple] = field(default_factory=list)
    recognitions: list[tuple] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {
            "producers": len(self.producers),
            "products": len(self.products),
            "evaluations": len(self.evaluations),
            "recognitions": len(self.recognitions),
        }


def generate(
    store: Store, *, n_products: int, seed: int = 1, progress: Progress | None = None
) -> dict[str, int]:
    """Add ``n_products`` products (with producers, evaluations, recognitions) to the area."""
    rng = random.Random(seed)
    today = clock.today()
    rows = _Rows()
    n_producers = max(1, round(n_products / 1.55))
    places = _make_producers(rng, rows, sorted(store.node.area), n_producers, today)
    province = refdata.load().provinces.get(store.node.province_code, "")
    _make_products(rng, rows, places, n_products, today, province, progress)
    _insert(store, rows, seed)
    with transaction(store.db):
        _targets(store, rng, today.year, n_products)
    if progress:
        progress(n_products, n_products)
    return rows.counts()


def _make_producers(
    rng: random.Random, rows: _Rows, area: list[int], n_producers: int, today: date
) -> list[tuple[str, int, int]]:
    """Producers spread over the area's communes; returns each one's (id, commune,
    founding year)."""
    ref = refdata.load()
    places: list[tuple[str, int, int]] = []
    for _ in range(n_producers):
        commune = rng.choice(area)
        place = _place_word(ref.commune_name(commune))
        kind = rng.choices([k for k, _ in KINDS], [w for _, w in KINDS])[0]
        person, female, ethnic = _person(rng)
        name = _producer_name(rng, kind, place, person)
        tax = None
        if kind in ("doanh_nghiep", "hop_tac_xa") or rng.random() < 0.2:
            tax = f"28{rng.randrange(10**8):08d}"
            if kind == "doanh_nghiep" and rng.random() < 0.05:
                tax += f"-{rng.randrange(1, 20):03d}"
        workers = rng.randint(2, 120)
        pid = _uid(rng)
        village = f"{rng.choice(['Thôn', 'Xóm', 'Làng', 'Bản'])} {rng.randint(1, 12)}"
        phone = f"0{rng.choice('389')}{rng.randrange(10**8):08d}"
        founded = rng.randint(1995, today.year - 1)
        rows.producers.append(
            (
                pid,
                name,
                search_key(name),
                kind,
                commune,
                village,
                f"{village}, {ref.commune_name(commune)}",
                person,
                int(female),
                int(ethnic),
                phone,
                tax,
                founded,
                workers,
                rng.randint(0, workers),
            )
        )
        places.append((pid, commune, founded))
    return places


def _make_products(
    rng: random.Random,
    rows: _Rows,
    places: list[tuple[str, int, int]],
    n_products: int,
    today: date,
    province: str,
    progress: Progress | None,
) -> None:
    """Products of those producers, each with its history of evaluations and decisions."""
    ref = refdata.load()
    province_short = province.replace("Thành phố ", "TP ").replace("Tỉnh ", "tỉnh ")
    sets = list(SET_WEIGHTS)
    set_weights = list(SET_WEIGHTS.values())
    n_producers = len(places)
    first_day = date(2019, 1, 1)
    counter = [rng.randint(100, 900)]  # decision numbers run on through the products
    for i in range(n_products):
        producer_id, commune, founded = places[
            i % n_producers if i < n_producers else rng.randrange(n_producers)
        ]
        district = ref.district_name(ref.former_district_of.get(commune))
        product_set = rng.choices(sets, set_weights)[0]
        base_name = rng.choice(PRODUCTS[product_set])
        name = f"{base_name} {rng.choice(BRANDS)}" if rng.random() < 0.7 else base_name
        pid = _uid(rng)
        ecommerce = rng.sample(ECOMMERCE, rng.randint(1, 3)) if rng.random() < 0.3 else None
        markets = rng.sample(MARKETS, rng.randint(1, 3)) if rng.random() < 0.03 else None
        channels = ["Cửa hàng OCOP"] + (["Siêu thị"] if rng.random() < 0.3 else [])
        rows.products.append(
            (
                pid,
                name,
                search_key(name),
                producer_id,
                product_set,
                commune,
                f"{base_name} sản xuất tại {ref.commune_name(commune)}",
                rng.choice(STANDARDS) if rng.random() < 0.4 else None,
                round(rng.randrange(20, 800) * 1000.0, 0),
                UNITS.get(product_set, "sản phẩm"),
                json.dumps(channels, ensure_ascii=False),
                json.dumps(ecommerce, ensure_ascii=False) if ecommerce else None,
                json.dumps(markets, ensure_ascii=False) if markets else None,
                5,
            )
        )
        # No decision before its producer was founded.
        start = max(first_day, date(founded, 1, 1))
        history = _decision_history(rng, start, (today - start).days, today)
        _add_decisions(rng, rows, pid, history, district, province_short, counter)
        if progress and i % 5000 == 0:
            progress(i, n_products)


def _decision_history(rng: random.Random, first_day: date, span: int, today: date) -> list[tuple]:
    """(date, stars, potential 5, points, kind) of a product's decisions: the first
    within ``span`` days of ``first_day``; then most producers apply for
    re-recognition when a certificate runs out (some with an upgrade), the rest
    let it lapse."""
    stars, potential, points = _stars(rng)
    decided = first_day + timedelta(days=rng.randrange(span))
    history = [(decided, stars, potential, points, "new")]
    while add_months(history[-1][0], 36) < today and rng.random() < 0.75:
        last_day, last_stars, _pot, last_points, _kind = history[-1]
        renewed = add_months(last_day, 36) - timedelta(days=rng.randint(0, 60))
        up = last_stars == 3 and rng.random() < 0.05
        s2 = last_stars + 1 if up else last_stars
        pts2 = (
            round(rng.uniform(70, 89.5), 1)
            if up and s2 == 4
            else (round(rng.uniform(90, 95), 1) if up and s2 == 5 else last_points)
        )
        history.append((renewed, s2, 0, pts2, "upgrade" if up else "renewal"))
    return history


def _add_decisions(
    rng: random.Random,
    rows: _Rows,
    product_id: str,
    history: list[tuple],
    district: str,
    province_short: str,
    counter: list[int],
) -> None:
    """An evaluation and a recognition for each decision of the history."""
    ref = refdata.load()
    for decided_on, s, pot, pts, kind in history:
        counter[0] += 1
        eid = _uid(rng)
        a = round(min(40, pts * 0.40 + rng.uniform(-2, 2)), 1)
        b = round(min(25, pts * 0.25 + rng.uniform(-1.5, 1.5)), 1)
        c = round(pts - a - b, 1)
        if c > 35:
            a, c = round(a + c - 35, 1), 35.0
        total = round(a + b + c, 1)
        level = (
            authority.DISTRICT
            if authority.recognising_level(s, decided_on) == authority.DISTRICT
            else authority.PROVINCE
        )
        rows.evaluations.append(
            (
                eid,
                product_id,
                (decided_on - timedelta(days=rng.randint(10, 40))).isoformat(),
                level,
                a,
                b,
                c,
                total,
                ref.stars_for_points(total),
            )
        )
        symbol = "QĐ-UBND" if s < 5 else "QĐ-BNN-KTHT"
        rows.recognitions.append(
            (
                _uid(rng),
                product_id,
                f"{counter[0] + 100}/{symbol}",
                decided_on.isoformat(),
                _issuer(s, decided_on, district, province_short),
                s,
                pot,
                total,
                add_months(decided_on, 36).isoformat(),
                kind,
                eid,
            )
        )


def _insert(store: Store, rows: _Rows, seed: int) -> None:
    """Every row in one transaction with raw ``executemany`` (the write path's
    per-row work is 10× slower at 100,000 products): versions, sequence numbers and
    audit entries as ``records`` would make them, then the current-recognition cache."""
    stamp_at = now_iso()
    officer = store.officer or None
    node_id = store.node.id
    with transaction(store.db):
        conn = store.db.conn
        # Ids come from the seed: the same seed again would collide with its own rows.
        first = rows.producers[0][0]
        if conn.execute("SELECT 1 FROM producers WHERE id = ?", [first]).fetchone():
            raise UserError("demo.seed_used", seed=seed)
        n_rows = sum(rows.counts().values())
        first_seq = dbmod.next_seq(store.db, n_rows) - n_rows + 1
        seqs = iter(range(first_seq, first_seq + n_rows))

        def stamp() -> tuple:
            return (store.clock.now(), None, node_id, 0, next(seqs), stamp_at, officer)

        sync_cols = "version, base_version, origin, deleted, seq, updated_at, updated_by"
        conn.executemany(
            f"INSERT INTO producers (id, name, name_key, kind, commune_code, village, address, "
            f"representative, representative_female, representative_ethnic, phone, tax_code, "
            f"founded_year, workers_total, workers_women, {sync_cols}) "
            f"VALUES ({','.join('?' * 22)})",
            (p + stamp() for p in rows.producers),
        )
        conn.executemany(
            f"INSERT INTO products (id, name, name_key, producer_id, product_set, commune_code, "
            f"description, standards, price, unit, sales_channels, ecommerce, export_markets, "
            f"stage, {sync_cols}) VALUES ({','.join('?' * 21)})",
            (p + stamp() for p in rows.products),
        )
        conn.executemany(
            f"INSERT INTO evaluations (id, product_id, eval_date, level, points_a, points_b, "
            f"points_c, points, stars, minimums_stated_by, {sync_cols}) "
            f"VALUES ({','.join('?' * 17)})",
            (e + (DEMO_COUNCIL,) + stamp() for e in rows.evaluations),
        )
        conn.executemany(
            f"INSERT INTO recognitions (id, product_id, decision_no, decision_date, issuer, stars, "
            f"potential_5, points, expiry_date, kind, evaluation_id, {sync_cols}) "
            f"VALUES ({','.join('?' * 18)})",
            (r + stamp() for r in rows.recognitions),
        )
        audit_rows = (
            (stamp_at, officer, node_id, table, row[0], "create", f"demo seed {seed}")
            for table, table_rows in (
                ("producers", rows.producers),
                ("products", rows.products),
                ("evaluations", rows.evaluations),
                ("recognitions", rows.recognitions),
            )
            for row in table_rows
        )
        conn.executemany(
            "INSERT INTO audit (at, officer, node, table_name, record_id, action, new) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            audit_rows,
        )
        dbmod.set_meta(store.db, "hlc", store.clock.last)
        refresh_current(store)


def _targets(store: Store, rng: random.Random, year: int, n_products: int) -> None:
    from ocop_desktop.targets import get_target, set_target

    if get_target(store, year) is not None:
        return
    new = max(3, round(n_products * 0.12))
    set_target(
        store,
        year,
        {
            "new_products": new,
            "four_star": max(1, round(new * 0.11)),
            "potential_five": 1 if n_products >= 200 else 0,
            "upgrades": max(1, round(new * 0.05)),
            "renewals": max(1, round(n_products * 0.08)),
        },
    )
