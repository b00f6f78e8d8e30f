"""The command line says where each claim stands: stated (with the text's words) or a reading
(with why), in ``compacts``, ``show``, ``case`` and ``log``, as text and as JSON."""

from __future__ import annotations

import json


def test_compacts_json_reports_each_procedure_as_the_text_gives_it(cli):
    rows = {row["id"]: row for row in cli("compacts", "--json").json()}
    assert rows["havering"]["procedure"] == "not stated"  # "outlined separately"
    assert rows["high_peak"]["procedure"] == "pending"  # "Information pending"
    assert {rows[c]["procedure"] for c in ("southend", "essex", "southampton")} == {"stated"}


def test_show_json_gives_standing_for_rules_stages_moves_and_conditions(cli):
    data = cli("show", "essex", "--json").json()
    rules = {r["id"]: r for r in data["rules"]}
    chair = rules["panel-chair-elected-annually"]
    assert (chair["standing"], chair["severity_standing"]) == ("stated", "stated")
    assert "this position shall be elected annually" in chair["states"]
    proc = data["dispute_procedure"]
    assert proc["status"] == "stated"
    restart = next(m for m in proc["moves"] if (m["from"], m["to"]) == ("steering-group-compliance", "chair-assesses"))
    assert restart["standing"] == "reading"
    assert restart["states"] == "If necessary it may recommence the process at stage 2."
    assert "stage 2" in restart["reading"]
    assert all(s["standing"] in ("stated", "reading") for s in proc["stages"])
    conditions = [c for m in proc["moves"] for c in m["conditions"]]
    assert conditions and all(c["standing"] in ("stated", "reading") for c in conditions)


def test_show_havering_has_no_steps_and_quotes_the_text(cli):
    data = cli("show", "havering", "--json").json()
    proc = data["dispute_procedure"]
    assert proc["status"] == "not stated" and proc["stages"] == [] and proc["moves"] == []
    assert "outlined separately" in proc["states"]
    text = cli("show", "havering").out
    assert "Outlined separately (not in this text)" in text
    assert "Step 1 of the three-step process" not in text


def test_show_marks_each_reading_in_text(cli):
    text = " ".join(cli("show", "southend").out.split())
    assert "READING (move to no-agreement)" in text
    assert "The text gives no way on if the parties cannot agree a mediator" in text
    southampton = " ".join(cli("show", "southampton").out.split())
    assert "Formal written consultations run for 12 weeks, or a shorter time-frame is explained (warning)" \
        in southampton
    assert "Stated (2.4): 'Where it is appropriate, and enables meaningful engagement" in southampton


def test_log_and_case_show_a_finding_from_a_reading_as_a_reading(cli):
    # Havering's quarterly steering group meetings: a rule we read from the champion's role
    first = cli("log", "meeting", "--compact", "havering", "--title", "Steering group", "--on", "2026-01-10",
                "--cite", "5.3.p3", "--json")
    assert first.code == 0, first.err
    late = cli("log", "meeting", "--compact", "havering", "--title", "Steering group again", "--on", "2026-06-10",
               "--cite", "5.3.p3")
    assert late.code == 0, late.err
    out = " ".join(late.out.split())
    assert "WARNING (reading):" in out
    assert "The rule is our reading, not stated by the text: The text states the champion's role" in out
    case_id = json.loads(first.out)["id"] + 1
    shown = cli("case", str(case_id), "--json").json()
    [finding] = shown["findings"]
    assert finding["rule_id"] == "champions-quarterly" and finding["standing"] == "reading"
    assert finding["states"] == "To attend or be represented at quarterly meetings of the Compact steering group."
    assert "WARNING (reading):" in cli("case", str(case_id)).out


def test_a_stated_rule_is_not_marked_a_reading(cli):
    logged = cli("log", "consultation", "--compact", "southampton", "--title", "Parks", "--start", "2026-01-05",
                 "--end", "2026-02-02", "--json").json()
    [finding] = logged["findings"]
    assert (finding["severity"], finding["standing"], finding["severity_standing"]) == ("warning", "stated", "stated")
    assert "(reading)" not in cli("case", str(logged["id"])).out


def test_a_dispute_under_havering_is_logged_noted_and_closed_by_hand(cli):
    logged = cli("log", "dispute", "--compact", "havering", "--title", "Grant withdrawn", "--json").json()
    assert logged["stage"] is None
    text = " ".join(cli("case", str(logged["id"])).out.split())
    assert "outlined separately, not in this text" in text
    assert "using the dispute resolution process outlined separately." in text
    refused = cli("advance", str(logged["id"]), "step-1")
    assert refused.code == 1 and "outlined separately" in refused.err
    assert cli("note", str(logged["id"]), "Met both parties").code == 0
    closed = cli("close", str(logged["id"]), "--json")
    assert closed.code == 0, closed.err
    assert closed.json()["status"] == "closed"


def test_show_says_which_text_and_clause_the_link_one_level_up_quotes(cli):
    southend = " ".join(cli("show", "southend").out.split())
    # Southend's own text never names the Essex Compact; the words are Essex's 2.p5
    assert ("One level up: Essex Compact. A reading. Essex Compact's text, 2.p5 says: \"provide a countywide "
            "framework which will complement the existing District and Borough wide Compacts\". The words are the "
            "Essex Compact's, not Southend's:") in southend
    essex = " ".join(cli("show", "essex").out.split())
    assert ("One level up: the National Compact, not installed. Stated. Essex Compact's own text, 2.p7 says: "
            "\"We recommend that district compacts refer to the Essex Compact just as this compact refers to the "
            "national one\".") in essex
    rows = {row["id"]: row for row in cli("compacts", "--json").json()}
    assert (rows["southend"]["parent_link"], rows["southend"]["parent_ref"], rows["southend"]["parent_quoted_from"]) \
        == ("reading", "2.p5", "Essex")
    assert (rows["essex"]["parent_link"], rows["essex"]["parent_ref"], rows["essex"]["parent_quoted_from"]) \
        == ("stated", "2.p7", "")


