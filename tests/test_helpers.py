"""The small pure helpers, with expected values a reader can check by eye: how a Swedish user writes dates and
numbers, the forgiving match, Excel's column letters, Swedish text, and the hiding of small counts."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from followup_cli.plan.public import SECONDARY, hidden_text, suppress
from followup_cli.register.coerce import parse_boolean, parse_date, parse_number, parse_yearmonth
from followup_cli.swedish import hours, ink, month_span, percent, plural, sv, swedish_date, swedish_list, thousands
from followup_cli.text import column_index, column_letter, fold, suggest

MARCH_1 = dt.date(2024, 3, 1)

# --- dates ----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "2024-03-01", "2024-3-1", "2024-03-01 12:30", "2024-03-01T08:15:00", "20240301",  # ISO and compact
    "1/3 2024", "01.03.2024", "1.3.2024", "1/3-2024",                                # day first, as in Sweden
    "1 mars 2024", "den 1 mars 2024", "1 Mars 2024", "1 mar. 2024",                  # in words
    "45352", "45352.0",                                                              # Excel's serial for 2024-03-01
    "  2024-03-01  ",
])
def test_a_date_written_any_usual_way_is_the_first_of_march(text):
    assert parse_date(text) == MARCH_1


def test_dates_in_words_know_every_swedish_month():
    assert parse_date("14 mars 2025") == dt.date(2025, 3, 14)
    assert parse_date("31 okt 2025") == dt.date(2025, 10, 31)
    assert parse_date("29 februari 2024") == dt.date(2024, 2, 29)  # a leap day
    assert parse_date("1 maj 2025") == dt.date(2025, 5, 1)


@pytest.mark.parametrize("text", [
    "2024-02-30", "2023-02-29", "31.04.2024", "2024-13-01", "32/1 2024",  # no such day
    "14 marz 2025",                                                        # no such month
    "1850-01-01", "2150-01-01", "0",                                       # outside 1900–2100
    "igår", "", "3/2024", "2024/03/01/1",
])
def test_an_impossible_or_unreadable_date_is_none(text):
    assert parse_date(text) is None


@pytest.mark.parametrize("text, month", [
    ("2024-03", "2024-03"), ("2024-3", "2024-03"), ("202403", "2024-03"), ("mars 2024", "2024-03"),
    ("okt 2024", "2024-10"), ("2024-03-15", "2024-03"), ("15/3 2024", "2024-03"),
])
def test_a_month_is_read_from_any_usual_spelling(text, month):
    assert parse_yearmonth(text) == month


@pytest.mark.parametrize("text", ["2024-13", "2024-00", "marz 2024", "våren 2024", ""])
def test_an_impossible_month_is_none(text):
    assert parse_yearmonth(text) is None


# --- numbers and yes/no ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, number", [
    ("12", 12.0), ("12,5", 12.5), ("12.5", 12.5),
    ("1 234,5", 1234.5), ("1\u00a0234,5", 1234.5), ("1\u202f234", 1234.0), ("1'234", 1234.0),  # thousands spaces
    ("1.234,5", 1234.5), ("1,234.5", 1234.5),  # both marks: the last one is the decimal mark
    ("12,5 %", 12.5), ("80%", 80.0),
    ("\u22123", -3.0), ("-3", -3.0), ("\u22120,5", -0.5),  # the typographic minus sign as well as the hyphen
])
def test_a_number_is_read_as_a_swede_writes_it(text, number):
    assert parse_number(text) == number


@pytest.mark.parametrize("text", ["", "abc", "12 st", "1,2,3", "tolv", "%"])
def test_junk_is_not_a_number(text):
    assert parse_number(text) is None


@pytest.mark.parametrize("text", ["Ja", "ja", " JA ", "j", "X", "1", "Sant", "true", "yes"])
def test_yes_in_any_usual_form_is_true(text):
    assert parse_boolean(text) is True


@pytest.mark.parametrize("text", ["Nej", "nej", "N", "0", "Falskt", "false", "no"])
def test_no_in_any_usual_form_is_false(text):
    assert parse_boolean(text) is False


@pytest.mark.parametrize("text", ["kanske", "", "2", "ja!"])
def test_anything_else_is_neither_yes_nor_no(text):
    assert parse_boolean(text) is None


# --- matching -------------------------------------------------------------------------------------------------------

def test_fold_ignores_case_spaces_hyphens_and_accents():
    assert fold("Utförar-ID") == fold(" UTFÖRAR ID ") == fold("utforar_id") == "utforarid"
    assert fold("Idéburen") == "ideburen"
    assert fold("Avtal (från)") == "avtalfran"


OWNERSHIP = {fold(label): label for label in ("Egen regi", "Privat", "Idéburen")}
EVENTS = {fold(label): label for label in ("Lex Sarah", "Lex Maria", "Klagomål")}
AREAS = {fold(label): label for label in ("Hemtjänst", "Hemtjänst natt", "Särskilt boende")}


@pytest.mark.parametrize("value, choices, meant", [
    ("Privat regi", OWNERSHIP, "Privat"),                 # one contains the other
    ("egen-regi", OWNERSHIP, "Egen regi"),
    ("Ideburen", OWNERSHIP, "Idéburen"),
    ("Lex Sara", EVENTS, "Lex Sarah"),                    # one letter short
    ("Klagomal", EVENTS, "Klagomål"),
    ("Särskilt boende för äldre personer i kommunen", AREAS, "Särskilt boende"),  # contained, too long to be close
])
def test_a_near_miss_suggests_what_was_meant(value, choices, meant):
    assert suggest(value, choices) == meant


@pytest.mark.parametrize("value, choices", [
    ("Kommunal", OWNERSHIP),  # nothing like any choice
    ("Avvikelse", EVENTS),
    ("hem", AREAS),           # contained in both Hemtjänst and Hemtjänst natt: which one is a guess
    ("", OWNERSHIP), ("--", OWNERSHIP),
])
def test_a_far_miss_or_an_ambiguous_one_suggests_nothing(value, choices):
    assert suggest(value, choices) is None


# --- Excel's column letters -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("index, letters", [(0, "A"), (1, "B"), (25, "Z"), (26, "AA"), (27, "AB"), (51, "AZ"),
                                            (52, "BA"), (701, "ZZ"), (702, "AAA"), (16383, "XFD")])
def test_column_letters_are_excels(index, letters):
    assert column_letter(index) == letters
    assert column_index(letters) == index


@given(st.integers(min_value=0, max_value=10**6))
def test_column_letter_and_index_undo_each_other(index):
    letters = column_letter(index)
    assert letters.isalpha() and letters.isupper()
    assert column_index(letters) == index


@given(st.from_regex(r"[A-Z]{1,4}", fullmatch=True))
def test_every_run_of_capital_letters_is_a_column(letters):
    assert column_letter(column_index(letters)) == letters


# --- Swedish text ---------------------------------------------------------------------------------------------------

def test_thousands_are_separated_by_a_non_breaking_space():
    assert thousands(999) == "999"
    assert thousands(1000) == "1\u00a0000"
    assert thousands(1234567) == "1\u00a0234\u00a0567"


def test_sv_writes_a_decimal_comma_and_a_real_minus_sign():
    assert sv(12.5) == "12,5"
    assert sv(3, 0) == "3"
    assert sv(1234.56, 2) == "1234,56"
    assert sv(-0.25, 2) == "\u22120,25"


def test_swedish_list_joins_the_last_two_with_the_conjunction():
    assert swedish_list([]) == ""
    assert swedish_list(["Hemtjänst"]) == "Hemtjänst"
    assert swedish_list(["a", "b"]) == "a eller b"
    assert swedish_list(["a", "b", "c"], "och") == "a, b och c"


@pytest.mark.parametrize("share, decimals, text", [
    (0.712, 0, "71\u00a0%"), (0.0, 0, "0\u00a0%"), (1.0, 0, "100\u00a0%"),
    (0.545, 0, "54\u00a0%"),  # 54.5 rounds to even, as it always has: 0.545 * 100 carries no float noise into it
    (0.125, 1, "12,5\u00a0%"), (0.15, 1, "15\u00a0%"),  # a configured share keeps its half percent, not a ',0'
])
def test_a_share_is_a_percentage_with_a_no_break_space(share, decimals, text):
    assert percent(share, decimals) == text


def test_a_share_hidden_for_privacy_stays_its_text():
    assert percent("färre än 5") == "färre än 5"


def test_hours_drop_a_zero_decimal_and_group_thousands():
    assert hours(892.0) == "892" and hours(1020) == "1\u00a0020" and hours(12.5) == "12,5" and hours(12.04) == "12"


def test_a_run_of_months_is_a_span_and_a_gap_a_list():
    assert month_span((3, 4, 5)) == "mars–maj"
    assert month_span((3, 5)) == "mars och maj"
    assert month_span((9,)) == "september"


def test_the_word_agrees_with_the_count():
    assert plural(1, "obligatorisk", "obligatoriska") == "1 obligatorisk"
    assert plural(0, "obligatorisk", "obligatoriska") == "0 obligatoriska"
    assert plural(2, "utförare", "utförare") == "2 utförare"


def test_text_on_a_fill_is_dark_on_light_and_light_on_dark():
    assert ink("#92D050") == "#000000" and ink("#FFD966") == "#000000"  # the shipped Låg and Medel
    assert ink("#1F3864") == "#FFFFFF" and ink("#000000", light="white") == "white"


def test_swedish_date_spells_the_month():
    assert swedish_date(dt.date(2025, 12, 31)) == "31 december 2025"
    assert swedish_date(dt.date(2026, 3, 1)) == "1 mars 2026"


# --- small counts in the public plan --------------------------------------------------------------------------------

HIDDEN = hidden_text(3)  # "färre än 3"


def test_hidden_text_names_the_limit():
    assert HIDDEN == "färre än 3"


def test_counts_at_or_above_the_limit_and_zero_are_shown():
    assert suppress({"A": 3, "B": 10, "C": 0}, 3) == {"A": 3, "B": 10, "C": 0}


def test_a_lone_small_count_hides_the_next_smallest_so_the_total_does_not_give_it_away():
    # Shown total 16: with 1 hidden and 5 and 10 shown, 16 − 5 − 10 would give the 1 away, so 5 goes too.
    assert suppress({"A": 10, "B": 1, "C": 5}, 3) == {"A": 10, "B": HIDDEN, "C": SECONDARY}


def test_two_small_counts_hide_each_other():
    assert suppress({"A": 10, "B": 1, "C": 2}, 3) == {"A": 10, "B": HIDDEN, "C": HIDDEN}


def test_a_zero_is_not_hidden_and_not_chosen_as_the_second_one():
    # A zero gives nothing away about anyone; the count hidden beside the lone 2 is the smallest non-zero one, 4.
    assert suppress({"A": 2, "B": 0, "C": 4, "D": 9}, 3) == {"A": HIDDEN, "B": 0, "C": SECONDARY, "D": 9}


def test_a_table_of_one_small_count_hides_just_that():
    assert suppress({"A": 2}, 3) == {"A": HIDDEN}


@given(st.dictionaries(st.text("ABCDEFGH", min_size=1, max_size=2), st.integers(0, 12), max_size=8),
       st.integers(2, 6))
def test_no_shown_count_is_small_and_no_hidden_count_stands_alone(counts, min_count):
    shown = suppress(counts, min_count)
    assert shown.keys() == counts.keys()
    numbers = [v for v in shown.values() if isinstance(v, int)]
    assert all(v == 0 or v >= min_count for v in numbers)
    hidden = [k for k, v in shown.items() if isinstance(v, str)]
    if len(hidden) == 1:  # only when nothing else could be subtracted from the total
        assert all(v == 0 for k, v in counts.items() if k not in hidden)


def test_hours_agree_with_their_count_and_bounds_read_with_a_decimal_comma():
    from followup_cli.swedish import decimal_comma, hours_text

    assert hours_text(1) == "1 timme" and hours_text(12.5) == "12,5 timmar" and hours_text(1020) == "1\u00a0020 timmar"
    assert decimal_comma(2.5) == "2,5" and decimal_comma(100) == "100" and decimal_comma(None) == ""
