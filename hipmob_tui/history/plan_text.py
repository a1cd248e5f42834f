"""The plan in words, the same for `hipmob plan` and the app's Plan screen."""

from __future__ import annotations

from datetime import date

from hipmob_tui.history.streaks import day_text

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping

    from hipmob_tui.history.plan import PlanState

ADVICE = "A suggestion, not medical advice: stop and see a clinician if pain is severe or spreads."


def describe(state: PlanState, routine_names: Mapping[str, str], followed_name: str) -> list[str]:
    """The program, the stage and why, what moves it on or back, and the moves so far.

    `routine_names` names the stage's routines (an id not in it is shown as it is);
    `followed_name` is the program the person chose (the one in force may follow it).
    """
    program, stage = state.program, state.stage
    since = day_text(date.fromordinal(state.since))
    via = f", after {followed_name}" if state.followed != program.id else ""
    lines = [
        f"Program   {program.name} (following since {since}{via})",
        f"Stage     {state.stage_number} of {state.stage_count}: {stage.name}, "
        f"since {day_text(date.fromordinal(state.stage_since))}",
    ]
    if stage.about:
        lines.append(f"          {stage.about}")
    names = [routine_names.get(r, r) for r in stage.routines]
    lines.append(f"Routines  {', '.join(names)}; {stage.sessions_per_week} a week")
    if state.advance is None:
        lines.append("Advance   this is the last stage: keep it up")
    else:
        ready = all(condition.met for condition in state.advance)
        heading = "ready: the next session moves you on" if ready else "when all of these hold"
        lines.append(f"Advance   {heading}")
        lines.extend(f"  {'[x]' if c.met else '[ ]'} {c.text}" for c in state.advance)
    if state.step_back is not None:
        lines.append("Step back when any of these holds")
        lines.extend(f"  {'[!]' if c.met else '[ ]'} {c.text}" for c in state.step_back)
    if state.transitions:
        lines.append("Moves")
        for move in state.transitions:
            to = move.to_stage if move.to_program_id == move.program_id else move.to_program_id
            verb = "advanced" if move.forward else "stepped back"
            lines.append(
                f"  {day_text(date.fromordinal(move.day))}  {verb} from stage {move.stage} to "
                f"{to}: {move.why}"
            )
    lines.append(ADVICE)
    return lines
