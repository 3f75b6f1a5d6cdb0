"""Typed clock times: the forms owners use, the errors that say what to type, and a property test
against a deliberately simple reference (the standard library's strptime)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tenants.time_input import HINT, TimeInputError, parse_clock_time


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("19:00", dt.time(19)),
        ("7pm", dt.time(19)),
        ("7 PM", dt.time(19)),
        ("7:30 pm", dt.time(19, 30)),
        ("7.30pm", dt.time(19, 30)),
        ("7:30 p.m.", dt.time(19, 30)),
        ("1900", dt.time(19)),
        ("730", dt.time(7, 30)),
        ("0730", dt.time(7, 30)),
        ("19h30", dt.time(19, 30)),
        ("19h", dt.time(19)),
        ("7", dt.time(7)),
        ("12am", dt.time(0)),
        ("12pm", dt.time(12)),
        ("12:30am", dt.time(0, 30)),
        ("24:00", dt.time(0)),
        ("2400", dt.time(0)),
        ("00:00", dt.time(0)),
        ("noon", dt.time(12)),
        (" Midnight ", dt.time(0)),
        ("12 noon", dt.time(12)),
        ("1am", dt.time(1)),
        ("19:00:00", dt.time(19)),
    ],
)
def test_the_forms_owners_type(typed, expected):
    assert parse_clock_time(typed) == expected


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("", "Enter a time."),
        ("soon", "“soon” is not a time."),
        ("25:00", "Hours go from 0 to 23, or 24:00 for midnight."),
        ("24:30", "Hours go from 0 to 23"),
        ("19:75", "Minutes go from 00 to 59."),
        ("13pm", "With am or pm the hour is 1 to 12 (or write 13:00)."),
        ("0am", "With am or pm the hour is 1 to 12"),
        ("7 m", "is not a time"),
        ("19:00:00:00", "is not a time"),
        ("7pm-11pm", "is not a time"),
    ],
)
def test_errors_say_what_to_type(typed, says):
    with pytest.raises(TimeInputError) as error:
        parse_clock_time(typed)
    assert says in str(error.value)
    assert str(error.value).endswith(HINT)


times = st.builds(dt.time, st.integers(0, 23), st.integers(0, 59))


def _reference_24(text: str) -> dt.time:
    return dt.datetime.strptime(text, "%H:%M").time()


def _reference_12(text: str) -> dt.time:
    return dt.datetime.strptime(text, "%I:%M %p").time()


@given(times)
def test_24_hour_forms_agree_with_strptime(value):
    text = f"{value:%H:%M}"
    assert parse_clock_time(text) == _reference_24(text)
    assert parse_clock_time(text.replace(":", "")) == _reference_24(text)  # "1930"
    assert parse_clock_time(f"{value.hour}:{value.minute:02d}") == _reference_24(text)  # "7:05"


@given(times, st.sampled_from(["{}{}", "{} {}", "{}  {}"]), st.booleans())
def test_12_hour_forms_agree_with_strptime(value, layout, dotted):
    clock = f"{value:%I:%M}".lstrip("0")
    half = f"{value:%p}"  # "AM" / "PM"
    typed_half = f"{half[0].lower()}.m." if dotted else half.lower()
    typed = layout.format(clock, typed_half)
    assert parse_clock_time(typed) == _reference_12(f"{value:%I:%M %p}")


@given(st.text(max_size=12))
def test_any_text_is_a_time_or_a_message_never_a_crash(text):
    try:
        value = parse_clock_time(text)
    except TimeInputError as error:
        assert str(error).endswith(HINT)
    else:
        assert isinstance(value, dt.time)
