"""An area's stylesheet as the screen's DEFAULT_CSS, so opening the area parses less."""

from __future__ import annotations

from pathlib import Path

_SCREENS = Path(__file__).parent / "screens"


def area_css(name: str) -> str:
    """The text of `screens/<name>`, for a screen's DEFAULT_CSS (with SCOPED_CSS = False).

    As CSS_PATH, a screen's file makes Textual parse every stylesheet once more and
    restyle every widget of every area the first time the screen is shown, on top of
    the two reparses any new area costs. As DEFAULT_CSS it joins the parse Textual does
    anyway for the screen's widgets: opening History at ten years parsed all the CSS in
    full four times (13.8 + 12.5 + 16.0 + 15.0 ms), now twice (10.5 + 11.6 ms, plus 1.9
    ms for the file itself), with one restyle of every widget fewer. `h` pressed at once
    to the newest row: 0.88-1.03x the time before (medians of 8-12, alternated, on a busy
    machine), `g` to Progress's figures 0.91x. Unscoped, the rules apply as written; as
    default rules they still yield to the app's own stylesheet (the snapshots agree).
    """
    return (_SCREENS / name).read_text(encoding="utf-8")
