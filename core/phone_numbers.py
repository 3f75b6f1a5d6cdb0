"""E.164 phone numbers (for telephony and call records): parse what people type, store and compare one canonical form, mask for lists."""

from __future__ import annotations

import phonenumbers
from django.core.exceptions import ValidationError


def e164_normalize(value: str, *, region: str | None = None, strict: bool = True) -> str:
    """The E.164 form (+442079460000) of a number typed in any usual way, or ValidationError.

    Without a leading + a `region` (ISO 3166 code such as GB) is needed to read a national number.
    `strict` checks the number is assigned in its country's plan; lenient checks only its length
    (for a call-back number a caller dictates: the staff will dial it, not the platform).
    """
    text = (value or "").strip()
    if not text:
        raise ValidationError("Enter a phone number.")
    try:
        parsed = phonenumbers.parse(text, region if not text.startswith("+") else None)
    except phonenumbers.NumberParseException:
        raise ValidationError(
            "“%(value)s” is not a phone number we can read. Use the international form, such as +44 20 7946 0000.",
            params={"value": text[:40]},
        ) from None
    if not (phonenumbers.is_valid_number(parsed) if strict else phonenumbers.is_possible_number(parsed)):
        raise ValidationError(
            "“%(value)s” is not a valid phone number. Use the international form, such as +44 20 7946 0000.",
            params={"value": text[:40]},
        )
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def validate_e164(value: str) -> None:
    if e164_normalize(value) != value:
        raise ValidationError("Store phone numbers in E.164 form, such as +442079460000.")


def e164_or_none(value: str | None) -> str | None:
    """The E.164 form of a number a carrier sent (caller or dialled), or None when missing, withheld or junk.

    Lenient on purpose (possible, not necessarily valid): a caller's number is recorded as the carrier gave
    it, and carriers often send E.164 without the "+".
    """
    text = (value or "").strip()
    if not text or not any(c.isdigit() for c in text):
        return None
    if not text.startswith("+"):
        text = "+" + text
    try:
        parsed = phonenumbers.parse(text, None)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def e164_display(value: str) -> str:
    """+44 20 7946 0000: the international format people read."""
    try:
        return phonenumbers.format_number(
            phonenumbers.parse(value), phonenumbers.PhoneNumberFormat.INTERNATIONAL
        )
    except phonenumbers.NumberParseException:
        return value


def e164_mask(value: str) -> str:
    """+44 ••• ••• 0000: enough to tell callers apart in a list, not enough to dial."""
    if not value:
        return ""
    try:
        parsed = phonenumbers.parse(value)
    except phonenumbers.NumberParseException:
        return "•••"
    national = str(parsed.national_number)
    return f"+{parsed.country_code} ••• {national[-4:] if len(national) > 4 else '•••'}"
