"""Attachments are stored once by content and refused by content, not by name."""

from __future__ import annotations

import pytest

from ocop_desktop import attachments, producers, products
from ocop_desktop.errors import ValidationError

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201e2b2f1f00000000049454e44ae426082"
)


@pytest.fixture
def product(office, producer_data):
    pid = producers.add(office, producer_data)
    return products.add(office, {"name": "Mắm tôm Ba Làng", "producer_id": pid, "product_set": 2})


def _pdf(path):
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path))
    c.drawString(72, 720, "Giay chung nhan OCOP")
    c.save()
    return path


def test_same_file_twice_is_one_blob(office, product, producer_data, tmp_path):
    photo = tmp_path / "anh san pham.png"
    photo.write_bytes(PNG)
    copy = tmp_path / "copy.jpg"  # same bytes, another name
    copy.write_bytes(PNG)
    first = attachments.add(office, "products", product, photo)
    again = attachments.add(office, "products", product, copy)
    assert first == again
    other = products.add(
        office,
        {
            "name": "Chiếu cói Nga Sơn",
            "producer_id": products.get(office, product)["producer_id"],
            "product_set": 20,
        },
    )
    attachments.add(office, "products", other, copy)
    blobs = [p for p in (office.data_dir / "attachments").iterdir() if not p.name.startswith(".")]
    assert len(blobs) == 1
    assert blobs[0].name == attachments._hash(photo)
    assert blobs[0].read_bytes() == PNG
    listed = attachments.list_(office, "products", product)
    assert [(a["filename"], a["mime"], a["size"]) for a in listed] == [
        ("anh san pham.png", "image/png", len(PNG))
    ]
    # a synchronised row, with version and seq like every record
    row = office.db.execute(
        "SELECT version, seq, deleted FROM attachments WHERE id = ?", [first]
    ).fetchone()
    assert row[0] and row[1] > 0 and row[2] == 0


def test_fake_pdf_is_refused_and_a_real_one_accepted(office, product, tmp_path):
    fake = tmp_path / "giay-chung-nhan.pdf"
    fake.write_text("Đây không phải PDF", encoding="utf-8")
    with pytest.raises(ValidationError) as err:
        attachments.add(office, "products", product, fake, kind="certificate")
    assert err.value.key == "attachment.bad_type"
    assert "không phải ảnh" in err.value.message()
    assert office.db.execute("SELECT count(*) FROM attachments").fetchone()[0] == 0
    real = _pdf(tmp_path / "scan.bin")  # the name does not matter either way
    aid = attachments.add(office, "products", product, real, kind="certificate")
    assert attachments.list_(office, "products", product)[0]["mime"] == "application/pdf"
    attachments.remove(office, aid)
    assert attachments.list_(office, "products", product) == []


def test_too_large_and_empty_files_are_refused(tmp_path):
    empty = tmp_path / "empty.png"
    empty.write_bytes(b"")
    with pytest.raises(ValidationError) as err:
        attachments.check_file(empty)
    assert err.value.key == "attachment.empty"
    big = tmp_path / "big.png"
    with big.open("wb") as fh:
        fh.write(PNG)
        fh.truncate(attachments.MAX_BYTES + 1)  # sparse: real size, no real writing
    with pytest.raises(ValidationError) as err:
        attachments.check_file(big)
    assert err.value.key == "attachment.too_large"
    assert "20 MB" in err.value.message()
