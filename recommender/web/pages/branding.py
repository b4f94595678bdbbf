"""A clinic's colour as a small stylesheet: the CSP allows no inline style to carry it."""

from __future__ import annotations

from recommender.model.clinic import Clinic


def theme_css(clinic: Clinic) -> str:
    accent = clinic.profile.accent_colour
    return (f":root {{ --accent: {accent}; --accent-dark: {_mix(accent, '#000000', 0.25)}; "
            f"--accent-pale: {_mix(accent, '#ffffff', 0.88)}; }}\n")


def _mix(colour: str, other: str, amount: float) -> str:
    """`colour` moved `amount` of the way towards `other` (both #rrggbb)."""
    channels = [round(int(colour[i:i + 2], 16) * (1 - amount) + int(other[i:i + 2], 16) * amount)
                for i in (1, 3, 5)]
    return "#" + "".join(f"{channel:02x}" for channel in channels)
