"""A product photo added in a district reaches the province, file and all."""

from __future__ import annotations

import hashlib

from ocop_desktop import attachments
from ocop_desktop.sync import export_bundle, import_bundle
from tests.sync_helpers import NGA_SON, fill, make_office, make_province

# The smallest valid PNG: a 1×1 transparent pixel.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def test_photo_travels_with_its_product(tmp_path):
    prov = make_province(tmp_path)
    office = make_office(tmp_path, NGA_SON)
    product = fill(office, NGA_SON, 1)[0]
    photo = tmp_path / "mắm tôm.png"
    photo.write_bytes(PNG)
    attachments.add(office, "products", product, photo)
    sha = hashlib.sha256(PNG).hexdigest()

    bundle = export_bundle(office, tmp_path)
    assert bundle.attachments == 1
    import_bundle(prov, bundle.path, trust_new=True)

    rows = attachments.list_(prov, "products", product)
    assert [(r["sha256"], r["filename"]) for r in rows] == [(sha, "mắm tôm.png")]
    assert attachments.blob_path(prov, sha).read_bytes() == PNG
    prov.close()
    office.close()
