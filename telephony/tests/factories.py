from __future__ import annotations

import factory

from telephony.models import PhoneNumber


class PhoneNumberFactory(factory.django.DjangoModelFactory[PhoneNumber]):
    class Meta:
        model = PhoneNumber

    number = factory.Sequence(lambda n: f"+4420794600{n % 100:02d}")
