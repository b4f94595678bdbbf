"""Cross-origin requests to the API and the FHIR endpoints, from clinics' own sites only.

A clinic's front end calls `POST /api/v1/plan` or `$plan` from its own pages, so the browser
first asks (a CORS preflight) whether that origin may. Exactly the origins the clinic profiles
list in `embed_origins` may, with the demo clinic's only while it is served; any other origin
gets no `Access-Control-*` header and the browser keeps our answer from it. No credentials are
ever allowed: the service sets no cookies and reads none.
"""

from __future__ import annotations

import re

from flask import Flask
from flask_cors import CORS

from recommender.model.clinic import Clinic
from recommender.web.pages.embed import DEMO_SLUG

CROSS_ORIGIN_PATHS = (r"/api/.*", r"/fhir/.*")
# A browser may keep a preflight's answer this long (seconds), so a clinic's page does not ask
# before every request; a changed profile takes effect at the next deploy anyway.
PREFLIGHT_MAX_AGE = 600


def init_app(app: Flask, clinics: list[Clinic]) -> None:
    served = [clinic for clinic in clinics if clinic.slug != DEMO_SLUG or app.config["DEMO_CLINIC"]]
    origins = allowed_origins(served)
    CORS(app, resources={path: {"origins": origins} for path in CROSS_ORIGIN_PATHS},
         methods=["GET", "POST"], allow_headers=["Content-Type", "Accept"],
         expose_headers=["Retry-After"], max_age=PREFLIGHT_MAX_AGE, supports_credentials=False)


def allowed_origins(clinics: list[Clinic]) -> list[re.Pattern[str]]:
    """Each listed origin as a pattern that matches it whole; a profile's port wildcard
    (`http://localhost:*`, allowed for localhost only) matches any port number."""
    written = sorted({origin for clinic in clinics for origin in clinic.profile.embed_origins})
    return [re.compile(re.escape(origin).replace(r":\*", ":[0-9]{1,5}") + r"\Z") for origin in written]
