"""Compression for the Procfile shape, where no proxy compresses: the same choices as nginx's
(deploy/proxy.conf), made by Flask-Compress.

Static files, the JSON API and FHIR are compressed. Pages are not, here as behind nginx: a page
carries the sealed answers next to what the person typed, the pattern BREACH exploits, and
the form post that downloads answers (/plan/fhir) is left alone for the same reason. Behind
nginx the static files come from disk, and nginx leaves an answer already compressed as it is.
"""

from __future__ import annotations

from flask import Flask, Response, request
from flask_compress import Compress

COMPRESSED_PATHS = ("/static/", "/api/", "/fhir/")
COMPRESSED_TYPES = ["text/css", "text/javascript", "application/javascript", "image/svg+xml",
                    "application/json", "application/fhir+json", "application/problem+json"]


def init_app(app: Flask) -> None:
    # Registered by hand below, so that only the paths above are ever compressed.
    app.config.update(COMPRESS_REGISTER=False, COMPRESS_MIMETYPES=COMPRESSED_TYPES)
    compress = Compress(app)

    def compress_where_safe(response: Response) -> Response:
        if not request.path.startswith(COMPRESSED_PATHS):
            return response
        if response.direct_passthrough:
            # A static file, streamed from disk: read whole (each is a few KB), so that it can
            # be compressed with gzip too, which Flask-Compress does not stream.
            response.direct_passthrough = False
            body = response.get_data()
            response.close()  # the file
            response.set_data(body)
        return compress.after_request(response)

    app.after_request(compress_where_safe)
