"""Catalogs laid out the way other tools save them: what a translator's tool writes back.

Shared by the format-preservation tests (``test_preserve.py``) and ``bench/preserve.py``.
"""

from __future__ import annotations

import subprocess

import polib
from translate.storage import pypo


def weblate(data: bytes) -> bytes:
    """``data`` saved by translate-toolkit with every unit laid out anew (what Weblate writes)."""
    store = pypo.pofile.parsestring(data)
    for unit in store.units:
        for name in ("prev_msgctxt", "prev_msgid", "prev_msgid_plural", "msgctxt", "msgid", "msgid_plural"):
            if getattr(unit, name):
                setattr(unit, name, unit.quote(pypo.unquotefrompo(getattr(unit, name))))
        if isinstance(unit.msgstr, dict):
            unit.msgstr = {k: unit.quote(pypo.unquotefrompo(v)) for k, v in unit.msgstr.items()}
        else:
            unit.msgstr = unit.quote(pypo.unquotefrompo(unit.msgstr))
    return bytes(store)


def polib_style(data: bytes) -> bytes:
    """``data`` as polib writes it (its own wrapping at 78 columns)."""
    po = polib.pofile(data.decode("utf-8"), wrapwidth=78)
    return str(po).encode("utf-8")


def no_wrap(data: bytes) -> bytes:
    """``data`` as Poedit writes it with line wrapping off (gettext's writer, ``--no-wrap``)."""
    return subprocess.run(["msgcat", "--no-wrap", "-o", "-", "-"], input=data, capture_output=True, check=True).stdout


STYLES = {"translate-toolkit": weblate, "polib": polib_style, "poedit-no-wrap": no_wrap}
