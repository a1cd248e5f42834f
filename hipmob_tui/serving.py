"""What `hipmob serve` and the app it starts agree on (neither imports the other)."""

from __future__ import annotations

DEFAULT_PORT = 8750
DEFAULT_GRACE_SECONDS = 300.0
"""How long the app outlives a dropped connection, paused, for the page to come back."""

SERVED_ENV = "HIPMOB_SERVED"
"""Set to "1" in the environment of the app `hipmob serve` starts: only that app runs
without a terminal, drawing for a browser through Textual's web driver."""

CUE_SCHEME = "hipmob-cue:"
"""The served app asks the page for a sound, or to keep the screen awake, by opening a URL
of this scheme: Textual's web driver hands every URL the app opens to the server, and the
server turns these into messages for hipmob's page instead of new tabs."""

BEEP_STEP = "beep-step"
"""A new step: the terminal's bell."""
BEEP_COUNTDOWN = "beep-countdown"
"""3, 2, 1 before a long step ends: a shorter, lower beep than a new step's."""
AWAKE_ON = "awake-on"
"""A session is under way: keep the screen on."""
AWAKE_OFF = "awake-off"
"""No session any more: the screen may sleep."""
KEYBOARD_ON = "keyboard-on"
"""A text field has the focus (the filter, a score, a note): a tap may bring up a tablet's
on-screen keyboard."""
KEYBOARD_OFF = "keyboard-off"
"""No text field has the focus: a tap on the page brings up no on-screen keyboard."""
CUES = (BEEP_STEP, BEEP_COUNTDOWN, AWAKE_ON, AWAKE_OFF, KEYBOARD_ON, KEYBOARD_OFF)
