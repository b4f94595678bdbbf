"""Settings and what every response passes through: hosts, headers, errors, CSRF, CORS,
compression, static files, and reloading the rules."""
