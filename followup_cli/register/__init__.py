"""The register: reading its sheets through the schemas, coercing cells, and checking rows and references."""
