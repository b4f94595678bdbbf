"""The JSON API and FHIR for clinics' systems, with their descriptions."""
