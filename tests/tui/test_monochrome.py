"""Without colour (NO_COLOR), which line of a list is highlighted still shows: the palette's
and the new-record picker's (issue 20, point 4). Textual 8.2.8 draws an option list's lines
without a text-style's reverse, so the highlighted line is bold and underlined."""

from __future__ import annotations

from textual.command import CommandList
from textual.widgets import Input, OptionList, Static

from .conftest import drive, static_text, until


def first_line(option_list: OptionList, index: int) -> list[tuple[str, bool, bool]]:
    """``(text, bold, underline)`` for each piece that prints a letter on the first line of
    option ``index`` as drawn."""
    for y in range(option_list.size.height):
        strip = option_list.render_line(y)
        if any(s.style is not None and s.style.meta.get("option") == index for s in strip):
            return [(s.text, bool(s.style and s.style.bold), bool(s.style and s.style.underline))
                    for s in strip if s.text.strip()]
    raise AssertionError(f"option {index} is not drawn")


def test_the_highlighted_line_of_a_list_reads_without_colour(db_path, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")

    async def journey(app, pilot):
        await pilot.press("ctrl+p", *"consultation")
        await until(pilot, lambda: app.screen.query(CommandList) and app.screen.query_one(CommandList).option_count > 1,
                    "the palette's results")
        palette = app.screen.query_one(CommandList)
        assert palette.highlighted == 0
        highlighted, other = first_line(palette, 0), first_line(palette, 1)
        assert all(bold and underline for _, bold, underline in highlighted), highlighted
        assert not any(bold for _, bold, _ in other), other
        assert any(underline for _, _, underline in other) and not all(underline for _, _, underline in other), \
            "another line has only its matched letters underlined"
        await pilot.press("escape", "n")
        picker = app.screen.query_one(OptionList)
        assert all(bold and underline for _, bold, underline in first_line(picker, picker.highlighted))
        assert not any(underline for _, _, underline in first_line(picker, picker.highlighted + 1))

    drive(journey, db_path)


def italic_text(field: Input) -> str:
    """The letters of ``field``'s line as drawn in italic."""
    return "".join(s.text for s in field.render_line(0) if s.style is not None and s.style.italic).strip()


def test_the_cases_filter_and_the_search_box_show_their_hints_in_brackets_and_italic(db_path, monkeypatch):
    """An empty filter's hint never reads as a filter typed in: in brackets and italic, as a
    form's hints are (issue 20, point 4)."""
    monkeypatch.setenv("NO_COLOR", "1")

    async def journey(app, pilot):
        await pilot.press("2")
        await until(pilot, lambda: app.screen.query("#case-filter"), "the Cases list")
        assert italic_text(app.screen.query_one("#case-filter", Input)) == \
            "(filter: words, mine, compact:essex kind:dispute status:open org:NAME)"
        await pilot.press("slash", "x")
        assert italic_text(app.screen.query_one("#case-filter", Input)) == "", "what is typed is not italic"
        await pilot.press("escape", "1", "slash")
        await until(pilot, lambda: app.screen.query("#search-input"), "the search box")
        assert italic_text(app.screen.query_one("#search-input", Input)) == "(words to find, e.g. three months)"

    drive(journey, db_path)


def test_on_a_case_only_the_rules_heading_and_each_outcome_are_bold(db_path, caselog):
    """The rules of a case read as text under a bold heading, each outcome's word marked
    (BREACH reversed), not the whole block in bold, which left nothing standing out."""
    from datetime import date

    from compact_tui.tui.screens.case import CaseScreen, rules_text

    from .conftest import new_case

    case = caselog.log(new_case("funding-change", "southampton", "Grant ends",
                                dates={"notified": date(2026, 3, 2), "effective": date(2026, 4, 13)}))

    async def journey(app, pilot):
        app.open_case(case["id"])
        await until(pilot, lambda: isinstance(app.screen, CaseScreen) and app.screen.case, "the case")
        compact = app.registry.get("southampton")
        rules = rules_text(app.screen.case, compact, compact.info.name)  # what #case-findings shows
        assert rules.plain == static_text(app.screen.query_one("#case-findings", Static))
        bold = [rules.plain[s.start:s.end] for s in rules.spans if "bold" in str(s.style)]
        assert str(rules.style) in ("", "none")
        assert bold == ["\nRules\n", "BREACH"], bold
        assert rules.plain.startswith("\nRules\nBREACH Southampton Compact 4.5: 6 weeks given, 3 months owed")

    drive(journey, db_path)
