"""Windows and dialogs inside a 1366×768 laptop screen at 100%, 125% and 150% scaling,
and on a 640×480 screen; no page's widgets laid over one another."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest


@pytest.mark.parametrize(
    ("width", "height", "scale"),
    [(1366, 768, "1"), (1366, 768, "1.25"), (1366, 768, "1.5"), (640, 480, "1")],
)
def test_everything_fits_the_screen_at_any_scaling(sample, tmp_path, width, height, scale):
    screen = {"name": "laptop", "x": 0, "y": 0, "width": width, "height": height}
    config = tmp_path / "screen.json"
    config.write_text(
        json.dumps({"screens": [screen | {"logicalDpi": 96, "logicalBpp": 32, "dpr": 1}]})
    )
    sample.close()
    env = os.environ | {
        "QT_QPA_PLATFORM": f"offscreen:configfile={config}",
        "QT_SCALE_FACTOR": scale,
    }
    shots = tmp_path / f"shots-{scale}"
    shots.mkdir()
    result = subprocess.run(
        [sys.executable, "-m", "tests.gui.screen_check", str(sample.path), str(shots)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    ax, ay, aw, ah = report["available"]
    assert (aw, ah) == (round(width / float(scale)), round(height / float(scale)))
    for name in ("main", "sheet", "product_form"):
        x, y, w, h = report[name]["frame"]
        assert ax <= x and ay <= y and x + w <= ax + aw and y + h <= ay + ah, (name, report)
        assert report[name]["min"][0] <= aw and report[name]["min"][1] <= ah
        assert report[name]["button_inside"], name
    assert report["overlaps"] == {page: [] for page in report["overlaps"]}
