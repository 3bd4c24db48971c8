"""Putting catalogue strings on widgets so they can be translated again live.

A widget's text is set from a catalogue key with ``set_text(w, key)``; the key is
kept as a dynamic property, and ``retranslate(root)`` sets every such text again
in the current language. Designer forms (``ui/*.ui``) hold catalogue keys as their
texts; ``adopt_keys(root)`` turns them into translated texts the same way.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from ocop_desktop.i18n import catalogue, tr

# (Qt property, setter) pairs that hold visible text.
_PROPS = ("text", "title", "windowTitle", "placeholderText", "toolTip", "statusTip")


def set_text(obj: QObject, key: str, prop: str = "text", **params: object) -> None:
    obj.setProperty(f"trkey_{prop}", key)
    if params:
        obj.setProperty(f"trparams_{prop}", dict(params))
    obj.setProperty(prop, tr(key, **params))


def retranslate(root: QObject) -> None:
    for obj in [root, *root.findChildren(QObject)]:
        for prop in _PROPS:
            key = obj.property(f"trkey_{prop}")
            if key:
                params = obj.property(f"trparams_{prop}") or {}
                obj.setProperty(prop, tr(key, **params))
        if isinstance(obj, QWidget) and hasattr(obj, "retranslate_items"):
            obj.retranslate_items()


def adopt_keys(root: QObject) -> None:
    """Replace catalogue keys left as texts by a Designer form with their translations."""
    keys = catalogue()
    for obj in [root, *root.findChildren(QObject)]:
        for prop in _PROPS:
            value = obj.property(prop)
            if isinstance(value, str) and value in keys:
                set_text(obj, value, prop)
