"""Clinic profiles: how a clinic brands the embedded page and narrows the catalogue.

One YAML file per clinic in the clinics folder, named after its slug. Profiles are read and
checked once at start-up, like the rules and with the same `file:line: message` problems, so
a mistake stops the start instead of showing a clinic's patients a broken or unsafe page.
A clinic can narrow what is prescribed; it can never change screening.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator, Field, StringConstraints

from recommender.loading import Ruleset, did_you_mean, validate_document
from recommender.planning import NO_LIMITS, usable_equipment
from recommender.problems import Problem, RulesError
from recommender.ruleset import Level, Rules, Slug, Text
from recommender.yamlfile import read_yaml

# Plain http, and a port wildcard, only for trying the embed on one's own computer.
LOCAL_HOSTS = ("localhost", "127.0.0.1")
_ORIGIN = re.compile(r"(?P<scheme>[a-z]+)://(?P<host>[a-z0-9.-]+)(:(?P<port>[0-9]{1,5}|\*))?")
# Adds a problem at a location in the profile being read.
Report = Callable[[tuple[Any, ...], str], None]

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
FileName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-][A-Za-z0-9._-]*$")]


class ClinicProfile(Rules):
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

    @property
    def slug(self) -> str:
        return self.profile.slug

    @property
    def never_prescribe(self) -> frozenset[str]:
        return frozenset(self.profile.never_prescribe)


def load_clinics(folder: Path, rules: Ruleset) -> dict[str, Clinic]:
    """Read and check every `*.yaml` profile in `folder`; raise RulesError listing all problems."""
    if not folder.is_dir():
        raise RulesError([Problem(folder.name, None, "the clinics folder does not exist")],
                         subject="the clinic profiles")
    problems: list[Problem] = []
    clinics: dict[str, Clinic] = {}
    for path in sorted(folder.glob("*.yaml")):
        clinic = _load_one(path, f"{folder.name}/{path.name}", rules, problems)
        if clinic is not None:
            clinics[clinic.slug] = clinic
    if problems:
        raise RulesError(problems, subject="the clinic profiles")
    return clinics


def _load_one(path: Path, display: str, rules: Ruleset, problems: list[Problem]) -> Clinic | None:
    before = len(problems)
    document, found = read_yaml(path, display)
    problems += found
    if document is None or found:
        return None
    profile = validate_document(document, ClinicProfile, display, problems)
    if profile is None:
        return None

    def problem(location: tuple[Any, ...], message: str) -> None:
        problems.append(Problem(display, document.line_of(location), message))

    if profile.slug != path.stem:
        problem(("slug",), f"the file is named '{path.name}' but the slug is '{profile.slug}': "
                           f"name the file after the slug")
    logo = _read_logo(path.parent, profile, problem)
    _check_narrowing(profile, rules, problem)
    return Clinic(profile=profile, logo=logo) if len(problems) == before else None


def _read_logo(folder: Path, profile: ClinicProfile, problem: Report) -> Logo | None:
    if profile.logo is None:
        return None
    media_type = LOGO_TYPES.get(Path(profile.logo).suffix.lower())
    if media_type is None:
        problem(("logo",), f"the logo must be an .svg or .png file, not '{profile.logo}'")
        return None
    try:
        content = (folder / profile.logo).read_bytes()
    except OSError:
        problem(("logo",), f"there is no file '{profile.logo}' beside the profile")
        return None
    if len(content) > LOGO_MAX_BYTES:
        problem(("logo",), f"the logo is {len(content) // 1024} KB: keep it under {LOGO_MAX_BYTES // 1024} KB, "
                           f"it goes into every printed plan")
        return None
    return Logo(file_name=profile.logo, media_type=media_type, content=content)


def _check_narrowing(profile: ClinicProfile, rules: Ruleset, problem: Report) -> None:
    exercises = rules.exercises
    seen: set[str] = set()
    for index, exercise_id in enumerate(profile.never_prescribe):
        where = ("never_prescribe", index)
        if exercise_id in seen:
            problem(where, f"'{exercise_id}' is listed twice")
        seen.add(exercise_id)
        if exercise_id not in exercises:
            problem(where, f"there is no exercise '{exercise_id}'{did_you_mean(exercise_id, sorted(exercises))}")
        elif exercises[exercise_id].kind != "exercise":
            problem(where, f"'{exercise_id}' is a {exercises[exercise_id].kind.replace('_', '-')}: "
                           f"only exercises can be left out, warm-ups and stretches stay")
    never = frozenset(profile.never_prescribe)
    for tier, slot_id, keep in unfillable_slots(rules, never):
        culprit = next(i for i, exercise_id in enumerate(profile.never_prescribe) if exercise_id in keep)
        problem(("never_prescribe", culprit),
                f"leaving out {', '.join(repr(e) for e in keep if e in never)} leaves the slot '{slot_id}' "
                f"of the {tier} tier with nothing for a person who has no equipment (or, when it is their "
                f"starting tier, is in pain): keep at least one of {', '.join(keep)}")


def unfillable_slots(rules: Ruleset, never_prescribe: frozenset[str]) -> list[tuple[str, str, list[str]]]:
    """Slots that narrowing could leave empty: (tier, slot id, the choices that would fill it).

    A slot is always filled if it keeps a choice that needs no equipment, passes the limits of
    every plan in which its tier can be the starting tier, and is not in an earlier slot of the
    tier (which could have taken it already). Slots the rules alone cannot fill are the rules'
    problem, not the clinic's, and are left to the rules checks.
    """
    plan = rules.plan
    found: dict[str, tuple[str, str, list[str]]] = {}
    for limit in rules.plan_limits.values():
        if not limit.shows_plan:
            continue
        starts = (set(plan.start_tier_by_experience.values()) if limit.start_tier == "from_experience"
                  else {limit.start_tier})
        for design in plan.tiers:
            if design.tier not in limit.tiers:
                continue
            limits = limit.starting_tier if design.tier in starts else NO_LIMITS
            earlier: set[str] = set()
            for slot in design.slots:
                always = [exercise_id for exercise_id in slot.choose_first_of
                          if exercise_id not in earlier
                          and usable_equipment(rules.exercises[exercise_id], frozenset(), limits, rules) is not None]
                earlier.update(slot.choose_first_of)
                if always and all(exercise_id in never_prescribe for exercise_id in always):
                    found.setdefault(slot.id, (design.tier, slot.id, always))
    return list(found.values())
