"""Every language the agent speaks is a language the widget speaks, completely (no key missing)."""

from __future__ import annotations

from tenants.vocabulary import LANGUAGES
from web.tests.widget_strings import strings_table


def test_the_widget_speaks_every_language_a_restaurant_can_choose():
    assert set(strings_table()) == set(LANGUAGES)


def test_every_language_has_every_key_and_no_error_text_is_left_in_english():
    table = strings_table()
    english = table["en"]
    for language, strings in table.items():
        assert set(strings) == set(english), f"{language}: missing {set(english) - set(strings)}"
        assert all(text.strip() for text in strings.values()), f"{language}: an empty string"
        if language == "en":
            continue
        for key in (
            "micDenied",
            "busy",
            "busyIn",
            "unavailable",
            "notAllowed",
            "notTakingCalls",
            "notLive",
            "network",
            "mute",
            "hangUp",
            "ended",
            "retry",
            "callPhone",
            "closedLauncher",
        ):
            assert strings[key] != english[key], f"{language}.{key} is still English"
