"""The numbers an emergency or same-day result asks a person to call, set for the service's
region and, on a clinic's page, by the clinic's profile.

`RECOMMENDER_REGION` picks a row of `REGIONS` (UK unless set); `RECOMMENDER_EMERGENCY_NUMBER`
and `RECOMMENDER_URGENT_CARE_NUMBER` override its numbers. A region without a phone line for
same-day care (the US, the EU) shows no call button on a same-day result unless one is set.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from flask import Flask

from recommender.model.clinic import Clinic
from recommender.model.rules import Level


@dataclass(frozen=True)
class CallNumbers:
    emergency: str
    urgent_care: str | None

    def for_level(self, level: Level) -> str | None:
        """The number a result at `level` asks to call now, or None."""
        if level == "emergency":
            return self.emergency
        if level == "same_day":
            return self.urgent_care
        return None


REGIONS = {
    "UK": CallNumbers(emergency="999", urgent_care="111"),
    "US": CallNumbers(emergency="911", urgent_care=None),
    "CA": CallNumbers(emergency="911", urgent_care="811"),
    "EU": CallNumbers(emergency="112", urgent_care=None),
    "AU": CallNumbers(emergency="000", urgent_care="1800 022 222"),
}
_NUMBER = re.compile(r"\+?[0-9][0-9 ()-]{1,24}")


def tel_link(number: str) -> str:
    """A number as a tel: link, which takes digits and a leading + only."""
    return "tel:" + re.sub(r"[^+0-9]", "", number)


def read_call_numbers(app: Flask) -> CallNumbers:
    """The region's numbers, read from the config once; a mistake stops the start."""
    region = str(app.config.get("REGION") or "UK").upper()
    if region not in REGIONS:
        raise ValueError(f"RECOMMENDER_REGION: '{region}' is not one of {', '.join(REGIONS)}; "
                         f"or set RECOMMENDER_EMERGENCY_NUMBER and RECOMMENDER_URGENT_CARE_NUMBER")
    numbers = REGIONS[region]
    for key, field in (("EMERGENCY_NUMBER", "emergency"), ("URGENT_CARE_NUMBER", "urgent_care")):
        value = app.config.get(key)
        if value:
            if not _NUMBER.fullmatch(str(value).strip()):
                raise ValueError(f"RECOMMENDER_{key}: '{value}' is not a phone number")
            numbers = replace(numbers, **{field: str(value).strip()})
    return numbers


def call_numbers(numbers: CallNumbers, clinic: Clinic | None) -> CallNumbers:
    """The service's `numbers`, with the clinic's own where its profile sets them."""
    if clinic is None:
        return numbers
    profile = clinic.profile
    return CallNumbers(emergency=profile.emergency_number or numbers.emergency,
                       urgent_care=profile.urgent_care_number or numbers.urgent_care)
