"""Loading: read the declarative files with their line numbers, check their shape and every
reference between them, and compile the rules. Imports only the model."""