def test_a_status_the_text_does_not_state_is_shown_as_a_reading(cli):
    shown = " ".join(cli("show", "southampton").out.split())
    assert shown.startswith("Southampton Compact (adopted (a reading), Compact Code of Good Practice) Status: a "
                            "reading: The text does not say whether it was adopted or is still a draft, and gives "
                            "no date; it is recorded as adopted because it does not call itself a draft.")
    rows = {row["id"]: row for row in cli("compacts", "--json").json()}
    assert rows["southampton"]["status_reading"].startswith("The text does not say whether it was adopted")
    assert rows["southend"]["status_reading"] == ""  # "the Compact is approved and signed policy" (2.p5)


def test_every_quote_show_prints_says_which_clause_it_comes_from(cli):
    """'Stated' and 'The text' are always followed by the clause (or section) the words are in."""
    import re

    from .conftest import FIVE

    for compact_id in FIVE:
        out = " ".join(cli("show", compact_id).out.split())
        quotes = re.findall(r"(?:Stated|The text)(?: \(([^)]*(?:\([a-z]\))?)\))?: '", out)
        assert quotes and all(quotes), (compact_id, quotes)
    southampton = " ".join(cli("show", "southampton").out.split())
    # Southampton 6: "As far as possible any disagreements or breaches should be resolved by negotiation
    # and discussion between those involved." (its first sentence, 6.s1)
    assert ("Stated (6.s1): 'As far as possible any disagreements or breaches should be resolved by negotiation "
            "and discussion between those involved.'") in southampton
    assert "Stated (section 6): 'As far as possible any disagreements" in southampton


def test_show_says_where_a_count_does_not_follow_the_text_s_own_list(cli):
    """Counts follow the source's own lists or say why not. Essex: section 7's four 'essential and
    critical factors agreed on and committed to by all partners' are counted as undertakings, and
    the six principles the Mediation Service 'is based on' as principles; 'show' says so under each
    section, as our note. Southend: 8.1 is in neither of its text's lists of principles (3 and 5),
    so it is a provision (15 principles: six key, nine shared)."""
    essex = " ".join(cli("show", "essex").out.split())
    assert ("7 Making It Work Our note, not the text: The lead-in is clause 7; the four bullets are 7.b1 ... 7.b4. "
            "The text's own lists of undertakings are sections 4, 5 and 6; it calls these four 'essential and "
            "critical factors agreed on and committed to by all partners', not undertakings. They are counted as "
            "undertakings of both sectors all the same, because all partners commit to them: the count of "
            "undertakings includes these four.") in essex
    assert ("They are the principles the Mediation Service 'is based on', in its Terms of Reference, not the "
            "Compact's own list (section 3, its Shared Principles); they are counted among the principles all the "
            "same: the count of principles includes these six.") in essex
    rows = {row["id"]: row for row in cli("compacts", "--json").json()}
    assert (rows["essex"]["principles"], rows["essex"]["undertakings"]) == (11 + 6, 10 + 10 + 8 + 4)
    assert (rows["southend"]["principles"], rows["southend"]["undertakings"]) == (6 + 9, 35)
    southend = cli("show", "southend", "8.1", "--json").json()
    assert (southend["ref"], southend["kind"]) == ("8.1", "provision")


def test_a_procedure_the_text_does_not_give_is_shown_in_the_text_s_own_terms(cli):
    """High Peak 8 says 'Information pending'; Havering 6 points to 'the dispute resolution process
    outlined separately'; each is shown in those words, and the format's reference documents the
    three ways a text gives no procedure (pending, elsewhere, states_none), each as it is shown."""
    from .conftest import REPO_ROOT

    high_peak = " ".join(cli("show", "high_peak").out.split("Dispute procedure")[1].split())
    assert high_peak.startswith("The text's section 8, Resolution of Disputes, says 'Information pending': it "
                                "gives no procedure yet.")
    havering = " ".join(cli("show", "havering").out.split("Dispute procedure")[1].split())
    assert havering == ("Outlined separately (not in this text): no steps are given, so a dispute is logged, noted "
                        "and closed by hand. Stated (6.s3): 'As far as possible, difficulties will be resolved between "
                        "the parties using the dispute resolution process outlined separately.'")
    doc = " ".join((REPO_ROOT / "docs" / "compact-format.md").read_text(encoding="utf-8").split())
    assert "`pending = true` only where the text itself says \"Information pending\"" in doc
    assert "`states_none = true`, or no `[procedure]` at all, where it says nothing of one (shown as \"The text " \
           "states none.\", never as \"information pending\")" in doc
    assert ("| `states_none` | true/false | no | false | true where the text gives no dispute procedure and says "
            "nothing of one") in doc
    assert ("The dispute procedure, as the text gives it; where it gives none, say which of three: pending = true "
            "(it says 'Information pending'), elsewhere = true (it says the procedure is set out in another "
            "document) or states_none = true (it says nothing of one).") in doc
