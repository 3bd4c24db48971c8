"""The serif font shipped in ``resources/fonts`` (Liberation Serif: Times-metric,
complete Vietnamese, SIL OFL 1.1), registered once with reportlab. TrueType fonts
are always embedded (as subsets) in the PDF."""

from __future__ import annotations

from functools import lru_cache

from ocop_desktop.paths import resource

FAMILY = "OCOPSerif"
REGULAR = FAMILY
BOLD = FAMILY + "-Bold"
ITALIC = FAMILY + "-Italic"
BOLD_ITALIC = FAMILY + "-BoldItalic"
_FILES = {
    REGULAR: "LiberationSerif-Regular.ttf",
    BOLD: "LiberationSerif-Bold.ttf",
    ITALIC: "LiberationSerif-Italic.ttf",
    BOLD_ITALIC: "LiberationSerif-BoldItalic.ttf",
}


@lru_cache(maxsize=1)
def register() -> str:
    """Register the four faces and the family (for <b>/<i> in paragraphs)."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for name, filename in _FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(resource("fonts", filename))))
    addMapping(FAMILY, 0, 0, REGULAR)
    addMapping(FAMILY, 1, 0, BOLD)
    addMapping(FAMILY, 0, 1, ITALIC)
    addMapping(FAMILY, 1, 1, BOLD_ITALIC)
    return FAMILY
