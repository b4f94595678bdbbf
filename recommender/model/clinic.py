"""A clinic's profile: how it brands the embedded page and narrows the catalogue.

A clinic can narrow what is prescribed; it can never change screening.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator, Field, StringConstraints

from recommender.model.declared import Declared
from recommender.model.problems import SourceLines
from recommender.model.rules import Language, Level, Slug, Text

# Plain http, and a port wildcard, only for trying the embed on one's own computer.
LOCAL_HOSTS = ("localhost", "127.0.0.1")
_ORIGIN = re.compile(r"(?P<scheme>[a-z]+)://(?P<host>[a-z0-9.-]+)(:(?P<port>[0-9]{1,5}|\*))?")
LOGO_TYPES = {".svg": "image/svg+xml", ".png": "image/png"}
LOGO_MAX_BYTES = 200 * 1024
# WCAG AA for normal text: the accent is the background of white button text.
MIN_CONTRAST_WITH_WHITE = 4.5


def _origin(value: str) -> str:
    written = value
    value = value.strip()
    if "*" in value.split("://")[-1].split(":")[0]:
        raise ValueError(f"'{written}': a wildcard in the host would let sites the clinic may not control "
                         f"embed the page; list each origin")
    match = _ORIGIN.fullmatch(value)
    if match is None:
        raise ValueError(f"'{written}' is not an origin: write only the scheme and host, "
                         f"like https://www.clinic.example (no path, no slash at the end)")
    scheme, host, port = match["scheme"], match["host"], match["port"]
    local = host in LOCAL_HOSTS
    if scheme not in ("https", "http") or (scheme == "http" and not local):
        raise ValueError(f"'{written}' must start with https:// (plain http is only for localhost)")
    if port == "*" and not local:
        raise ValueError(f"'{written}': a port wildcard (:*) is only for localhost")
    if port is not None and port != "*" and (int(port) == 0 or int(port) > 65535):
        raise ValueError(f"'{written}' has a port outside 1 to 65535")
    if (scheme, port) in (("https", "443"), ("http", "80")):
        raise ValueError(f"'{written}': leave out the default port, browsers do not write it")
    return value


def _https_link(value: str) -> str:
    if not re.fullmatch(r"https://[a-z0-9.-]+(:[0-9]+)?(/\S*)?", value):
        raise ValueError(f"'{value}' must be a full https:// address")
    return value


def _colour_written(value: Any) -> Any:
    if value is None:
        raise ValueError('put the colour in quotes, like "#0b6e69": without them YAML reads # as the '
                         'start of a comment')
    return value


def _colour(value: str) -> str:
    if not re.fullmatch(r"#[0-9a-fA-F]{6}", value):
        raise ValueError(f"'{value}' is not a colour: write # and six hex digits, like \"#0b6e69\"")
    ratio = contrast_with_white(value)
    if ratio < MIN_CONTRAST_WITH_WHITE:
        raise ValueError(f"'{value}' is too light for the white text on buttons (contrast {ratio:.1f}:1, "
                         f"at least {MIN_CONTRAST_WITH_WHITE}:1 is needed): choose a darker colour")
    return value.lower()


def contrast_with_white(colour: str) -> float:
    """The WCAG contrast ratio of white text on `colour` (#rrggbb)."""
    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(int(colour[i:i + 2], 16)) for i in (1, 3, 5))
    luminance = 0.2126 * red + 0.7152 * green + 0.0722 * blue
    return 1.05 / (luminance + 0.05)


def _not_urgent_care(levels: tuple[Level, ...]) -> tuple[Level, ...]:
    for level in levels:
        if level in ("emergency", "same_day"):
            raise ValueError(f"a booking link is never offered for '{level}': that result sends the "
                             f"person to a doctor or emergency care at once")
    return levels


Origin = Annotated[str, AfterValidator(_origin)]
Colour = Annotated[str, BeforeValidator(_colour_written), AfterValidator(_colour)]
HttpsLink = Annotated[str, AfterValidator(_https_link)]
Phone = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^\+?[0-9][0-9 ()-]{4,24}$")]
# Short numbers too: 999, 111, 112.
CallNumber = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^\+?[0-9][0-9 ()-]{1,24}$")]
FileName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-][A-Za-z0-9._-]*$")]


class ClinicProfile(Declared):
    slug: Slug
    name: Text
    # A file beside the profile (.svg or .png), shown on the page and printed on the plan.
    logo: FileName | None = None
    accent_colour: Colour
    # Printed at the foot of the plan, e.g. address and phone.
    contact_line: Text
    phone: Phone | None = None
    booking_link: HttpsLink | None = None
    # The results that offer the clinic's phone and booking link.
    offer_booking_for: Annotated[tuple[Level, ...], AfterValidator(_not_urgent_care)] = ("soon", "caution")
    embed_origins: tuple[Origin, ...] = Field(min_length=1)
    never_prescribe: tuple[Slug, ...] = ()
    paper: Literal["A4", "Letter"] = "A4"
    # The numbers an emergency and a same-day result ask to call, when the clinic's country
    # or its own service differs from the service's region (RECOMMENDER_REGION).
    emergency_number: CallNumber | None = None
    urgent_care_number: CallNumber | None = None
    # What the clinic's page (and any analytics script on it) is told when a result shows:
    # only that the form was completed, or also the triage level and starting tier. The level
    # is health data ("emergency"), so sharing it is a choice the clinic makes on purpose.
    outcome_events: Literal["completed", "level_and_tier"] = "completed"
    # The languages the clinic's pages offer, the one for a browser that asks for none of
    # them first; none listed offers every language the rules speak.
    languages: tuple[Language, ...] = ()

    @property
    def phone_link(self) -> str | None:
        """The phone number as a tel: link, which takes digits and a leading + only."""
        return "tel:" + re.sub(r"[^+0-9]", "", self.phone) if self.phone else None


@dataclass(frozen=True)
class Logo:
    file_name: str
    media_type: str
    content: bytes


@dataclass(frozen=True)
class Clinic:
    """A checked profile, with its logo read into memory. Built only by `load_clinics`."""

    profile: ClinicProfile
    logo: Logo | None
    # The profile's file name and where each value in it was written, for later checks.
    file: str
    lines: SourceLines

    @property
    def slug(self) -> str:
        return self.profile.slug

    @property
    def never_prescribe(self) -> frozenset[str]:
        return frozenset(self.profile.never_prescribe)
