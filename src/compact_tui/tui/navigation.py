"""How the app goes from one screen to another: the section keys, the palette's lines, a new
record, search, opening a case, clause or compact, and quitting. Every one of them goes through
:meth:`Navigation.leave_forms`, so no way out of a form with changes loses what was typed
(``forms.py``). ``CompactApp`` is built on it."""

from __future__ import annotations

from ..text import terminal


class Navigation:
    """The app's ways between screens (a mixin of ``CompactApp``, a Textual ``App``)."""

    def leave_forms(self, then) -> None:
        """Close the forms and pickers open now, then ``then()``: at once if nothing in them
        was changed, otherwise only if the officer says so (``FormScreen.ask_to_leave``). A
        question on screen is answered first. Every way to another screen (a number key, the
        palette, n, /, opening a case, ctrl+q) goes through here, so nothing typed is lost."""
        from .forms import ConfirmDialog, FormScreen

        if isinstance(self.screen, ConfirmDialog):
            self.bell()  # answer the question on screen first
            return
        if not self.screen.is_modal:
            then()
            return

        def close_all() -> None:
            while self.screen.is_modal:
                self.pop_screen()
            then()

        changed = [s for s in self.screen_stack if isinstance(s, FormScreen) and s.changed()]
        if changed:
            changed[-1].ask_to_leave(close_all)
        else:
            close_all()

    async def action_quit(self) -> None:
        self.leave_forms(self.exit)

    async def action_go(self, mode: str) -> None:
        if self.screen.is_modal:
            self.leave_forms(lambda: self.call_next(self._go, mode))
        else:
            await self._go(mode)

    async def _go(self, mode: str) -> None:
        """A number key: that section's own screen, whatever was opened over it before."""
        await self.switch_mode(mode)
        while len(self.screen_stack) > 1 and not self.screen.is_modal:
            await self.pop_screen()

    def action_compare_theme(self, theme: str | None = None) -> None:
        from .screens.compacts import CompareScreen, ThemePicker

        self.leave_forms(lambda: self.push_screen(CompareScreen(theme) if theme else ThemePicker()))

    def action_quick_log(self, kind: str | None = None) -> None:
        """``n``: what kind of record, then its form, on the compact :meth:`compact_for_new`
        gives (said in the form's heading)."""
        from .screens.quicklog import KindPicker, QuickLogScreen

        compact, why = self.compact_for_new()

        def chosen(kind: str | None) -> None:
            if kind:
                self.push_screen(QuickLogScreen(kind, compact, why), self._logged)

        if kind:
            self.leave_forms(lambda: chosen(kind))
        else:
            self.leave_forms(lambda: self.push_screen(KindPicker(), chosen))

    def compact_for_new(self) -> tuple[str | None, str]:
        """The compact a new record starts on, and why: from a case, that case's compact;
        otherwise the last one a record was saved under in this session; otherwise the only
        one installed. Never what some list happens to have highlighted."""
        case = next((getattr(s, "case", None) for s in reversed(self.screen_stack)
                     if type(s).__name__ == "CaseScreen"), None)
        if case and case.get("compact") in self.registry.compacts:
            return case["compact"], f"case {case['id']}'s compact"
        if self.last_compact in self.registry.compacts:
            return self.last_compact, "the last used"
        if len(self.registry.compacts) == 1:
            return next(iter(self.registry.compacts)), "the only one installed"
        return None, ""

    def remember_compact(self, compact: str) -> None:
        """A record was saved under ``compact``: the next new record starts on it."""
        self.last_compact = compact

    def _logged(self, case_id: int | None) -> None:
        if case_id:
            self.open_case(case_id)

    def action_search(self) -> None:
        from .screens.search import SearchScreen

        self.leave_forms(lambda: self.push_screen(SearchScreen()))

    def open_case(self, case_id: int) -> None:
        """Show a case; one already shown on top gives way to it, so cases do not pile up."""
        from .screens.case import CaseScreen

        def show() -> None:
            if isinstance(self.screen, CaseScreen):
                self.switch_screen(CaseScreen(case_id))
            else:
                self.push_screen(CaseScreen(case_id))

        self.leave_forms(show)

    def open_clause(self, compact_id: str, ref: str) -> None:
        from .screens.compacts import ClauseScreen

        compact = self.registry.get(compact_id)
        clause = compact.clause(ref) if compact else None
        if clause is None:
            self.notify(terminal(f"{compact_id} has no clause {ref}."), severity="error", markup=False)
            return
        self.leave_forms(lambda: self.push_screen(ClauseScreen(compact, clause)))

    def open_compact(self, compact_id: str) -> None:
        from .screens.compacts import CompactScreen

        compact = self.registry.get(compact_id)
        if compact is not None:
            self.leave_forms(lambda: self.push_screen(CompactScreen(compact)))
