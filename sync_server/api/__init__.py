"""HTTP: blueprints, the access gate, problem+json errors and the OpenAPI document."""
